using CryptoMargin.Data.Markets;
using CryptoMargin.Data.Options;
using CryptoMargin.Data.Portfolios;
using CryptoMargin.MarketData;
using CryptoMargin.Portfolios;

namespace CryptoMargin.Cli;

/// <summary>
/// The inputs of <c>margin</c> and <c>whatif</c>: <c>--market</c> (default: the shipped Deribit snapshot of 2026-04-15
/// with its futures marks, embedded), <c>--portfolio</c> (default: the shipped BTC options book, embedded),
/// <c>--policy</c> (passed to the models as a path; checked to exist).
/// </summary>
internal static class MarginInputs
{
    public const string DefaultMarket = "deribit_options_snapshot_20260415T102447Z.csv.gz";
    public const string DefaultPortfolio = "btc-options-book.json";
    public const string MarketDisplay = "samples/market/" + DefaultMarket + " (embedded)";
    public const string PortfolioDisplay = "samples/portfolios/" + DefaultPortfolio + " (embedded)";

    /// <summary>The embedded default, fitted once per process and vol source (immutable).</summary>
    private static readonly Lazy<LoadedMarket>[] Embedded =
        [.. Enum.GetValues<VolSource>().Select(v => new Lazy<LoadedMarket>(() => LoadEmbedded(v)))];

    public static LoadedMarket Market(string? path, VolSource vols = VolSource.Svi) =>
        path is null ? Embedded[(int)vols].Value : MarketSnapshotLoader.Load(path, vols);

    private static LoadedMarket LoadEmbedded(VolSource vols)
    {
        using var snapshot = SampleData.Open(DefaultMarket);
        using var perp = SampleData.Open(MarketSnapshotLoader.PerpetualFile);
        using var term = SampleData.Open(MarketSnapshotLoader.TermFuturesFile);
        return MarketSnapshotLoader.LoadDeribit(snapshot, MarketDisplay, OptionChainFileFormat.CsvGzip,
            perp, "samples/market/" + MarketSnapshotLoader.PerpetualFile, term, "samples/market/" + MarketSnapshotLoader.TermFuturesFile, vols);
    }

    public static (Portfolio Portfolio, string Source) Portfolio(string? path, LoadedMarket market)
    {
        if (path is not null) return (PortfolioReader.Read(path, market), path);
        using var stream = SampleData.Open(DefaultPortfolio);
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return (PortfolioReader.Read(buffer.ToArray(), PortfolioDisplay, market), PortfolioDisplay);
    }

    public static string? Policy(string? path, string option = "--policy")
    {
        if (path is null) return null;
        if (!File.Exists(path)) throw new DataValidationException($"file not found (given as {option})", file: path);
        return Path.GetFullPath(path);
    }

    /// <summary>Runs a model; a problem it finds with a position is located in the portfolio file.</summary>
    public static IReadOnlyList<Margin.MarginResult> Compute(Margin.IMarginModel model, Portfolio portfolio, LoadedMarket market, string portfolioSource)
    {
        try
        {
            return model.Compute(portfolio, market.Snapshot);
        }
        catch (DataValidationException e) when (e.File is null)
        {
            throw e.At(portfolioSource);
        }
    }
}
