using BenchmarkDotNet.Attributes;
using CryptoMargin.Data.Markets;
using CryptoMargin.Data.Options;
using CryptoMargin.Data.Portfolios;
using CryptoMargin.Margin;
using CryptoMargin.Margin.Accounts;
using CryptoMargin.Margin.DeribitPm;
using CryptoMargin.Margin.Tiered;
using CryptoMargin.MarketData;
using CryptoMargin.Portfolios;

namespace CryptoMargin.Benchmarks;

/// <summary>
/// The account view on the shipped BTC options book (5 positions, 1 open order) and the 2026-04-15 Deribit snapshot:
/// equity, status and cross view from a model's results (<see cref="AccountView"/>), and the same with the liquidation
/// search, which re-runs the model on moved markets (<see cref="WithLiquidationDeribitPm"/>, <see cref="WithLiquidationTiered"/>);
/// <see cref="Haircut"/> is one tiered haircut (the kernel, allocation-free). The number of model re-runs per search is
/// printed once in the setup.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class AccountMarginBenchmarks
{
    private Portfolio _book = null!;
    private MarketSnapshot _market = null!;
    private readonly DeribitPortfolioMargin _pm = new();
    private readonly TieredMarginModel _tiered = new();
    private IReadOnlyList<MarginResult> _pmResults = [], _tieredResults = [];
    private readonly CollateralPolicy _cross = new()
    {
        Mode = CollateralMode.Cross,
        Haircuts = new Dictionary<string, HaircutSchedule> { ["BTC"] = HaircutSchedule.BinanceBtcExample, ["USDC"] = new([new(null, 0)]) },
    };

    private static string Root()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "CryptoMargin.slnx"))) return dir.FullName;
        throw new InvalidOperationException("repository root not found");
    }

    [GlobalSetup]
    public void Setup()
    {
        string root = Root(), dir = Path.Combine(root, "samples", "market");
        using var snapshot = File.OpenRead(Path.Combine(dir, "deribit_options_snapshot_20260415T102447Z.csv.gz"));
        using var perp = File.OpenRead(Path.Combine(dir, MarketSnapshotLoader.PerpetualFile));
        using var term = File.OpenRead(Path.Combine(dir, MarketSnapshotLoader.TermFuturesFile));
        var loaded = MarketSnapshotLoader.LoadDeribit(snapshot, "deribit_options_snapshot_20260415T102447Z.csv.gz", OptionChainFileFormat.CsvGzip,
            perp, MarketSnapshotLoader.PerpetualFile, term, MarketSnapshotLoader.TermFuturesFile);
        _market = loaded.Snapshot;
        _book = PortfolioReader.Read(Path.Combine(root, "samples", "portfolios", "btc-options-book.json"), loaded);
        _pmResults = _pm.Compute(_book, _market);
        _tieredResults = _tiered.Compute(_book, _market);
        foreach (var model in new IMarginModel[] { _pm, _tiered })
        {
            var counting = new Counting(model);
            var view = AccountMargin.Compute(_book, _market, model.Compute(_book, _market), null, counting);
            var d = view.Liquidation[0];
            Console.WriteLine($"// {model.Name}: {counting.Calls} model runs per liquidation search; down {d.Down}, up {d.Up?.ToString() ?? "none"}");
        }
    }

    [Benchmark]
    public AccountView AccountView() => AccountMargin.Compute(_book, _market, _pmResults, _cross);

    [Benchmark]
    public AccountView WithLiquidationDeribitPm() => AccountMargin.Compute(_book, _market, _pmResults, null, _pm);

    [Benchmark]
    public AccountView WithLiquidationTiered() => AccountMargin.Compute(_book, _market, _tieredResults, null, _tiered);

    [Benchmark]
    public double Haircut() => HaircutSchedule.BinanceBtcExample.DiscountedValue(6_000, 20_000);

    [Benchmark]
    public IReadOnlyList<MarginResult> OneDeribitPmRun() => _pm.Compute(_book, _market);

    private sealed class Counting(IMarginModel inner) : IMarginModel
    {
        public int Calls;
        public string Name => inner.Name;
        public IReadOnlyList<MarginResult> Compute(Portfolio portfolio, MarketSnapshot market)
        {
            Calls++;
            return inner.Compute(portfolio, market);
        }
    }
}
