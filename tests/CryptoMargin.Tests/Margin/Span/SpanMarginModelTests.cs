using CryptoMargin.Instruments;
using CryptoMargin.Margin;
using CryptoMargin.Margin.Scenarios;
using CryptoMargin.Margin.Span;
using CryptoMargin.MarketData;
using CryptoMargin.Portfolios;
using CryptoMargin.Surfaces;

namespace CryptoMargin.Tests.Margin.Span;

public class SpanMarginModelTests
{
    private const double Btc = 90_000, Eth = 3_000, Vol = 0.55;

    private sealed class FlatSurface(double forward, double vol) : IVolSurface
    {
        public double Forward(double t) => forward;
        public double ImpliedVolatility(double strike, double t) => vol * (1 + 0.1 * Math.Log(strike / forward) * Math.Log(strike / forward));
    }

    private static MarketSnapshot Market(bool withEthSurface = true)
    {
        var surfaces = new Dictionary<string, IVolSurface> { ["BTC"] = new FlatSurface(Btc, Vol) };
        if (withEthSurface) surfaces["ETH"] = new FlatSurface(Eth, 0.7);
        return new MarketSnapshot(new DateTimeOffset(2026, 3, 1, 8, 0, 0, TimeSpan.Zero),
            new Dictionary<string, double> { ["BTC"] = Btc, ["ETH"] = Eth },
            new Dictionary<string, double> { ["BTC-PERPETUAL"] = Btc, ["BTC-27MAR26"] = 90_200, ["BTC-26JUN26"] = 91_500, ["ETH-PERPETUAL"] = Eth },
            surfaces);
    }

    private static Portfolio Book(params (string Name, double Size)[] positions) =>
        new("USDC", new Dictionary<string, double>(), positions.Select(p => new Position(Instrument.Parse(p.Name), p.Size)).ToList());

    // The 16 scenarios written out independently of SpanScenarios: (price move in ranges, vol move, coverage) with the
    // default parameters (vol +50% / −25%, extreme 3 × range at 35%).
    private static readonly (double Move, double Vol, double Cover)[] Grid =
    [
        (0, 0.5, 1), (0, -0.25, 1),
        (1 / 3.0, 0.5, 1), (1 / 3.0, -0.25, 1), (-1 / 3.0, 0.5, 1), (-1 / 3.0, -0.25, 1),
        (2 / 3.0, 0.5, 1), (2 / 3.0, -0.25, 1), (-2 / 3.0, 0.5, 1), (-2 / 3.0, -0.25, 1),
        (1, 0.5, 1), (1, -0.25, 1), (-1, 0.5, 1), (-1, -0.25, 1),
        (3, 0, 0.35), (-3, 0, 0.35),
    ];

    /// <summary>Account-view P&amp;L of a book in each scenario by direct revaluation (the reference).</summary>
    private static double[] ReferencePnl(Portfolio book, MarketSnapshot market, double range = 0.16)
    {
        var pnl = new double[16];
        foreach (var p in book.Positions)
        {
            double f = market.UnderlyingPrice(p.Instrument);
            double t = p.Instrument is OptionInstrument o ? market.YearsTo(o.Expiry) : 0;
            double v = p.Instrument is OptionInstrument o2 ? market.Surface(o2.Currency).ImpliedVolatility(o2.Strike, t) : 0;
            for (int k = 0; k < 16; k++)
                pnl[k] += Grid[k].Cover * p.Size * Revaluation.UnitPnl(p.Instrument, f, t, v, Grid[k].Move * range, v * (1 + Grid[k].Vol));
        }
        return pnl;
    }

    private static MarginResult One(Portfolio book, SpanParameters? parameters = null) =>
        Assert.Single(new SpanMarginModel(parameters).Compute(book, Market()));

    [Fact]
    public void ScenarioGridIsSymmetricAndLongMirrorsShort()
    {
        var scan = new SpanParameters().Scan("BTC");
        Span<double> unit = stackalloc double[16];
        SpanRisk.UnitRiskArray(Instrument.Parse("BTC_USDC-PERPETUAL"), Btc, 0, 0, scan, unit);
        // Up and down moves of the same size mirror each other; vol up and down are equal for a future.
        for (int k = 2; k < 14; k += 4)
        {
            Assert.Equal(-unit[k], unit[k + 2], 1e-9);
            Assert.Equal(unit[k], unit[k + 1]);
        }
        Assert.Equal(-unit[14], unit[15], 1e-9);
        Assert.Equal(0, unit[0]);

        var longRes = One(Book(("BTC_USDC-PERPETUAL", 2)));
        var shortRes = One(Book(("BTC_USDC-PERPETUAL", -2)));
        // 3 × 0.16 at 35% = 0.168 > 0.16: the extreme move binds, each side on its own side.
        double expected = 2 * Btc * 0.16 * Math.Max(1, 3 * 0.35);
        Assert.Equal(expected, longRes.InitialMargin, 1e-6);
        Assert.Equal(expected, shortRes.InitialMargin, 1e-6);
        Assert.Equal(-longRes.BindingScenario!.PriceShock, shortRes.BindingScenario!.PriceShock, 12);
        Assert.Equal(-expected, longRes.BindingScenario.Pnl, 1e-6);
        Assert.Equal(longRes.BindingScenario.Pnl, shortRes.BindingScenario.Pnl, 1e-6);
        Assert.Equal(expected / 1.1, longRes.MaintenanceMargin, 1e-6);
    }

    [Theory]
    [InlineData(10_000.0)]
    [InlineData(-250_000.0)]
    public void InverseFutureFullRevaluationEqualsClosedForm(double usd)
    {
        var perp = Instrument.Parse("BTC-PERPETUAL");
        var scan = new SpanParameters().Scan("BTC");
        Span<double> unit = stackalloc double[16];
        SpanRisk.UnitRiskArray(perp, Btc, 0, 0, scan, unit);
        double worst = double.NegativeInfinity;
        for (int k = 0; k < 16; k++)
        {
            double s = Grid[k].Move * 0.16;
            // A long of q USD: P&L in coin = (q/F0)(1 − 1/(1+s)) (Deribit inverse contract); SPAN loss = −coverage × P&L.
            double closed = -Grid[k].Cover * usd / Btc * (1 - 1 / (1 + s));
            Assert.Equal(closed, usd * unit[k], Math.Abs(closed) * 1e-13 + 1e-18);
            worst = Math.Max(worst, closed);
        }
        var res = Assert.Single(new SpanMarginModel().Compute(Book(("BTC-PERPETUAL", usd)), Market()));
        Assert.Equal("BTC", res.Currency);
        Assert.Equal(worst, res.InitialMargin, worst * 1e-12);
        // Coin-settled asymmetry: a short loses less on the 3/3 rally (1 − 1/1.16) than a long on the 3/3 fall (1/0.84 − 1).
        Assert.Contains(usd < 0 ? "scenario 11:" : "scenario 16:", res.BindingScenario!.Name, StringComparison.Ordinal);
    }

    [Fact]
    public void OptionBookScanningRiskEqualsDirectRevaluation()
    {
        var book = Book(("BTC_USDC-27MAR26-95000-C", -3), ("BTC_USDC-27MAR26-80000-P", 2), ("BTC_USDC-PERPETUAL", 0.5));
        var res = One(book);
        double[] pnl = ReferencePnl(book, Market());
        double scan = Math.Max(0, -pnl.Min());
        Assert.True(scan > 0.01 * Btc * 3, "scan risk exceeds the short-option minimum in this book");
        // All in tier 1 (26 days and a perpetual), one coin: no spread charge, no credit.
        Assert.Equal(scan, res.InitialMargin, scan * 1e-10);
        Assert.Equal(-scan, res.BindingScenario!.Pnl, scan * 1e-10);
        Assert.Empty(res.AddOns);
        Assert.Equal(res.InitialMargin, res.Positions.Sum(p => p.Contribution), res.InitialMargin * 1e-10);
        // Each position's P&L in the binding scenario sums to the scenario's P&L.
        Assert.Equal(res.BindingScenario.Pnl, res.Positions.Sum(p => p.PnlInBindingScenario!.Value), scan * 1e-10);
    }

    [Fact]
    public void NettingLowersMarginOfAHedgedBookButNeverBelowTheShortOptionMinimum()
    {
        var calls = One(Book(("BTC_USDC-27MAR26-90000-C", -10)));
        double delta = CryptoMargin.Pricing.Black76.Greeks(Btc, 90_000, Market().YearsTo(new DateTimeOffset(2026, 3, 27, 8, 0, 0, TimeSpan.Zero)), Vol, CryptoMargin.Pricing.OptionType.Call).Delta;
        var hedge = One(Book(("BTC_USDC-PERPETUAL", 10 * delta)));
        var hedged = One(Book(("BTC_USDC-27MAR26-90000-C", -10), ("BTC_USDC-PERPETUAL", 10 * delta)));
        Assert.True(hedged.InitialMargin < calls.InitialMargin, $"hedged {hedged.InitialMargin} vs calls {calls.InitialMargin}");
        Assert.True(hedged.InitialMargin < calls.InitialMargin + hedge.InitialMargin);
        double minimum = 0.01 * Btc * 10;
        Assert.True(hedged.InitialMargin >= minimum);

        // A call spread hedged almost perfectly: the scan risk is tiny, the minimum binds exactly.
        var spread = One(Book(("BTC_USDC-27MAR26-300000-C", -1), ("BTC_USDC-27MAR26-310000-C", 1)));
        Assert.Equal(0.01 * Btc, spread.InitialMargin, 1e-9);
        Assert.Contains(spread.AddOns, a => a.Name.StartsWith("short-option minimum BTC", StringComparison.Ordinal));
        Assert.Equal(0.01 * Btc, spread.Positions[0].Contribution, 1e-9);
        Assert.Equal(0, spread.Positions[1].Contribution);
    }

    [Fact]
    public void MirrorPortfolioScansTheOtherSide()
    {
        var book = Book(("BTC_USDC-27MAR26-100000-C", 4), ("BTC_USDC-PERPETUAL", -1), ("BTC_USDC-27MAR26-85000-P", 1));
        var mirror = Book(("BTC_USDC-27MAR26-100000-C", -4), ("BTC_USDC-PERPETUAL", 1), ("BTC_USDC-27MAR26-85000-P", -1));
        double[] pnl = ReferencePnl(book, Market());
        Assert.Equal(Math.Max(0, -pnl.Min()), One(book).InitialMargin, 1e-6);
        // The mirror's losses are the book's gains; its short options carry the minimum 0.01 × F × 5.
        Assert.Equal(Math.Max(pnl.Max(), 0.01 * Btc * 5), One(mirror).InitialMargin, 1e-6);
        var both = One(Book(("BTC_USDC-27MAR26-100000-C", 4), ("BTC_USDC-PERPETUAL", -1), ("BTC_USDC-27MAR26-85000-P", 1),
            ("BTC_USDC-27MAR26-100000-C", -4), ("BTC_USDC-PERPETUAL", 1), ("BTC_USDC-27MAR26-85000-P", -1)));
        Assert.Equal(0.01 * Btc * 5, both.InitialMargin, 1e-6);
    }

    [Fact]
    public void CalendarSpreadPaysTheIntraCommodityCharge()
    {
        var res = One(Book(("BTC_USDC-PERPETUAL", 1), ("BTC_USDC-26JUN26", -1)));
        // Scan: P&L = (F_perp − F_jun)·s: the short June leg (91,500) loses 1,500·s on rallies; worst of 0.16 and 0.35 × 0.48.
        double scan = 1_500 * Math.Max(0.16, 0.35 * 0.48);
        // Perpetual in tier 1, June (117 days) in tier 3: spread (1, 3) charges 1% of the value of the matched coin.
        double intra = 0.01 * 1 * Btc;
        Assert.Equal(scan + intra, res.InitialMargin, 1e-6);
        Assert.Equal(intra, Assert.Single(res.AddOns, a => a.Name.StartsWith("intra", StringComparison.Ordinal)).Amount, 1e-9);
        Assert.Equal(res.InitialMargin, res.Positions.Sum(p => p.Contribution), 1e-6);
        // Same tier (perpetual vs 26-day March future): no charge.
        var sameTier = One(Book(("BTC_USDC-PERPETUAL", 1), ("BTC_USDC-27MAR26", -1)));
        Assert.DoesNotContain(sameTier.AddOns, a => a.Name.StartsWith("intra", StringComparison.Ordinal));
    }

    [Fact]
    public void BtcEthSpreadEarnsTheInterCommodityCredit()
    {
        var book = Book(("BTC_USDC-PERPETUAL", 1), ("ETH_USDC-PERPETUAL", -30));
        var parameters = new SpanParameters { PriceScanRanges = new Dictionary<string, double> { ["ETH"] = 0.2 } };
        var res = One(book, parameters);
        // Each leg: 90,000 USD of delta. Scan = |Δ|·F·range·max(1, 3 × 0.35); price risk = min(scan, |Δ|·F·range);
        // credit = 0.5 × price risk per leg (n = one USD-for-USD spread of 90,000).
        double scanBtc = 90_000 * 0.16 * 1.05, scanEth = 90_000 * 0.2 * 1.05;
        double creditBtc = 0.5 * 90_000 * 0.16, creditEth = 0.5 * 90_000 * 0.2;
        Assert.Equal(scanBtc + scanEth - creditBtc - creditEth, res.InitialMargin, 1e-6);
        Assert.Equal(-creditBtc - creditEth, res.AddOns.Where(a => a.Name.StartsWith("inter", StringComparison.Ordinal)).Sum(a => a.Amount), 1e-6);
        Assert.Equal(res.InitialMargin, res.Positions.Sum(p => p.Contribution), 1e-6);
        // Same direction: no spread, no credit.
        var outright = One(Book(("BTC_USDC-PERPETUAL", 1), ("ETH_USDC-PERPETUAL", 30)), parameters);
        Assert.Equal(scanBtc + scanEth, outright.InitialMargin, 1e-6);
        // Coin-settled legs margin in different currencies: two results, no credit across them.
        var inverse = new SpanMarginModel(parameters).Compute(Book(("BTC-PERPETUAL", 90_000), ("ETH-PERPETUAL", -90_000)), Market());
        Assert.Equal(["BTC", "ETH"], inverse.Select(r => r.Currency));
        Assert.All(inverse, r => Assert.Empty(r.AddOns));
    }

    [Fact]
    public void ContributionsSumToMarginAndIncrementalIsMarginWithoutThePosition()
    {
        var book = Book(("BTC_USDC-27MAR26-95000-C", -2), ("BTC_USDC-26JUN26", 1), ("BTC_USDC-PERPETUAL", -0.4),
            ("ETH_USDC-PERPETUAL", 10), ("ETH_USDC-27MAR26-2800-P", -5));
        var model = new SpanMarginModel();
        var res = Assert.Single(model.Compute(book, Market()));
        Assert.Equal(res.InitialMargin, res.Positions.Sum(p => p.Contribution), res.InitialMargin * 1e-10);
        for (int i = 0; i < book.Positions.Count; i++)
        {
            double without = Assert.Single(model.Compute(book.Without(i), Market())).InitialMargin;
            Assert.Equal(res.InitialMargin - without, res.Positions[i].Incremental, res.InitialMargin * 1e-10);
        }
    }

    [Fact]
    public void OpenOrdersChargeTheWorseCase()
    {
        var positions = new List<Position> { new(Instrument.Parse("BTC_USDC-27MAR26-95000-C"), -1) };
        var withOrder = new Portfolio("USDC", new Dictionary<string, double>(), positions,
            [new Position(Instrument.Parse("BTC_USDC-27MAR26-95000-C"), -4)]);
        var plain = One(new Portfolio("USDC", new Dictionary<string, double>(), positions));
        var res = Assert.Single(new SpanMarginModel().Compute(withOrder, Market()));
        Assert.Equal(5 * plain.InitialMargin, res.InitialMargin, plain.InitialMargin * 1e-9);
        Assert.Contains(res.Notes, n => n.Contains("open orders", StringComparison.Ordinal));
    }

    [Fact]
    public void CalibratedPolicySetsThePriceScanRange()
    {
        var policy = new MarginPolicy
        {
            Asset = "BTC", Method = CryptoMargin.Risk.RiskMethod.Historical, Confidence = 0.99, MporDays = 2, LookbackDays = 365,
            Apc = AntiProcyclicality.None, InitialMarginRate = 0.12, MaintenanceMarginRate = 0.06,
            MaintenanceRule = new MaintenanceRule(0.5, null), Tiers = [], InputSha256 = "test",
            Start = new DateOnly(2025, 1, 1), End = new DateOnly(2026, 1, 1),
        };
        var parameters = new SpanParameters().WithPolicies([policy]);
        Assert.Equal(0.12, parameters.PriceScanRange("BTC"));
        Assert.Equal(0.16, parameters.PriceScanRange("ETH"));
        var res = One(Book(("BTC_USDC-PERPETUAL", 3)), parameters);
        Assert.Equal(3 * Btc * 0.12 * 1.05, res.InitialMargin, 1e-6);
        Assert.Equal(-3 * 0.12, res.BindingScenario!.PriceShock, 12);
    }

    [Fact]
    public void BadInputNamesThePosition()
    {
        var model = new SpanMarginModel();
        var expired = Assert.Throws<DataValidationException>(() => model.Compute(Book(("BTC_USDC-PERPETUAL", 1), ("BTC_USDC-27FEB26-90000-C", -1)), Market()));
        Assert.Contains("position 1 (BTC_USDC-27FEB26-90000-C)", expired.Message, StringComparison.Ordinal);
        Assert.Contains("expired", expired.Message, StringComparison.Ordinal);
        var noVol = Assert.Throws<DataValidationException>(() => model.Compute(Book(("ETH_USDC-27MAR26-3000-C", 1)), Market(withEthSurface: false)));
        Assert.Contains("ETH_USDC-27MAR26-3000-C", noVol.Message, StringComparison.Ordinal);
        Assert.Contains("ETH", noVol.Reason, StringComparison.Ordinal);
        var noPrice = Assert.Throws<DataValidationException>(() => model.Compute(Book(("SOL_USDC-PERPETUAL", 1)), Market()));
        Assert.Contains("SOL_USDC-PERPETUAL", noPrice.Message, StringComparison.Ordinal);
        var bad = Assert.Throws<ArgumentOutOfRangeException>(() => new SpanMarginModel(new SpanParameters { VolScanDown = 1.5 }));
        Assert.Contains("VolScanDown", bad.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => new SpanMarginModel(new SpanParameters { TierSpreads = [new(1, 4, 0.01)] }));
    }
}
