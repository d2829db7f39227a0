using CryptoMargin.Calibration.Grid;
using CryptoMargin.MarketData.Options;
using CryptoMargin.Pricing;
using MathNet.Numerics.Distributions;

namespace CryptoMargin.Tests.Calibration.Grid;

/// <summary>The coin-collateralised account (<see cref="BacktestUnits.Coin"/>): coin P&amp;L, coin grid margin, coin runs.</summary>
public class GridBacktestCoinUnitsTests
{
    private const double Sigma = 0.6;
    private static readonly DateTimeOffset Start = new(2024, 1, 1, 9, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Expiry = new(2024, 2, 23, 8, 0, 0, TimeSpan.Zero);

    /// <summary>
    /// A simulated market with zero carry (every expiry's forward = the index S): S a driftless GBM with volatility 0.6 (daily
    /// steps), options marked at Black-76 with vol 0.6 in USD only (the coin mark is then USD mark / forward), monthly
    /// expiries (08:00 UTC), strikes on a 1 % log grid within ±40 % of the forward.
    /// </summary>
    internal static List<OptionChain> Market(int days, int seed)
    {
        var rng = new Random(seed);
        double f = 60_000, sd = Sigma / Math.Sqrt(365);
        var chains = new List<OptionChain>();
        for (int d = 0; d < days; d++)
        {
            var now = Start.AddDays(d);
            var quotes = new List<OptionQuote>();
            for (int m = 1; m <= 6; m++)
            {
                var expiry = new DateTimeOffset(2024, 1, 1, 8, 0, 0, TimeSpan.Zero).AddMonths(m);
                double t = (expiry - now).TotalDays / 365;
                if (t <= 0 || t * 365 > 150) continue;
                for (int j = -60; j <= 60; j++)
                {
                    double k = 60_000 * Math.Pow(1.01, j);
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

    private static OptionQuote Quote(string name, double strike, OptionType type, double forward, double t, double? markCoin, double? markUsd = null) => new()
    {
        Instrument = name, Expiry = Expiry, T = t, Strike = strike, Type = type, Forward = forward, IsInverse = true,
        MarkCoin = markCoin, MarkUsd = markUsd ?? markCoin * forward, MarkIv = 0.5,
    };

    [Fact]
    public void CoinPnlMatchesHandArithmetic()
    {
        // Day 0: F = 50,000; day 1: F = 55,000. Coin marks: call 0.05 → 0.08, put 0.03 → 0.01; a third option quoted in USD
        // only (1,000 USD at F 50,000 = 0.02 coin → 1,650 USD at F 55,000 = 0.03 coin).
        var c0 = new OptionChain(Start, "BTC", [
            Quote("BTC-23FEB24-50000-C", 50_000, OptionType.Call, 50_000, 0.145, 0.05),
            Quote("BTC-23FEB24-45000-P", 45_000, OptionType.Put, 50_000, 0.145, 0.03),
            Quote("BTC-23FEB24-60000-C", 60_000, OptionType.Call, 50_000, 0.145, null, 1_000)], hasBook: false);
        var c1 = new OptionChain(Start.AddDays(1), "BTC", [
            Quote("BTC-23FEB24-50000-C", 50_000, OptionType.Call, 55_000, 0.142, 0.08),
            Quote("BTC-23FEB24-45000-P", 45_000, OptionType.Put, 55_000, 0.142, 0.01),
            Quote("BTC-23FEB24-60000-C", 60_000, OptionType.Call, 55_000, 0.142, null, 1_650)], hasBook: false);
        BacktestLeg[] book =
        [
            new("BTC-23FEB24-50000-C", Expiry, 50_000, OptionType.Call, 2),
            new("BTC-23FEB24-45000-P", Expiry, 45_000, OptionType.Put, -1),
            new("BTC-23FEB24-60000-C", Expiry, 60_000, OptionType.Call, -3),
            new(null, Expiry, 0, OptionType.Call, 0.5),
        ];
        // 2 × 0.03 − 1 × (−0.02) − 3 × 0.01 + (0.5 × 50,000 USD) × (1/50,000 − 1/55,000) = 0.06 + 0.02 − 0.03 + 0.5/11.
        Assert.Equal(0.05 + 0.5 / 11, GridBacktest.CoinPnl(book, c0, c1)!.Value, 1e-12);
        // The USD P&L of the same book: 2 × (0.08·55,000 − 0.05·50,000) − (0.01·55,000 − 0.03·50,000) − 3 × 650 + 0.5 × 5,000.
        Assert.Equal(2 * 1_900 + 950 - 1_950 + 2_500, GridBacktest.Value(book, c1)!.Value - GridBacktest.Value(book, c0)!.Value, 1e-9);
        Assert.Equal(2 + 1 + 3 + 0.5, GridBacktest.CoinNotional(book));
        // A leg not listed at the end: no P&L.
        var gone = new OptionChain(Start.AddDays(1), "BTC", [Quote("BTC-23FEB24-50000-C", 50_000, OptionType.Call, 55_000, 0.142, 0.08)], hasBook: false);
        Assert.Null(GridBacktest.CoinPnl(book, c0, gone));
    }

    [Fact]
    public void CoinPnlAtTheFinalIndexIsTheUsdPnlLessTheRevaluationOfThePositionsCoins()
    {
        // Derivation (zero carry, F = S): an option leg is worth x = size·V/S coin (V its Black-76 USD value), so its coin
        // P&L is x₁ − x₀ and (x₁ − x₀)·S₁ = size·(V₁ − V₀) − x₀·(S₁ − S₀); an inverse future of USD size N = size·S₀ gains
        // N(1/S₀ − 1/S₁) coin, × S₁ = size·(S₁ − S₀), its USD P&L (x₀ = 0). Summed over legs:
        // coin P&L × S₁ = USD P&L − x₀·(S₁ − S₀), x₀ the book's coin value at the margin date.
        var market = Market(40, seed: 3);
        var rng = new Random(11);
        int checkedBooks = 0;
        for (int d = 0; d + 1 < market.Count; d++)
        {
            foreach (var kind in Enum.GetValues<BacktestBook>())
            {
                var book = GridBacktest.Sample(market[d], kind, rng)!;
                double s0 = market[d].Expiries[0].Forward, s1 = market[d + 1].Expiries[0].Forward;
                // Independent values: Black-76 at vol 0.6 from the test's own market parameters.
                double x0 = book.Where(l => l.Option is not null).Sum(l =>
                {
                    var e = market[d].Expiries.Single(x => x.Expiry == l.Expiry);
                    return l.Size * Black76.Price(s0, l.Strike, e.T, Sigma, l.Type) / s0;
                });
                double usd = GridBacktest.Value(book, market[d + 1])!.Value - GridBacktest.Value(book, market[d])!.Value;
                double coin = GridBacktest.CoinPnl(book, market[d], market[d + 1])!.Value;
                Assert.Equal(usd - x0 * (s1 - s0), coin * s1, 1e-8 * Math.Max(1, Math.Abs(usd)));
                checkedBooks++;
            }
        }
        Assert.Equal(39 * 6, checkedBooks);
    }

    [Fact]
    public void AParityHedgedBookHasNoCoinRiskButUsdRisk()
    {
        // Long call − put at strike K and short an inverse future of USD size K (coin size K/F): in coin, (C − P)/F = 1 − K/F
        // (put-call parity, undiscounted) and the future gains −K(1/F − 1/F'), so the book's coin value is constant under any
        // price or vol scenario: the coin grid margin is 0. In USD the same book moves by s·(F − K) per relative move s.
        var chain = Market(1, seed: 1)[0];
        var e = chain.Expiries.First(x => x.T * 365 > 20);
        var call = e.Quotes.Where(q => q.Type == OptionType.Call).MinBy(q => Math.Abs(q.Strike - 0.9 * e.Forward))!;
        var put = e.Quotes.Single(q => q.Type == OptionType.Put && q.Strike == call.Strike);
        BacktestLeg[] book =
        [
            new(call.Instrument, e.Expiry!.Value, call.Strike, OptionType.Call, 1),
            new(put.Instrument, e.Expiry!.Value, put.Strike, OptionType.Put, -1),
            new(null, e.Expiry!.Value, 0, OptionType.Call, -call.Strike / e.Forward),
        ];
        var days = TenorGrid.StandardDays.ToArray();
        var law = TermShockFit.Fit(days, [.. days.Select(new TermShockLaw(0.3, 0.5, 0.5).Shock)]);
        const double range = 0.15;
        var parameters = new GridCoinParameters("BTC", range, "test", range, "test", law, law);
        Assert.Equal(0, ReferenceGridMargin.Create(parameters, 1, 9, BacktestUnits.Coin)(book, chain), 1e-12);
        // USD: the worst of s·(F − K) over s ∈ [−R, R] is R·(F − K) (F > K here).
        Assert.Equal(range * (e.Forward - call.Strike), ReferenceGridMargin.Create(parameters, 1, 9, BacktestUnits.Usd)(book, chain), 1e-6);

        // A long inverse future alone: its worst coin loss over s ∈ [−R, R] is at s = −R, size·R/(1 − R) coin.
        BacktestLeg[] future = [new(null, e.Expiry!.Value, 0, OptionType.Call, 2)];
        Assert.Equal(2 * range / (1 - range), ReferenceGridMargin.Create(parameters, 1, 9, BacktestUnits.Coin)(future, chain), 1e-12);
    }

    [Fact]
    public void ACoinRunComparesCoinMarginsWithCoinPnl()
    {
        var market = Market(60, seed: 9);
        double sd = Sigma / Math.Sqrt(365);
        var days = TenorGrid.StandardDays.ToArray();
        var tiny = TermShockFit.Fit(days, [.. days.Select(new TermShockLaw(1e-9, 0, 0).Shock)]);
        var parameters = new GridCoinParameters("BTC", 3 * sd, "test", 3 * sd, "test", tiny, tiny);
        var usd = GridBacktest.Run(market, [ReferenceGridMargin.Create(parameters, 1, 9)], new GridBacktestSettings(1, 0.99, 4))[0];
        var coin = GridBacktest.Run(market, [ReferenceGridMargin.Create(parameters, 1, 9, BacktestUnits.Coin)],
            new GridBacktestSettings(1, 0.99, 4) { Units = BacktestUnits.Coin })[0];
        // The same seeded books; each coin observation's P&L and notional are the coin arithmetic of that book.
        Assert.Equal(usd.Observations.Count, coin.Observations.Count);
        var rng = new Random(4);
        int i = 0;
        for (int d = 0; d + 1 < market.Count; d++)
            foreach (var kind in Enum.GetValues<BacktestBook>())
            {
                var book = GridBacktest.Sample(market[d], kind, rng)!;
                var o = coin.Observations[i++];
                Assert.Equal(kind, o.Book);
                Assert.Equal(GridBacktest.CoinPnl(book, market[d], market[d + 1])!.Value, o.Pnl, 1e-15);
                Assert.Equal(book.Sum(l => Math.Abs(l.Size)), o.GrossNotional, 1e-15);
                Assert.Equal(ReferenceGridMargin.Create(parameters, 1, 9, BacktestUnits.Coin)(book, market[d]), o.Margin, 1e-15);
            }
        // Coin margins are about USD margins / F of the margin date: the run is in coin, not USD.
        double Forward(DateTimeOffset t) => market.Single(c => c.ValuationTime == t).Expiries[0].Forward;
        Assert.InRange(coin.Observations.Sum(o => o.Margin * Forward(o.Time)) / usd.Observations.Sum(o => o.Margin), 0.8, 1.25);
    }
}
