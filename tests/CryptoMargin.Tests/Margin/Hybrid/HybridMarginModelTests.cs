using CryptoMargin.Instruments;
using CryptoMargin.Margin;
using CryptoMargin.Margin.DeribitPm;
using CryptoMargin.Margin.Greeks;
using CryptoMargin.Margin.Hybrid;
using CryptoMargin.MarketData;
using CryptoMargin.Portfolios;
using CryptoMargin.Tests.Margin.Greeks;

namespace CryptoMargin.Tests.Margin.Hybrid;

public class HybridMarginModelTests
{
    /// <summary>
    /// A stand-in model: IM = rate × Σ |size| per margin currency (sizes in their Deribit units), MM = IM/2, Euler shares
    /// rate·|size|, incremental rate·|size|, no scenario. Simple enough that every hybrid figure has a closed form.
    /// </summary>
    private sealed class NotionalModel(string name, double rate) : IMarginModel
    {
        public string Name => name;

        public IReadOnlyList<MarginResult> Compute(Portfolio portfolio, MarketSnapshot market) =>
            portfolio.Positions.GroupBy(p => p.Instrument.MarginCurrency).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g =>
            {
                double im = rate * g.Sum(p => Math.Abs(p.Size));
                return new MarginResult(name, g.Key, im, im / 2, null, [new MarginAddOn("notional charge", im)],
                    g.Select(p => new PositionMargin(p.Instrument.Name, p.Size, null, rate * Math.Abs(p.Size), rate * Math.Abs(p.Size))).ToArray(),
                    ["stand-in"]);
            }).ToArray();
    }

    private static readonly MarketSnapshot Market = GreeksMarginModelTests.Market();

    private static readonly (string, double)[] Legs =
        [("BTC-25SEP26-90000-C", -3), ("BTC-25SEP26-70000-P", -5), ("BTC-PERPETUAL", 40_000), ("BTC-23AUG26-80000-P", -1)];

    private static Portfolio Book(params (string, double)[] legs) => GreeksMarginModelTests.Book(legs);

    private static double Im(IMarginModel model, Portfolio p, string currency = "BTC") =>
        model.Compute(p, Market).FirstOrDefault(r => r.Currency == currency)?.InitialMargin ?? 0;

    [Theory]
    [InlineData(1e-7)] // the notional model is tiny: greeks binds
    [InlineData(1e-3)] // 40,000 USD of perpetual at 1e-3: notional binds
    public void MaxTakesTheLargerModelAndSaysWhichBinds(double rate)
    {
        var greeks = new GreeksMarginModel();
        var notional = new NotionalModel("notional", rate);
        var hybrid = HybridMarginModel.Max(greeks, notional);
        var book = Book(Legs);
        double g = Im(greeks, book), n = Im(notional, book);
        var r = Assert.Single(hybrid.Compute(book, Market));
        Assert.Equal("hybrid", r.Model);
        Assert.Equal(Math.Max(g, n), r.InitialMargin);
        string binding = g >= n ? "greeks" : "notional", other = g >= n ? "notional" : "greeks";
        Assert.Contains(r.AddOns, a => a.Name == $"{binding} IM (binds)" && a.Amount == Math.Max(g, n));
        Assert.Contains(r.AddOns, a => a.Name == $"{other} IM (does not bind)" && a.Amount == Math.Min(g, n));
        Assert.StartsWith($"max(greeks, notional): {binding} binds", r.Notes[0], StringComparison.Ordinal);
        Assert.Equal(g >= n, r.BindingScenario is not null);
        Assert.Equal(r.InitialMargin, r.Positions.Sum(p => p.Contribution), 1e-10 * r.InitialMargin);
        Assert.True(r.MaintenanceMargin <= r.InitialMargin);
        for (int i = 0; i < Legs.Length; i++)
        {
            var without = book.Without(i);
            double expected = r.InitialMargin - Math.Max(Im(greeks, without), Im(notional, without));
            Assert.Equal(expected, r.Positions[i].Incremental, 1e-12);
        }
    }

    [Fact]
    public void MaxEulerContributionsAreTheBindingModelsSizeDerivatives()
    {
        // Reference: q ∂IM/∂q of the hybrid by central differences (the maximum is strict here, so it is differentiable).
        var hybrid = HybridMarginModel.Max(new GreeksMarginModel(), new NotionalModel("notional", 1e-7));
        var r = Assert.Single(hybrid.Compute(Book(Legs), Market));
        for (int i = 0; i < Legs.Length; i++)
        {
            double h = 1e-6;
            var up = Legs.ToArray();
            var down = Legs.ToArray();
            up[i].Item2 *= 1 + h;
            down[i].Item2 *= 1 - h;
            double fd = (Im(hybrid, Book(up)) - Im(hybrid, Book(down))) / (2 * h);
            Assert.Equal(fd, r.Positions[i].Contribution, 1e-6 * r.InitialMargin);
        }
    }

    [Fact]
    public void SumMarginsOptionsAndLinearSeparately()
    {
        // Options by greeks + linear instruments by a notional add-on: IM = greeks(options only) + notional(linear only).
        var greeks = new GreeksMarginModel();
        var notional = new NotionalModel("tiered stand-in", 2e-6);
        var hybrid = HybridMarginModel.Sum(HybridPart.Options(greeks), HybridPart.Linear(notional));
        var book = Book(Legs);
        double options = Im(greeks, Book(Legs.Where(l => !l.Item1.EndsWith("PERPETUAL", StringComparison.Ordinal)).ToArray()));
        double linear = 2e-6 * 40_000;
        var r = Assert.Single(hybrid.Compute(book, Market));
        Assert.Equal(options + linear, r.InitialMargin, 1e-12);
        Assert.Equal(options, r.AddOns.Single(a => a.Name == "options by greeks IM").Amount);
        Assert.Equal(linear, r.AddOns.Single(a => a.Name == "linear by tiered stand-in IM").Amount, 1e-15);
        Assert.Equal(r.InitialMargin, r.AddOns.Where(a => a.Name.EndsWith(" IM", StringComparison.Ordinal)).Sum(a => a.Amount), 1e-12);
        Assert.Equal(r.InitialMargin, r.Positions.Sum(p => p.Contribution), 1e-10 * r.InitialMargin);
        Assert.Equal(0.8 * options + linear / 2, r.MaintenanceMargin, 1e-12);
        Assert.NotNull(r.BindingScenario);
        Assert.Contains("binding scenario from options by greeks", r.Notes[0], StringComparison.Ordinal);
        var perp = r.Positions.Single(p => p.Instrument == "BTC-PERPETUAL");
        Assert.Null(perp.PnlInBindingScenario);
        Assert.Equal(linear, perp.Contribution, 1e-15);
        for (int i = 0; i < Legs.Length; i++)
        {
            var without = book.Without(i);
            double expected = r.InitialMargin - Im(hybrid, without);
            var entry = r.Positions.Single(p => p.Instrument == Legs[i].Item1);
            Assert.Equal(expected, entry.Incremental, 1e-12);
        }
        // The perpetual never hedges the options in this composition (separate parts): removing it saves its own add-on only.
        Assert.Equal(linear, r.Positions.Single(p => p.Instrument == "BTC-PERPETUAL").Incremental, 1e-12);
    }

    [Fact]
    public void IncrementalMarginsFromThePartsEqualRecomputation()
    {
        // Real parts (Deribit-PM and Greeks) and a leg held twice: the hybrid's incremental margins, taken from the parts'
        // own, equal hybrid IM − hybrid IM recomputed from scratch on the account without the position, in both compositions.
        var legs = Legs.Append(("BTC-25SEP26-70000-P", -5.0)).ToArray();
        var book = Book(legs);
        var hybrids = new[]
        {
            HybridMarginModel.Max(new DeribitPortfolioMargin(), new GreeksMarginModel()),
            HybridMarginModel.Max(new GreeksMarginModel(), new NotionalModel("notional", 2e-6)),
            HybridMarginModel.Sum(HybridPart.Options(new DeribitPortfolioMargin()), HybridPart.Linear(new GreeksMarginModel())),
        };
        foreach (var hybrid in hybrids)
        {
            var r = Assert.Single(hybrid.Compute(book, Market));
            Assert.Equal(legs.Length, r.Positions.Count);
            for (int i = 0; i < legs.Length; i++)
            {
                Assert.Equal(legs[i].Item1, r.Positions[i].Instrument);
                Assert.Equal(r.InitialMargin - Im(hybrid, book.Without(i)), r.Positions[i].Incremental, 1e-12);
            }
        }
    }

    [Fact]
    public void SumRejectsPositionsNoPartOrTwoPartsCover()
    {
        var greeks = new GreeksMarginModel();
        var optionsOnly = HybridMarginModel.Sum(HybridPart.Options(greeks));
        var e = Assert.Throws<DataValidationException>(() => optionsOnly.Compute(Book(Legs), Market));
        Assert.Contains("position 2 (BTC-PERPETUAL) is covered by no hybrid part", e.Message);
        var overlapping = HybridMarginModel.Sum(HybridPart.Options(greeks), new HybridPart("everything", new NotionalModel("n", 1), _ => true));
        e = Assert.Throws<DataValidationException>(() => overlapping.Compute(Book(Legs), Market));
        Assert.Contains("position 0 (BTC-25SEP26-90000-C) is covered by two hybrid parts", e.Message);
        Assert.Throws<ArgumentException>(() => HybridMarginModel.Max());
        Assert.Throws<ArgumentException>(() => HybridMarginModel.Max(greeks, greeks));
    }

    [Fact]
    public void OneResultPerMarginCurrency()
    {
        // Inverse BTC options (margined in BTC) and linear USDC perpetuals: each currency has its own binding part.
        var book = Book(("BTC-25SEP26-90000-C", -3), ("BTC_USDC-PERPETUAL", 1), ("ETH_USDC-PERPETUAL", -10));
        var greeks = new GreeksMarginModel();
        var notional = new NotionalModel("notional", 1e-3);
        var results = HybridMarginModel.Max(greeks, notional).Compute(book, Market);
        Assert.Equal(["BTC", "USDC"], results.Select(r => r.Currency));
        foreach (var r in results)
            Assert.Equal(Math.Max(Im(greeks, book, r.Currency), Im(notional, book, r.Currency)), r.InitialMargin);
        Assert.Equal(2, results[1].Positions.Count);
        Assert.Equal(results[1].InitialMargin, results[1].Positions.Sum(p => p.Contribution), 1e-9 * results[1].InitialMargin);
    }
}
