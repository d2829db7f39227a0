using CryptoMargin.Backtesting;

namespace CryptoMargin.Tests.Backtesting;

public class TrafficLightTests
{
    [Theory]
    [InlineData(0, TrafficLightZone.Green)]
    [InlineData(4, TrafficLightZone.Green)]   // P(X ≤ 4) = 89.22% (Basel 1996, Table 2)
    [InlineData(5, TrafficLightZone.Yellow)]  // P(X ≤ 5) = 95.88%
    [InlineData(9, TrafficLightZone.Yellow)]  // P(X ≤ 9) = 99.97%
    [InlineData(10, TrafficLightZone.Red)]    // P(X ≤ 10) = 99.99%
    [InlineData(25, TrafficLightZone.Red)]
    public void BaselZonesFor250DaysAt99Percent(int exceedances, TrafficLightZone expected) =>
        Assert.Equal(expected, TrafficLight.Zone(250, exceedances, 0.01));

    [Theory]
    // Largest x with P(X ≤ x) < 95% and < 99.99%, from exact binomial sums Σ C(n,i) 0.01^i 0.99^(n−i).
    [InlineData(250, 4, 9)]
    [InlineData(500, 8, 14)]
    [InlineData(1000, 14, 23)]
    public void ThresholdsMatchExactBinomialSums(int n, int green, int yellow) =>
        Assert.Equal((green, yellow), TrafficLight.Thresholds(n, 0.01));

    [Fact]
    public void ThresholdsAreMonotoneInSampleSize()
    {
        var (previousGreen, previousYellow) = TrafficLight.Thresholds(1, 0.01);
        for (var n = 2; n <= 1500; n++)
        {
            var (green, yellow) = TrafficLight.Thresholds(n, 0.01);
            Assert.True(green >= previousGreen && yellow >= previousYellow, $"n = {n}");
            Assert.True(yellow >= green, $"n = {n}");
            (previousGreen, previousYellow) = (green, yellow);
        }
        Assert.True(previousGreen > 10);
    }

    [Fact]
    public void ZeroExceedancesAreGreenEvenInTinySamples()
    {
        // n = 5, p = 0.01: P(X ≤ 0) = 0.99^5 = 0.950990 ≥ 95% (the rule alone would leave no green count), but zero
        // exceedances are no evidence of under-margining: green. P(X ≤ 1) = 0.950990 + 5·0.01·0.99^4 = 0.999020 < 99.99%
        // → 1 is yellow; P(X ≤ 2) = 0.999020 + 10·0.01²·0.99³ = 0.999990 → 2 is red.
        Assert.Equal((0, 1), TrafficLight.Thresholds(5, 0.01));
        Assert.Equal(TrafficLightZone.Green, TrafficLight.Zone(5, 0, 0.01));
        Assert.Equal(TrafficLightZone.Red, TrafficLight.Zone(5, 2, 0.01));
        Assert.Equal(TrafficLightZone.Green, TrafficLight.Zone(0, 0, 0.01));
    }
}
