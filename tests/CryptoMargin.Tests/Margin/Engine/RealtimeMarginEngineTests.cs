using CryptoMargin.Instruments;
using CryptoMargin.MarketData;
using CryptoMargin.Margin.Engine;
using CryptoMargin.Margin.Scenarios;

namespace CryptoMargin.Tests.Margin.Engine;

public class RealtimeMarginEngineTests
{
    private static (RealtimeMarginEngine Engine, MarketSnapshot Market) Engine(RealtimeScenarioGrid? grid = null)
    {
        var (instruments, market) = SyntheticMarket.Build();
        var engine = new RealtimeMarginEngine(instruments, grid ?? RealtimeScenarioGrid.DeribitStyle);
        engine.Revalue(market);
        return (engine, market);
    }

    /// <summary>
    /// The straightforward reference: per margin currency, per scenario, the sum over positions of size × weight ×
    /// <see cref="Revaluation.UnitPnl"/> (scalar Black-76), σ₁ = σ₀·max(0.1, 1 + v(30/DTE)^p) written out here; IM = the
    /// largest loss (≥ 0) + 0.01 × |size| × one unit of underlying value per option position.
    /// </summary>
    private static Dictionary<string, double> Reference(IReadOnlyList<Instrument> instruments, MarketSnapshot market,
        ReadOnlySpan<int> idx, ReadOnlySpan<double> size, RealtimeScenarioGrid grid)
    {
        var scenarios = grid.Scenarios();
        var pnl = new Dictionary<string, double[]>();
        var contingency = new Dictionary<string, double>();
        for (int p = 0; p < idx.Length; p++)
        {
            var inst = instruments[idx[p]];
            string c = inst.MarginCurrency;
            if (!pnl.ContainsKey(c)) { pnl[c] = new double[scenarios.Count]; contingency[c] = 0; }
            double f0 = market.UnderlyingPrice(inst), t = 0, vol = 0;
            if (inst is OptionInstrument o)
            {
                t = market.YearsTo(o.Expiry);
                vol = market.Surface(o.Currency).ImpliedVolatility(o.Strike, t);
                contingency[c] += 0.01 * Math.Abs(size[p]) * (o.IsInverse ? 1 : f0);
            }
            double days = t * 365;
            for (int s = 0; s < scenarios.Count; s++)
            {
                var sc = scenarios[s];
                double power = days < 30 ? 0.5 : 0.3;
                double vol1 = sc.VolShock == 0 ? vol : vol * Math.Max(0.1, 1 + sc.VolShock * Math.Pow(30 / days, power));
                pnl[c][s] += size[p] * sc.Weight * Revaluation.UnitPnl(inst, f0, t, vol, sc.PriceShock, vol1);
            }
        }
        return pnl.ToDictionary(kv => kv.Key, kv => Math.Max(0, -kv.Value.Min()) + contingency[kv.Key]);
    }

    [Fact]
    public void AccountMarginEqualsPerPositionFullRevaluation()
    {
        var (engine, market) = Engine();
        var book = AccountPopulation.Generate(engine.Instruments, 200, 40, seed: 7);
        int C = engine.Currencies.Count;
        var im = new double[book.Count * C];
        engine.ComputeAll(book, im);
        Span<double> one = stackalloc double[C];
        int checkedFigures = 0;
        for (int a = 0; a < book.Count; a++)
        {
            var reference = Reference(engine.Instruments, market, book.InstrumentsOf(a), book.SizesOf(a), engine.Grid);
            engine.Compute(book, a, one, default);
            for (int c = 0; c < C; c++)
            {
                double expected = reference.GetValueOrDefault(engine.Currencies[c]);
                Assert.True(Math.Abs(im[a * C + c] - expected) <= 1e-9 * Math.Abs(expected),
                    $"account {a} {engine.Currencies[c]}: engine {im[a * C + c]:R}, reference {expected:R}");
                Assert.Equal(im[a * C + c], one[c]);
                if (expected > 0) checkedFigures++;
            }
        }
        Assert.True(checkedFigures > 500, $"only {checkedFigures} non-zero margins compared");
    }

    [Fact]
    public void AGridOtherThan35ScenariosTakesTheGenericKernelAndStillMatchesTheReference()
    {
        // 5 buckets × 3 + 3 extended = 18 scenarios, stride 20: not the unrolled 36-lane kernel.
        var grid = new RealtimeScenarioGrid { PriceRange = 0.2, PriceSteps = 5, ExtendedMoves = [-0.5, 1.0, 3.0] };
        var (engine, market) = Engine(grid);
        Assert.Equal(20, engine.Stride);
        var book = AccountPopulation.Generate(engine.Instruments, 50, 30, seed: 3);
        int C = engine.Currencies.Count;
        var im = new double[book.Count * C];
        engine.ComputeAll(book, im);
        for (int a = 0; a < book.Count; a++)
        {
            var reference = Reference(engine.Instruments, market, book.InstrumentsOf(a), book.SizesOf(a), grid);
            for (int c = 0; c < C; c++)
            {
                double expected = reference.GetValueOrDefault(engine.Currencies[c]);
                Assert.True(Math.Abs(im[a * C + c] - expected) <= 1e-9 * expected, $"account {a} {engine.Currencies[c]}: {im[a * C + c]:R} vs {expected:R}");
            }
        }
    }

    [Fact]
    public void ScenarioMatrixRowsEqualUnitPnlOfEveryInstrument()
    {
        var (engine, market) = Engine();
        var scenarios = engine.Grid.Scenarios();
        for (int i = 0; i < engine.Instruments.Count; i++)
        {
            var inst = engine.Instruments[i];
            double f0 = market.UnderlyingPrice(inst), t = 0, vol = 0;
            if (inst is OptionInstrument o) { t = market.YearsTo(o.Expiry); vol = market.Surface(o.Currency).ImpliedVolatility(o.Strike, t); }
            var row = engine.UnitPnl(i);
            for (int s = 0; s < scenarios.Count; s++)
            {
                double expected = scenarios[s].Weight * Revaluation.UnitPnl(inst, f0, t, vol, scenarios[s].PriceShock,
                    vol * engine.Grid.VolMultiplier(scenarios[s].VolShock, t * 365));
                // Batch vs scalar Black-76 differ by ~1e-14 relative of the price; the P&L is a difference of two prices.
                double scale = inst is OptionInstrument ? 1e-12 * (Math.Abs(Revaluation.UnitValue(inst, f0, t, vol)) + Math.Abs(expected)) : 0;
                Assert.True(Math.Abs(row[s] - expected) <= scale + 1e-15 * Math.Abs(expected), $"{inst.Name} scenario {s}: {row[s]:R} vs {expected:R}");
            }
            for (int s = scenarios.Count; s < engine.Stride; s++) Assert.Equal(0.0, row[s]);
        }
    }

    [Fact]
    public void InverseFutureMarginIsTheClosedFormCoinLossAtTheWorstMove()
    {
        // Short 100,000 USD of BTC-PERPETUAL at F0: the worst scenario is the largest up move s (+500 % on the extended
        // table at weight ¼, or +16 %): P&L = (q/F0)(1/(1+s) − 1) (Revaluation's short formula), weighted.
        var (engine, market) = Engine();
        int i = engine.IndexOf("BTC-PERPETUAL");
        double f0 = market.Index("BTC"), q = 100_000;
        var book = new AccountBook([0, 1], [i], [-q], engine.Instruments.Count);
        double main = -q / f0 * (1 / 1.16 - 1), extended = -0.25 * q / f0 * (1 / 6.0 - 1);
        var im = new double[engine.Currencies.Count];
        engine.Compute(book, 0, im, default);
        Assert.Equal(Math.Max(main, extended), im[engine.Currencies.ToList().IndexOf("BTC")], 1e-15);
    }

    [Fact]
    public void OffsettingPositionsNetToZeroAndAMirrorImageKeepsEachSidesLoss()
    {
        var (engine, _) = Engine();
        int perp = engine.IndexOf("ETH-PERPETUAL"), call = engine.Instruments.ToList().FindIndex(x => x is OptionInstrument { Currency: "ETH", IsInverse: true });
        var hedged = new AccountBook([0, 2], [perp, perp], [50_000, -50_000], engine.Instruments.Count);
        var im = new double[engine.Currencies.Count];
        engine.Compute(hedged, 0, im, default);
        Assert.All(im, x => Assert.Equal(0.0, x));
        // Long and short one option: the short's margin is at least the long's (a long option's loss is capped by its value).
        var both = new AccountBook([0, 1, 2], [call, call], [5, -5], engine.Instruments.Count);
        var two = new double[2 * engine.Currencies.Count];
        engine.ComputeAll(both, two);
        int eth = engine.Currencies.ToList().IndexOf("ETH"), C = engine.Currencies.Count;
        Assert.True(two[C + eth] >= two[eth]);
        Assert.True(two[eth] > 0);
    }

    [Fact]
    public void EmptyAccountHasZeroMargin()
    {
        var (engine, _) = Engine();
        int C = engine.Currencies.Count;
        var book = new AccountBook([0, 0, 1, 1], [engine.IndexOf("BTC-PERPETUAL")], [10_000], engine.Instruments.Count);
        var im = new double[3 * C];
        var binding = new int[3 * C];
        engine.ComputeAll(book, im, binding);
        for (int c = 0; c < C; c++)
        {
            Assert.Equal(0.0, im[c]);
            Assert.Equal(-1, binding[c]);
            Assert.Equal(0.0, im[2 * C + c]);
        }
        Assert.True(im[C + engine.Currencies.ToList().IndexOf("BTC")] > 0);
        Assert.Empty(engine.Explain(book, 0));
    }

    [Fact]
    public void PopulationIsDeterministicForASeed()
    {
        var (instruments, _) = SyntheticMarket.Build();
        var a = AccountPopulation.Generate(instruments, 300, 25, seed: 42);
        var b = AccountPopulation.Generate(instruments, 300, 25, seed: 42);
        var c = AccountPopulation.Generate(instruments, 300, 25, seed: 43);
        Assert.True(a.InstrumentIndices.SequenceEqual(b.InstrumentIndices));
        Assert.True(a.Sizes.SequenceEqual(b.Sizes));
        Assert.False(a.Sizes.SequenceEqual(c.Sizes));
        Assert.Equal(300 * 25, a.PositionCount);
        for (int k = 0; k < a.Count; k++)
        {
            var idx = a.InstrumentsOf(k);
            for (int p = 1; p < idx.Length; p++) Assert.True(idx[p] > idx[p - 1], "an account holds each instrument once, sorted");
        }
        // Sizes on the venue's steps: 10 USD for inverse futures, 0.1 BTC / 1 ETH otherwise.
        for (int p = 0; p < a.PositionCount; p++)
        {
            var inst = instruments[a.InstrumentIndices[p]];
            double step = inst.SizeUnit == "USD" ? 10 : inst.Currency == "BTC" ? 0.1 : 1;
            double steps = Math.Abs(a.Sizes[p]) / step;
            Assert.True(steps >= 1 - 1e-9 && Math.Abs(steps - Math.Round(steps)) < 1e-6, $"{inst.Name}: size {a.Sizes[p]}");
        }
    }

    [Fact]
    public void EulerContributionsSumToMarginAndIncrementalIsMarginWithoutThePosition()
    {
        var (engine, market) = Engine();
        var book = AccountPopulation.Generate(engine.Instruments, 5, 30, seed: 11);
        for (int a = 0; a < book.Count; a++)
        {
            var idx = book.InstrumentsOf(a).ToArray();
            var size = book.SizesOf(a).ToArray();
            foreach (var result in engine.Explain(book, a))
            {
                Assert.Equal(result.InitialMargin, result.Positions.Sum(p => p.Contribution), 1e-9 * result.InitialMargin);
                Assert.Equal(0.8 * result.InitialMargin, result.MaintenanceMargin, 1e-12);
                var first = result.Positions[0];
                int k = Array.FindIndex(idx, i => engine.Instruments[i].Name == first.Instrument);
                var without = Reference(engine.Instruments, market, idx.Where((_, j) => j != k).ToArray(),
                    size.Where((_, j) => j != k).ToArray(), engine.Grid);
                double expected = result.InitialMargin - without.GetValueOrDefault(result.Currency);
                Assert.True(Math.Abs(first.Incremental - expected) <= 1e-9 * result.InitialMargin);
                if (result.BindingScenario is { } s)
                    Assert.Equal(s.Pnl, result.Positions.Sum(p => p.PnlInBindingScenario!.Value), 1e-9 * result.InitialMargin);
            }
        }
    }

    [Fact]
    public void DefaultGridHas35ScenariosWithSymmetricPriceBucketsAndTermScaledVol()
    {
        var grid = RealtimeScenarioGrid.DeribitStyle;
        var s = grid.Scenarios();
        Assert.Equal(35, s.Count);
        var main = s.Where(x => !x.IsExtended).Select(x => x.PriceShock).Distinct().Order().ToArray();
        Assert.Equal(9, main.Length);
        for (int i = 0; i < 9; i++) Assert.Equal(-main[8 - i], main[i], 1e-15);
        Assert.Equal(0.0, main[4]);
        Assert.Equal(0.16, main[8], 1e-15);
        Assert.All(s.Where(x => x.IsExtended), x => { Assert.Equal(grid.VolUp, x.VolShock); Assert.Equal(0.25, x.Weight); });
        // IV·(1 + k(30/DTE)^p): exactly k at 30 days; p = ½ below 30 days, 0.3 above.
        Assert.Equal(1.4, grid.VolMultiplier(0.4, 30), 1e-15);
        Assert.Equal(1 + 0.4 * Math.Sqrt(2), grid.VolMultiplier(0.4, 15), 1e-15);
        Assert.Equal(1 + 0.4 * Math.Pow(0.25, 0.3), grid.VolMultiplier(0.4, 120), 1e-15);
        Assert.Equal(0.1, grid.VolMultiplier(-0.25, 0.5), 1e-15);  // floored
    }

    [Fact]
    public void BadInputNamesWhatIsWrong()
    {
        var (engine, market) = Engine();
        int n = engine.Instruments.Count;
        var e1 = Assert.Throws<DataValidationException>(() => new AccountBook([0, 1, 2], [0, n], [1, 1], n));
        Assert.Contains("account 1, position 0: instrument index", e1.Message);
        var e2 = Assert.Throws<DataValidationException>(() => new AccountBook([0, 1], [0], [double.NaN], n));
        Assert.Contains("account 0, position 0: size NaN", e2.Message);
        var e3 = Assert.Throws<DataValidationException>(() => engine.IndexOf("BTC-1JAN20"));
        Assert.Contains("unknown instrument BTC-1JAN20", e3.Message);
        var later = market with { ValuationTime = market.ValuationTime.AddDays(2) };
        var e4 = Assert.Throws<DataValidationException>(() => engine.Revalue(later));
        Assert.Contains("expired", e4.Message);
        Assert.Contains("-23AUG26-", e4.Message);
        var fresh = new RealtimeMarginEngine(engine.Instruments, engine.Grid);
        Assert.Throws<InvalidOperationException>(() => fresh.ComputeAll(new AccountBook([0], [], [], n), new double[0]));
        var e5 = Assert.Throws<DataValidationException>(() => new RealtimeScenarioGrid { VolDown = -1.5 }.Scenarios());
        Assert.Contains("VolDown", e5.Message);
        Assert.Throws<ArgumentException>(() => engine.ComputeAll(new AccountBook([0, 0], [], [], n), new double[1]));
    }
}
