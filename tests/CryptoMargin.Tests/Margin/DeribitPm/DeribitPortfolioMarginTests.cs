using CryptoMargin.Instruments;
using CryptoMargin.Margin;
using CryptoMargin.Margin.DeribitPm;
using CryptoMargin.MarketData;
using CryptoMargin.Portfolios;
using CryptoMargin.Pricing;
using static CryptoMargin.Tests.Margin.DeribitPm.DeribitPmTestMarket;

namespace CryptoMargin.Tests.Margin.DeribitPm;

public class DeribitPortfolioMarginTests
{
    private static readonly DeribitPortfolioMargin Model = new();

    private static double DeltaShock(double deltaCoin, double index, bool inverse) =>
        Math.Abs(deltaCoin) * 0.1 * Math.Min(1, Math.Abs(deltaCoin) * index / 20_000_000) * (inverse ? 1 : index);

    [Fact]
    public void ReproducesThePublishedAggregatedVectorShapeOfALongPerpetual()
    {
        // Deribit's simulate example (https://docs.deribit.com/api-reference/account-management/private-simulate),
        // result.aggregated_risk_vectors.btc_btc: standard = −0.05968587238095239 (×3), −0.04272965863636364 (×3),
        // −0.02724789826086957 (×3), −0.013056284583333334 (×3), then 15 zeros (gains do not offset: pnl_offset 0);
        // extended = 8 zeros (the dampener of 100,000 USD absorbs a small account's tail loss). The page does not give the
        // account's size or the index; a long BTC-PERPETUAL sized to the first entry at 66,500 USD reproduces the rest.
        double[] published = [-0.05968587238095239, -0.04272965863636364, -0.02724789826086957, -0.013056284583333334];
        double s0 = 66_500;
        var market = Create(btc: s0);
        double unit0 = (1 - 1 / 0.84) / s0;
        double q = published[0] / unit0;
        var a = Model.Evaluate(Book(("BTC-PERPETUAL", q)), market);
        var book = Assert.Single(a.Books);
        for (int j = 0; j < 12; j++) Assert.Equal(published[j / 3], book.Standard[j], 1e-15);
        for (int j = 12; j < 27; j++) Assert.Equal(0, book.Standard[j]);
        Assert.All(book.Extended, x => Assert.Equal(0, x));

        var r = Assert.Single(a.Results);
        Assert.Equal("BTC", r.Currency);
        Assert.Equal("deribit-pm", r.Model);
        double deltaShock = DeltaShock(q / s0, s0, inverse: true);
        Assert.Equal(-published[0] + deltaShock, r.InitialMargin, 1e-15);
        Assert.Equal(0.8 * r.InitialMargin, r.MaintenanceMargin, 1e-15);
        Assert.Equal(-0.16, r.BindingScenario!.PriceShock);
        Assert.Equal(published[0], r.BindingScenario.Pnl, 1e-15);
        Assert.Equal(deltaShock, Assert.Single(r.AddOns, x => x.Name == "delta shock").Amount, 1e-18);
    }

    [Fact]
    public void EachCoinCanHaveItsOwnParameterSet()
    {
        // Short inverse perpetuals in BTC and ETH, each margined in its own coin: with per-coin sets each book is shocked by
        // its own price range, and the closed form q/F₀·(1 − 1/(1 + R)) uses that coin's R and mm_factor.
        var market = Create(btc: 90_000, eth: 3_000);
        var model = new DeribitPortfolioMargin(null, new Dictionary<string, DeribitPmParameters>
        {
            ["BTC"] = new() { PriceRange = 0.10, MmFactor = 0.5, MaxDeltaShock = 0 },
            ["ETH"] = new() { PriceRange = 0.25, MaxDeltaShock = 0 },
        });
        var results = model.Compute(Book(("BTC-PERPETUAL", -900_000), ("ETH-PERPETUAL", -300_000)), market).ToDictionary(r => r.Currency);
        Assert.Equal(0.10, results["BTC"].BindingScenario!.PriceShock);
        Assert.Equal(0.25, results["ETH"].BindingScenario!.PriceShock);
        double btc = 900_000 / 90_000.0 * (1 - 1 / 1.10), eth = 300_000 / 3_000.0 * (1 - 1 / 1.25);
        Assert.Equal(btc, results["BTC"].InitialMargin, 1e-12);
        Assert.Equal(0.5 * btc, results["BTC"].MaintenanceMargin, 1e-12);
        Assert.Equal(eth, results["ETH"].InitialMargin, 1e-12);
        Assert.Equal(0.8 * eth, results["ETH"].MaintenanceMargin, 1e-12);
        // A coin without its own set uses the default set (Deribit's values: ±16%).
        Assert.Equal(0.16, Assert.Single(new DeribitPortfolioMargin(null, new Dictionary<string, DeribitPmParameters> { ["ETH"] = new() { PriceRange = 0.25 } })
            .Compute(Book(("BTC-PERPETUAL", -900_000)), market)).BindingScenario!.PriceShock);
    }

    [Fact]
    public void NakedShortInversePerpetualIsChargedItsLossAtTheTopOfTheRange()
    {
        // Short q USD: P&L in coin q/F₀·(1/(1+s) − 1), worst at s = +16%.
        double f0 = 90_000, q = 2_000_000;
        var r = Assert.Single(Model.Compute(Book(("BTC-PERPETUAL", -q)), Create(btc: f0)));
        double loss = q / f0 * (1 - 1 / 1.16);
        Assert.Equal(0.16, r.BindingScenario!.PriceShock);
        Assert.Equal(-loss, r.BindingScenario.Pnl, 1e-14);
        Assert.Equal(loss + DeltaShock(q / f0, f0, true), r.InitialMargin, 1e-14);
        var pos = Assert.Single(r.Positions);
        Assert.Equal(-loss, pos.PnlInBindingScenario!.Value, 1e-14);
        Assert.Equal(r.InitialMargin, pos.Contribution, 1e-14);
        Assert.Equal(r.InitialMargin, pos.Incremental, 1e-14);
    }

    [Fact]
    public void MirrorPortfolioNegatesEveryScenarioAndALinearBookCostsTheSameBothWays()
    {
        var market = Create(btc: 90_000, btcVol: 0.55);
        var gainsCount = new DeribitPortfolioMargin(DeribitPmParameters.Default with { PnlOffset = 1, MaxOffsetablePnl = 1e9, ExtendedDampener = 0 });
        (string, double)[] book = [("BTC-27FEB26-95000-C", -12), ("BTC-27FEB26-80000-P", 7), ("BTC-27MAR26", 250_000), ("BTC-26JUN26-120000-C", 3)];
        var a = gainsCount.Evaluate(Book(book), market).Books[0];
        var b = gainsCount.Evaluate(Book([.. book.Select(p => (p.Item1, -p.Item2))]), market).Books[0];
        for (int j = 0; j < 27; j++) Assert.Equal(-a.Standard[j], b.Standard[j], 1e-12);
        for (int e = 0; e < 8; e++) Assert.Equal(-a.Extended[e], b.Extended[e], 1e-12);
        Assert.Equal(-a.DeltaTotal, b.DeltaTotal, 1e-12);

        // Linear P&L is odd in s on a symmetric grid: long and short cost the same.
        var linear = Create(eth: 3_000);
        var longEth = Assert.Single(Model.Compute(Book(("ETH_USDC-PERPETUAL", 400)), linear));
        var shortEth = Assert.Single(Model.Compute(Book(("ETH_USDC-PERPETUAL", -400)), linear));
        Assert.Equal("USDC", longEth.Currency);
        Assert.Equal(longEth.InitialMargin, shortEth.InitialMargin, 1e-9);
        Assert.Equal(400 * 3_000 * 0.16 + DeltaShock(400, 3_000, false), longEth.InitialMargin, 1e-9);
        Assert.Equal(-longEth.BindingScenario!.PriceShock, shortEth.BindingScenario!.PriceShock);
    }

    [Fact]
    public void DeltaHedgedShortCallCostsLessThanNaked()
    {
        var market = Create(btc: 90_000, btcVol: 0.55);
        var call = (OptionInstrument)Instrument.Parse("BTC-27FEB26-95000-C");
        double t = (call.Expiry - Now).TotalDays / 365;
        var g = Black76.Greeks(90_000, 95_000, t, 0.55, OptionType.Call);
        double coinDelta = 20 * (g.Delta - g.Price / 90_000); // of 20 calls, net transaction delta
        double hedgeUsd = coinDelta * 90_000;                  // a long inverse perp of that coin exposure offsets it
        var naked = Model.Compute(Book(("BTC-27FEB26-95000-C", -20)), market)[0];
        var hedged = Model.Compute(Book(("BTC-27FEB26-95000-C", -20), ("BTC-PERPETUAL", hedgeUsd)), market)[0];
        Assert.True(hedged.InitialMargin < 0.6 * naked.InitialMargin, $"hedged {hedged.InitialMargin} vs naked {naked.InitialMargin}");
        var eval = Model.Evaluate(Book(("BTC-27FEB26-95000-C", -20), ("BTC-PERPETUAL", hedgeUsd)), market);
        Assert.Equal(0, eval.Books[0].DeltaTotal, 1e-9);
        Assert.DoesNotContain(hedged.AddOns, x => x.Name == "delta shock");
    }

    [Fact]
    public void ConversionHasNoScenarioRiskAndIsChargedTheContingencyMinimum()
    {
        // Long call, short put, short K USD of the same-expiry inverse future: by put–call parity the coin P&L is
        // (F₁−K)/F₁ − (F₀−K)/F₀ + K(1/F₁ − 1/F₀) = 0 in every scenario, vol included. Only the contingency minimum
        // (1% of the options' underlying: 0.01 × 2 × 5 BTC) is left.
        var market = Create(btc: 90_000, btcVol: 0.6);
        var r = Model.Compute(Book(("BTC-27MAR26-90000-C", 5), ("BTC-27MAR26-90000-P", -5), ("BTC-27MAR26", -5 * 90_000.0)), market)[0];
        Assert.Equal(0.1, r.InitialMargin, 1e-12);
        Assert.Equal(0.1, Assert.Single(r.AddOns, x => x.Name == "contingency minimum").Amount, 1e-9);
        Assert.Equal(0, r.BindingScenario!.Pnl, 1e-12);
        Assert.Equal(r.InitialMargin, r.Positions.Sum(p => p.Contribution), 1e-12);
        Assert.Contains(r.Notes, n => n.Contains("contingency"));
    }

    [Fact]
    public void CalendarSpreadIsChargedTheRollShockAndNeverLessThanTheFuturesContingency()
    {
        double f = 90_000, q = 3_000_000;
        var market = Create(btc: f); // no basis: both futures at 90,000, their price P&L cancels
        var near = (FutureInstrument)Instrument.Parse("BTC-27MAR26");
        var far = (FutureInstrument)Instrument.Parse("BTC-26JUN26");
        double r1 = Math.Max(0.01, 0.075 * (near.Expiry!.Value - Now).TotalDays / 365);
        double r2 = Math.Max(0.01, 0.075 * (far.Expiry!.Value - Now).TotalDays / 365);
        double up = q / f * ((1 - 1 / (1 + r1)) - (1 - 1 / (1 + r2)));
        double down = q / f * ((1 - 1 / (1 - r1)) - (1 - 1 / (1 - r2)));
        double roll = -Math.Min(up, down);
        var spread = Model.Evaluate(Book(("BTC-27MAR26", q), ("BTC-26JUN26", -q)), market);
        var book = spread.Books[0];
        Assert.Equal(0, book.ScenarioLoss, 1e-15);
        Assert.Equal(roll, book.RollShock, 1e-15);
        Assert.Equal(0.02 * q / f, book.Contingency, 1e-15);
        Assert.Equal(Math.Max(roll, 0.02 * q / f), spread.Results[0].InitialMargin, 1e-15);
        // Netting lowers the margin: the spread costs far less than either leg alone.
        double nearAlone = Model.Compute(Book(("BTC-27MAR26", q)), market)[0].InitialMargin;
        Assert.True(spread.Results[0].InitialMargin < 0.25 * nearAlone);
        // A single expiry carries no roll shock (its basis move is a price move).
        Assert.Equal(0, Model.Evaluate(Book(("BTC-27MAR26", q)), market).Books[0].RollShock);
    }

    [Fact]
    public void LargeShortOutOfTheMoneyPutIsChargedByTheExtendedTable()
    {
        // 500 short 45k puts, 45 days, spot 90k: within ±16% they stay far out of the money; at −66% with vol up they are
        // deep in. Extended P&L = weight × coin P&L × (1 + m) (the coin P&L valued at the shocked price, in today's coin),
        // weight = 0.16/0.66, less the 100,000 USD dampener (in BTC at the index).
        double s = 90_000, sigma = 0.6;
        var market = Create(btc: s, btcVol: sigma);
        var put = (OptionInstrument)Instrument.Parse("BTC-1MAR26-45000-P");
        double t = 45 / 365.0;
        double volUp = sigma * (1 + 0.5 * Math.Pow(30 / 45.0, 0.13));
        double f1 = s * 0.34;
        double pnl = -500 * (Black76.Price(f1, 45_000, t, volUp, OptionType.Put) / f1 - Black76.Price(s, 45_000, t, sigma, OptionType.Put) / s);
        double charged = 0.16 / 0.66 * 0.34 * pnl + 100_000 / s;
        var r = Model.Compute(Book((put.Name, -500)), market)[0];
        Assert.Equal("extended -66% vol up", r.BindingScenario!.Name);
        Assert.Equal(charged, r.BindingScenario.Pnl, 1e-9);
        Assert.Equal(-0.66, r.BindingScenario.PriceShock);
        Assert.Equal(0.5, r.BindingScenario.VolShock);
        var pos = Assert.Single(r.Positions);
        Assert.Equal(0.16 / 0.66 * 0.34 * pnl, pos.PnlInBindingScenario!.Value, 1e-9);
        Assert.Equal(r.InitialMargin, pos.Contribution, 1e-9);
        Assert.Contains(r.Notes, n => n.Contains("extended table binds"));
    }

    [Fact]
    public void ExtendedTableDoesNotBindForALargeInverseFuture()
    {
        // A long inverse perpetual far beyond the dampener: its tail loss measured at the shocked price and weighted is
        // 0.16·q/F₀ at every extended move, below its standard-table loss q/F₀(1/0.84 − 1).
        double f0 = 90_000, q = 500_000_000;
        var a = Model.Evaluate(Book(("BTC-PERPETUAL", q)), Create(btc: f0));
        var book = a.Books[0];
        for (int e = 0; e < 8; e++)
        {
            double m = DeribitPmParameters.Default.ExtendedMoves[e];
            double expected = m < 0 ? Math.Min(0, -0.16 * q / f0 + 100_000 / f0) : 0;
            Assert.Equal(expected, book.Extended[e], 1e-9);
        }
        Assert.Equal("price -16% vol down", a.Results[0].BindingScenario!.Name);
    }

    [Fact]
    public void DeltaShockGrowsWithSizeUpToItsCap()
    {
        var market = Create(btc: 90_000);
        foreach (var coins in new[] { 10.0, 100.0, 1_000.0 })
        {
            var r = Model.Compute(Book(("BTC_USDC-PERPETUAL", coins)), market)[0];
            double expected = coins * 90_000 * 0.1 * Math.Min(1, coins * 90_000 / 20_000_000);
            Assert.Equal(expected, Assert.Single(r.AddOns, x => x.Name == "delta shock").Amount, 1e-6);
            Assert.Equal(coins * 90_000 * 0.16 + expected, r.InitialMargin, 1e-6);
        }
    }

    [Fact]
    public void ContributionsSumToInitialMarginAndIncrementalIsTheMarginWithoutThePosition()
    {
        var market = Create(btc: 90_000, eth: 3_000, basis: 0.08);
        var portfolio = Book(
            ("BTC-27FEB26-95000-C", -30), ("BTC-27FEB26-85000-P", -25), ("BTC-27MAR26", 1_200_000), ("BTC-PERPETUAL", -400_000),
            ("BTC-26JUN26-70000-P", 10), ("ETH-27MAR26-2500-P", -200), ("ETH-PERPETUAL", 90_000),
            ("BTC_USDC-PERPETUAL", 3), ("ETH_USDC-27MAR26-3500-C", -40));
        var results = Model.Compute(portfolio, market);
        Assert.Equal(["BTC", "ETH", "USDC"], results.Select(r => r.Currency).Order());
        foreach (var r in results)
        {
            Assert.Equal(r.InitialMargin, r.Positions.Sum(p => p.Contribution), 1e-9 * Math.Max(1, r.InitialMargin));
            Assert.True(r.InitialMargin >= 0 && r.MaintenanceMargin <= r.InitialMargin);
            foreach (var p in r.Positions)
            {
                int i = portfolio.Positions.ToList().FindIndex(x => x.Instrument.Name == p.Instrument);
                var without = Model.Compute(portfolio.Without(i), market).FirstOrDefault(x => x.Currency == r.Currency);
                Assert.Equal(r.InitialMargin - (without?.InitialMargin ?? 0), p.Incremental, 1e-9 * Math.Max(1, r.InitialMargin));
            }
        }
        // Two underlyings margined in USDC: their books add up.
        var usdc = results.Single(r => r.Currency == "USDC");
        double btcAlone = Model.Compute(Book(("BTC_USDC-PERPETUAL", 3)), market)[0].InitialMargin;
        double ethAlone = Model.Compute(Book(("ETH_USDC-27MAR26-3500-C", -40)), market)[0].InitialMargin;
        Assert.Equal(btcAlone + ethAlone, usdc.InitialMargin, 1e-9);
    }

    [Fact]
    public void NeverBelowTheContingencyMinimumOnRandomBooks()
    {
        var market = Create(btc: 90_000, btcVol: 0.5, basis: 0.05);
        string[] options = ["BTC-27FEB26-80000-P", "BTC-27FEB26-90000-C", "BTC-27FEB26-90000-P", "BTC-27MAR26-100000-C", "BTC-26JUN26-60000-P"];
        string[] futures = ["BTC-PERPETUAL", "BTC-27MAR26", "BTC-26JUN26"];
        var rng = new Random(20260115);
        for (int trial = 0; trial < 40; trial++)
        {
            var positions = new List<(string, double)>();
            foreach (var o in options) if (rng.NextDouble() < 0.6) positions.Add((o, Math.Round((rng.NextDouble() - 0.5) * 40, 1)));
            foreach (var f in futures) if (rng.NextDouble() < 0.6) positions.Add((f, Math.Round((rng.NextDouble() - 0.5) * 4e6)));
            if (positions.Count == 0) continue;
            var portfolio = Book([.. positions]);
            var r = Model.Compute(portfolio, market)[0];
            // Contingency recomputed here: 1% × Σ|option size| (coin) + 2% × min(long, short) futures coin exposure.
            double optionBase = positions.Where(p => options.Contains(p.Item1)).Sum(p => Math.Abs(p.Item2));
            double longs = 0, shorts = 0;
            foreach (var (name, size) in positions.Where(p => futures.Contains(p.Item1)))
            {
                double coin = size / market.UnderlyingPrice(Instrument.Parse(name));
                if (coin > 0) longs += coin; else shorts -= coin;
            }
            double floor = 0.01 * optionBase + 0.02 * Math.Min(longs, shorts);
            Assert.True(r.InitialMargin >= floor - 1e-12, $"trial {trial}: IM {r.InitialMargin} < contingency {floor}");
            Assert.Equal(r.InitialMargin, r.Positions.Sum(p => p.Contribution), 1e-9);
            Assert.True(r.InitialMargin >= -r.BindingScenario!.Pnl - 1e-12);
        }
    }

    [Fact]
    public void OpenOrdersAreChargedWhenTheyAddRisk()
    {
        var market = Create(btc: 90_000);
        var positions = new List<Position> { new(Instrument.Parse("BTC-PERPETUAL"), 1_000_000) };
        var risky = new Portfolio("BTC", new Dictionary<string, double>(), positions, [new Position(Instrument.Parse("BTC-PERPETUAL"), 500_000)]);
        var reducing = new Portfolio("BTC", new Dictionary<string, double>(), positions, [new Position(Instrument.Parse("BTC-PERPETUAL"), -500_000)]);
        double alone = Model.Compute(Book(("BTC-PERPETUAL", 1_000_000)), market)[0].InitialMargin;
        double filled = Model.Compute(Book(("BTC-PERPETUAL", 1_500_000)), market)[0].InitialMargin;
        Assert.Equal(filled, Model.Compute(risky, market)[0].InitialMargin, 1e-15);
        Assert.Equal(alone, Model.Compute(reducing, market)[0].InitialMargin, 1e-15);
    }

    [Fact]
    public void UnvaluablePositionIsNamed()
    {
        var market = Create();
        var ex = Assert.Throws<DataValidationException>(() => Model.Compute(Book(("BTC-PERPETUAL", 10), ("BTC-2JAN26-90000-C", 1)), market));
        Assert.Contains("position 1 (BTC-2JAN26-90000-C)", ex.Message);
        var noSurface = Assert.Throws<DataValidationException>(() => Model.Compute(Book(("SOL-PERPETUAL", 10)), market));
        Assert.Contains("position 0 (SOL-PERPETUAL)", noSurface.Message);
    }
}
