using CryptoMargin.Margin.Tiered;
using CryptoMargin.MarketData;

namespace CryptoMargin.Tests.Margin.Tiered;

public class TieredMarginKernelsTests
{
    [Fact]
    public void DeribitSizeLinearRatesReproduceThePublishedExamples()
    {
        // https://support.deribit.com/hc/en-us/articles/25944738177565-Linear-Perpetual, "Standard Margin IM & MM examples":
        // BTC IM "2% + 25 * 0.005% = 2.125%", "2% + 350 * 0.005% = 3.75%"; MM "1% + 25 * 0.005% = 1.125%";
        // SOL IM "4% + 25 * 0.0005% = 4.0125%", "4% + 6000 * 0.0005% = 7%"; MM "2% + 25 * 0.0005% = 2.0125%".
        var btc = FuturesMarginRates.DeribitBtc;
        Assert.Equal(0.02, TieredMarginKernels.SizeLinearRate(btc.InitialBase, btc.InitialPerCoin, 0), 1e-15);
        Assert.Equal(0.02125, TieredMarginKernels.SizeLinearRate(btc.InitialBase, btc.InitialPerCoin, 25), 1e-15);
        Assert.Equal(0.0375, TieredMarginKernels.SizeLinearRate(btc.InitialBase, btc.InitialPerCoin, -350), 1e-15);
        Assert.Equal(0.01125, TieredMarginKernels.SizeLinearRate(btc.MaintenanceBase, btc.MaintenancePerCoin, 25), 1e-15);
        var sol = FuturesMarginRates.DeribitSol;
        Assert.Equal(0.040125, TieredMarginKernels.SizeLinearRate(sol.InitialBase, sol.InitialPerCoin, 25), 1e-15);
        Assert.Equal(0.07, TieredMarginKernels.SizeLinearRate(sol.InitialBase, sol.InitialPerCoin, 6000), 1e-15);
        Assert.Equal(0.020125, TieredMarginKernels.SizeLinearRate(sol.MaintenanceBase, sol.MaintenancePerCoin, 25), 1e-15);
        // ETH "2% + (Position Size in ETH) * 0.0004%" (https://support.deribit.com/hc/en-us/articles/25944826427293-11-January-2022;
        // the page gives no worked example): 1,000 ETH → 2% + 0.4%.
        var eth = FuturesMarginRates.DeribitEth;
        Assert.Equal(0.024, TieredMarginKernels.SizeLinearRate(eth.InitialBase, eth.InitialPerCoin, 1000), 1e-15);
        Assert.Equal(0.014, TieredMarginKernels.SizeLinearRate(eth.MaintenanceBase, eth.MaintenancePerCoin, 1000), 1e-15);
        // The rate never exceeds the notional.
        Assert.Equal(1, TieredMarginKernels.SizeLinearRate(btc.InitialBase, btc.InitialPerCoin, 1e6));
    }

    [Fact]
    public void BinanceMaintenanceAmountReproducesThePublishedExamples()
    {
        // https://www.binance.com/en/support/faq/b3c689c1f50a44cabb3a84e663b81d93 (USDⓈ-M): "the Maintenance Amount on
        // Level 5 = 250,000 * (1% - 0.5%) + 50 USDT = 1,300 USDT".
        Assert.Equal(1_300, TieredMarginKernels.NextMaintenanceAmount(50, 250_000, 0.01, 0.005), 1e-9);
        // https://www.binance.com/es/support/faq/ceccfcfb4e3a45e3b48b0b1bb1a8ae46 (COIN-M): "the BTCUSD Maintenance Amount on
        // Level 5 = 50 BTC * (5% - 2.5%) + 0.56 BTC = 1.81 BTC".
        Assert.Equal(1.81, TieredMarginKernels.NextMaintenanceAmount(0.56, 50, 0.05, 0.025), 1e-12);

        // The same figures from the schedule the example fixes: "if the position ... is 264,000 USDT, then the maintenance
        // margin rate would be 1%"; "if the position ... is 500,000 USDT, then the maintenance amount would be 1,300 USDT".
        var b = MaintenanceBrackets.BinanceBtcUsdtExample;
        Assert.Equal(0.01, b.Rate(b.BracketOf(264_000)));
        Assert.Equal(1_300, b.MaintenanceAmount(b.BracketOf(500_000)), 1e-9);
        Assert.Equal(50, b.MaintenanceAmount(1), 1e-12);
        // Binance's formula "Maintenance Margin = Notional Position Value * Maintenance Margin Rate - Maintenance Amount".
        Assert.Equal(500_000 * 0.01 - 1_300, b.MaintenanceMargin(500_000), 1e-9);
    }

    [Fact]
    public void BracketMaintenanceIsTheTaxBracketSumAndContinuousAtEveryFloor()
    {
        // Reference: each bracket's rate on the part of the notional inside that bracket (the "tax bracket" reading),
        // MM(N) = Σ_k rate_k · (min(N, floor_{k+1}) − floor_k)⁺, computed independently of the cum amounts.
        var rng = new Random(20261124);
        for (int trial = 0; trial < 50; trial++)
        {
            int n = 1 + rng.Next(9);
            var floors = new double[n];
            var rates = new double[n];
            double r = rng.NextDouble() * 0.01;
            for (int k = 0; k < n; k++)
            {
                floors[k] = k == 0 ? 0 : floors[k - 1] + 1_000 + rng.NextDouble() * 5e6;
                r = Math.Min(1, r + (k == 0 ? 0 : rng.NextDouble() * 0.05));
                rates[k] = r;
            }
            var b = new MaintenanceBrackets(floors, rates);
            double top = floors[^1] * 1.5 + 1e6;
            double previous = 0;
            for (int j = 0; j <= 400; j++)
            {
                double notional = top * j / 400;
                double reference = 0;
                for (int k = 0; k < n; k++)
                {
                    double upper = k + 1 < n ? floors[k + 1] : double.PositiveInfinity;
                    reference += rates[k] * Math.Max(0, Math.Min(notional, upper) - floors[k]);
                }
                double mm = b.MaintenanceMargin(notional);
                Assert.Equal(reference, mm, 1e-9 * Math.Max(1, reference));
                Assert.True(mm >= previous - 1e-9, $"MM decreases at {notional}");
                previous = mm;
            }
            // Continuity at each floor: left and right limits agree (the bracket below and the bracket above give the same MM).
            for (int k = 1; k < n; k++)
            {
                double f = floors[k];
                double below = f * rates[k - 1] - b.MaintenanceAmount(k - 1);
                double above = f * rates[k] - b.MaintenanceAmount(k);
                Assert.Equal(below, above, 1e-9 * Math.Max(1, above));
                double eps = 1e-3;
                Assert.Equal(b.MaintenanceMargin(f - eps), b.MaintenanceMargin(f), 2 * eps);
            }
        }
    }

    [Fact]
    public void BracketsRefuseBadSchedulesNamingTheBracket()
    {
        var e = Assert.Throws<DataValidationException>(() => new MaintenanceBrackets([0, 100, 50], [0.01, 0.02, 0.03]));
        Assert.Contains("bracket 3", e.Message);
        e = Assert.Throws<DataValidationException>(() => new MaintenanceBrackets([0, 100], [0.02, 0.01]));
        Assert.Contains("bracket 2", e.Message);
        Assert.Contains("must not decrease", e.Message);
        Assert.Throws<DataValidationException>(() => new MaintenanceBrackets([10, 100], [0.01, 0.02]));
        Assert.Throws<DataValidationException>(() => new MaintenanceBrackets([0], [1.5]));
        Assert.Throws<DataValidationException>(() => new MaintenanceBrackets([0, 1], [0.01]));
    }

    [Fact]
    public void OpenInterestFractionFollowsDydxFormulaBetweenTheCaps()
    {
        // dYdX publishes the formula (https://help.dydx.trade/en/articles/228341-open-interest-initial-margin-fraction) but
        // no numeric example; the references are the formula evaluated by hand with the Mid-Cap tier's caps 40M/100M USDC
        // (https://dydx.forum/t/liquidity-tier-maintenance/2939) and its 5% IMF.
        var caps = OpenInterestScaling.DydxMidCap;
        Assert.Equal(0.05, TieredMarginKernels.OpenInterestInitialFraction(0.05, 10e6, caps.LowerCap, caps.UpperCap), 1e-15);
        Assert.Equal(0.05, TieredMarginKernels.OpenInterestInitialFraction(0.05, 40e6, caps.LowerCap, caps.UpperCap), 1e-15);
        // 70M: scaling 0.5, IMF 0.05 + 0.5·0.95 = 0.525.
        Assert.Equal(0.525, TieredMarginKernels.OpenInterestInitialFraction(0.05, 70e6, caps.LowerCap, caps.UpperCap), 1e-15);
        // 55M: scaling 0.25, IMF 0.05 + 0.25·0.95 = 0.2875.
        Assert.Equal(0.2875, TieredMarginKernels.OpenInterestInitialFraction(0.05, 55e6, caps.LowerCap, caps.UpperCap), 1e-15);
        Assert.Equal(1, TieredMarginKernels.OpenInterestInitialFraction(0.05, 100e6, caps.LowerCap, caps.UpperCap), 1e-15);
        Assert.Equal(1, TieredMarginKernels.OpenInterestInitialFraction(0.05, 1e9, caps.LowerCap, caps.UpperCap));
        // Continuous and non-decreasing in the open notional.
        double previous = 0.05;
        for (double n = 0; n <= 120e6; n += 0.25e6)
        {
            double imf = TieredMarginKernels.OpenInterestInitialFraction(0.05, n, caps.LowerCap, caps.UpperCap);
            Assert.True(imf >= previous);
            Assert.True(imf - previous <= 0.95 * 0.25e6 / 60e6 + 1e-12, "a jump in the IMF");
            previous = imf;
        }
    }

    [Theory]
    // F = 100,000; mark in coin. References evaluated by hand from Deribit's formulas
    // (short call IM = max(0.15 − OTM/F, 0.1) + mark, MM = 0.075 + mark; short put IM = max(max(0.15 − OTM/F, 0.1) + mark, MM),
    // MM = max(0.075, 0.075·mark) + mark). Deribit publishes no numeric worked example for these (see docs/margin/tiered.md).
    [InlineData(true, 110_000, 0.02, 0.12, 0.095)]   // OTM 10%: max(0.05, 0.1) + 0.02
    [InlineData(true, 103_000, 0.05, 0.17, 0.125)]   // OTM 3%: 0.12 + 0.05
    [InlineData(true, 90_000, 0.12, 0.27, 0.195)]    // ITM: OTM 0, 0.15 + 0.12
    [InlineData(false, 96_000, 0.03, 0.14, 0.105)]   // OTM 4%: 0.11 + 0.03
    [InlineData(false, 120_000, 0.21, 0.36, 0.285)]  // ITM: 0.15 + 0.21
    [InlineData(false, 50_000, 0.0001, 0.1001, 0.0751)] // deep OTM: floor 0.1
    [InlineData(false, 400_000, 3.0, 3.225, 3.225)]  // deep ITM, mark > 1 coin: MM = 0.075·3 + 3 = 3.225 > 0.15 + 3 binds the IM
    public void ShortOptionFormulas(bool call, double strike, double mark, double im, double mm)
    {
        double otm = TieredMarginKernels.OutOfTheMoneyFraction(call, 100_000, strike);
        Assert.Equal(mm, TieredMarginKernels.ShortOptionMaintenance(call, mark, 0.075), 1e-12);
        Assert.Equal(im, TieredMarginKernels.ShortOptionInitial(call, otm, mark, 0.15, 0.1, 0.075), 1e-12);
    }
}
