using CryptoMargin.Backtesting;

namespace CryptoMargin.Tests.Backtesting;

public class BacktestVerdictTests
{
    private static BacktestResult Result(double kupiecP = 0.5, double indP = 0.5, double ccP = 0.5, double esP = 0.5,
        TrafficLightZone zone = TrafficLightZone.Green, double peakToTrough = 2) =>
        new(1000, 10, 10, new(0, kupiecP), new(0, indP), new(0, ccP), zone, new(0, esP),
            new ProcyclicalityMeasures(peakToTrough, 0.1, 0.3, 0.05));

    [Fact]
    public void CleanResultPasses()
    {
        var v = BacktestVerdict.Passes(Result(), new BacktestCriteria());
        Assert.True(v.Passed);
        Assert.Empty(v.FailedCriteria);
    }

    [Fact]
    public void EveryFailureIsListed()
    {
        var v = BacktestVerdict.Passes(Result(kupiecP: 0.01, esP: 0.049, zone: TrafficLightZone.Yellow, peakToTrough: 4),
            new BacktestCriteria { MaxPeakToTrough = 3 });
        Assert.False(v.Passed);
        Assert.Equal(
            ["Kupiec POF p = 0.01 < 0.05", "ES backtest p = 0.049 < 0.05", "traffic light yellow (10 exceedances in 1000, 10 expected)", "peak-to-trough 4 > 3"],
            v.FailedCriteria);
    }

    [Fact]
    public void YellowPassesWhenGreenIsNotRequiredButRedNever()
    {
        var lenient = new BacktestCriteria { RequireGreen = false };
        Assert.True(BacktestVerdict.Passes(Result(zone: TrafficLightZone.Yellow), lenient).Passed);
        Assert.False(BacktestVerdict.Passes(Result(zone: TrafficLightZone.Red), lenient).Passed);
    }

    [Fact]
    public void PValueAtThresholdPassesAndBoundsAreInclusive()
    {
        var c = new BacktestCriteria { MaxPeakToTrough = 2, MaxOneDayIncrease = 0.1, Max30DayIncrease = 0.29 };
        var v = BacktestVerdict.Passes(Result(ccP: 0.05), c);
        Assert.Equal(["largest 30-day increase 0.3 > 0.29"], v.FailedCriteria);
    }
}
