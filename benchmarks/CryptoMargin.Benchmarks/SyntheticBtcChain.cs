using System.Globalization;
using CryptoMargin.MarketData.Options;
using CryptoMargin.Pricing;

namespace CryptoMargin.Benchmarks;

/// <summary>
/// A seeded synthetic BTC option chain with Deribit names for the backtest benchmarks: 6 monthly expiries (27MAR26 on,
/// 08:00 UTC) × strikes every 1,000 USD from 54,000 to 126,000 × call/put, inverse, forward = index = <c>f</c>, marked at
/// Black-76 with a smile vol 0.5 + 0.3x² − 0.05x (x = ln K/f) plus up to 0.005 of seeded noise, in USD and in coin.
/// </summary>
internal static class SyntheticBtcChain
{
    public static OptionChain Create(DateTimeOffset now, double f, int seed)
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
}
