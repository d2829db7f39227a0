using CryptoMargin.Calibration;
using CryptoMargin.Dynamics;
using CryptoMargin.Margin;
using CryptoMargin.Risk;

namespace CryptoMargin.Tests.Calibration;

public class SpeedLimitTests
{
    [Fact]
    public void ACappedPolicyNeverRisesFasterThanItsCap()
    {
        // GARCH-t returns with volatility bursts: an uncapped HS margin jumps by more than 10% on some days.
        var r = ReturnModelSimulator.Simulate(new ReturnModelSpec(VolatilityModel.Garch, InnovationDistribution.StudentT),
            new ReturnModelParameters(0, 2e-5, 0.15, 0, 0.83, 4, 0), 1500, seed: 4);
        var free = new PolicyCandidate(RiskMethod.Historical, 250, null, AntiProcyclicality.None, 0.99, 2);
        var capped = free with { Apc = AntiProcyclicality.None with { MaxDailyIncrease = 0.10 } };
        var (m0, b0) = MarginCalibration.BacktestCandidate(free, r, 400, 20, 0.95);
        var (m1, b1) = MarginCalibration.BacktestCandidate(capped, r, 400, 20, 0.95);
        Assert.True(b0.Long.Procyclicality.MaxOneDayIncrease > 0.10, "the test needs a series whose free margin jumps");
        for (int t = 401; t < r.Length - 2; t++) Assert.True(m1[t] <= m1[t - 1] * 1.10 * (1 + 1e-12), $"day {t}");
        Assert.True(b1.Long.Procyclicality.MaxOneDayIncrease <= 0.10 + 1e-9);
        // Holding margin back after jumps costs coverage: never fewer exceedances than the free policy.
        Assert.True(b1.Long.Exceedances + b1.Short.Exceedances >= b0.Long.Exceedances + b0.Short.Exceedances);
    }
}
