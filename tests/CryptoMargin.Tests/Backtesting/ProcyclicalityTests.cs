using CryptoMargin.Backtesting;
using CryptoMargin.MarketData;

namespace CryptoMargin.Tests.Backtesting;

public class ProcyclicalityTests
{
    // 32 days: m0 = 2, m1..m29 = 1, m30 = 1.5, m31 = 1.2.
    private static double[] Series()
    {
        var m = Enumerable.Repeat(1.0, 32).ToArray();
        m[0] = 2; m[30] = 1.5; m[31] = 1.2;
        return m;
    }

    [Fact]
    public void WholeSeriesEqualsHandComputedValues()
    {
        // Peak/trough 2/1 = 2. 1-day rises: m30/m29 − 1 = 0.5 is the largest. 30-day rises: m30/m0 − 1 = −0.25,
        // m31/m1 − 1 = 0.2, so 0.2 (a lag-29 slip would give m30/m1 − 1 = 0.5). Mean (2 + 29 + 1.5 + 1.2)/32 = 1.053125.
        var p = Procyclicality.Measure(Series());
        Assert.Equal(2, p.PeakToTrough, 14);
        Assert.Equal(0.5, p.MaxOneDayIncrease, 14);
        Assert.Equal(0.2, p.Max30DayIncrease, 14);
        Assert.Equal(1.053125, p.AverageMargin, 14);
    }

    [Fact]
    public void WindowCountsRisesEndingInsideIt()
    {
        // Days [30, 32): peak/trough 1.5/1.2 = 1.25, 1-day max(1.5/1 − 1, 1.2/1.5 − 1) = 0.5,
        // 30-day max(1.5/2 − 1, 1.2/1 − 1) = 0.2 (reaching back before the window), mean 1.35.
        var p = Procyclicality.InWindow(Series(), 30, 32);
        Assert.Equal(1.25, p.PeakToTrough, 14);
        Assert.Equal(0.5, p.MaxOneDayIncrease, 14);
        Assert.Equal(0.2, p.Max30DayIncrease, 14);
        Assert.Equal(1.35, p.AverageMargin, 14);
    }

    [Fact]
    public void FallingOrShortSeriesReportsNoIncrease()
    {
        // 0.3 → 0.2 → 0.1: rises are −1/3 and −1/2, floored at 0; peak/trough 3; no 30-day pair.
        var p = Procyclicality.Measure([0.3, 0.2, 0.1]);
        Assert.Equal(3, p.PeakToTrough, 14);
        Assert.Equal(0, p.MaxOneDayIncrease);
        Assert.Equal(0, p.Max30DayIncrease);
        Assert.Equal(0.2, p.AverageMargin, 14);
    }

    [Fact]
    public void NonPositiveRateThrows()
    {
        Assert.Throws<DataValidationException>(() => Procyclicality.Measure([0.1, 0, 0.2]));
        Assert.Throws<ArgumentOutOfRangeException>(() => Procyclicality.InWindow([0.1, 0.2], 1, 1));
    }
}
