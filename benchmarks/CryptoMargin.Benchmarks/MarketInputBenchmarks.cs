using BenchmarkDotNet.Attributes;
using CryptoMargin.Data.Markets;
using CryptoMargin.Data.Options;
using CryptoMargin.Data.Portfolios;
using CryptoMargin.Portfolios;

namespace CryptoMargin.Benchmarks;

/// <summary>
/// The inputs of <c>margin</c>/<c>whatif</c> on the shipped samples (samples/market, samples/portfolios), from bytes in
/// memory: loading the 2026-04-15 Deribit snapshot (1,630 options, BTC + ETH: parse, clean, 20 SVI fits, futures marks
/// from the two futures files), reading a small JSON market, and reading the BTC options book (5 positions + 1 order)
/// with every position checked against the market. Not a hot path (once per command), measured to say what a
/// <c>margin</c> call costs before any model runs.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class MarketInputBenchmarks
{
    private byte[] _snapshot = [], _perpetuals = [], _term = [], _portfolio = [], _jsonMarket = [];
    private LoadedMarket? _market;

    private static string Root()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "CryptoMargin.slnx"))) return dir.FullName;
        throw new InvalidOperationException("repository root not found");
    }

    [GlobalSetup]
    public void Setup()
    {
        string root = Root();
        string market = Path.Combine(root, "samples", "market");
        _snapshot = File.ReadAllBytes(Path.Combine(market, "deribit_options_snapshot_20260415T102447Z.csv.gz"));
        _perpetuals = File.ReadAllBytes(Path.Combine(market, MarketSnapshotLoader.PerpetualFile));
        _term = File.ReadAllBytes(Path.Combine(market, MarketSnapshotLoader.TermFuturesFile));
        _portfolio = File.ReadAllBytes(Path.Combine(root, "samples", "portfolios", "btc-options-book.json"));
        _jsonMarket = """
            {
              "valuationTime": "2026-04-15T10:24:47Z",
              "index": { "BTC": 74010, "ETH": 2315 },
              "marks": { "BTC-PERPETUAL": 74012.5, "BTC-29MAY26": 74295, "BTC-26JUN26": 74295 },
              "surfaces": { "BTC": { "slices": [
                { "expiry": "29MAY26", "svi": { "a": 0.012, "b": 0.03, "rho": -0.2, "m": 0.02, "sigma": 0.15 } },
                { "expiry": "26JUN26", "atmVol": 0.42 } ] } }
            }
            """u8.ToArray();
        _market = LoadSnapshot();
    }

    [Benchmark]
    public LoadedMarket LoadSnapshot() =>
        MarketSnapshotLoader.LoadDeribit(new MemoryStream(_snapshot), "deribit_options_snapshot_20260415T102447Z.csv.gz", OptionChainFileFormat.CsvGzip,
            new MemoryStream(_perpetuals), MarketSnapshotLoader.PerpetualFile, new MemoryStream(_term), MarketSnapshotLoader.TermFuturesFile);

    [Benchmark]
    public LoadedMarket ReadJsonMarket() => MarketJson.Read(_jsonMarket, "market.json");

    [Benchmark]
    public Portfolio ReadPortfolioAgainstMarket() => PortfolioReader.Read(_portfolio, "btc-options-book.json", _market);
}
