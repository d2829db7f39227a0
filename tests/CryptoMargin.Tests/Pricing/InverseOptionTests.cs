using CryptoMargin.Pricing;
using MathNet.Numerics.Distributions;

namespace CryptoMargin.Tests.Pricing;

public class InverseOptionTests
{
    [Theory]
    [InlineData(60000, 65000, 30 / 365.0, 0.6)]
    [InlineData(3000, 2500, 7 / 365.0, 0.9)]
    [InlineData(95000, 95000, 0.25, 0.5)]
    public void CoinPremiumIsUsdBlackPriceOverForward(double f, double k, double t, double sigma)
    {
        // By hand: Black-76 in USD written out with MathNet's normal CDF, then divided by the forward.
        double s = sigma * Math.Sqrt(t);
        double d1 = Math.Log(f / k) / s + s / 2, d2 = d1 - s;
        double callUsd = f * Normal.CDF(0, 1, d1) - k * Normal.CDF(0, 1, d2);
        double putUsd = k * Normal.CDF(0, 1, -d2) - f * Normal.CDF(0, 1, -d1);
        Assert.Equal(callUsd / f, InverseOption.PriceCoin(f, k, t, sigma, OptionType.Call), 1e-13 * callUsd / f);
        Assert.Equal(putUsd / f, InverseOption.PriceCoin(f, k, t, sigma, OptionType.Put), 1e-13 * putUsd / f);
        var g = InverseOption.Greeks(f, k, t, sigma, OptionType.Call);
        Assert.Equal(callUsd, g.Usd.Price, 1e-13 * callUsd);
        Assert.Equal(callUsd / f, g.PremiumCoin, 1e-13 * callUsd / f);
    }

    [Fact]
    public void DeribitSettlementExample()
    {
        // Deribit, "Inverse Options" (support article): a 100,000 USD call at expiry with the delivery price at
        // 125,000 USD settles 25,000 USD per BTC, i.e. 25,000 / 125,000 = 0.2 BTC; its premium of 0.05 BTC was
        // 0.05 · index in USD.
        Assert.Equal(0.2, InverseOption.PriceCoin(125000, 100000, 0, 0.6, OptionType.Call), 1e-15);
        Assert.Equal(0, InverseOption.PriceCoin(125000, 100000, 0, 0.6, OptionType.Put));
        Assert.Equal(6250, InverseOption.ToUsd(0.05, 125000), 1e-9);
        Assert.Equal(0.05, InverseOption.ToCoin(6250, 125000), 1e-17);
    }

    [Fact]
    public void ZeroStrikeCallHasNoCoinDelta()
    {
        // Deribit's API docs (delta_total): a call struck at 0 has Black–Scholes delta 1 and is worth 1 BTC, so its
        // net transaction delta is 0 (its coin value never changes). A strike of 1e-9·F stands in for 0.
        var g = InverseOption.Greeks(60000, 60000e-9, 0.5, 0.8, OptionType.Call);
        Assert.Equal(1, g.Usd.Delta, 1e-14);
        Assert.Equal(1, g.PremiumCoin, 1e-9);
        Assert.Equal(0, g.DeltaCoin, 1e-9);
    }

    [Theory]
    [InlineData(60000, 65000, 30 / 365.0, 0.6)]
    [InlineData(60000, 50000, 90 / 365.0, 0.7)]
    [InlineData(3000, 3000, 2 / 365.0, 1.1)]
    public void CoinGreeksMatchFiniteDifferencesOfTheCoinPremium(double f, double k, double t, double sigma)
    {
        foreach (var type in new[] { OptionType.Call, OptionType.Put })
        {
            var g = InverseOption.Greeks(f, k, t, sigma, type);
            double hf = 1e-4 * f * sigma * Math.Sqrt(t), hs = 1e-4 * sigma, ht = 1e-4 * t;
            double C(double ff, double tt, double vol) => InverseOption.PriceCoin(ff, k, tt, vol, type);
            // Deribit's premium-adjusted delta is F·∂(P/F)/∂F.
            FiniteDifference.AssertClose(f * (C(f + hf, t, sigma) - C(f - hf, t, sigma)) / (2 * hf), g.DeltaCoin, 1e-7);
            FiniteDifference.AssertClose((InverseOption.Greeks(f + hf, k, t, sigma, type).DeltaCoin - InverseOption.Greeks(f - hf, k, t, sigma, type).DeltaCoin) / (2 * hf), g.GammaCoin, 1e-7 / f);
            FiniteDifference.AssertClose((C(f, t, sigma + hs) - C(f, t, sigma - hs)) / (2 * hs), g.VegaCoin, 1e-8);
            FiniteDifference.AssertClose(-(C(f, t + ht, sigma) - C(f, t - ht, sigma)) / (2 * ht), g.ThetaCoin, 1e-8 * sigma / t);
            Assert.Equal(g.Usd.Delta - g.PremiumCoin, g.DeltaCoin, 1e-15);
        }
    }

    [Fact]
    public void BadInputThrowsNamingTheParameter()
    {
        Assert.Equal("forward", Assert.Throws<ArgumentOutOfRangeException>(() => InverseOption.PriceCoin(double.NaN, 1, 1, 1, OptionType.Call)).ParamName);
        Assert.Equal("sigma", Assert.Throws<ArgumentOutOfRangeException>(() => InverseOption.Greeks(1, 1, 1, -1, OptionType.Call)).ParamName);
        Assert.Equal("indexPrice", Assert.Throws<ArgumentOutOfRangeException>(() => InverseOption.ToUsd(0.1, 0)).ParamName);
        Assert.Equal("amountUsd", Assert.Throws<ArgumentOutOfRangeException>(() => InverseOption.ToCoin(double.NaN, 1)).ParamName);
    }
}
