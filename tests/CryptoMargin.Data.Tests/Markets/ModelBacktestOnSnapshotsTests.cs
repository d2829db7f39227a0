using CryptoMargin.Calibration.Grid;
using CryptoMargin.Data.Markets;
using CryptoMargin.Data.Options;
using CryptoMargin.Margin;
using CryptoMargin.Margin.DeribitPm;
using CryptoMargin.Margin.Greeks;
using CryptoMargin.Margin.Hybrid;
using CryptoMargin.Margin.Span;
using CryptoMargin.Margin.Tiered;
using CryptoMargin.MarketData;
using CryptoMargin.MarketData.Options;

namespace CryptoMargin.Data.Tests.Markets;

/// <summary>The margin models run through Deribit snapshots by the grid backtest (issue 5 §3): the per-day market and the adapter.</summary>
public class ModelBacktestOnSnapshotsTests
{
    /// <summary>A market built from the chains alone is the one the snapshot file gives when no futures files lie beside it.</summary>
    [Fact]
    public void MarketFromChainsIsTheSnapshotFilesMarketWithoutFuturesFiles()
    {
        using var dir = new TempFolder();
        var copy = dir.File(Path.GetFileName(SampleMarket.SnapshotPath));
        File.Copy(SampleMarket.SnapshotPath, copy);
        var fromFile = MarketSnapshotLoader.Load(copy).Snapshot;
        var fromChains = MarketSnapshotLoader.FromChains([OptionChainReader.Read(copy, "BTC"), OptionChainReader.Read(copy, "ETH")], copy).Snapshot;
        Assert.Equal(fromFile.ValuationTime, fromChains.ValuationTime);
        Assert.Equal(fromFile.IndexPrices, fromChains.IndexPrices);
        Assert.Equal(fromFile.FuturesMarks, fromChains.FuturesMarks);
        foreach (var coin in new[] { "BTC", "ETH" })
        {
            var a = fromFile.Surface(coin);
            var b = fromChains.Surface(coin);
            double s = fromFile.Index(coin);
            foreach (double t in new[] { 7 / 365.0, 30 / 365.0, 90 / 365.0 })
            {
                Assert.Equal(a.Forward(t), b.Forward(t), 12);
                foreach (double m in new[] { 0.8, 1.0, 1.2 }) Assert.Equal(a.ImpliedVolatility(m * s, t), b.ImpliedVolatility(m * s, t), 12);
            }
        }
    }

    [Fact]
    public void MarketFromChainsNamesWhatIsMissing()
    {
        var ex = Assert.Throws<DataValidationException>(() => MarketSnapshotLoader.FromChains([new OptionChain(null, "BTC", [], false)], "day.csv"));
        Assert.Contains("valuation time", ex.Message, StringComparison.Ordinal);
        Assert.Throws<DataValidationException>(() => MarketSnapshotLoader.FromChains([], "day.csv"));
    }

    /// <summary>
    /// Four real consecutive days (skips without ../shared/data): every model margins every sampled book, the short
    /// straddle is charged by every model, and the hybrid is the larger of its two parts on each book (its definition,
    /// max(Deribit-PM, Greeks), checked through the adapter's unit conversion).
    /// </summary>
    [Fact]
    public void EveryModelMarginsRealBooksOnFourSnapshotDays()
    {
        string daily = Path.Combine(Repo.SharedData, "deribit-options-snapshots", "daily");
        Assert.SkipUnless(Directory.Exists(daily), "shared data folder ../shared/data/deribit-options-snapshots/daily is absent");
        var files = Directory.GetFiles(daily, "deribit_options_snapshot_*.csv.gz").Order(StringComparer.Ordinal).Skip(100).Take(4).ToList();
        Assert.SkipUnless(files.Count == 4, "fewer than 4 snapshots in the shared data");
        var chains = files.Select(f => OptionChainReader.Read(f, "BTC")).ToList();
        var markets = new Dictionary<OptionChain, MarketSnapshot>(ReferenceEqualityComparer.Instance);
        foreach (var c in chains) markets[c] = MarketSnapshotLoader.FromChains([c], "test").Snapshot;
        MarketSnapshot Market(OptionChain c) => markets[c];
        IMarginModel[] models =
        [
            new TieredMarginModel(), new SpanMarginModel(), new DeribitPortfolioMargin(new DeribitPmParameters()), new GreeksMarginModel(),
            HybridMarginModel.Max(new DeribitPortfolioMargin(new DeribitPmParameters()), new GreeksMarginModel()),
        ];
        var results = GridBacktest.Run(chains, [.. models.Select(m => ModelBookMargin.Create(m, Market))], 1, 0.99, seed: 3);
        int days = chains.Count(c => chains.Any(n => n.ValuationTime!.Value.Date == c.ValuationTime!.Value.Date.AddDays(1)));
        Assert.True(days >= 1, "the four files hold no pair of consecutive days");
        foreach (var r in results)
        {
            Assert.Equal(results[0].Observations.Count, r.Observations.Count);
            Assert.True(r.Observations.Count >= 5 * days, $"{r.Observations.Count} observations");
            Assert.All(r.Observations.Where(o => o.Book == BacktestBook.ShortStraddle), o => Assert.True(o.Margin > 0));
        }
        for (int i = 0; i < results[0].Observations.Count; i++)
            Assert.Equal(Math.Max(results[2].Observations[i].Margin, results[3].Observations[i].Margin), results[4].Observations[i].Margin,
                1e-9 * results[4].Observations[i].Margin + 1e-9);
    }
}
