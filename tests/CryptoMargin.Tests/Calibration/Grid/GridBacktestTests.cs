using CryptoMargin.Backtesting;
using CryptoMargin.Calibration.Grid;
using CryptoMargin.MarketData.Options;
using CryptoMargin.Pricing;
using MathNet.Numerics.Distributions;

namespace CryptoMargin.Tests.Calibration.Grid;

public class GridBacktestTests
{
    private const double Sigma = 0.6;
    private static readonly DateTimeOffset Start = new(2024, 1, 1, 9, 0, 0, TimeSpan.Zero);

    /// <summary>
    /// A simulated market with known dynamics: the forward is a driftless GBM with volatility 0.6 (daily steps), every option
    /// is marked at Black-76 with vol 0.6; monthly expiries (08:00 UTC), strikes on a fixed log grid within ±40 % of the forward.
    /// </summary>
    private static List<OptionChain> Market(int days, int seed)
    {
        var rng = new Random(seed);
        double f = 60_000, sd = Sigma / Math.Sqrt(365);
        var chains = new List<OptionChain>();
        for (int d = 0; d < days; d++)
        {
            var now = Start.AddDays(d);
            var quotes = new List<OptionQuote>();
            for (int m = 1; m <= 60; m++)
            {
                var expiry = new DateTimeOffset(2024, 1, 1, 8, 0, 0, TimeSpan.Zero).AddMonths(m);
                double t = (expiry - now).TotalDays / 365;
                if (t <= 0 || t * 365 > 150) continue;
                for (int j = -400; j <= 400; j++)
                {
                    double k = 50_000 * Math.Pow(1.01, j);
                    if (Math.Abs(Math.Log(k / f)) > 0.4) continue;
                    foreach (var type in new[] { OptionType.Call, OptionType.Put })
                        quotes.Add(new OptionQuote
                        {
                            Instrument = $"X-{expiry:yyyyMMdd}-{j}-{type}", Expiry = expiry, T = t, Strike = k, Type = type, Forward = f,
                            MarkIv = Sigma, MarkUsd = Black76.Price(f, k, t, Sigma, type),
                        });
                }
            }
            chains.Add(new OptionChain(now, "BTC", quotes, hasBook: false));
            f *= Math.Exp(sd * Normal.Sample(rng, 0, 1) - 0.5 * sd * sd);
        }
        return chains;
    }

    private static GridCoinParameters Parameters(double range)
    {
        var days = TenorGrid.StandardDays.ToArray();
        var tiny = TermShockFit.Fit(days, days.Select(new TermShockLaw(1e-9, 0, 0).Shock).ToArray());
        return new GridCoinParameters("BTC", range, "test", range, "test", tiny, tiny);
    }

    [Fact]
    public void RealisedPnlIsTheChangeInMarks()
    {
        var market = Market(3, seed: 1);
        foreach (var kind in Enum.GetValues<BacktestBook>())
        {
            var book = GridBacktest.Sample(market[0], kind, new Random(2))!;
            Assert.NotNull(book);
            // Independent valuation: Black-76 at vol 0.6 for options, the forward for futures legs.
            double Value(OptionChain c) => book.Sum(l =>
            {
                var e = c.Expiries.Single(x => x.Expiry == l.Expiry);
                return l.Option is null ? l.Size * e.Forward : l.Size * Black76.Price(e.Forward, l.Strike, e.T, Sigma, l.Type);
            });
            Assert.Equal(Value(market[0]), GridBacktest.Value(book, market[0])!.Value, 1e-6);
            Assert.Equal(Value(market[1]) - Value(market[0]), GridBacktest.Value(book, market[1])!.Value - GridBacktest.Value(book, market[0])!.Value, 1e-6);
        }
        // A delta-hedged short straddle has (finite-difference) zero delta at inception.
        var hedged = GridBacktest.Sample(market[0], BacktestBook.DeltaHedgedShortStraddle, new Random(3))!;
        var e0 = market[0].Expiries.Single(x => x.Expiry == hedged[0].Expiry);
        double h = 1e-3 * e0.Forward;
        double Bump(double df) => hedged.Sum(l => l.Option is null ? l.Size * (e0.Forward + df) : l.Size * Black76.Price(e0.Forward + df, l.Strike, e0.T, Sigma, l.Type));
        Assert.Equal(0, (Bump(h) - Bump(-h)) / (2 * h), 1e-4);
    }

    [Fact]
    public void CoverageMatchesTheKnownTailInASimulatedMarket()
    {
        // With R the 99.5 % quantile of |1-day move| of the simulated forward, a short straddle (loss monotone in |move|)
        // exceeds its grid margin about 1 % of days; a long straddle (convex: its worst case is time decay near s = 0) almost
        // never — on a fine price grid (401 steps). On 9 steps its minimum between grid points is missed (see the last test).
        double sd = Sigma / Math.Sqrt(365);
        double range = Math.Exp(Normal.InvCDF(0, 1, 0.995) * sd) - 1;
        var market = Market(900, seed: 42);
        var result = GridBacktest.Run(market, ReferenceGridMargin.Create(Parameters(range), 1, priceSteps: 401), 1, 0.99, seed: 7);
        Assert.True(result.Skipped == 1, string.Join(", ", result.Coverage.Select(c => $"{c.Book}: {c.Observations}"))); // the last day has no next snapshot
        var shortStraddle = result.Coverage.Single(c => c.Book == BacktestBook.ShortStraddle);
        Assert.Equal(899, shortStraddle.Observations);
        Assert.InRange(shortStraddle.Exceedances, 2, 20);
        Assert.True(shortStraddle.Kupiec.PValue > 0.001, $"Kupiec p = {shortStraddle.Kupiec.PValue}");
        Assert.Equal(Kupiec.ProportionOfFailures(899, shortStraddle.Exceedances, 0.01).Statistic, shortStraddle.Kupiec.Statistic, 1e-12);
        Assert.InRange(result.Coverage.Single(c => c.Book == BacktestBook.LongStraddle).Exceedances, 0, 2);

        // Seeded: the same inputs give the same observations.
        var again = GridBacktest.Run(market, ReferenceGridMargin.Create(Parameters(range), 1, priceSteps: 401), 1, 0.99, seed: 7);
        Assert.Equal(result.Observations, again.Observations);
    }

    [Fact]
    public void ANarrowerGridExceedsMoreOften()
    {
        var market = Market(300, seed: 5);
        double sd = Sigma / Math.Sqrt(365);
        var wide = GridBacktest.Run(market, ReferenceGridMargin.Create(Parameters(4 * sd), 1), 1, 0.99, seed: 1);
        var narrow = GridBacktest.Run(market, ReferenceGridMargin.Create(Parameters(0.5 * sd), 1), 1, 0.99, seed: 1);
        Assert.True(narrow.Coverage[0].Exceedances > wide.Coverage[0].Exceedances);
        Assert.True(narrow.Coverage[0].AverageMargin < wide.Coverage[0].AverageMargin);

        // A coarse grid misses a long straddle's minimum between its price points: more exceedances than a fine one.
        var coarse = GridBacktest.Run(market, ReferenceGridMargin.Create(Parameters(4 * sd), 1, priceSteps: 9), 1, 0.99, seed: 1);
        var fine = GridBacktest.Run(market, ReferenceGridMargin.Create(Parameters(4 * sd), 1, priceSteps: 401), 1, 0.99, seed: 1);
        int Long(GridBacktestResult r) => r.Coverage.Single(c => c.Book == BacktestBook.LongStraddle).Exceedances;
        Assert.True(Long(coarse) >= Long(fine));
    }
}
