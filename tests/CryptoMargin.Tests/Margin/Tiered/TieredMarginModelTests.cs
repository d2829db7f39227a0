using CryptoMargin.Instruments;
using CryptoMargin.Margin;
using CryptoMargin.Margin.Tiered;
using CryptoMargin.MarketData;
using CryptoMargin.Portfolios;
using CryptoMargin.Pricing;
using CryptoMargin.Surfaces;

namespace CryptoMargin.Tests.Margin.Tiered;

public class TieredMarginModelTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 8, 0, 0, TimeSpan.Zero);

    /// <summary>A flat surface: one forward for every expiry, one vol everywhere.</summary>
    private sealed class FlatSurface(double forward, double vol) : IVolSurface
    {
        public double Forward(double t) => forward;
        public double ImpliedVolatility(double strike, double t) => vol;
    }

    private static MarketSnapshot Market(double btc = 100_000, double vol = 0.5, double eth = 3_000, Dictionary<string, double>? marks = null) =>
        new(Now,
            new Dictionary<string, double> { ["BTC"] = btc, ["ETH"] = eth, ["SOL"] = 200 },
            marks ?? new Dictionary<string, double> { ["BTC-PERPETUAL"] = btc, ["ETH-PERPETUAL"] = eth },
            new Dictionary<string, IVolSurface> { ["BTC"] = new FlatSurface(btc, vol), ["ETH"] = new FlatSurface(eth, vol) });

    private static Portfolio Book(params (string Name, double Size)[] positions) =>
        new("USD", new Dictionary<string, double>(), positions.Select(p => new Position(Instrument.Parse(p.Name), p.Size)).ToList());

    private static MarginResult Single(IMarginModel model, Portfolio p, MarketSnapshot m) => Assert.Single(model.Compute(p, m));

    [Fact]
    public void DeribitLinearPerpetualWorkedExample()
    {
        // https://support.deribit.com/hc/en-us/articles/25944738177565-Linear-Perpetual: BTC_USDC at 100,000; "Position size 25:
        // 25 * 2.125% = 0.53125 BTC, 0.53125 * 100,000 = 53,125 USDC"; "Position size 350: 13.125 BTC * 100,000 = 1,312,500 USDC";
        // MM "25 * 1.125% = 0.28125 BTC, 0.28125 BTC * 100,000 = 28,125 USDC". SOL_USDC at 200: "Position size 25: 1.003125 SOL *
        // 200 = 200.625 USDC"; "Position size 6000: 420 SOL * 200 = 84,000 USDC"; MM "25: 0.503125 SOL * 200 = 100.625 USDC".
        var model = new TieredMarginModel();
        var m = Market();
        var r = Single(model, Book(("BTC_USDC-PERPETUAL", 25)), m);
        Assert.Equal("USDC", r.Currency);
        Assert.Equal(53_125, r.InitialMargin, 1e-6);
        Assert.Equal(28_125, r.MaintenanceMargin, 1e-6);
        Assert.Equal(1_312_500, Single(model, Book(("BTC_USDC-PERPETUAL", 350)), m).InitialMargin, 1e-5);
        var sol = Single(model, Book(("SOL_USDC-PERPETUAL", 25)), m);
        Assert.Equal(200.625, sol.InitialMargin, 1e-9);
        Assert.Equal(100.625, sol.MaintenanceMargin, 1e-9);
        Assert.Equal(84_000, Single(model, Book(("SOL_USDC-PERPETUAL", 6000)), m).InitialMargin, 1e-7);
        Assert.Null(r.BindingScenario);
        Assert.Null(r.Positions[0].PnlInBindingScenario);
    }

    [Fact]
    public void DeribitInverseFutureWorkedExample()
    {
        // https://test.deribit.com/pages/docs/futures (inverse BTC futures, same 2% + 0.5% per 100 BTC IM): "Your position is
        // 25 BTC in size: initial margin is 2% + 25/100 *0.5% = 2.125% (= 0.53125 BTC)"; "350 BTC ... 3.75% (= 13.125 BTC)".
        // An inverse position is sized in USD: 25 BTC at a mark of 100,000 = 2,500,000 USD.
        var model = new TieredMarginModel();
        var m = Market();
        var r = Single(model, Book(("BTC-PERPETUAL", 2_500_000)), m);
        Assert.Equal("BTC", r.Currency);
        Assert.Equal(0.53125, r.InitialMargin, 1e-12);
        Assert.Equal(0.28125, r.MaintenanceMargin, 1e-12); // 1% + 25·0.005% = 1.125% of 25 BTC (the current MM base)
        Assert.Equal(13.125, Single(model, Book(("BTC-PERPETUAL", -35_000_000)), m).InitialMargin, 1e-10);
        // A dated future is charged the same way, off its own mark.
        var dated = Market(marks: new Dictionary<string, double> { ["BTC-27MAR26"] = 101_000 });
        double q = 1_010_000; // 10 BTC at 101,000
        Assert.Equal(10 * (0.02 + 10 * 0.00005), Single(model, Book(("BTC-27MAR26", q)), dated).InitialMargin, 1e-12);
    }

    [Theory]
    [InlineData(100_000, 1_000_000)]
    [InlineData(64_321.5, 37_000_000)]
    [InlineData(3_000, 250_000)]
    public void InverseMarginTimesPriceIsTheLinearMargin(double price, double usd)
    {
        // Same exposure (usd/F coin) in an inverse perpetual (margin in coin) and a linear one (margin in USDC), mark = index.
        var model = new TieredMarginModel();
        var m = Market(btc: price, marks: new Dictionary<string, double> { ["BTC-PERPETUAL"] = price });
        var inverse = Single(model, Book(("BTC-PERPETUAL", -usd)), m);
        var linear = Single(model, Book(("BTC_USDC-PERPETUAL", -usd / price)), m);
        Assert.Equal(linear.InitialMargin, inverse.InitialMargin * price, 1e-9 * linear.InitialMargin);
        Assert.Equal(linear.MaintenanceMargin, inverse.MaintenanceMargin * price, 1e-9 * linear.MaintenanceMargin);

        // Options: an inverse option's margin in coin × F = the linear option's in USDC (short and long, calls and puts).
        foreach (var (strike, type) in new[] { (price * 1.1, "C"), (price * 0.9, "P"), (price * 0.8, "C"), (price * 1.3, "P") })
        {
            string k = ((int)Math.Round(strike)).ToString(System.Globalization.CultureInfo.InvariantCulture);
            foreach (double size in new[] { -3.0, 2.0 })
            {
                var inv = Single(model, Book(($"BTC-27MAR26-{k}-{type}", size)), m);
                var lin = Single(model, Book(($"BTC_USDC-27MAR26-{k}-{type}", size)), m);
                Assert.Equal(lin.InitialMargin, inv.InitialMargin * price, 1e-9 * lin.InitialMargin);
                Assert.Equal(lin.MaintenanceMargin, inv.MaintenanceMargin * price, 1e-9 * lin.MaintenanceMargin);
            }
        }
    }

    [Fact]
    public void ShortOptionsChargeDeribitsFormulasOnTheBlack76Mark()
    {
        // Mark from Black-76 on the surface (independently priced here), then Deribit's short-option formulas by hand.
        var model = new TieredMarginModel();
        var m = Market(btc: 100_000, vol: 0.6);
        var call = (OptionInstrument)Instrument.Parse("BTC-27MAR26-110000-C");
        double t = m.YearsTo(call.Expiry);
        double markCoin = Black76.Price(100_000, 110_000, t, 0.6, OptionType.Call) / 100_000;
        var r = Single(model, Book((call.Name, -2)), m);
        Assert.Equal(2 * (Math.Max(0.15 - 0.1, 0.1) + markCoin), r.InitialMargin, 1e-12);
        Assert.Equal(2 * (0.075 + markCoin), r.MaintenanceMargin, 1e-12);
        Assert.Equal(TieredMarginModel.ShortOptionAddOn, Assert.Single(r.AddOns).Name);

        double putMark = Black76.Price(100_000, 95_000, t, 0.6, OptionType.Put) / 100_000;
        var put = Single(model, Book(("BTC-27MAR26-95000-P", -1)), m);
        Assert.Equal(Math.Max(Math.Max(0.15 - 0.05, 0.1) + putMark, Math.Max(0.075, 0.075 * putMark) + putMark), put.InitialMargin, 1e-12);

        // Long: the premium, IM = MM (Deribit's options page); switched off, nothing.
        var longCall = Single(model, Book((call.Name, 3)), m);
        Assert.Equal(3 * markCoin, longCall.InitialMargin, 1e-12);
        Assert.Equal(longCall.InitialMargin, longCall.MaintenanceMargin);
        Assert.Equal(TieredMarginModel.LongOptionAddOn, Assert.Single(longCall.AddOns).Name);
        var free = new TieredMarginModel(TieredMarginParameters.Deribit with { Options = new OptionMarginRates(ChargeLongPremium: false) });
        Assert.Equal(0, Single(free, Book((call.Name, 3)), m).InitialMargin);
    }

    [Fact]
    public void MirrorPortfolioHasTheSameFuturesMarginButNotTheSameOptionMargin()
    {
        var model = new TieredMarginModel();
        var m = Market();
        var futures = new[] { ("BTC-PERPETUAL", 3_000_000.0), ("BTC_USDC-PERPETUAL", -12.5), ("ETH-PERPETUAL", -450_000.0), ("BTC-27MAR26", 700_000.0) };
        var book = model.Compute(Book(futures), m);
        var mirror = model.Compute(Book(futures.Select(p => (p.Item1, -p.Item2)).ToArray()), m);
        Assert.Equal(book.Count, mirror.Count);
        for (int i = 0; i < book.Count; i++)
        {
            Assert.Equal(book[i].Currency, mirror[i].Currency);
            Assert.Equal(book[i].InitialMargin, mirror[i].InitialMargin, 1e-12 * book[i].InitialMargin);
            Assert.Equal(book[i].MaintenanceMargin, mirror[i].MaintenanceMargin, 1e-12 * book[i].MaintenanceMargin);
        }
        // Options are not symmetric: a short pays the short-option charge, its mirror (a long) only the premium.
        var shortCall = Single(model, Book(("BTC-27MAR26-110000-C", -1)), m);
        var longCall = Single(model, Book(("BTC-27MAR26-110000-C", 1)), m);
        Assert.True(shortCall.InitialMargin > longCall.InitialMargin + 0.09);
    }

    [Fact]
    public void MarginIsMonotoneInSize()
    {
        var withBrackets = new TieredMarginModel(TieredMarginParameters.Deribit with
        {
            MaintenanceBrackets = new Dictionary<string, MaintenanceBrackets> { ["BTC"] = MaintenanceBrackets.BinanceBtcUsdtExample },
        });
        var m = Market();
        foreach (var model in new[] { new TieredMarginModel(), withBrackets })
            foreach (var name in new[] { "BTC-PERPETUAL", "BTC_USDC-PERPETUAL", "BTC-27MAR26-90000-P", "BTC_USDC-27MAR26-120000-C" })
                foreach (double sign in new[] { 1.0, -1.0 })
                {
                    double previousIm = 0, previousMm = 0;
                    double unit = name.Contains("USDC", StringComparison.Ordinal) || name.EndsWith("-P", StringComparison.Ordinal) || name.EndsWith("-C", StringComparison.Ordinal) ? 0.37 : 37_000;
                    for (int k = 1; k <= 300; k++)
                    {
                        var r = Single(model, Book((name, sign * unit * k * k / 10.0)), m);
                        Assert.True(r.InitialMargin > previousIm, $"{name} IM not increasing at step {k}");
                        Assert.True(r.MaintenanceMargin >= previousMm, $"{name} MM decreasing at step {k}");
                        Assert.True(r.MaintenanceMargin <= r.InitialMargin);
                        previousIm = r.InitialMargin;
                        previousMm = r.MaintenanceMargin;
                    }
                }
    }

    [Fact]
    public void BracketMaintenanceThroughTheModelAndItsContinuityInSize()
    {
        var model = new TieredMarginModel(TieredMarginParameters.Deribit with
        {
            MaintenanceBrackets = new Dictionary<string, MaintenanceBrackets> { ["BTC"] = MaintenanceBrackets.BinanceBtcUsdtExample },
        });
        var m = Market();
        // 5 BTC at an index of 100,000 = 500,000 USDC of notional: MM = 500,000 × 1% − 1,300 (Binance's example bracket).
        Assert.Equal(3_700, Single(model, Book(("BTC_USDC-PERPETUAL", 5)), m).MaintenanceMargin, 1e-8);
        // Inverse: 500,000 USD → the same in coin.
        Assert.Equal(3_700 / 100_000.0, Single(model, Book(("BTC-PERPETUAL", -500_000)), m).MaintenanceMargin, 1e-13);
        // Continuity across the 250,000 floor: 2.5 BTC ± 1e-6 BTC moves MM by at most rate·Δnotional.
        double below = Single(model, Book(("BTC_USDC-PERPETUAL", 2.5 - 1e-6)), m).MaintenanceMargin;
        double at = Single(model, Book(("BTC_USDC-PERPETUAL", 2.5)), m).MaintenanceMargin;
        double above = Single(model, Book(("BTC_USDC-PERPETUAL", 2.5 + 1e-6)), m).MaintenanceMargin;
        Assert.Equal(2.5 * 100_000 * 0.005 - 50, at, 1e-8); // 1,200 from either side
        Assert.Equal(at, below, 0.1 * 0.006);
        Assert.Equal(at, above, 0.1 * 0.011);
        Assert.Contains(model.Compute(Book(("BTC_USDC-PERPETUAL", 5)), m)[0].Notes, n => n.Contains("no offsets", StringComparison.Ordinal));
    }

    [Fact]
    public void OpenInterestScalesTheInitialMarginOnly()
    {
        var parameters = TieredMarginParameters.Deribit with
        {
            OpenInterest = new Dictionary<string, OpenInterestScaling> { ["BTC"] = OpenInterestScaling.DydxMidCap },
        };
        var m = Market();
        var book = Book(("BTC_USDC-PERPETUAL", 10));
        var plain = Single(new TieredMarginModel(), book, m);
        // 70M of open notional between caps 40M and 100M: rate r = 2% + 10·0.005% = 2.05% becomes r + 0.5·(1 − r).
        var scaled = Single(new TieredMarginModel(parameters, new Dictionary<string, double> { ["BTC"] = 70e6 }), book, m);
        double r = 0.0205;
        Assert.Equal(1_000_000 * (r + 0.5 * (1 - r)), scaled.InitialMargin, 1e-6);
        Assert.Equal(plain.MaintenanceMargin, scaled.MaintenanceMargin, 1e-9);
        Assert.Equal(plain.InitialMargin, scaled.AddOns.Single(a => a.Name == TieredMarginModel.FuturesAddOn).Amount, 1e-9);
        Assert.Equal(scaled.InitialMargin - plain.InitialMargin, scaled.AddOns.Single(a => a.Name == TieredMarginModel.OpenInterestAddOn).Amount, 1e-6);
        // Below the lower cap nothing changes.
        var low = Single(new TieredMarginModel(parameters, new Dictionary<string, double> { ["BTC"] = 39e6 }), book, m);
        Assert.Equal(plain.InitialMargin, low.InitialMargin, 1e-9);
        // Caps configured without the open notional: a clear error naming the position.
        var e = Assert.Throws<DataValidationException>(() => new TieredMarginModel(parameters).Compute(book, m));
        Assert.Contains("position 0 (BTC_USDC-PERPETUAL)", e.Message);
        Assert.Contains("open notional", e.Message);
    }

    [Fact]
    public void ContributionsSumToImAndIncrementalIsImWithoutThePosition()
    {
        var model = new TieredMarginModel();
        var m = Market();
        var book = Book(
            ("BTC-PERPETUAL", 4_000_000), ("BTC-27MAR26-110000-C", -3), ("BTC-PERPETUAL", -1_500_000), ("BTC-27MAR26-90000-P", 2),
            ("BTC_USDC-PERPETUAL", 7), ("BTC-PERPETUAL", 500_000), ("BTC-27MAR26-110000-C", 1), ("ETH-PERPETUAL", -90_000));
        var results = model.Compute(book, m);
        Assert.Equal(["BTC", "USDC", "ETH"], results.Select(r => r.Currency));
        foreach (var r in results)
        {
            Assert.Equal(r.InitialMargin, r.Positions.Sum(p => p.Contribution), 1e-12 * r.InitialMargin);
            Assert.Equal(r.InitialMargin, r.AddOns.Sum(a => a.Amount), 1e-12 * r.InitialMargin);
        }
        for (int i = 0; i < book.Positions.Count; i++)
        {
            var p = book.Positions[i];
            var result = results.Single(r => r.Currency == p.Instrument.MarginCurrency);
            var without = model.Compute(book.Without(i), m).SingleOrDefault(r => r.Currency == result.Currency);
            double expected = result.InitialMargin - (without?.InitialMargin ?? 0);
            int k = book.Positions.Take(i).Count(q => q.Instrument.MarginCurrency == result.Currency);
            Assert.Equal(expected, result.Positions[k].Incremental, 1e-12 * result.InitialMargin);
        }
        // A lone position in its instrument: contribution = incremental = its own charge.
        var usdc = results.Single(r => r.Currency == "USDC");
        Assert.Equal(usdc.Positions[0].Contribution, usdc.Positions[0].Incremental, 1e-9);
        Assert.Equal(Single(model, Book(("BTC_USDC-PERPETUAL", 7)), m).InitialMargin, usdc.Positions[0].Contribution, 1e-9);
    }

    [Fact]
    public void SameInstrumentPositionsNetAndDifferentInstrumentsAdd()
    {
        var model = new TieredMarginModel();
        var m = Market();
        // Long 4M and short 1.5M + long 0.5M of the same perpetual = a net long of 3M.
        var netted = Single(model, Book(("BTC-PERPETUAL", 4_000_000), ("BTC-PERPETUAL", -1_500_000), ("BTC-PERPETUAL", 500_000)), m);
        var net = Single(model, Book(("BTC-PERPETUAL", 3_000_000)), m);
        Assert.Equal(net.InitialMargin, netted.InitialMargin, 1e-14);
        Assert.Equal(net.MaintenanceMargin, netted.MaintenanceMargin, 1e-14);
        // Pro-rata shares of the net charge: the short gets a negative share.
        Assert.Equal(net.InitialMargin * 4 / 3, netted.Positions[0].Contribution, 1e-14);
        Assert.Equal(-net.InitialMargin * 0.5, netted.Positions[1].Contribution, 1e-14);
        // A flat net: nothing charged, nothing attributed.
        var flat = Single(model, Book(("BTC-PERPETUAL", 1_000_000), ("BTC-PERPETUAL", -1_000_000)), m);
        Assert.Equal(0, flat.InitialMargin);
        Assert.All(flat.Positions, p => Assert.Equal(0, p.Contribution));
        // A perpetual and a dated future do not offset: the margin of the pair is the sum of their margins.
        var pair = Single(model, Book(("BTC-PERPETUAL", 2_000_000), ("BTC-27MAR26", -2_000_000)), Market(marks: new() { ["BTC-PERPETUAL"] = 100_000, ["BTC-27MAR26"] = 101_000 }));
        var mk = Market(marks: new() { ["BTC-PERPETUAL"] = 100_000, ["BTC-27MAR26"] = 101_000 });
        Assert.Equal(Single(model, Book(("BTC-PERPETUAL", 2_000_000)), mk).InitialMargin + Single(model, Book(("BTC-27MAR26", -2_000_000)), mk).InitialMargin,
            pair.InitialMargin, 1e-14);
    }

    [Fact]
    public void OpenOrdersChargeTheWorseOfFilledAndNotFilled()
    {
        var model = new TieredMarginModel();
        var m = Market();
        var positions = new List<Position> { new(Instrument.Parse("BTC_USDC-PERPETUAL"), 10) };
        var orders = new List<Position> { new(Instrument.Parse("BTC_USDC-PERPETUAL"), 5), new(Instrument.Parse("BTC_USDC-PERPETUAL"), -2) };
        var r = Single(model, new Portfolio("USD", new Dictionary<string, double>(), positions, orders), m);
        double filled = Single(model, Book(("BTC_USDC-PERPETUAL", 13)), m).InitialMargin;
        double held = Single(model, Book(("BTC_USDC-PERPETUAL", 10)), m).InitialMargin;
        Assert.Equal(filled, r.InitialMargin, 1e-9);
        Assert.Equal(filled - held, r.AddOns.Single(a => a.Name == TieredMarginModel.OpenOrdersAddOn).Amount, 1e-9);
        Assert.Equal(Single(model, Book(("BTC_USDC-PERPETUAL", 10)), m).MaintenanceMargin, r.MaintenanceMargin, 1e-9);
        // An order that reduces the position adds nothing.
        var reducing = Single(model, new Portfolio("USD", new Dictionary<string, double>(), positions, [new(Instrument.Parse("BTC_USDC-PERPETUAL"), -4)]), m);
        Assert.Equal(held, reducing.InitialMargin, 1e-9);
        Assert.DoesNotContain(reducing.AddOns, a => a.Name == TieredMarginModel.OpenOrdersAddOn);
    }

    [Fact]
    public void BadInputIsAClearErrorNamingThePosition()
    {
        var model = new TieredMarginModel();
        var m = Market();
        var e = Assert.Throws<DataValidationException>(() => model.Compute(Book(("BTC-PERPETUAL", 1000), ("BTC-27FEB26-90000-C", -1)), m));
        Assert.Contains("position 1 (BTC-27FEB26-90000-C)", e.Message);
        Assert.Contains("expired", e.Message);

        e = Assert.Throws<DataValidationException>(() => model.Compute(Book(("XRP_USDC-PERPETUAL", 100)), m));
        Assert.Contains("position 0 (XRP_USDC-PERPETUAL)", e.Message);

        e = Assert.Throws<DataValidationException>(() => model.Compute(Book(("SOL_USDC-27MAR26-200-C", -1)), m));
        Assert.Contains("position 0 (SOL_USDC-27MAR26-200-C)", e.Message);
        Assert.Contains("surface", e.Message);

        e = Assert.Throws<DataValidationException>(() => model.Compute(Book(("BTC-27MAR26-90000-C", -1)), Market(vol: double.NaN)));
        Assert.Contains("implied vol", e.Message);

        e = Assert.Throws<DataValidationException>(() => model.Compute(Book(("BTC_USDC", -1)), m));
        Assert.Contains("short spot", e.Message);
        Assert.Equal(0, Single(model, Book(("BTC_USDC", 2)), m).InitialMargin);

        e = Assert.Throws<DataValidationException>(() => new TieredMarginModel(TieredMarginParameters.Deribit with
        {
            Futures = new Dictionary<string, FuturesMarginRates> { ["BTC"] = new(0.01, 0, 0.02, 0) },
        }));
        Assert.Contains("BTC", e.Message);
        Assert.Throws<DataValidationException>(() => new TieredMarginModel(null, new Dictionary<string, double> { ["BTC"] = -1 }));
        Assert.Throws<DataValidationException>(() => new TieredMarginModel(TieredMarginParameters.Deribit with
        {
            OpenInterest = new Dictionary<string, OpenInterestScaling> { ["BTC"] = new(5, 5) },
        }));
    }
}
