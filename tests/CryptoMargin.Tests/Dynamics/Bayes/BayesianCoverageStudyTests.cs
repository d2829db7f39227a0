using System.Diagnostics;
using System.Globalization;
using CryptoMargin.Dynamics;
using CryptoMargin.Dynamics.Bayes;

namespace CryptoMargin.Tests.Dynamics.Bayes;

/// <summary>
/// Frequentist coverage of the Bayesian 95% credible intervals over 30 simulated datasets. With the fast
/// likelihood kernel it takes about 6 s in Release on two cores, so it runs in CI with the rest of the suite.
/// </summary>
public class BayesianCoverageStudyTests
{
    private sealed record Case(string Label, ReturnModelSpec Spec, ReturnModelParameters Truth, int Seed);

    [Fact]
    public void CredibleIntervalsCoverTheTruthAtCloseToTheirNominalRate()
    {
        // Decimal daily units. GARCH-t: persistence 0.96, ν = 5; GJR-t: α + γ/2 + β = 0.96, ν = 6.
        var garchT = new ReturnModelSpec(VolatilityModel.Garch, InnovationDistribution.StudentT);
        var gjrT = new ReturnModelSpec(VolatilityModel.Gjr, InnovationDistribution.StudentT);
        var garchTruth = new ReturnModelParameters(5e-4, 2e-5, 0.08, 0, 0.88, 5, 0);
        var gjrTruth = new ReturnModelParameters(3e-4, 2e-5, 0.03, 0.10, 0.88, 6, 0);
        var cases = Enumerable.Range(1, 20).Select(i => new Case("garch-t", garchT, garchTruth, 1000 + i))
            .Concat(Enumerable.Range(1, 10).Select(i => new Case("gjr-t", gjrT, gjrTruth, 2000 + i)))
            .ToArray();
        const int n = 2000;

        var clock = Stopwatch.StartNew();
        var fits = new PosteriorFit[cases.Length];
        Parallel.For(0, cases.Length, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, i =>
        {
            var returns = ReturnModelSimulator.Simulate(cases[i].Spec, cases[i].Truth, n, cases[i].Seed);
            fits[i] = BayesianReturnModel.Fit(returns, cases[i].Spec, new BayesianFitOptions { Seed = cases[i].Seed });
        });
        var elapsed = clock.Elapsed;

        var covered = new Dictionary<string, (int Hits, int Total)>();
        int hits = 0, total = 0;
        for (int i = 0; i < cases.Length; i++)
        {
            var fit = fits[i];
            var line = new List<string>();
            foreach (var name in fit.ParameterNames)
            {
                var s = fit.Parameters[name];
                double truth = name switch
                {
                    "mu" => cases[i].Truth.Mu,
                    "omega" => cases[i].Truth.Omega,
                    "alpha" => cases[i].Truth.Alpha,
                    "gamma" => cases[i].Truth.Gamma,
                    "beta" => cases[i].Truth.Beta,
                    _ => cases[i].Truth.Nu,
                };
                bool hit = s.Lower95 <= truth && truth <= s.Upper95;
                var (h, t) = covered.GetValueOrDefault(name);
                covered[name] = (h + (hit ? 1 : 0), t + 1);
                hits += hit ? 1 : 0;
                total++;
                if (!hit) line.Add(string.Create(CultureInfo.InvariantCulture, $"{name} {truth:G3}∉[{s.Lower95:G3}, {s.Upper95:G3}]"));
            }
            Log(string.Create(CultureInfo.InvariantCulture,
                $"{cases[i].Label} seed {cases[i].Seed}: acceptance {fit.AcceptanceRate:F3}, max R̂ {fit.Parameters.Values.Max(s => s.Rhat):F3}, " +
                $"min ESS {fit.Parameters.Values.Min(s => s.Ess):F0}, converged {fit.Converged} {string.Join(", ", line)}"));
        }
        foreach (var (name, (h, t)) in covered)
            Log(string.Create(CultureInfo.InvariantCulture, $"coverage {name}: {h}/{t} = {(double)h / t:P0}"));
        Log(string.Create(CultureInfo.InvariantCulture,
            $"coverage overall: {hits}/{total} = {(double)hits / total:P1}; {cases.Length} datasets of {n} in {elapsed.TotalSeconds:F1} s"));

        Assert.True((double)hits / total >= 0.80, $"overall coverage {hits}/{total}");
        // Per parameter the nominal 95% over 10–30 datasets rarely falls under 70% by chance (binomial).
        foreach (var (name, (h, t)) in covered) Assert.True((double)h / t >= 0.70, $"{name} coverage {h}/{t}");
        Assert.True(fits.Count(f => f.Converged) >= 0.9 * fits.Length, "too many fits not converged");
    }

    private static void Log(string line) => TestContext.Current.TestOutputHelper?.WriteLine(line);
}
