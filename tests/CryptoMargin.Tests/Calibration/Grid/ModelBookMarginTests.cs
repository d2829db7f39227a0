using System.Globalization;
using CryptoMargin.Calibration.Grid;
using CryptoMargin.Instruments;
using CryptoMargin.Margin;
using CryptoMargin.MarketData;
using CryptoMargin.MarketData.Options;
using CryptoMargin.Portfolios;
using CryptoMargin.Pricing;
using CryptoMargin.Surfaces;
using MathNet.Numerics.Distributions;

namespace CryptoMargin.Tests.Calibration.Grid;

public class ModelBookMarginTests
{
    private const double Sigma = 0.6;
    private static readonly DateTimeOffset Start = new(2024, 1, 1, 9, 0, 0, TimeSpan.Zero);

    private static string Code(DateTimeOffset e) => e.Day.ToString(CultureInfo.InvariantCulture) + e.ToString("MMMyy", CultureInfo.InvariantCulture).ToUpperInvariant();

    /// <summary>
    /// A simulated market with Deribit instrument names: driftless GBM forward (vol 0.6, daily steps), options marked at
    /// Black-76 with vol 0.6, monthly expiries at 08:00 UTC, strikes every 1 000 USD within ±40 % of the forward.
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
            for (int m = 1; m <= 6; m++)
            {
                var expiry = new DateTimeOffset(2024, 1, 26, 8, 0, 0, TimeSpan.Zero).AddMonths(m - 1);
                double t = (expiry - now).TotalDays / 365;
                if (t <= 0 || t * 365 > 150) continue;
                for (double k = 20_000; k <= 150_000; k += 1000)
                {
                    if (Math.Abs(Math.Log(k / f)) > 0.4) continue;
                    foreach (var type in new[] { OptionType.Call, OptionType.Put })
                        quotes.Add(new OptionQuote
                        {
                            Instrument = $"BTC-{Code(expiry)}-{k.ToString(CultureInfo.InvariantCulture)}-{(type == OptionType.Call ? "C" : "P")}",
                            Expiry = expiry, T = t, Strike = k, Type = type, Forward = f, IndexPrice = f, IsInverse = true,
                            MarkIv = Sigma, MarkUsd = Black76.Price(f, k, t, Sigma, type),
                        });
                }
            }
            chains.Add(new OptionChain(now, "BTC", quotes, hasBook: false));
            f *= Math.Exp(sd * Normal.Sample(rng, 0, 1) - 0.5 * sd * sd);
        }
        return chains;
    }

    /// <summary>A stand-in model: IM = <c>perCoin</c> BTC per coin of gross option size, or a validation failure.</summary>
    private sealed class StandIn(double perCoin, bool fail = false) : IMarginModel
    {
        public string Name => "stand-in";

        public IReadOnlyList<MarginResult> Compute(Portfolio portfolio, MarketSnapshot market)
        {
            if (fail) throw new DataValidationException("no surface for BTC", field: "surface");
            double coins = portfolio.Positions.Where(p => p.Instrument.Kind == InstrumentKind.Option).Sum(p => Math.Abs(p.Size));
            return [new MarginResult(Name, "BTC", perCoin * coins, 0.5 * perCoin * coins, null, [], [], [])];
        }
    }

    private static MarketSnapshot Snapshot(OptionChain chain) =>
        new(chain.ValuationTime!.Value, new Dictionary<string, double> { ["BTC"] = chain.Quotes[0].IndexPrice!.Value },
            new Dictionary<string, double>(), new Dictionary<string, IVolSurface>());

    [Fact]
    public void BookBecomesDeribitInstrumentsWithFuturesSizedInUsd()
    {
        var chain = Market(1, seed: 1)[0];
        var book = GridBacktest.Sample(chain, BacktestBook.CoveredCall, new Random(4))!;
        var portfolio = ModelBookMargin.ToPortfolio(book, chain);
        Assert.Equal(2, portfolio.Positions.Count);
        var future = Assert.IsType<FutureInstrument>(portfolio.Positions[0].Instrument);
        var e = chain.Expiries.First(x => x.Expiry == book[0].Expiry);
        // An inverse future's size is USD notional (Deribit API unit): 1 coin at the forward.
        Assert.Equal($"BTC-{Code(e.Expiry!.Value)}", future.Name);
        Assert.Equal(e.Expiry, future.Expiry);
        Assert.True(future.IsInverse);
        Assert.Equal(book[0].Size * e.Forward, portfolio.Positions[0].Size, 1e-9);
        var option = Assert.IsType<OptionInstrument>(portfolio.Positions[1].Instrument);
        Assert.Equal(book[1].Option, option.Name);
        Assert.Equal(book[1].Strike, option.Strike);
        Assert.Equal(-1, portfolio.Positions[1].Size);
    }

    [Fact]
    public void CoinMarginIsConvertedAtTheIndexAndStableCoinsAtOne()
    {
        var market = new MarketSnapshot(Start, new Dictionary<string, double> { ["BTC"] = 50_000, ["ETH"] = 2_500 },
            new Dictionary<string, double>(), new Dictionary<string, IVolSurface>());
        MarginResult R(string ccy, double im) => new("m", ccy, im, im / 2, null, [], [], []);
        // 0.1 BTC × 50 000 + 2 ETH × 2 500 + 300 USDC = 10 300 USD.
        Assert.Equal(10_300, ModelBookMargin.ToUsd([R("BTC", 0.1), R("ETH", 2), R("USDC", 300)], market), 1e-9);
        var ex = Assert.Throws<DataValidationException>(() => ModelBookMargin.ToUsd([R("SOL", 1)], market));
        Assert.Contains("SOL", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AdapterMarginIsTheModelsCoinMarginTimesTheIndex()
    {
        var chain = Market(1, seed: 2)[0];
        var book = GridBacktest.Sample(chain, BacktestBook.ShortStraddle, new Random(1))!;
        var margin = ModelBookMargin.Create(new StandIn(0.05), Snapshot);
        // Two option legs of 1 coin: 0.1 BTC at the index (the simulated forward).
        Assert.Equal(0.1 * chain.Quotes[0].IndexPrice!.Value, margin(book, chain), 1e-9);
        Assert.True(double.IsNaN(ModelBookMargin.Create(new StandIn(0.05, fail: true), Snapshot)(book, chain)));
    }

    [Fact]
    public void SeveralModelsRunOnTheSameBooksAsOneModelAtATime()
    {
        var market = Market(40, seed: 3);
        var a = ModelBookMargin.Create(new StandIn(0.02), Snapshot);
        var b = ModelBookMargin.Create(new StandIn(0.2), Snapshot);
        var both = GridBacktest.Run(market, [a, b], 1, 0.99, seed: 5);
        var onlyA = GridBacktest.Run(market, a, 1, 0.99, seed: 5);
        var onlyB = GridBacktest.Run(market, b, 1, 0.99, seed: 5);
        Assert.Equal(onlyA.Observations.Count, both[0].Observations.Count);
        Assert.True(onlyA.Observations.Count > 150);
        for (int i = 0; i < onlyA.Observations.Count; i++)
        {
            Assert.Equal(onlyA.Observations[i], both[0].Observations[i]);
            Assert.Equal(onlyB.Observations[i], both[1].Observations[i]);
            Assert.Equal(both[0].Observations[i].Pnl, both[1].Observations[i].Pnl);
        }
        Assert.Equal(onlyA.Coverage[0].Exceedances, both[0].Coverage[0].Exceedances);
        // The tighter margin breaks at least as often on the same books.
        Assert.True(both[0].Coverage[0].Exceedances >= both[1].Coverage[0].Exceedances);
    }

    [Fact]
    public void GrossNotionalIsSizeTimesForwardOverLegs()
    {
        var chain = Market(1, seed: 6)[0];
        var book = GridBacktest.Sample(chain, BacktestBook.CalendarSpread, new Random(2))!;
        double f = chain.Quotes[0].Forward;
        // Two 1-coin legs, every expiry at the same simulated forward.
        Assert.Equal(2 * f, GridBacktest.GrossNotional(book, chain), 1e-9);
        var result = GridBacktest.Run(Market(5, seed: 6), ModelBookMargin.Create(new StandIn(0.1), Snapshot), 1, 0.99, seed: 1);
        Assert.All(result.Observations, o => Assert.True(o.GrossNotional > 0));
    }

    [Fact]
    public void ModelThatCannotValueABookIsSkippedForThatModelOnly()
    {
        var market = Market(10, seed: 7);
        var results = GridBacktest.Run(market, [ModelBookMargin.Create(new StandIn(0.1), Snapshot), ModelBookMargin.Create(new StandIn(0.1, fail: true), Snapshot)], 1, 0.99, seed: 1);
        Assert.Empty(results[1].Observations);
        Assert.Equal(results[0].Skipped + results[0].Observations.Count, results[1].Skipped);
    }
}
