using CryptoMargin.Dynamics;
using CryptoMargin.MarketData;

namespace CryptoMargin.Tests.Dynamics;

public class ReturnModelFitTests
{
    private static readonly ReturnModelSpec GarchT = new(VolatilityModel.Garch, InnovationDistribution.StudentT);
    private static readonly ReturnModelSpec GjrT = new(VolatilityModel.Gjr, InnovationDistribution.StudentT);

    private static void AssertRecovers(ReturnModelSpec spec, ReturnModelParameters truth, int seed)
    {
        var r = ReturnModelSimulator.Simulate(spec, truth, 3000, seed);
        var fit = ReturnModel.Fit(r, spec);

        Assert.True(fit.Converged, fit.ExitCondition);
        Assert.Empty(fit.Warnings);
        foreach (var (name, se) in fit.StandardErrors)
        {
            int slot = Array.IndexOf(ReturnModelLikelihood.Names, name);
            double estimate = fit.NamedParameters[name], z = (estimate - truth.Slot(slot)) / se;
            Assert.True(Math.Abs(z) < 3, $"{name}: estimate {estimate}, truth {truth.Slot(slot)}, se {se}");
            Assert.True(fit.RobustStandardErrors[name] > 0, name);
        }
        // The optimum is at least as likely as the truth, and the gradient vanishes there (in units of the SE).
        Assert.True(fit.LogLikelihood >= ReferenceLikelihood.LogLikelihood(r, spec, truth));
        Assert.Equal(ReferenceLikelihood.LogLikelihood(r, spec, fit.Parameters), fit.LogLikelihood, 8);
        var g = new double[ReturnModelLikelihood.Count];
        ReturnModelLikelihood.Evaluate(r, spec, fit.Parameters, g);
        foreach (var (name, se) in fit.StandardErrors)
        {
            double gi = g[Array.IndexOf(ReturnModelLikelihood.Names, name)];
            Assert.True(Math.Abs(gi * se) < 1e-2, $"gradient {name} = {gi} (se {se})");
        }
    }

    [Fact]
    public void RecoversSimulatedGarchT()
    {
        // Decimal daily returns with crypto-like dynamics: σ ≈ 3.2%/day unconditional, fat tails (ν = 5).
        AssertRecovers(GarchT, new ReturnModelParameters(0.0005, 2e-5, 0.08, 0, 0.90, 5, 0), seed: 20261124);
    }

    [Fact]
    public void RecoversSimulatedGjrT()
    {
        AssertRecovers(GjrT, new ReturnModelParameters(0.0005, 2e-5, 0.08, 0.06, 0.88, 5, 0), seed: 7);
    }

    [Fact]
    public void EveryModelConvergesOnSimulatedData()
    {
        var r = ReturnModelSimulator.Simulate(GjrT, new ReturnModelParameters(0.0005, 2e-5, 0.08, 0.06, 0.88, 5, 0), 1000, seed: 3);
        foreach (var spec in ReturnModelLikelihoodTests.AllSpecs())
        {
            var fit = ReturnModel.Fit(r, spec);
            Assert.True(fit.Converged, $"{spec}: {fit.ExitCondition}");
            Assert.True(double.IsFinite(fit.LogLikelihood));
            // Here GJR-Normal puts γ on its boundary 0 (ℓ falls as γ grows from 0): its SE must be NaN and flagged.
            foreach (var (name, se) in fit.StandardErrors)
                Assert.True(se > 0 || fit.Warnings.Any(w => w.StartsWith(name + " = ") && w.Contains("boundary")),
                    $"{spec} {name}: se {se}, {fit.NamedParameters[name]}; {string.Join("; ", fit.Warnings)}");
        }
    }

    [Fact]
    public void ParametersAreInTheInputUnits()
    {
        // GARCH is scale-equivariant: ×100 returns give μ×100, ω×10⁴, the same α, β, ν and ℓ − n ln 100.
        var r = SampleData.BtcLogReturns(3000);
        var pct = r.Select(x => 100 * x).ToArray();
        foreach (var spec in new[] { new ReturnModelSpec(), GarchT })
        {
            var a = ReturnModel.Fit(r, spec);
            var b = ReturnModel.Fit(pct, spec);
            Assert.True(a.Converged && b.Converged, a.ExitCondition + " / " + b.ExitCondition);
            Assert.Equal(a.Parameters.Mu * 100, b.Parameters.Mu, 1e-4 * Math.Abs(b.Parameters.Mu) + 1e-8);
            Assert.Equal(a.Parameters.Omega * 1e4, b.Parameters.Omega, 1e-3 * b.Parameters.Omega);
            Assert.Equal(a.Parameters.Alpha, b.Parameters.Alpha, 1e-4);
            Assert.Equal(a.Parameters.Beta, b.Parameters.Beta, 1e-4);
            Assert.Equal(a.LogLikelihood - r.Length * Math.Log(100), b.LogLikelihood, 1e-5);
            Assert.Equal(a.NextVariance * 1e4, b.NextVariance, 1e-3 * b.NextVariance);
            Assert.DoesNotContain(a.Warnings, w => w.Contains("badly scaled"));
            Assert.DoesNotContain(b.Warnings, w => w.Contains("badly scaled"));
        }
        var normal = ReturnModel.Fit(r, new ReturnModelSpec());
        var normalPct = ReturnModel.Fit(pct, new ReturnModelSpec());
        Assert.InRange(normal.UnconditionalVolatility, 0.02, 0.06); // decimal daily BTC volatility, not rescaled
        Assert.Equal(normal.UnconditionalVolatility * 100, normalPct.UnconditionalVolatility, 1e-3 * normalPct.UnconditionalVolatility);
        Assert.Equal(normal.StandardErrors["omega"] * 1e4, normalPct.StandardErrors["omega"], 1e-2 * normalPct.StandardErrors["omega"]);
    }

    [Fact]
    public void IntegratedFitIsFlaggedAndForecastsStayFinite()
    {
        // BTC 2017-09 … 2025-11 under GARCH(1,1)-t: the likelihood rises towards α + β = 1 (the same happens
        // in base-R nlminb, which stops at 0.99999; fGarch leaves the stationary region).
        var fit = ReturnModel.Fit(SampleData.BtcLogReturns(3000), GarchT);
        Assert.True(fit.Converged, fit.ExitCondition);
        Assert.True(1 - fit.Persistence < 1e-5);
        Assert.Contains(fit.Warnings, w => w.Contains("integrated"));
        Assert.True(double.IsNaN(fit.UnconditionalVariance) && double.IsNaN(fit.AnnualizedVolatility));
        Assert.True(double.IsNaN(fit.StandardErrors["alpha"]) && double.IsNaN(fit.StandardErrors["beta"]));
        Assert.True(fit.StandardErrors["nu"] > 0 && fit.StandardErrors["omega"] > 0);
        var forecast = fit.Forecast(10);
        for (int k = 1; k < 10; k++)
            Assert.Equal(forecast[k - 1].Variance + fit.Parameters.Omega, forecast[k].Variance, 1e-6 * forecast[k].Variance);
    }

    [Fact]
    public void BadlyScaledDataIsFittedAndWarnedAbout()
    {
        var r = SampleData.BtcLogReturns(1000).Select(x => x * 1e-3).ToArray(); // sd ≈ 3e-5
        var fit = ReturnModel.Fit(r, new ReturnModelSpec(VolatilityModel.Garch));
        Assert.Contains(fit.Warnings, w => w.Contains("badly scaled"));
        Assert.True(fit.Converged, fit.ExitCondition);
        Assert.InRange(fit.UnconditionalVolatility, 1e-5, 1e-4); // not rescaled
    }

    [Fact]
    public void EwmaWithFixedLambdaEqualsHandRecursion()
    {
        // r = 0.01, −0.02, 0.015, 0, −0.01; zero mean, λ = 0.9, h₁ = mean(r²) = 8.25e-4/5 = 1.65e-4.
        // h₂ = 0.9·1.65e-4 + 0.1·1e-4 = 1.585e-4; h₃ = 0.9·1.585e-4 + 0.1·4e-4 = 1.8265e-4;
        // h₄ = 0.9·1.8265e-4 + 0.1·2.25e-4 = 1.86885e-4; h₅ = 0.9·1.86885e-4 + 0.1·0 = 1.681965e-4;
        // h₆ = 0.9·1.681965e-4 + 0.1·1e-4 = 1.6137685e-4.
        double[] r = [0.01, -0.02, 0.015, 0.0, -0.01];
        double[] h = [1.65e-4, 1.585e-4, 1.8265e-4, 1.86885e-4, 1.681965e-4, 1.6137685e-4];
        var spec = new ReturnModelSpec(VolatilityModel.Ewma, InnovationDistribution.Normal, MeanModel.Zero) { FixedLambda = 0.9 };
        var p = new ReturnModelParameters(0, 0, 0, 0, 0, double.PositiveInfinity, 0.9);

        var variances = ReturnModel.ConditionalVariances(r, spec, p);
        for (int t = 0; t < h.Length; t++) Assert.Equal(h[t], variances[t], 1e-18);
        double ll = 0;
        for (int t = 0; t < r.Length; t++) ll += -0.5 * (Math.Log(2 * Math.PI) + Math.Log(h[t]) + r[t] * r[t] / h[t]);
        Assert.Equal(ll, ReturnModel.LogLikelihood(r, spec, p), 11);
    }

    [Fact]
    public void EwmaFitReportsOnlyItsParametersAndAFlatForecast()
    {
        var r = SampleData.BtcLogReturns(500);
        var riskMetrics = ReturnModel.Fit(r, new ReturnModelSpec(VolatilityModel.Ewma, InnovationDistribution.Normal, MeanModel.Zero) { FixedLambda = 0.94 });
        Assert.Equal(["lambda"], riskMetrics.NamedParameters.Keys);
        Assert.Empty(riskMetrics.StandardErrors);
        Assert.Equal(0, riskMetrics.NumberOfParameters);
        Assert.True(riskMetrics.Converged, riskMetrics.ExitCondition);
        Assert.True(double.IsNaN(riskMetrics.AnnualizedVolatility));
        double h = r.Select(x => x * x).Average();
        for (int t = 0; t < r.Length; t++) h = 0.94 * h + 0.06 * r[t] * r[t];
        Assert.Equal(h, riskMetrics.NextVariance, 1e-15);
        var forecast = riskMetrics.Forecast(10);
        Assert.All(forecast, s => Assert.Equal(Math.Sqrt(h), s.Volatility, 1e-12));
        Assert.Equal(Math.Sqrt(10 * h), forecast[9].CumulativeVolatility, 1e-12);

        var fitted = ReturnModel.Fit(r, new ReturnModelSpec(VolatilityModel.Ewma, InnovationDistribution.StudentT));
        Assert.True(fitted.Converged, fitted.ExitCondition);
        Assert.Equal(["mu", "nu", "lambda"], fitted.NamedParameters.Keys);
        Assert.InRange(fitted.Parameters.Lambda, 0.5, 1);
    }

    [Fact]
    public void ForecastIteratesTheConditionalExpectation()
    {
        var r = ReturnModelSimulator.Simulate(GjrT, new ReturnModelParameters(0.0005, 2e-5, 0.08, 0.06, 0.88, 5, 0), 1500, seed: 5);
        var fit = ReturnModel.Fit(r, GjrT);
        var p = fit.Parameters;
        // E[h_{n+k+1} | F_n] = ω + (α + γ·P(z<0) + β)·E[h_{n+k}], P(z<0) = ½ for a symmetric z.
        double v = fit.NextVariance, sum = 0;
        var forecast = fit.Forecast(30);
        for (int k = 1; k <= 30; k++)
        {
            sum += v;
            Assert.Equal(k, forecast[k - 1].Horizon);
            Assert.Equal(v, forecast[k - 1].Variance, 1e-14);
            Assert.Equal(Math.Sqrt(v), forecast[k - 1].Volatility, 1e-14);
            Assert.Equal(Math.Sqrt(sum), forecast[k - 1].CumulativeVolatility, 1e-13);
            // Closed form: σ² + p^{k−1}(h_{n+1} − σ²).
            double p1 = p.Alpha + 0.5 * p.Gamma + p.Beta, s2 = p.Omega / (1 - p1);
            Assert.Equal(s2 + Math.Pow(p1, k - 1) * (fit.NextVariance - s2), forecast[k - 1].Variance, 1e-12 * s2);
            v = p.Omega + (p.Alpha + 0.5 * p.Gamma + p.Beta) * v;
        }
        // h_{n+1} continues the fitted recursion from the last observation.
        var e = r[^1] - p.Mu;
        Assert.Equal(p.Omega + (p.Alpha + (e < 0 ? p.Gamma : 0)) * e * e + p.Beta * fit.LastVariance, fit.NextVariance, 1e-15);
    }

    [Fact]
    public void TooFewObservationsThrow()
    {
        var r = ReturnModelSimulator.Simulate(GarchT, new ReturnModelParameters(0, 2e-5, 0.08, 0, 0.9, 5, 0), 59, seed: 1);
        var ex = Assert.Throws<DataValidationException>(() => ReturnModel.Fit(r.AsSpan(0, 49), new ReturnModelSpec()));
        Assert.Contains("at least 50", ex.Reason);
        // GJR-t with constant mean has 6 parameters: 10 per parameter = 60.
        ex = Assert.Throws<DataValidationException>(() => ReturnModel.Fit(r, GjrT));
        Assert.Contains("at least 60", ex.Reason);
        Assert.Equal(60, ReturnModel.MinimumObservations(GjrT));
    }

    [Fact]
    public void ConstantOrNonFiniteReturnsThrow()
    {
        var constant = Enumerable.Repeat(0.0, 200).ToArray();
        var ex = Assert.Throws<DataValidationException>(() => ReturnModel.Fit(constant, new ReturnModelSpec()));
        Assert.Contains("identical", ex.Reason);
        Assert.Throws<DataValidationException>(() => ReturnModel.Fit(Enumerable.Repeat(0.01, 200).ToArray(), new ReturnModelSpec()));

        var withNaN = SampleData.DemGbp();
        withNaN[100] = double.NaN;
        ex = Assert.Throws<DataValidationException>(() => ReturnModel.Fit(withNaN, new ReturnModelSpec()));
        Assert.Contains("return 101", ex.Reason);
    }

    private static void AssertHonest(ReturnModelFit fit, ReturnModelFitOptions options)
    {
        Assert.True(double.IsFinite(fit.LogLikelihood));
        Assert.False(string.IsNullOrWhiteSpace(fit.ExitCondition));
        if (fit.Converged)
        {
            Assert.True(fit.GradientNorm <= 100 * options.GradientTolerance, fit.ExitCondition);
            // Every SE is either a positive number or NaN for a parameter flagged at a boundary.
            foreach (var (name, se) in fit.StandardErrors)
                Assert.True(se > 0 || fit.Warnings.Any(w => w.StartsWith(name + " = ")), $"{name}: {se}");
        }
        else Assert.True(fit.GradientNorm > 100 * options.GradientTolerance || fit.Warnings.Count > 0, fit.ExitCondition);
    }

    [Fact]
    public void AdversarialSeriesGiveFiniteHonestResults()
    {
        var options = new ReturnModelFitOptions();
        // IID uniform returns: no volatility clustering at all, so α → 0 (a boundary) or β is unidentified.
        var rng = new Random(42);
        var uniform = Enumerable.Range(0, 1000).Select(_ => rng.NextDouble() - 0.5).ToArray();
        foreach (var spec in new[] { new ReturnModelSpec(), GarchT, GjrT })
            AssertHonest(ReturnModel.Fit(uniform, spec, options), options);
        // GARCH-Normal on i.i.d. data: α → 0 and then β, ω only matter through h₁, so the information is singular.
        var iid = ReturnModel.Fit(uniform, new ReturnModelSpec(), options);
        Assert.False(iid.Converged);
        Assert.Contains("not positive definite", iid.ExitCondition);

        // One huge spike (a bad tick 10⁴ standard deviations out) in otherwise calm data.
        var spiky = ReturnModelSimulator.Simulate(new ReturnModelSpec(), new ReturnModelParameters(0, 1e-4, 0.05, 0, 0.9, double.PositiveInfinity, 0), 800, seed: 9);
        spiky[400] = 500;
        foreach (var spec in new[] { new ReturnModelSpec(), GarchT, GjrT, new ReturnModelSpec(VolatilityModel.Ewma) })
            AssertHonest(ReturnModel.Fit(spiky, spec, options), options);

        // An iteration budget too small to converge must say so.
        var tight = new ReturnModelFitOptions { MaxIterations = 2, OptimizedStarts = 1 };
        var stopped = ReturnModel.Fit(SampleData.DemGbp(), GarchT, tight);
        Assert.False(stopped.Converged);
        Assert.Contains("iteration limit", stopped.ExitCondition);
    }

    [Fact]
    public void SandwichMatchesInformationSesUnderTheRightModelOnly()
    {
        // Information-matrix equality: with the true (Normal) likelihood both SEs estimate the same thing; fitting a
        // Normal likelihood to t(4) innovations (QMLE) makes the sandwich larger for α (Bollerslev–Wooldridge 1992).
        var truth = new ReturnModelParameters(0, 2e-5, 0.08, 0, 0.90, 4, 0);
        var normalSpec = new ReturnModelSpec(VolatilityModel.Garch, InnovationDistribution.Normal, MeanModel.Zero);
        var normal = ReturnModel.Fit(ReturnModelSimulator.Simulate(normalSpec, truth, 3000, seed: 17), normalSpec);
        Assert.True(normal.Converged, normal.ExitCondition);
        foreach (var (name, se) in normal.StandardErrors)
            Assert.InRange(normal.RobustStandardErrors[name] / se, 0.75, 1.33);

        var fatTailed = ReturnModelSimulator.Simulate(normalSpec with { Distribution = InnovationDistribution.StudentT }, truth, 3000, seed: 17);
        var qmle = ReturnModel.Fit(fatTailed, normalSpec);
        Assert.True(qmle.Converged, qmle.ExitCondition);
        Assert.True(qmle.RobustStandardErrors["alpha"] > 1.3 * qmle.StandardErrors["alpha"],
            $"robust {qmle.RobustStandardErrors["alpha"]} vs {qmle.StandardErrors["alpha"]}");
    }
}
