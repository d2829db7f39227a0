using CryptoMargin.Dynamics;

namespace CryptoMargin.Tests.Dynamics;

public class ReturnModelLikelihoodTests
{
    private const int Count = ReturnModelLikelihood.Count;

    /// <summary>Every volatility × distribution × mean × start × targeting combination (EWMA: targeting n/a).</summary>
    public static IEnumerable<ReturnModelSpec> AllSpecs()
    {
        foreach (var vol in Enum.GetValues<VolatilityModel>())
            foreach (var dist in Enum.GetValues<InnovationDistribution>())
                foreach (var mean in Enum.GetValues<MeanModel>())
                    foreach (var start in Enum.GetValues<VarianceStart>())
                        foreach (bool targeting in vol == VolatilityModel.Ewma ? new[] { false } : new[] { false, true })
                            yield return new ReturnModelSpec(vol, dist, mean) { Start = start, VarianceTargeting = targeting };
    }

    // Decimal, crypto-like parameters; γ and λ only used by the models that have them.
    private static readonly ReturnModelParameters Point = new(0.0007, 2.5e-5, 0.07, 0.05, 0.86, 6.5, 0.93);

    private static double[] Series() => ReturnModelSimulator.Simulate(
        new ReturnModelSpec(VolatilityModel.Gjr, InnovationDistribution.StudentT), new ReturnModelParameters(0.0005, 2e-5, 0.08, 0.06, 0.88, 5, 0), 400, seed: 11);

    /// <summary>The parameters the reference needs: under targeting ω is implied by the other parameters.</summary>
    private static ReturnModelParameters ForReference(double[] r, ReturnModelSpec spec, ReturnModelParameters p) =>
        spec.VarianceTargeting ? p with { Omega = ReturnModelLikelihood.TargetedOmega(r, spec, p) } : p;

    [Fact]
    public void KernelEqualsReferenceForEverySpec()
    {
        var r = Series();
        foreach (var spec in AllSpecs())
        {
            var p = Point;
            var g = new double[Count];
            double fast = ReturnModelLikelihood.Evaluate(r, spec, p, g);
            double valueOnly = ReturnModelLikelihood.Evaluate(r, spec, p, default);
            double reference = ReferenceLikelihood.LogLikelihood(r, spec, ForReference(r, spec, p));
            Assert.True(Math.Abs(fast - reference) <= 1e-10 * Math.Abs(reference), $"{spec}: {fast} vs {reference}");
            Assert.Equal(fast, valueOnly);
        }
    }

    [Fact]
    public void AnalyticGradientEqualsCentralDifferencesForEverySpec()
    {
        var r = Series();
        foreach (var spec in AllSpecs())
        {
            var p = Point;
            var g = new double[Count];
            ReturnModelLikelihood.Evaluate(r, spec, p, g);
            for (int slot = 0; slot < Count; slot++)
            {
                bool used = slot switch
                {
                    ReturnModelLikelihood.Mu => spec.Mean == MeanModel.Constant,
                    ReturnModelLikelihood.Omega => spec.Volatility != VolatilityModel.Ewma && !spec.VarianceTargeting,
                    ReturnModelLikelihood.Alpha or ReturnModelLikelihood.Beta => spec.Volatility != VolatilityModel.Ewma,
                    ReturnModelLikelihood.Gamma => spec.Volatility == VolatilityModel.Gjr,
                    ReturnModelLikelihood.Nu => spec.Distribution == InnovationDistribution.StudentT,
                    _ => spec.Volatility == VolatilityModel.Ewma,
                };
                if (!used) { Assert.Equal(0.0, g[slot]); continue; }
                double x = p.Slot(slot), step = 1e-6 * Math.Max(Math.Abs(x), slot == ReturnModelLikelihood.Mu ? 1e-2 : 1e-6);
                // The reference likelihood with ω recomputed at each shifted point checks the targeting chain rule too.
                double up = ReferenceLikelihood.LogLikelihood(r, spec, ForReference(r, spec, p.With(slot, x + step)));
                double down = ReferenceLikelihood.LogLikelihood(r, spec, ForReference(r, spec, p.With(slot, x - step)));
                double numeric = (up - down) / (2 * step);
                double scale = Math.Max(Math.Abs(numeric), 1e-3 / Math.Max(Math.Abs(x), 1e-3));
                Assert.True(Math.Abs(g[slot] - numeric) <= 2e-5 * scale,
                    $"{spec} {ReturnModelLikelihood.Names[slot]}: analytic {g[slot]} numeric {numeric}");
            }
        }
    }

    [Fact]
    public void ScoresSumToTheGradient()
    {
        var r = Series();
        foreach (var spec in AllSpecs())
        {
            var g = new double[Count];
            var scores = new double[r.Length * Count];
            ReturnModelLikelihood.Evaluate(r, spec, Point, g, scores);
            for (int slot = 0; slot < Count; slot++)
            {
                double sum = 0;
                for (int t = 0; t < r.Length; t++) sum += scores[t * Count + slot];
                Assert.True(Math.Abs(sum - g[slot]) <= 1e-9 * (1 + Math.Abs(g[slot])), $"{spec} slot {slot}");
            }
        }
    }

    [Fact]
    public void ThetaGradientIsTheChainRuleOfTheNaturalGradient()
    {
        // Differentiate ℓ(ToNatural(θ)) numerically in θ and compare with ChainGradient.
        var r = Series();
        foreach (var spec in AllSpecs())
        {
            var transform = new ReturnModelTransform(spec, 0.03);
            var theta = new double[transform.Dimension];
            transform.FromNatural(Point, theta);
            var back = transform.ToNatural(theta);
            var natural = new double[Count];
            ReturnModelLikelihood.Evaluate(r, spec, back, natural);
            var analytic = new double[transform.Dimension];
            transform.ChainGradient(back, natural, analytic);
            for (int i = 0; i < theta.Length; i++)
            {
                var up = (double[])theta.Clone(); up[i] += 1e-6;
                var down = (double[])theta.Clone(); down[i] -= 1e-6;
                double numeric = (ReturnModelLikelihood.Evaluate(r, spec, transform.ToNatural(up), default)
                                  - ReturnModelLikelihood.Evaluate(r, spec, transform.ToNatural(down), default)) / 2e-6;
                Assert.True(Math.Abs(analytic[i] - numeric) <= 1e-4 * Math.Max(1, Math.Abs(numeric)), $"{spec} θ{i}: {analytic[i]} vs {numeric}");
            }
        }
    }

    [Fact]
    public void TransformRoundTripsAndKeepsPersistenceBelowOne()
    {
        var spec = new ReturnModelSpec(VolatilityModel.Gjr, InnovationDistribution.StudentT);
        var transform = new ReturnModelTransform(spec, 0.04);
        var theta = new double[transform.Dimension];
        transform.FromNatural(Point, theta);
        var back = transform.ToNatural(theta);
        Assert.Equal(Point.Mu, back.Mu, 15);
        Assert.Equal(Point.Omega, back.Omega, 15);
        Assert.Equal(Point.Alpha, back.Alpha, 14);
        Assert.Equal(Point.Gamma, back.Gamma, 14);
        Assert.Equal(Point.Beta, back.Beta, 14);
        Assert.Equal(Point.Nu, back.Nu, 12);
        // Extreme logits still give an admissible model.
        double[] extreme = [0, 3, 25, 25, 25, 5]; // slack e^{-25}/3 ≈ 5e-12: still representable
        var p = transform.ToNatural(extreme);
        Assert.True(p.Persistence(VolatilityModel.Gjr) < 1 && p.Alpha >= 0 && p.Gamma >= 0 && p.Beta >= 0);
    }

    [Fact]
    public void StudentTTendsToNormalForHugeNu()
    {
        // ν = 10¹⁴ must not lose the likelihood to cancellation in lnΓ((ν+1)/2) − lnΓ(ν/2).
        var r = Series();
        var normal = new ReturnModelSpec(VolatilityModel.Garch, InnovationDistribution.Normal);
        var t = normal with { Distribution = InnovationDistribution.StudentT };
        double llNormal = ReturnModelLikelihood.Evaluate(r, normal, Point, default);
        Assert.Equal(llNormal, ReturnModelLikelihood.Evaluate(r, t, Point with { Nu = 1e14 }, default), 6);
        Assert.Equal(llNormal, ReturnModelLikelihood.Evaluate(r, t, Point with { Nu = 1e6 }, default), 1);
        // The large-x series joins MathNet's lnΓ/ψ smoothly at the switch (x = 200).
        var below = ReturnModelLikelihood.LogGammaHalfRatio(200 - 1e-9, true);
        var above = ReturnModelLikelihood.LogGammaHalfRatio(200 + 1e-9, true);
        Assert.Equal(below.Value, above.Value, 10); // MathNet lnΓ(200) ≈ 857 carries ~1e-12 absolute error
        Assert.Equal(below.Derivative, above.Derivative, 12);
    }
}
