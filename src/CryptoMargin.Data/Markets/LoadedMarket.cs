using CryptoMargin.Instruments;
using CryptoMargin.MarketData;

namespace CryptoMargin.Data.Markets;

/// <summary>
/// A market snapshot as read from a file, with what the file said beside it: option marks by instrument, where each
/// futures mark came from, the per-expiry surface fits and their errors, and notes (skipped expiries, fallbacks).
/// <see cref="Problem"/> says whether an instrument can be valued against it (what "an instrument of the market
/// snapshot" means for portfolios and what-if trades).
/// </summary>
/// <param name="Snapshot">What the margin models revalue against.</param>
/// <param name="Source">The file (or embedded sample) it was read from.</param>
/// <param name="OptionMarks">Listed options by Deribit name (empty for a JSON market without option marks).</param>
/// <param name="MarkSources">Per futures/perpetual name: where its mark came from.</param>
/// <param name="Fits">Per coin and fitted expiry: the slice and its fit error against the mark IVs used.</param>
/// <param name="Notes">What the user should know (expiries without a fitted slice, fallbacks).</param>
public sealed record LoadedMarket(
    MarketSnapshot Snapshot,
    string Source,
    IReadOnlyDictionary<string, OptionMark> OptionMarks,
    IReadOnlyDictionary<string, string> MarkSources,
    IReadOnlyList<SurfaceSliceFit> Fits,
    IReadOnlyList<string> Notes)
{
    public DateTimeOffset ValuationTime => Snapshot.ValuationTime;

    /// <summary>
    /// Null when <paramref name="instrument"/> can be valued against this market; else what is missing. Rules: spot and
    /// perpetuals need the coin's index; a dated future must not have expired and needs a mark (its own or, for a linear
    /// future, the inverse one of the same expiry); an option must not have expired, needs the coin's surface and, where
    /// the file listed options of the coin, its (inverse-named) contract listed and its expiry fitted.
    /// </summary>
    public string? Problem(Instrument instrument)
    {
        ArgumentNullException.ThrowIfNull(instrument);
        var snap = Snapshot;
        string coin = instrument.Currency;
        if (!snap.IndexPrices.ContainsKey(coin))
            return $"the market has no index price for {coin} (it has {string.Join(", ", snap.IndexPrices.Keys.Order(StringComparer.Ordinal))})";
        switch (instrument)
        {
            case FutureInstrument { Expiry: { } expiry } f:
                if (expiry <= ValuationTime) return $"{f.Name} expired at {Iso(expiry)}, before the valuation time {Iso(ValuationTime)}";
                string inverse = coin + f.Name[f.Name.IndexOf('-')..];
                if (!snap.FuturesMarks.ContainsKey(f.Name) && !snap.FuturesMarks.ContainsKey(inverse))
                    return $"the market has no mark for the future {f.Name} (listed: {Listed(coin)})";
                return null;
            case OptionInstrument o:
                if (o.Expiry <= ValuationTime) return $"{o.Name} expired at {Iso(o.Expiry)}, before the valuation time {Iso(ValuationTime)}";
                if (!snap.Surfaces.ContainsKey(coin)) return $"the market has no volatility surface for {coin}";
                bool listsCoin = OptionMarks.Keys.Any(k => k.StartsWith(coin + "-", StringComparison.Ordinal));
                if (!listsCoin) return null;
                string name = o.IsInverse ? o.Name : coin + o.Name[o.Name.IndexOf('-')..];
                if (!OptionMarks.ContainsKey(name)) return $"{o.Name} is not listed in the market snapshot";
                if (!Fits.Any(x => x.Currency == coin && x.Expiry == o.Expiry))
                    return $"no fitted volatility for the expiry of {o.Name} ({Iso(o.Expiry)}): too few clean quotes to fit a smile";
                return null;
            default:
                return null;
        }
    }

    private string Listed(string coin)
    {
        var names = Snapshot.FuturesMarks.Keys.Where(k => k.StartsWith(coin, StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToList();
        return names.Count == 0 ? "none" : string.Join(", ", names);
    }

    private static string Iso(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>A listed option's mark: USD (undiscounted, forward terms), coin price where quoted in coin, mark IV (decimal), its forward and years to expiry.</summary>
public readonly record struct OptionMark(double PriceUsd, double? PriceCoin, double? ImpliedVolatility, double Forward, double T);

/// <summary>One fitted expiry of a coin's surface: forward, quotes used and the fit's RMSE in vol (decimal) against them.</summary>
public sealed record SurfaceSliceFit(string Currency, DateTimeOffset? Expiry, double T, double Forward, int Quotes, double RmseVol);
