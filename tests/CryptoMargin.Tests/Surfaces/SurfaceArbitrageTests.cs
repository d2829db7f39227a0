using CryptoMargin.MarketData;
using CryptoMargin.Surfaces;

namespace CryptoMargin.Tests.Surfaces;

public class SurfaceArbitrageTests
{
    [Fact]
    public void VogtSmileButterflyViolationsAreReported()
    {
        var vogt = SviParametersTests.Vogt;
        // Gatheral & Jacquier (2014) Figure 2 plots g over k ∈ [−1.5, 1.5]; the default ±3√w(0) = ±0.40 grid is narrower.
        var found = SurfaceArbitrage.Butterfly(vogt, 1.0, -1.5, 1.5, 3001);
        Assert.NotEmpty(found);
        // Every reported point is negative, and every grid point with g < 0 is reported.
        Assert.All(found, v => Assert.True(v.Density < 0 && v.Expiry == 1.0));
        int negatives = Enumerable.Range(0, 3001).Count(i => vogt.ButterflyDensity(-1.5 + 3.0 * i / 3000) < 0);
        Assert.Equal(negatives, found.Count);
        Assert.InRange(found.Min(v => v.LogMoneyness), 0.6, 0.7);
        Assert.InRange(found.Max(v => v.LogMoneyness), 1.2, 1.3);

        var report = SurfaceArbitrage.Check([new SurfaceSlice(1.0, vogt)], -1.5, 1.5);
        Assert.False(report.IsArbitrageFree);
    }

    [Fact]
    public void CrossingSlicesReportCalendarViolations()
    {
        // The later slice's smile is flatter: it is below the earlier one in the wings beyond |k| where they cross.
        var earlier = new SviParameters(0.01, 0.2, 0.0, 0.0, 0.1);
        var later = new SviParameters(0.03, 0.05, 0.0, 0.0, 0.1);
        var found = SurfaceArbitrage.Calendar([new SurfaceSlice(0.5, later), new SurfaceSlice(0.25, earlier)], -1, 1, 2001);
        Assert.NotEmpty(found);
        foreach (var v in found)
        {
            Assert.True(v.LaterTotalVariance < v.EarlierTotalVariance);
            Assert.Equal(earlier.TotalVariance(v.LogMoneyness), v.EarlierTotalVariance, 1e-15);
            Assert.Equal(0.25, v.EarlierExpiry);
        }
        // Crossing where 0.01 + 0.2√(k² + 0.01) = 0.03 + 0.05√(k² + 0.01): √(k² + 0.01) = 0.02/0.15.
        double cross = Math.Sqrt(Math.Pow(0.02 / 0.15, 2) - 0.01);
        Assert.Equal(cross, found.Where(v => v.LogMoneyness > 0).Min(v => v.LogMoneyness), 1e-3);
        int expected = 2 * (int)Math.Floor((1 - cross) / 0.001 + 1);
        Assert.InRange(found.Count, expected - 2, expected + 2);
    }

    [Fact]
    public void NestedSlicesAreCalendarFree()
    {
        var s1 = new SviParameters(0.01, 0.1, -0.2, 0.0, 0.1);
        var s2 = s1 with { A = 0.02 };
        var report = SurfaceArbitrage.Check([new SurfaceSlice(0.1, s1), new SurfaceSlice(0.2, s2)]);
        Assert.Empty(report.Calendar);
        Assert.Equal(1001, report.GridPoints);
        Assert.Equal(3 * Math.Sqrt(s2.TotalVariance(0)), report.KMax, 1e-15);
    }

    [Fact]
    public void BadGridIsNamed()
    {
        var s = new SviParameters(0.01, 0.1, -0.2, 0.0, 0.1);
        Assert.Throws<DataValidationException>(() => SurfaceArbitrage.Butterfly(s, 1, 1, -1));
        Assert.Throws<DataValidationException>(() => SurfaceArbitrage.Check([new SurfaceSlice(1, s with { B = -1 })]));
    }
}
