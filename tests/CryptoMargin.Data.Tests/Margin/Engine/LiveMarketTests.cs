using CryptoMargin.Data.Options;
using CryptoMargin.Instruments;
using CryptoMargin.Margin.Engine;
using CryptoMargin.Margin.Scenarios;
using CryptoMargin.Pricing;

namespace CryptoMargin.Data.Tests.Margin.Engine;

/// <summary>
/// The real-time engine on the shipped Deribit snapshot (samples/options, 2026-08-22 09:35:36 UTC): the live universe
/// against counts and medians taken independently with Python's csv/gzip modules, and the engine's margins against a
/// per-position full revaluation on accounts drawn over all 1,994 live instruments.
/// </summary>
public class LiveMarketTests
{
    private static readonly Lazy<LiveMarket> Market = new(() => LiveMarket.FromChains(
    [
        OptionChainReader.Read(Options.SampleOptionChainTests.SamplePath, "BTC"),
        OptionChainReader.Read(Options.SampleOptionChainTests.SamplePath, "ETH"),
    ]));

    [Fact]
    public void UniverseHoldsEveryOptionTheListedFuturesAndFourPerpetuals()
    {
        var m = Market.Value;
        // Python: 1,038 BTC + 930 ETH options (all expire after the snapshot), 11 listed futures per coin as underlyings.
        Assert.Equal(1968, m.Instruments.Count(i => i is OptionInstrument));
        Assert.Equal(22, m.Instruments.Count(i => i is FutureInstrument { IsPerpetual: false }));
        Assert.Equal(4, m.Instruments.Count(i => i is FutureInstrument { IsPerpetual: true }));
        // Python medians of `underlying` per `underlying_name`, and of `index_price` per currency.
        Assert.Equal(77536.84, m.Snapshot.FuturesMarks["BTC-25SEP26"], 1e-9);
        Assert.Equal(2497.4, m.Snapshot.FuturesMarks["ETH-25JUN27"], 1e-9);
        Assert.Equal(77193.92, m.Snapshot.Index("BTC"), 1e-9);
        Assert.Equal(2421.66, m.Snapshot.Index("ETH"), 1e-9);
        Assert.Equal(m.Snapshot.Index("BTC"), m.Snapshot.UnderlyingPrice(Instrument.Parse("BTC_USDC-PERPETUAL")));
    }

    [Fact]
    public void SurfaceRepricesTheSnapshotsMarkIvs()
    {
        var m = Market.Value;
        foreach (var coin in new[] { "BTC", "ETH" })
        {
            var chain = OptionChainReader.Read(Options.SampleOptionChainTests.SamplePath, coin);
            var errors = chain.Quotes.Where(q => q.MarkIv is > 0 && Math.Abs(Math.Log(q.Strike / q.Forward)) < 0.2)
                .Select(q => Math.Abs(m.Snapshot.Surface(coin).ImpliedVolatility(q.Strike, m.Snapshot.YearsTo(q.Expiry!.Value)) - q.MarkIv!.Value))
                .Order().ToArray();
            // Near the money (|ln K/F| < 0.2) the SVI fits sit within a vol point of Deribit's marks for most quotes.
            Assert.True(errors[errors.Length / 2] < 0.01, $"{coin}: median |IV error| {errors[errors.Length / 2]}");
        }
    }

    [Fact]
    public void EngineMarginEqualsPerPositionFullRevaluationOnTheSnapshot()
    {
        var m = Market.Value;
        var grid = RealtimeScenarioGrid.DeribitStyle;
        var engine = new RealtimeMarginEngine(m.Instruments, grid);
        engine.Revalue(m.Snapshot);
        var book = AccountPopulation.Generate(engine.Instruments, 40, 100, seed: 2026);
        int C = engine.Currencies.Count;
        Assert.Equal(["BTC", "USDC", "ETH"], engine.Currencies);
        var im = new double[book.Count * C];
        engine.ComputeAll(book, im);
        var scenarios = grid.Scenarios();
        for (int a = 0; a < book.Count; a++)
        {
            var pnl = new double[C, scenarios.Count];
            var contingency = new double[C];
            var idx = book.InstrumentsOf(a);
            var size = book.SizesOf(a);
            for (int p = 0; p < idx.Length; p++)
            {
                var inst = engine.Instruments[idx[p]];
                int c = engine.Currencies.ToList().IndexOf(inst.MarginCurrency);
                double f0 = m.Snapshot.UnderlyingPrice(inst), t = 0, vol = 0;
                if (inst is OptionInstrument o)
                {
                    t = m.Snapshot.YearsTo(o.Expiry);
                    vol = m.Snapshot.Surface(o.Currency).ImpliedVolatility(o.Strike, t);
                    contingency[c] += 0.01 * Math.Abs(size[p]);
                }
                for (int s = 0; s < scenarios.Count; s++)
                {
                    double days = t * 365, v = scenarios[s].VolShock;
                    double vol1 = v == 0 ? vol : vol * Math.Max(0.1, 1 + v * Math.Pow(30 / days, days < 30 ? 0.5 : 0.3));
                    pnl[c, s] += size[p] * scenarios[s].Weight * Revaluation.UnitPnl(inst, f0, t, vol, scenarios[s].PriceShock, vol1);
                }
            }
            for (int c = 0; c < C; c++)
            {
                double worst = 0;
                for (int s = 0; s < scenarios.Count; s++) worst = Math.Min(worst, pnl[c, s]);
                double expected = -worst + contingency[c];
                Assert.True(Math.Abs(im[a * C + c] - expected) <= 1e-9 * expected, $"account {a} {engine.Currencies[c]}: {im[a * C + c]:R} vs {expected:R}");
            }
        }
    }
}
