using CryptoMargin.Margin.Accounts;
using CryptoMargin.MarketData;

namespace CryptoMargin.Tests.Margin.Accounts;

/// <summary>Amount-tiered haircuts against hand-computed piecewise sums and Binance's published worked example.</summary>
public class HaircutScheduleTests
{
    [Fact]
    public void BinancesPublishedWorkedExample()
    {
        // https://www.binance.com/en/support/faq/binance-cross-margin-collateral-haircuts-4bec9126c021472285b20874f9380dfb, Example 1
        // Scenario 1: "User A holds 6,000 BTC ... BTC price is 20,000 USDT ... Collateral Value (USDT) = (100,000,000) * 100% +
        // (120,000,000 - 100,000,000) * 97.5% = 119,500,000 USDT".
        Assert.Equal(119_500_000, HaircutSchedule.BinanceBtcExample.DiscountedValue(6_000, 20_000), 1e-6);
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(500, 500 * 0.99)]                                        // inside tier 1
    [InlineData(1_000, 1_000 * 0.99)]                                    // on the first bound
    [InlineData(2_500, 1_000 * 0.99 + 1_500 * 0.95)]                     // inside tier 2
    [InlineData(7_000, 1_000 * 0.99 + 4_000 * 0.95 + 2_000 * 0.80)]      // inside the open last tier
    public void PiecewiseSumsOfAnOpenSchedule(double usd, double expected)
    {
        var s = new HaircutSchedule([new(1_000, 0.01), new(5_000, 0.05), new(null, 0.20)]);
        Assert.Equal(expected, s.DiscountedValue(usd / 100, 100), 1e-9);
    }

    [Fact]
    public void NothingCountsBeyondABoundedLastTierAndCoinTiersScaleWithThePrice()
    {
        var usd = new HaircutSchedule([new(1_000, 0), new(2_000, 0.5)]);
        Assert.Equal(1_000 + 500, usd.DiscountedValue(30, 100), 1e-12);           // 3,000 USD: the last 1,000 count nothing
        var coin = new HaircutSchedule([new(10, 0.1), new(null, 0.3)], HaircutTierUnit.Coin);
        Assert.Equal((10 * 0.9 + 5 * 0.7) * 2_000, coin.DiscountedValue(15, 2_000), 1e-9);
        Assert.Equal((10 * 0.9 + 5 * 0.7) * 3_000, coin.DiscountedValue(15, 3_000), 1e-9); // same tiers at another price
    }

    [Fact]
    public void DiscountedValueIsContinuousAtEveryBound()
    {
        var s = HaircutSchedule.BinanceBtcExample;
        for (int k = 0; k < s.Count; k++)
        {
            double b = s.UpTo(k);
            double below = s.DiscountedValue(b * (1 - 1e-12), 1), above = s.DiscountedValue(b * (1 + 1e-12), 1);
            Assert.True(Math.Abs(above - below) <= 1e-3 * Math.Max(1, b * 1e-9), $"jump at {b}: {below} → {above}");
        }
    }

    [Theory]
    [InlineData(-0.1, "haircuts[0].haircut")]
    [InlineData(1.1, "haircuts[0].haircut")]
    public void HaircutOutsideZeroOneIsRefused(double h, string field)
    {
        var e = Assert.Throws<DataValidationException>(() => new HaircutSchedule([new(10, h)]));
        Assert.Equal(field, e.Field);
    }

    [Fact]
    public void TiersMustIncreaseAndTheDiscountMustNotShrink()
    {
        Assert.Equal("haircuts[1].upTo", Assert.Throws<DataValidationException>(() => new HaircutSchedule([new(10, 0), new(10, 0.1)])).Field);
        Assert.Equal("haircuts[1].haircut", Assert.Throws<DataValidationException>(() => new HaircutSchedule([new(10, 0.2), new(20, 0.1)])).Field);
        Assert.Equal("haircuts[0].upTo", Assert.Throws<DataValidationException>(() => new HaircutSchedule([new(null, 0), new(20, 0.1)])).Field);
        Assert.Throws<DataValidationException>(() => new HaircutSchedule([]));
    }
}
