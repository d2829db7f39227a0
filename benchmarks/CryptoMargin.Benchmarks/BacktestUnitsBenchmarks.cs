using BenchmarkDotNet.Attributes;
using CryptoMargin.Calibration.Grid;
using CryptoMargin.MarketData.Options;

namespace CryptoMargin.Benchmarks;

/// <summary>
/// The per-book cost of the backtest's units (<c>calibrate-grid --backtest --units usd|coin</c>): a book's realised P&amp;L in
/// USD (<see cref="GridBacktest.Value"/> at both dates) and in coin (<see cref="GridBacktest.CoinPnl"/>), and the reference
/// grid's margin (9 price steps × 3 vols) revalued in USD and in coin. Two seeded synthetic BTC chains one day apart with
/// Deribit names: 6 monthly expiries × strikes every 1,000 USD within ±40 % × call/put, coin and USD marks.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class BacktestUnitsBenchmarks
{
    private OptionChain _day0 = null!, _day1 = null!;
    private IReadOnlyList<BacktestLeg> _coveredCall = null!, _calendar = null!;
    private BookMargin _gridUsd = null!, _gridCoin = null!;

    [GlobalSetup]
    public void Setup()
    {
        var now = new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);
        _day0 = SyntheticBtcChain.Create(now, 90_000, 1);
        _day1 = SyntheticBtcChain.Create(now.AddDays(1), 87_300, 2);
        _coveredCall = GridBacktest.Sample(_day0, BacktestBook.CoveredCall, new Random(1))!;
        _calendar = GridBacktest.Sample(_day0, BacktestBook.CalendarSpread, new Random(1))!;
        var days = TenorGrid.StandardDays.ToArray();
        var law = TermShockFit.Fit(days, [.. days.Select(new TermShockLaw(0.23, 0.5, 0.7).Shock)]);
        var parameters = new GridCoinParameters("BTC", 0.132, "benchmark", 0.174, "benchmark", law, law);
        _gridUsd = ReferenceGridMargin.Create(parameters, 2, 9, BacktestUnits.Usd);
        _gridCoin = ReferenceGridMargin.Create(parameters, 2, 9, BacktestUnits.Coin);
    }

    [Benchmark(Baseline = true)]
    public double? UsdPnlCoveredCall() => GridBacktest.Value(_coveredCall, _day1) - GridBacktest.Value(_coveredCall, _day0);

    [Benchmark]
    public double? CoinPnlCoveredCall() => GridBacktest.CoinPnl(_coveredCall, _day0, _day1);

    [Benchmark]
    public double? CoinPnlCalendarSpread() => GridBacktest.CoinPnl(_calendar, _day0, _day1);

    [Benchmark]
    public double GridMarginUsdCoveredCall() => _gridUsd(_coveredCall, _day0);

    [Benchmark]
    public double GridMarginCoinCoveredCall() => _gridCoin(_coveredCall, _day0);
}
