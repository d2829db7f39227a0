using System.Globalization;
using CryptoMargin.Dynamics;
using CryptoMargin.Dynamics.Bayes;

namespace CryptoMargin.Tests.Dynamics.Bayes;

public class BayesianBenchmarkTests
{
    private static string? FindSample(string name)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var path = Path.Combine(dir.FullName, "samples", "data", name);
            if (File.Exists(path)) return path;
        }
        return null;
    }

    [Fact]
    public void DemGbpPosteriorCentresOnThePublishedMaximumLikelihoodEstimate()
    {
        var path = FindSample("dem2gbp.csv");
        Assert.SkipWhen(path is null, "samples/data/dem2gbp.csv not found");
        var returns = File.ReadLines(path!).Skip(1)
            .Select(line => double.Parse(line.Split(',')[1], CultureInfo.InvariantCulture)).ToArray();
        Assert.Equal(1974, returns.Length);

        // Bollerslev–Ghysels (1996) DEM/GBP percent returns, GARCH(1,1)-Normal, constant mean, h₁ = mean ε²:
        // benchmark MLE (Fiorentini, Calzolari & Panattoni 1996; samples/data/PROVENANCE.md).
        var mle = new Dictionary<string, double>
        {
            ["mu"] = -0.00619041, ["omega"] = 0.0107613, ["alpha"] = 0.153134, ["beta"] = 0.805974,
        };
        var fit = BayesianReturnModel.Fit(returns, new ReturnModelSpec(), new BayesianFitOptions { Seed = 1996 });

        Assert.True(fit.Converged, fit.NotConvergedReason);
        foreach (var (name, estimate) in mle)
        {
            var s = fit.Parameters[name];
            // With n ≈ 2000 and weak priors the posterior is close to normal around the MLE (Bernstein–von Mises):
            // the interval contains it and the median is within half a posterior sd (≈ width/3.92) of it.
            Assert.InRange(estimate, s.Lower95, s.Upper95);
            double sd = (s.Upper95 - s.Lower95) / 3.92;
            Assert.True(Math.Abs(s.Median - estimate) < 0.5 * sd, $"{name}: median {s.Median} vs MLE {estimate}, sd {sd}");
        }
        // Log-likelihood at the posterior mean cannot beat the maximum, and should be close to it (a few units).
        Assert.InRange(fit.LogLikelihoodAtMean, -1106.5868 - 5, -1106.5868 + 1e-6);
    }
}
