using CryptoMargin.Pricing;
using CryptoMargin.Surfaces;

namespace CryptoMargin.Tests.Surfaces;

/// <summary>
/// <see cref="SurfaceArbitrage"/> on smiles of any model. The SABR cases are judged against the risk-neutral density
/// taken directly from Black-76 prices (Breeden &amp; Litzenberger 1978: q(K) = ∂²C/∂K², by central differences in K),
/// independently of Gatheral's g(k).
/// </summary>
public class SmileArbitrageTests(ITestOutputHelper output)
{
    [Fact]
    public void GenericPathGivesTheSviResultsUnchanged()
    {
        var vogt = SviParametersTests.Vogt;
        var specific = SurfaceArbitrage.Butterfly(vogt, 1.0, -1.5, 1.5, 3001);
        var generic = SurfaceArbitrage.Butterfly((ITotalVarianceSmile)vogt, 1.0, -1.5, 1.5, 3001);
        Assert.Equal(specific, generic);
        for (double k = -1.5; k <= 1.5; k += 0.01)
            Assert.Equal(vogt.ButterflyDensity(k), SurfaceArbitrage.Density(k, vogt.TotalVariance(k), vogt.Slope(k), vogt.Curvature(k)));

        // The same smile known only through w(k): finite differences find the same violating region.
        var fd = new FiniteDifferenceSmile(vogt.TotalVariance, FiniteDifferenceSmile.StepFor(1e-16, Math.Sqrt(vogt.TotalVariance(0))));
        for (double k = -1.5; k <= 1.5; k += 0.1)
        {
            Assert.Equal(vogt.Slope(k), fd.Slope(k), 1e-9);
            Assert.Equal(vogt.Curvature(k), fd.Curvature(k), 1e-6);
        }
        var viaFd = SurfaceArbitrage.Butterfly(fd, 1.0, -1.5, 1.5, 3001);
        Assert.InRange(viaFd.Count, specific.Count - 2, specific.Count + 2);
        var region = Assert.Single(new ArbitrageReport(-1.5, 1.5, 3001, viaFd, []).ButterflyRegions());
        Assert.Equal(specific.Min(v => v.LogMoneyness), region.KFrom, 2e-3);
        Assert.Equal(specific.Max(v => v.LogMoneyness), region.KTo, 2e-3);
        Assert.True(region.MinDensity < 0);
    }

    /// <summary>∂²C/∂K² of the Black-76 call at the SABR vol, by central differences with dK = 1e-3 K.</summary>
    private static double BlackDensity(SabrParameters p, double forward, double t, double strike)
    {
        double C(double k) => Black76.Price(forward, k, t, Sabr.ImpliedVolatility(p, forward, k, t), OptionType.Call);
        double dK = 1e-3 * strike;
        return (C(strike + dK) - 2 * C(strike) + C(strike - dK)) / (dK * dK);
    }

    [Fact]
    public void LongDatedHighVolOfVolSabrHasNegativeDensityAtLowStrikes()
    {
        // β = 1, ν = 1, T = 3 years: Hagan's expansion is far outside its small-νT regime (ν²T = 3).
        var p = new SabrParameters(0.4, 1, -0.4, 1.0);
        const double f = 100, t = 3;
        var smile = ModelSmiles.Sabr(p, f, t);
        var report = SurfaceArbitrage.Check([new SmileSlice(t, smile)]);
        Assert.NotEmpty(report.Butterfly);
        foreach (var r in report.ButterflyRegions()) output.WriteLine($"g < 0 on k in [{r.KFrom:F3}, {r.KTo:F3}] ({r.Points} points), min g {r.MinDensity:G4}");
        // Only on the low-strike side.
        Assert.All(report.Butterfly, v => Assert.True(v.LogMoneyness < 0));

        // Independent reference: the sign of the density from Black prices agrees with the check at every grid point
        // where that density is clearly away from zero.
        var flagged = report.Butterfly.Select(v => v.LogMoneyness).ToHashSet();
        int negatives = 0, compared = 0;
        for (int i = 0; i < report.GridPoints; i++)
        {
            double k = report.KMin + (report.KMax - report.KMin) * i / (report.GridPoints - 1);
            double q = BlackDensity(p, f, t, f * Math.Exp(k));
            double scale = Math.Abs(BlackDensity(p, f, t, f * Math.Exp(k + 0.02))) + Math.Abs(BlackDensity(p, f, t, f * Math.Exp(k - 0.02)));
            if (Math.Abs(q) < 0.1 * scale) continue; // near a sign change: grid and difference steps decide, not the model
            compared++;
            if (q < 0) negatives++;
            Assert.True(q < 0 == flagged.Contains(k), $"k = {k}: Black density {q}, flagged {flagged.Contains(k)}");
        }
        Assert.True(negatives > 20 && compared > 900, $"{negatives} negative of {compared} compared");
    }

    [Fact]
    public void ShortDatedModerateSabrIsButterflyFree()
    {
        var p = new SabrParameters(0.6, 1, -0.2, 0.5);
        const double f = 100, t = 0.25;
        var report = SurfaceArbitrage.Check([new SmileSlice(t, ModelSmiles.Sabr(p, f, t))]);
        Assert.Empty(report.Butterfly);
        for (int i = 0; i < report.GridPoints; i += 10)
        {
            double k = report.KMin + (report.KMax - report.KMin) * i / (report.GridPoints - 1);
            Assert.True(BlackDensity(p, f, t, f * Math.Exp(k)) > 0, $"k = {k}");
        }
    }

    [Fact]
    public void HestonSmilesAreArbitrageFreeWithinTheStatedTolerance()
    {
        // Heston prices are expectations under one martingale: any violation would be numerical noise.
        var p = new HestonParameters(0.36, 2, 0.4, 1.0, -0.4);
        double[] t = [0.02, 0.1, 0.5, 1.5];
        var slices = t.Select(x => new SmileSlice(x, ModelSmiles.Heston(p, 100, x))).ToArray();
        var report = SurfaceArbitrage.Check(slices, densityTolerance: 1e-3, calendarTolerance: 1e-9, perSliceRange: true);
        Assert.True(report.IsArbitrageFree, $"{report.Butterfly.Count} butterfly, {report.Calendar.Count} calendar");
        // The most negative g on the checked points, for the record (documented in docs/options/surface-arbitrage.md).
        double minG = double.PositiveInfinity;
        foreach (var s in slices)
        {
            double half = 3 * Math.Sqrt(s.Smile.TotalVariance(0));
            for (int i = 0; i <= 1000; i++)
            {
                double k = -half + 2 * half * i / 1000;
                var (w, w1, w2) = s.Smile.Evaluate(k);
                minG = Math.Min(minG, SurfaceArbitrage.Density(k, w, w1, w2));
            }
        }
        output.WriteLine($"Heston min g over the grids: {minG:G4}");
        Assert.True(minG > -1e-3);
    }

    [Fact]
    public void BadSmileInputIsAClearError()
    {
        var ex = Assert.Throws<CryptoMargin.MarketData.DataValidationException>(() =>
            SurfaceArbitrage.Check([new SmileSlice(-1, SviParametersTests.Vogt)]));
        Assert.Contains("expiry", ex.Message);
        Assert.Throws<CryptoMargin.MarketData.DataValidationException>(() =>
            SurfaceArbitrage.Check([new SmileSlice(1, SviParametersTests.Vogt)], densityTolerance: -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new FiniteDifferenceSmile(k => k, 0));
    }
}
