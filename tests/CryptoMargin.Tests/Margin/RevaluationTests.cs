using CryptoMargin.Instruments;
using CryptoMargin.Margin.Scenarios;
using CryptoMargin.Pricing;

namespace CryptoMargin.Tests.Margin;

public class RevaluationTests
{
    [Theory]
    [InlineData(-0.16)]
    [InlineData(0.05)]
    [InlineData(0.5)]
    public void InverseFutureIsTheCoinValueChangeOfUsdNotional(double s)
    {
        // A long of q USD in an inverse future holds q/F coin of exposure: P&L in coin = q(1/F0 - 1/F1).
        var perp = Instrument.Parse("BTC-PERPETUAL");
        double f0 = 90_000, q = 10_000, f1 = f0 * (1 + s);
        double pnl = q * Revaluation.UnitPnl(perp, f0, 0, 0, s, 0);
        Assert.Equal(q * (1 / f0 - 1 / f1), pnl, 1e-15);
        // The short formula: q/F0 * (1/(1+s) - 1).
        Assert.Equal(q / f0 * (1 / (1 + s) - 1), -pnl, 1e-15);
    }

    [Fact]
    public void LinearFutureAndSpotAreSizeTimesPriceMove()
    {
        double f0 = 3_000, s = -0.2;
        Assert.Equal(2 * f0 * s, 2 * Revaluation.UnitPnl(Instrument.Parse("ETH_USDC-PERPETUAL"), f0, 0, 0, s, 0), 1e-9);
        Assert.Equal(f0 * s, Revaluation.UnitPnl(Instrument.Parse("ETH_USDC"), f0, 0, 0, s, 0), 1e-9);
    }

    [Fact]
    public void InverseOptionPnlIsTheChangeOfItsCoinValue()
    {
        var call = Instrument.Parse("BTC-27MAR26-90000-C");
        double f0 = 88_000, t = 0.25, v0 = 0.5, s = 0.1, v1 = 0.6;
        double expected = Black76.Price(f0 * 1.1, 90_000, t, v1, OptionType.Call) / (f0 * 1.1)
                          - Black76.Price(f0, 90_000, t, v0, OptionType.Call) / f0;
        Assert.Equal(expected, Revaluation.UnitPnl(call, f0, t, v0, s, v1), 1e-15);
        // Coin value of a call + put at the same strike = the coin value of a forward, (F - K)/F (put-call parity).
        var put = Instrument.Parse("BTC-27MAR26-90000-P");
        double parity = Revaluation.UnitValue(call, f0, t, v0) - Revaluation.UnitValue(put, f0, t, v0);
        Assert.Equal((f0 - 90_000) / f0, parity, 1e-12);
    }

    [Fact]
    public void LinearPutGainsWhenPriceFallsAndVolRises()
    {
        var put = Instrument.Parse("BTC_USDC-27MAR26-80000-P");
        double p = Revaluation.UnitPnl(put, 85_000, 0.3, 0.55, -0.12, 0.7);
        Assert.Equal(Black76.Price(74_800, 80_000, 0.3, 0.7, OptionType.Put) - Black76.Price(85_000, 80_000, 0.3, 0.55, OptionType.Put), p, 1e-9);
        Assert.True(p > 0);
        Assert.Equal(0, Revaluation.UnitPnl(put, 85_000, 0.3, 0.55, 0, 0.55));
    }
}
