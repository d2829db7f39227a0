using System.Diagnostics;
using System.Globalization;
using CryptoMargin.Dynamics;
using CryptoMargin.Dynamics.Bayes;
using CryptoMargin.MarketData;

namespace CryptoMargin.Tests.Dynamics.Bayes;

public class BayesianReturnModelTests
{
    // Daily crypto-like GARCH-t in decimal units: unconditional variance ω/(1−α−β) = 5e-4 (≈ 2.2% a day).
    private static readonly ReturnModelSpec GarchT = new(VolatilityModel.Garch, InnovationDistribution.StudentT);
    private static readonly ReturnModelParameters GarchTTruth = new(5e-4, 2e-5, 0.08, 0, 0.88, 5, 0);

    private static void Log(string line) => TestContext.Current.TestOutputHelper?.WriteLine(line);

    private static double Truth(in ReturnModelParameters p, string name) => name switch
    {
        "mu" => p.Mu,
        "omega" => p.Omega,
        "alpha" => p.Alpha,
        "gamma" => p.Gamma,
        "beta" => p.Beta,
        "nu" => p.Nu,
        _ => throw new ArgumentException(name),
    };

    [Fact]
    public void GarchTPosteriorCoversTheSimulatingParameters()
    {
        var returns = ReturnModelSimulator.Simulate(GarchT, GarchTTruth, 2000, seed: 20261124);
        var clock = Stopwatch.StartNew();
        var fit = BayesianReturnModel.Fit(returns, GarchT);
        Log($"fit: {clock.Elapsed.TotalSeconds:F2} s, acceptance {fit.AcceptanceRate:F3}");

        Assert.Equal(["mu", "omega", "alpha", "beta", "nu"], fit.ParameterNames);
        foreach (var name in fit.ParameterNames)
        {
            var s = fit.Parameters[name];
            double truth = Truth(GarchTTruth, name);
            Log(string.Create(CultureInfo.InvariantCulture,
                $"{name}: truth {truth:G4} mean {s.Mean:G4} median {s.Median:G4} 95% [{s.Lower95:G4}, {s.Upper95:G4}] ESS {s.Ess:F0} R̂ {s.Rhat:F3}"));
            Assert.InRange(truth, s.Lower95, s.Upper95);
            Assert.True(s.Rhat < 1.05, $"{name}: R̂ {s.Rhat}");
            Assert.True(s.Lower95 <= s.Median && s.Median <= s.Upper95);
        }
        Assert.True(fit.Converged, fit.NotConvergedReason);
        Assert.InRange(fit.AcceptanceRate, 0.1, 0.5);
        Assert.Equal(4 * 2000, fit.Draws.Count);
        Assert.Equal((4, 2000, 2000, 1), (fit.Chains, fit.Warmup, fit.DrawsPerChain, fit.Seed));
        // Every draw is a stationary model with a finite-variance t.
        Assert.All(fit.Draws, p => Assert.True(p.Omega > 0 && p.Alpha > 0 && p.Beta > 0 && p.Alpha + p.Beta < 1 && p.Nu > 2));
        Assert.Equal(fit.Parameters["alpha"].Mean, fit.DrawsOf("alpha").Average(), 12);
    }

    [Fact]
    public void SameSeedGivesIdenticalSummariesAndAnotherSeedDifferentDraws()
    {
        var returns = ReturnModelSimulator.Simulate(GarchT, GarchTTruth, 500, seed: 9);
        var options = new BayesianFitOptions { Warmup = 300, Draws = 300, Seed = 77 };
        var a = BayesianReturnModel.Fit(returns, GarchT, options);
        var b = BayesianReturnModel.Fit(returns, GarchT, options);
        var parallel = BayesianReturnModel.Fit(returns, GarchT, options with { MaxDegreeOfParallelism = 4 });
        var c = BayesianReturnModel.Fit(returns, GarchT, options with { Seed = 78 });
        foreach (var name in a.ParameterNames)
        {
            Assert.Equal(a.Parameters[name], b.Parameters[name]);
            Assert.Equal(a.Parameters[name], parallel.Parameters[name]);
            Assert.NotEqual(a.DrawsOf(name), c.DrawsOf(name));
        }
        Assert.Equal(a.Draws, b.Draws);
        Assert.Equal(78, c.Seed);
    }

    [Theory]
    [InlineData(VolatilityModel.Garch, InnovationDistribution.Normal, MeanModel.Constant, "mu omega alpha beta")]
    [InlineData(VolatilityModel.Gjr, InnovationDistribution.Normal, MeanModel.Zero, "omega alpha gamma beta")]
    [InlineData(VolatilityModel.Gjr, InnovationDistribution.StudentT, MeanModel.Constant, "mu omega alpha gamma beta nu")]
    public void ReportsOnlyTheParametersTheModelHas(VolatilityModel vol, InnovationDistribution dist, MeanModel mean, string names)
    {
        var spec = new ReturnModelSpec(vol, dist, mean);
        var truth = new ReturnModelParameters(mean == MeanModel.Constant ? 0.05 : 0, 0.05, 0.05, vol == VolatilityModel.Gjr ? 0.1 : 0, 0.85,
            dist == InnovationDistribution.StudentT ? 6 : double.PositiveInfinity, 0);
        var returns = ReturnModelSimulator.Simulate(spec, truth, 300, seed: 4); // percent units this time
        var fit = BayesianReturnModel.Fit(returns, spec, new BayesianFitOptions { Warmup = 200, Draws = 100 });
        Assert.Equal(names.Split(' '), fit.ParameterNames);
        Assert.Equal(names.Split(' ').Order(), fit.Parameters.Keys.Order());
        if (mean == MeanModel.Zero) Assert.All(fit.Draws, p => Assert.Equal(0, p.Mu));
        if (vol == VolatilityModel.Garch) Assert.All(fit.Draws, p => Assert.Equal(0, p.Gamma));
        if (dist == InnovationDistribution.Normal) Assert.True(double.IsPositiveInfinity(fit.PosteriorMean.Nu));
        Assert.Throws<ArgumentException>(() => fit.DrawsOf(vol == VolatilityModel.Garch ? "gamma" : "lambda"));
    }

    [Fact]
    public void UnitsDoNotChangeTheShapeParameters()
    {
        // Percent returns (×100): μ scales by 100, ω by 10⁴, α, β, ν unchanged. The priors and θ are scaled by the
        // sample variance, so the two posteriors are the same up to Monte Carlo error.
        var decimalReturns = ReturnModelSimulator.Simulate(GarchT, GarchTTruth, 1000, seed: 31);
        var percentReturns = decimalReturns.Select(r => 100 * r).ToArray();
        var options = new BayesianFitOptions { Warmup = 1000, Draws = 1000 };
        var dec = BayesianReturnModel.Fit(decimalReturns, GarchT, options);
        var pct = BayesianReturnModel.Fit(percentReturns, GarchT, options with { Seed = 2 });
        foreach (var (name, factor) in new[] { ("mu", 100.0), ("omega", 1e4), ("alpha", 1.0), ("beta", 1.0), ("nu", 1.0) })
        {
            var a = dec.Parameters[name];
            var b = pct.Parameters[name];
            double width = a.Upper95 - a.Lower95;
            Assert.InRange(b.Median / factor, a.Median - 0.15 * width, a.Median + 0.15 * width);
        }
    }

    [Fact]
    public void UsesTheInjectedLikelihoodAndInitialParameters()
    {
        var returns = ReturnModelSimulator.Simulate(GarchT, GarchTTruth, 300, seed: 12);
        int calls = 0;
        LogLikelihoodFunction counting = (r, spec, in p) =>
        {
            Interlocked.Increment(ref calls);
            return ReferenceLikelihood.LogLikelihood(r, spec, p);
        };
        var start = new ReturnModelParameters(4e-4, 3e-5, 0.1, 0, 0.85, 6, 0);
        var options = new BayesianFitOptions { Warmup = 100, Draws = 100, InitialParameters = start };
        var viaDelegate = BayesianReturnModel.Fit(returns, GarchT, options with { LogLikelihood = counting });
        var viaReference = BayesianReturnModel.Fit(returns, GarchT, options with { LogLikelihood = ReferenceLikelihood.LogLikelihood });
        Assert.True(calls >= 4 * 200);
        Assert.Equal(viaReference.Draws, viaDelegate.Draws);
        Assert.Equal(start.Alpha, viaDelegate.InitialParameters.Alpha, 12);
        Assert.Equal(start.Omega, viaDelegate.InitialParameters.Omega, 15);
        Assert.Equal(start.Nu, viaDelegate.InitialParameters.Nu, 10);

        // A likelihood that rejects everything but a point mass would leave no positive density at the start.
        LogLikelihoodFunction impossible = (r, spec, in p) => double.NegativeInfinity;
        Assert.Throws<ArgumentException>(() => BayesianReturnModel.Fit(returns, GarchT, options with { LogLikelihood = impossible }));
    }

    [Fact]
    public void TooShortARunIsReportedAsNotConvergedWithTheReason()
    {
        // 4 × 50 random-walk draws in 5 dimensions carry far fewer than 100 effective draws.
        var returns = ReturnModelSimulator.Simulate(GarchT, GarchTTruth, 300, seed: 2);
        var fit = BayesianReturnModel.Fit(returns, GarchT, new BayesianFitOptions { Warmup = 10, Draws = 50 });
        Assert.False(fit.Converged);
        Assert.NotNull(fit.NotConvergedReason);
        Assert.Contains("ESS", fit.NotConvergedReason);
        // The same short run with the floor lowered to zero and R̂ ignored passes: the flag follows the options.
        var lenient = BayesianReturnModel.Fit(returns, GarchT, new BayesianFitOptions { Warmup = 10, Draws = 50, MinEss = 0, MaxRhat = double.PositiveInfinity });
        Assert.True(lenient.Converged, lenient.NotConvergedReason);
    }

    [Fact]
    public void RejectsBadReturnsWithDataValidationException()
    {
        var good = ReturnModelSimulator.Simulate(GarchT, GarchTTruth, 100, seed: 1);
        var withNaN = (double[])good.Clone();
        withNaN[17] = double.NaN;
        var withInf = (double[])good.Clone();
        withInf[3] = double.PositiveInfinity;
        Assert.Contains("not finite", Assert.Throws<DataValidationException>(() => BayesianReturnModel.Fit(withNaN, GarchT)).Reason);
        Assert.Contains("return 18", Assert.Throws<DataValidationException>(() => BayesianReturnModel.Fit(withNaN, GarchT)).Reason);
        Assert.Throws<DataValidationException>(() => BayesianReturnModel.Fit(withInf, GarchT));
        Assert.Contains("at least 50", Assert.Throws<DataValidationException>(() => BayesianReturnModel.Fit(good.AsSpan(0, 49), GarchT)).Reason);
        Assert.Contains("zero variance", Assert.Throws<DataValidationException>(() => BayesianReturnModel.Fit(Enumerable.Repeat(0.01, 100).ToArray(), GarchT)).Reason);
    }

    [Fact]
    public void RejectsEwmaAndVarianceTargeting()
    {
        var returns = ReturnModelSimulator.Simulate(GarchT, GarchTTruth, 100, seed: 1);
        Assert.Throws<ArgumentException>(() => BayesianReturnModel.Fit(returns, new ReturnModelSpec(VolatilityModel.Ewma)));
        Assert.Throws<ArgumentException>(() => BayesianReturnModel.Fit(returns, GarchT with { VarianceTargeting = true }));
    }
}
