using CryptoMargin.Calibration;
using CryptoMargin.Margin;
using CryptoMargin.Risk;

namespace CryptoMargin.Tests.Calibration;

public class CandidateGridTests
{
    [Fact]
    public void LambdaOnlyForNormalAndTAndTheCapGoesOnEveryOption()
    {
        var config = new CalibrationConfig
        {
            Methods = [RiskMethod.Historical, RiskMethod.Normal],
            LookbackDays = [250, 500],
            Lambdas = [0.94, 0.97],
            ApcOptions = [new AntiProcyclicality { Buffer = 0.25 }, new AntiProcyclicality { Floor = true, MaxDailyIncrease = 0.2 }],
            MaxDailyIncrease = 0.1,
        };
        var grid = CandidateGrid.From(config);
        // hs: 2 lookbacks × 2 APC; normal: 2 lookbacks × 2 λ × 2 APC
        Assert.Equal(4 + 8, grid.Count);
        Assert.All(grid.Where(c => c.Method == RiskMethod.Historical), c => Assert.Null(c.Lambda));
        Assert.All(grid.Where(c => c.Method == RiskMethod.Normal), c => Assert.NotNull(c.Lambda));
        Assert.All(grid.Where(c => c.Apc.Buffer is not null), c => Assert.Equal(0.1, c.Apc.MaxDailyIncrease));
        Assert.All(grid.Where(c => c.Apc.Floor), c => Assert.Equal(0.2, c.Apc.MaxDailyIncrease)); // its own cap kept
        Assert.All(grid, c => { Assert.Equal(0.99, c.Confidence); Assert.Equal(2, c.MporDays); });
    }

    [Fact]
    public void DefaultsAreTheRegulatoryFloors()
    {
        var config = new CalibrationConfig();
        Assert.Equal(0.99, config.Confidence);
        Assert.Equal(2, config.MporDays);
        Assert.Equal(0.30, config.HoldoutFraction);
        // (3 lookbacks × (hs, fhs: 1 + normal, t: 3 λ) + evt on the 500- and 1000-day lookbacks only) × 5 APC options:
        // 250 days of 2-day losses leave 24 exceedances of the 90% threshold, under EVT's 30.
        Assert.Equal((3 * (2 + 2 * 3) + 2) * 5, CandidateGrid.From(config).Count);
    }

    [Theory]
    [InlineData(250, 2, false)] // 249 losses · 0.1 = 24.9 < 30
    [InlineData(301, 2, true)]  // 300 · 0.1 = 30
    [InlineData(300, 2, false)]
    [InlineData(300, 1, true)]
    public void EvtNeedsThirtyExceedancesOfItsThreshold(int lookback, int mpor, bool feasible)
    {
        Assert.Equal(feasible, CandidateGrid.Feasible(CryptoMargin.Risk.RiskMethod.Evt, lookback, mpor));
        Assert.True(CandidateGrid.Feasible(CryptoMargin.Risk.RiskMethod.Historical, lookback, mpor));
    }
}
