using System.Globalization;
using BenchmarkDotNet.Attributes;
using CryptoMargin.Calibration.Grid;
using CryptoMargin.MarketData.Options;
using CryptoMargin.Pricing;

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

    private static OptionChain Chain(DateTimeOffset now, double f, int seed)
    {
        var rng = new Random(seed);
        var quotes = new List<OptionQuote>();
        for (int m = 0; m < 6; m++)
        {
            var expiry = new DateTimeOffset(2026, 3, 27, 8, 0, 0, TimeSpan.Zero).AddMonths(m);
            string code = expiry.Day.ToString(CultureInfo.InvariantCulture) + expiry.ToString("MMMyy", CultureInfo.InvariantCulture).ToUpperInvariant();
            double t = (expiry - now).TotalDays / 365;
            for (double k = 54_000; k <= 126_000; k += 1000)
                foreach (var type in new[] { OptionType.Call, OptionType.Put })
                {
                    double x = Math.Log(k / f), vol = 0.5 + 0.3 * x * x - 0.05 * x + 0.005 * rng.NextDouble();
                    double usd = Black76.Price(f, k, t, vol, type);
                    quotes.Add(new OptionQuote
                    {
                        Instrument = $"BTC-{code}-{k.ToString(CultureInfo.InvariantCulture)}-{(type == OptionType.Call ? "C" : "P")}",
                        Expiry = expiry, T = t, Strike = k, Type = type, Forward = f, IndexPrice = f, IsInverse = true,
                        MarkIv = vol, MarkUsd = usd, MarkCoin = usd / f,
                    });
                }
        }
        return new OptionChain(now, "BTC", quotes, hasBook: false);
    }

    [GlobalSetup]
    public void Setup()
    {
        var now = new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);
        _day0 = Chain(now, 90_000, 1);
        _day1 = Chain(now.AddDays(1), 87_300, 2);
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
