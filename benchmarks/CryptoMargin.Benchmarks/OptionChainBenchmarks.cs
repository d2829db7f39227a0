using BenchmarkDotNet.Attributes;
using CryptoMargin.Instruments;
using CryptoMargin.MarketData.Options;
using CryptoMargin.Pricing;

namespace CryptoMargin.Benchmarks;

/// <summary>
/// Option-chain cleaning at the size of one Deribit BTC snapshot (samples/options: ~1,000 quotes, 12 expiries):
/// parsing one instrument name, the static-arbitrage kernel on one expiry's 40 strikes, and cleaning a whole chain of
/// 12 expiries × 40 strikes × call and put (960 quotes, Black-76 on a smile, ±2 % spreads, every 17th quote bumped).
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class OptionChainBenchmarks
{
    private const double F = 77500;
    private readonly double[] _strikes = new double[40];
    private readonly double[] _bids = new double[40];
    private readonly double[] _asks = new double[40];
    private readonly ArbitrageViolation[] _violations = new ArbitrageViolation[80];
    private OptionChain _chain = new(null, null, [], true);

    [GlobalSetup]
    public void Setup()
    {
        var valuation = new DateTimeOffset(2026, 8, 22, 9, 35, 36, TimeSpan.Zero);
        var quotes = new List<OptionQuote>();
        int line = 2;
        for (int e = 0; e < 12; e++)
        {
            var expiry = new DateTimeOffset(2026, 8, 24, 8, 0, 0, TimeSpan.Zero).AddDays(7 * e * e + 1);
            double t = (expiry - valuation).TotalDays / 365;
            for (int k = 0; k < 40; k++)
            {
                double strike = 40000 + 2000 * k;
                double sigma = 0.45 + 0.3 * Math.Pow(Math.Log(strike / F), 2);
                foreach (var type in new[] { OptionType.Call, OptionType.Put })
                {
                    double usd = Black76.Price(F, strike, t, sigma, type) + (line % 17 == 0 ? 50 : 0);
                    quotes.Add(new OptionQuote
                    {
                        Instrument = $"BTC-{expiry:dMMMyy}-{strike}-{(type == OptionType.Call ? 'C' : 'P')}".ToUpperInvariant(),
                        Expiry = expiry, T = t, Strike = strike, Type = type, Forward = F, IsInverse = true,
                        BidCoin = 0.98 * usd / F, AskCoin = 1.02 * usd / F, MarkCoin = usd / F,
                        BidUsd = 0.98 * usd, AskUsd = 1.02 * usd, MarkUsd = usd, MarkIv = sigma, Line = line++,
                    });
                    if (e == 3 && type == OptionType.Call)
                    {
                        _strikes[k] = strike;
                        _bids[k] = 0.98 * usd;
                        _asks[k] = 1.02 * usd;
                    }
                }
            }
        }
        _chain = new OptionChain(valuation, "BTC", quotes, hasBook: true);
    }

    [Benchmark]
    public OptionInstrument? ParseInstrumentName() =>
        OptionInstrument.TryParse("BTC-25SEP26-120000-P", out var instrument, out _) ? instrument : null;

    [Benchmark]
    public int StaticArbitrageOneExpiry() =>
        StaticArbitrage.FindViolations(_strikes, _bids, _asks, OptionType.Call, 7.75, _violations);

    [Benchmark]
    public int CleanChain960Quotes() => OptionChainCleaner.Clean(_chain, OptionCleaningSettings.Default).Rejections.Count;

    [Benchmark]
    public int CleanChain960QuotesOnMids() =>
        OptionChainCleaner.Clean(_chain, OptionCleaningSettings.Default with { ArbitrageOnMids = true }).Rejections.Count;
}
