using CryptoMargin.Instruments;
using CryptoMargin.Margin;
using CryptoMargin.Margin.Accounts;
using CryptoMargin.Margin.DeribitPm;
using CryptoMargin.Margin.Tiered;
using CryptoMargin.MarketData;
using CryptoMargin.Portfolios;
using CryptoMargin.Surfaces;
using MathNet.Numerics.Distributions;

namespace CryptoMargin.Tests.Margin.Accounts;

/// <summary>
/// The account view against hand arithmetic: equity of a book with inverse and linear futures at known average prices
/// and options valued by an independent Black-76 (written here with MathNet's normal CDF), status thresholds, the
/// cross-collateral pool, and liquidation distances (closed form for one inverse perpetual; equity = MM re-computed on
/// the moved market).
/// </summary>
public class AccountMarginTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 8, 0, 0, TimeSpan.Zero);
    private const string Expiry = "27MAR26"; // 26 days after Now

    /// <summary>One forward for every expiry; vol = a + slope·ln(K/F₀) (a skew, so that "vols unchanged at each strike" matters).</summary>
    private sealed class SkewSurface(double forward, double atm, double slope = 0) : IVolSurface
    {
        public double Forward(double t) => forward;
        public double ImpliedVolatility(double strike, double t) => atm + slope * Math.Log(strike / forward);
    }

    private static MarketSnapshot Market(double btc = 50_000, double perp = 50_100, double future = 50_400, double eth = 2_500, double slope = 0) =>
        new(Now,
            new Dictionary<string, double> { ["BTC"] = btc, ["ETH"] = eth },
            new Dictionary<string, double> { ["BTC-PERPETUAL"] = perp, ["BTC-" + Expiry] = future, ["ETH-PERPETUAL"] = eth },
            new Dictionary<string, IVolSurface> { ["BTC"] = new SkewSurface(future, 0.6, slope), ["ETH"] = new SkewSurface(eth, 0.7, slope) });

    private static Position P(string name, double size, double? average = null) => new(Instrument.Parse(name), size, average);

    /// <summary>Undiscounted Black-76 (Black 1976), independent of the library's pricer.</summary>
    private static double Black(double f, double k, double t, double vol, bool call)
    {
        double s = vol * Math.Sqrt(t), d1 = (Math.Log(f / k) + 0.5 * s * s) / s, d2 = d1 - s;
        return call ? f * Normal.CDF(0, 1, d1) - k * Normal.CDF(0, 1, d2) : k * Normal.CDF(0, 1, -d2) - f * Normal.CDF(0, 1, -d1);
    }

    private static MarginResult Result(string ccy, double im, double mm) => new("hand", ccy, im, mm, null, [], [], []);

    [Fact]
    public void EquityOfAHandComputableBookInBothConventions()
    {
        var market = Market();
        var book = new Portfolio("BTC", new Dictionary<string, double> { ["BTC"] = 2, ["USDC"] = 10_000 },
        [
            P("BTC-PERPETUAL", 10_000, 40_000),          // inverse, long 10,000 USD from 40,000 to the mark 50,100
            P("BTC-" + Expiry, -5_000),                  // inverse dated future without an average price: P&L 0
            P("BTC_USDC-PERPETUAL", -0.5, 52_000),       // linear, short 0.5 BTC from 52,000 to 50,100 (the inverse perpetual's mark)
            P("BTC-" + Expiry + "-60000-C", -1),         // short inverse call
            P("BTC_USDC-" + Expiry + "-45000-P", 2),     // long linear put
            P("BTC_USDC", 0.1),                          // spot in the USDC account at the index
        ]);
        double t = 26 / 365.0;
        double call = Black(50_400, 60_000, t, 0.6, call: true), put = Black(50_400, 45_000, t, 0.6, call: false);
        double btc = 2 + 10_000 * (1 / 40_000.0 - 1 / 50_100.0) - call / 50_400;
        double usdc = 10_000 + (-0.5) * (50_100 - 52_000) + 2 * put + 0.1 * 50_000;

        var view = AccountMargin.Compute(book, market, [Result("BTC", 0.3, 0.2), Result("USDC", 9_000, 6_000)]);
        Assert.Equal(["BTC", "USDC"], view.Currencies.Select(c => c.Currency));
        var b = view.Currencies[0];
        Assert.Equal(2, b.Collateral);
        Assert.Equal(10_000 * (1 / 40_000.0 - 1 / 50_100.0), b.FuturesPnl, 1e-14);
        Assert.Equal(-call / 50_400, b.OptionsValue, 1e-12);
        Assert.Equal(btc, b.Equity, 1e-12);
        Assert.Equal(btc - 0.3, b.AvailableFunds, 1e-12);
        Assert.Equal(0.2 / btc, b.MarginRatio!.Value, 1e-14);
        Assert.Equal(AccountStatus.Ok, b.Status);
        var u = view.Currencies[1];
        Assert.Equal(950, u.FuturesPnl, 1e-9);
        Assert.Equal(2 * put, u.OptionsValue, 1e-8);
        Assert.Equal(5_000, u.SpotValue, 1e-9);
        Assert.Equal(usdc, u.Equity, 1e-8);
        Assert.Null(view.Cross);
        Assert.Empty(view.Liquidation);
    }

    [Theory]
    [InlineData(1.0000001, AccountStatus.Ok)]
    [InlineData(1.0, AccountStatus.Ok)]               // equity = IM is not a breach
    [InlineData(0.9999999, AccountStatus.InitialMarginBreached)]
    [InlineData(0.8000001, AccountStatus.InitialMarginBreached)]
    [InlineData(0.8, AccountStatus.InitialMarginBreached)]  // equity = MM: not yet liquidated
    [InlineData(0.7999999, AccountStatus.MaintenanceBreached)]
    public void StatusThresholds(double equity, AccountStatus expected)
    {
        var book = new Portfolio("BTC", new Dictionary<string, double> { ["BTC"] = equity }, []);
        var c = Assert.Single(AccountMargin.Compute(book, Market(), [Result("BTC", 1.0, 0.8)]).Currencies);
        Assert.Equal(expected, c.Status);
        double shortfall = expected switch { AccountStatus.Ok => 0, AccountStatus.InitialMarginBreached => 1.0 - equity, _ => 0.8 - equity };
        Assert.Equal(shortfall, c.Shortfall, 1e-15);
        Assert.Equal(equity - 1.0, c.AvailableFunds, 1e-15);
        Assert.Equal(0.8 / equity, c.MarginRatio!.Value, 1e-15);
    }

    [Fact]
    public void NegativeEquityHasNoRatioAndIsLiquidated()
    {
        var (available, ratio, status, shortfall) = AccountMargin.Standing(-0.5, 1, 0.8);
        Assert.Equal((-1.5, (double?)null, AccountStatus.MaintenanceBreached, 1.3), (available, ratio, status, shortfall));
    }

    [Fact]
    public void CrossViewDiscountsEachAssetsEquityAndConvertsAtTheIndex()
    {
        var market = Market();
        var policy = new CollateralPolicy
        {
            Mode = CollateralMode.Cross,
            Haircuts = new Dictionary<string, HaircutSchedule>
            {
                ["BTC"] = new([new(100_000, 0.02), new(null, 0.10)]),   // USD tiers
                ["ETH"] = new([new(10, 0.05), new(20, 0.2)], HaircutTierUnit.Coin),
                ["USDC"] = new([new(null, 0)]),
            },
        };
        var book = new Portfolio("USDC", new Dictionary<string, double> { ["BTC"] = 3, ["ETH"] = 25, ["USDC"] = 1_000 }, []);
        var view = AccountMargin.Compute(book, market, [Result("BTC", 0.5, 0.3), Result("ETH", 4, 2)], policy);
        var x = view.Cross!;
        // BTC: 150,000 USD → 100,000·0.98 + 50,000·0.90; ETH: 25 coin → 10·0.95 + 10·0.8 + 5·0 (beyond the last bound), × 2,500
        double btc = 100_000 * 0.98 + 50_000 * 0.90, eth = (10 * 0.95 + 10 * 0.8) * 2_500, usdc = 1_000;
        Assert.Equal(["USDC", "BTC", "ETH"], x.Assets.Select(a => a.Asset));
        Assert.Equal(btc, x.Assets[1].DiscountedValue, 1e-9);
        Assert.Equal(eth, x.Assets[2].DiscountedValue, 1e-9);
        Assert.Equal(btc + eth + usdc, x.DiscountedEquity, 1e-9);
        Assert.Equal(0.5 * 50_000 + 4 * 2_500, x.InitialMargin, 1e-9);
        Assert.Equal(0.3 * 50_000 + 2 * 2_500, x.MaintenanceMargin, 1e-9);
        Assert.Equal(AccountStatus.Ok, x.Status);

        // in BTC: every figure ÷ the BTC index
        var inBtc = AccountMargin.Compute(book with { }, market, [Result("BTC", 0.5, 0.3), Result("ETH", 4, 2)], policy);
        var btcBook = new Portfolio("BTC", book.Collateral, []);
        var y = AccountMargin.Compute(btcBook, market, [Result("BTC", 0.5, 0.3), Result("ETH", 4, 2)], policy).Cross!;
        Assert.Equal((btc + eth + usdc) / 50_000, y.DiscountedEquity, 1e-12);
        Assert.Equal(inBtc.Cross!.MaintenanceMargin / 50_000, y.MaintenanceMargin, 1e-12);
    }

    [Fact]
    public void CrossModeRefusesAnAssetWithoutAHaircutSchedule()
    {
        var policy = new CollateralPolicy { Mode = CollateralMode.Cross, Haircuts = new Dictionary<string, HaircutSchedule> { ["BTC"] = new([new(null, 0)]) } };
        var book = new Portfolio("BTC", new Dictionary<string, double> { ["BTC"] = 1, ["ETH"] = 3 }, []);
        var e = Assert.Throws<DataValidationException>(() => AccountMargin.Compute(book, Market(), [], policy));
        Assert.Equal("collateral.haircuts.ETH", e.Field);
        Assert.Contains("ETH", e.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void ShockedMarketMovesOneCoinAndKeepsVolsAtEachStrike()
    {
        var m = Market(slope: -0.2);
        var s = AccountMargin.Shocked(m, "BTC", -0.25);
        Assert.Equal(37_500, s.Index("BTC"), 1e-9);
        Assert.Equal(2_500, s.Index("ETH"));
        Assert.Equal(50_100 * 0.75, s.FuturesMarks["BTC-PERPETUAL"], 1e-9);
        Assert.Equal(2_500, s.FuturesMarks["ETH-PERPETUAL"]);
        Assert.Equal(50_400 * 0.75, s.Surface("BTC").Forward(0.1), 1e-9);
        Assert.Equal(m.Surface("BTC").ImpliedVolatility(60_000, 0.1), s.Surface("BTC").ImpliedVolatility(60_000, 0.1));
        Assert.Equal(50_100 * 0.75, s.UnderlyingPrice(Instrument.Parse("BTC_USDC-PERPETUAL")), 1e-9);
    }

    /// <summary>
    /// One long inverse perpetual, q USD from average A, collateral C coin, tiered MM (b + p·n)·n coin with n = q/F:
    /// equity C + q(1/A − 1/F) = MM gives, in u = 1/F, p q² u² + (1 + b) q u − (C + q/A) = 0; a short (q &lt; 0) gives
    /// p q² u² + (b − 1)|q| u − (C − |q|/A) = 0 with the root that makes F the nearest above. s = 1/(u F₀) − 1.
    /// </summary>
    [Theory]
    [InlineData(1.0, 200_000, 50_000)]
    [InlineData(0.5, 100_000, 45_000)]
    [InlineData(0.5, -150_000, 52_000)]
    public void SingleInversePerpetualMatchesTheClosedForm(double collateral, double q, double average)
    {
        const double f0 = 50_100;
        var market = Market(perp: f0);
        var model = new TieredMarginModel();
        var book = new Portfolio("BTC", new Dictionary<string, double> { ["BTC"] = collateral }, [P("BTC-PERPETUAL", q, average)]);
        var view = AccountMargin.Compute(book, market, model.Compute(book, market), model: model);
        var d = Assert.Single(view.Liquidation);
        Assert.Equal(("BTC", "BTC"), (d.Account, d.Coin));

        var rates = FuturesMarginRates.DeribitBtc;
        double b = rates.MaintenanceBase, p = rates.MaintenancePerCoin, aq = Math.Abs(q);
        double qa = p * q * q, qb = (q > 0 ? 1 + b : b - 1) * aq, qc = -(collateral + q / average);
        // the roots of the quadratic in u = 1/F; the liquidation price is the nearest one to F₀ on the losing side
        double r1 = (-qb + Math.Sqrt(qb * qb - 4 * qa * qc)) / (2 * qa), r2 = (-qb - Math.Sqrt(qb * qb - 4 * qa * qc)) / (2 * qa);
        double u = q > 0
            ? new[] { r1, r2 }.Where(r => r > 1 / f0).Min()    // long: the highest price below F₀
            : new[] { r1, r2 }.Where(r => r > 0 && r < 1 / f0).Max(); // short: the lowest price above F₀
        double expected = 1 / (u * f0) - 1;
        if (q > 0)
        {
            Assert.Equal(expected, d.Down!.Value, 1e-9);
            Assert.Null(d.Up);   // a long inverse perpetual only gains going up while its coin MM falls
        }
        else
        {
            Assert.Equal(expected, d.Up!.Value, 1e-9);
        }
    }

    public static TheoryData<string, CollateralMode> Models => new()
    {
        { "tiered", CollateralMode.Segregated },
        { "deribit-pm", CollateralMode.Segregated },
        { "tiered", CollateralMode.Cross },
        { "deribit-pm", CollateralMode.Cross },
    };

    [Theory]
    [MemberData(nameof(Models))]
    public void AtTheFoundMoveRecomputedEquityEqualsMaintenanceMargin(string name, CollateralMode mode)
    {
        var market = Market(slope: -0.15);
        IMarginModel model = name == "tiered" ? new TieredMarginModel() : new DeribitPortfolioMargin();
        var book = new Portfolio("BTC", new Dictionary<string, double> { ["BTC"] = 1.2, ["USDC"] = 5_000 },
        [
            P("BTC-" + Expiry + "-45000-P", -6),
            P("BTC-" + Expiry + "-60000-C", -3),
            P("BTC-PERPETUAL", 30_000, 48_000),
            P("BTC_USDC-PERPETUAL", 0.2, 51_000),
            P("BTC_USDC", 0.3),
        ]);
        var policy = new CollateralPolicy
        {
            Mode = mode,
            Haircuts = new Dictionary<string, HaircutSchedule> { ["BTC"] = new([new(20_000, 0.02), new(null, 0.05)]), ["USDC"] = new([new(null, 0.01)]) },
        };
        var view = AccountMargin.Compute(book, market, model.Compute(book, market), policy, model);
        Assert.NotEmpty(view.Liquidation);
        int found = 0;
        foreach (var d in view.Liquidation)
            foreach (var s in new[] { d.Down, d.Up })
            {
                if (s is not double shock || shock == 0) continue;
                found++;
                var moved = AccountMargin.Shocked(market, d.Coin, shock);
                var again = AccountMargin.Compute(book, moved, model.Compute(book, moved), policy);
                double equity, mm;
                if (d.Account == AccountMargin.CrossAccount) (equity, mm) = (again.Cross!.DiscountedEquity, again.Cross.MaintenanceMargin);
                else
                {
                    var c = again.Currencies.Single(x => x.Currency == d.Account);
                    (equity, mm) = (c.Equity, c.MaintenanceMargin);
                }
                Assert.True(Math.Abs(equity - mm) <= 1e-9 * mm, $"{name} {mode} {d.Account}/{d.Coin} at {shock}: equity {equity}, MM {mm}");
            }
        Assert.True(found > 0, "no liquidation move found: the test book must reach its MM within ±99 %");
    }

    [Fact]
    public void AnAccountAlreadyBelowMaintenanceIsAtDistanceZero()
    {
        var market = Market();
        var model = new TieredMarginModel();
        var book = new Portfolio("BTC", new Dictionary<string, double> { ["BTC"] = 0.001 }, [P("BTC-PERPETUAL", 100_000, 50_100)]);
        var d = Assert.Single(AccountMargin.Compute(book, market, model.Compute(book, market), model: model).Liquidation);
        Assert.Equal((0.0, 0.0), (d.Down, d.Up));
        Assert.Contains("already below", d.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void EquityBeforeATradeAtTheMarkIsKeptAndTheBalanceAbsorbsThePremium()
    {
        var market = Market();
        var book = new Portfolio("BTC", new Dictionary<string, double> { ["BTC"] = 2 }, [P("BTC-PERPETUAL", 10_000, 40_000)]);
        var before = AccountMargin.Compute(book, market, []);
        var after = book.With(P("BTC-" + Expiry + "-60000-C", 1));
        var view = AccountMargin.Compute(after, market, [], equityBefore: before.Currencies.ToDictionary(c => c.Currency, c => c.Equity));
        var c = Assert.Single(view.Currencies);
        Assert.Equal(before.Currencies[0].Equity, c.Equity, 1e-15);
        double premium = Black(50_400, 60_000, 26 / 365.0, 0.6, call: true) / 50_400;
        Assert.Equal(2 - premium, c.Collateral, 1e-12);
    }
}
