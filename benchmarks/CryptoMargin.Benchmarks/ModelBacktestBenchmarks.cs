using BenchmarkDotNet.Attributes;
using CryptoMargin.Calibration.Grid;
using CryptoMargin.Data.Markets;
using CryptoMargin.Margin.DeribitPm;
using CryptoMargin.Margin.Greeks;
using CryptoMargin.MarketData;
using CryptoMargin.MarketData.Options;

namespace CryptoMargin.Benchmarks;

/// <summary>
/// The per-day and per-book costs of the model backtest (<c>calibrate-grid --backtest --models all</c>): building a day's
/// market from a chain (<see cref="MarketSnapshotLoader.FromChains"/>: clean + one SVI fit per expiry; done once per day), and
/// one book margined by a model through <see cref="ModelBookMargin"/> (portfolio from the book, the model, USD at the index).
/// A seeded synthetic BTC chain with Deribit names: 6 monthly expiries × strikes every 1,000 USD within ±40 % × call/put.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class ModelBacktestBenchmarks
{
    private OptionChain _chain = null!;
    private MarketSnapshot _market = null!;
    private IReadOnlyList<BacktestLeg> _shortStraddle = null!, _coveredCall = null!;
    private BookMargin _pm = null!, _greeks = null!;

    [GlobalSetup]
    public void Setup()
    {
        var now = new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);
        _chain = SyntheticBtcChain.Create(now, 90_000, 20261124);
        _market = MarketSnapshotLoader.FromChains([_chain], "synthetic").Snapshot;
        _shortStraddle = GridBacktest.Sample(_chain, BacktestBook.ShortStraddle, new Random(1))!;
        _coveredCall = GridBacktest.Sample(_chain, BacktestBook.CoveredCall, new Random(1))!;
        _pm = ModelBookMargin.Create(new DeribitPortfolioMargin(new DeribitPmParameters()), _ => _market);
        _greeks = ModelBookMargin.Create(new GreeksMarginModel(), _ => _market);
    }

    [Benchmark]
    public MarketSnapshot DayMarket() => MarketSnapshotLoader.FromChains([_chain], "synthetic").Snapshot;

    [Benchmark]
    public double DeribitPmShortStraddle() => _pm(_shortStraddle, _chain);

    [Benchmark]
    public double DeribitPmCoveredCall() => _pm(_coveredCall, _chain);

    [Benchmark]
    public double GreeksShortStraddle() => _greeks(_shortStraddle, _chain);
}
