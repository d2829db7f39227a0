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
/// <c>margin</c> call costs before any model runs. <see cref="LoadSnapshot"/> (svi: clean + SVI on the cleaned OTM
/// marks), <see cref="LoadSnapshotSviMarks"/> (SVI on every listed strike's mark) and <see cref="LoadSnapshotMarks"/> (a
/// shape-preserving spline through every listed mark, no fit) load the same snapshot per vol source (<c>--vols</c>); <see cref="MarksSmileVol"/> is one surface
/// lookup on the marks surface (binary searches in t and k, one quadratic piece).
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class MarketInputBenchmarks
{
    private byte[] _snapshot = [], _perpetuals = [], _term = [], _portfolio = [], _jsonMarket = [];
    private LoadedMarket? _market;
    private CryptoMargin.Surfaces.IVolSurface? _marksSurface, _sviSurface;

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
        _sviSurface = _market.Snapshot.Surface("BTC");
        _marksSurface = MarketSnapshotLoader.LoadDeribit(new MemoryStream(_snapshot), "deribit_options_snapshot_20260415T102447Z.csv.gz", OptionChainFileFormat.CsvGzip,
            null, MarketSnapshotLoader.PerpetualFile, null, MarketSnapshotLoader.TermFuturesFile, VolSource.Marks).Snapshot.Surface("BTC");
    }

    /// <summary>The snapshot with <c>--vols svi-marks</c> (LoadSnapshot is <c>svi</c>, the default).</summary>
    [Benchmark]
    public LoadedMarket LoadSnapshotSviMarks() => Load(VolSource.SviMarks);

    /// <summary>The snapshot with <c>--vols marks</c>.</summary>
    [Benchmark]
    public LoadedMarket LoadSnapshotMarks() => Load(VolSource.Marks);

    private LoadedMarket Load(VolSource vols) =>
        MarketSnapshotLoader.LoadDeribit(new MemoryStream(_snapshot), "deribit_options_snapshot_20260415T102447Z.csv.gz", OptionChainFileFormat.CsvGzip,
            new MemoryStream(_perpetuals), MarketSnapshotLoader.PerpetualFile, new MemoryStream(_term), MarketSnapshotLoader.TermFuturesFile, vols);

    /// <summary>The marks surface's vol of a 2-month 90,000 strike (between two slices: two smile lookups and the time interpolation).</summary>
    [Benchmark]
    public double MarksSmileVol() => _marksSurface!.ImpliedVolatility(90000, 0.16);

    /// <summary>The same lookup on the default SVI surface, for the ratio.</summary>
    [Benchmark]
    public double SviSmileVol() => _sviSurface!.ImpliedVolatility(90000, 0.16);

    [Benchmark]
    public LoadedMarket LoadSnapshot() =>
        MarketSnapshotLoader.LoadDeribit(new MemoryStream(_snapshot), "deribit_options_snapshot_20260415T102447Z.csv.gz", OptionChainFileFormat.CsvGzip,
            new MemoryStream(_perpetuals), MarketSnapshotLoader.PerpetualFile, new MemoryStream(_term), MarketSnapshotLoader.TermFuturesFile);

    [Benchmark]
    public LoadedMarket ReadJsonMarket() => MarketJson.Read(_jsonMarket, "market.json");

    [Benchmark]
    public Portfolio ReadPortfolioAgainstMarket() => PortfolioReader.Read(_portfolio, "btc-options-book.json", _market);
}
