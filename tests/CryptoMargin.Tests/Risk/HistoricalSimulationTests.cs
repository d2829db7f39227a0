using CryptoMargin.MarketData;
using CryptoMargin.Risk;

namespace CryptoMargin.Tests.Risk;

public class HistoricalSimulationTests
{
    [Fact]
    public void OneDayVarAndEsOnATinySeriesEqualHandComputedValues()
    {
        // 11 returns, c = 0.9: k = ⌈9.9⌉ = 10, so VaR is the 2nd largest loss and ES the mean of the 2 largest.
        double[] r = [0.01, -0.02, 0.03, -0.05, 0.02, -0.01, 0.04, -0.03, 0.00, -0.04, 0.05];
        var l = HistoricalSimulation.Estimate(r, 1, 0.9, PositionSide.Long);
        Assert.Equal(1 - Math.Exp(-0.04), l.ValueAtRisk, 15);
        Assert.Equal(((1 - Math.Exp(-0.04)) + (1 - Math.Exp(-0.05))) / 2, l.ExpectedShortfall, 15);
        var s = HistoricalSimulation.Estimate(r, 1, 0.9, PositionSide.Short);
        Assert.Equal(Math.Exp(0.04) - 1, s.ValueAtRisk, 15);
        Assert.Equal(((Math.Exp(0.04) - 1) + (Math.Exp(0.05) - 1)) / 2, s.ExpectedShortfall, 15);
    }

    [Fact]
    public void TwoDayVarUsesOverlappingSums()
    {
        // Overlapping 2-day sums of (0.01, −0.03, 0.02, −0.04, 0.01): −0.02, −0.01, −0.02, −0.03. c = 0.75 → k = 3 of 4.
        double[] r = [0.01, -0.03, 0.02, -0.04, 0.01];
        var l = HistoricalSimulation.Estimate(r, 2, 0.75, PositionSide.Long);
        Assert.Equal(1 - Math.Exp(-0.02), l.ValueAtRisk, 15);
        Assert.Equal(((1 - Math.Exp(-0.02)) + (1 - Math.Exp(-0.03))) / 2, l.ExpectedShortfall, 15);
        // Short: all four 2-day moves are falls, so the "losses" are gains (negative): VaR = e^{−0.02} − 1.
        var s = HistoricalSimulation.Estimate(r, 2, 0.75, PositionSide.Short);
        Assert.Equal(Math.Exp(-0.02) - 1, s.ValueAtRisk, 15);
        Assert.Equal(((Math.Exp(-0.02) - 1) + (Math.Exp(-0.01) - 1)) / 2, s.ExpectedShortfall, 15);
    }

    [Fact]
    public void MatchesSortingOnRandomData()
    {
        var rng = new Random(3);
        var r = Enumerable.Range(0, 1001).Select(_ => rng.NextDouble() - 0.5).ToArray();
        var losses = r.Select(x => 1 - Math.Exp(x)).OrderBy(x => x).ToArray();
        int k = (int)Math.Ceiling(0.99 * losses.Length); // 991
        var e = HistoricalSimulation.Estimate(r, 1, 0.99, PositionSide.Long);
        Assert.Equal(losses[k - 1], e.ValueAtRisk);
        Assert.Equal(losses[(k - 1)..].Average(), e.ExpectedShortfall, 14);
    }

    [Fact]
    public void TooFewReturnsForTheQuantileIsADataError()
    {
        var r = new double[60];
        var ex = Assert.Throws<DataValidationException>(() => HistoricalSimulation.Estimate(r, 2, 0.99, PositionSide.Long));
        Assert.Contains("100", ex.Message);
    }
}
