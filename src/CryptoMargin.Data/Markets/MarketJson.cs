using System.Globalization;
using System.Text.Json;
using CryptoMargin.Data.Policies;
using CryptoMargin.Instruments;
using CryptoMargin.MarketData;
using CryptoMargin.Surfaces;

namespace CryptoMargin.Data.Markets;

/// <summary>
/// A market snapshot as a small JSON document, for tests and for users without a Deribit snapshot:
/// <code>
/// {
///   "valuationTime": "2026-04-15T10:24:47Z",
///   "index": { "BTC": 74010.0, "ETH": 2315.0 },
///   "marks": { "BTC-PERPETUAL": 74012.5, "BTC-26JUN26": 74295.0 },
///   "surfaces": {
///     "BTC": { "slices": [
///       { "expiry": "29MAY26", "forward": 74135.0, "svi": { "a": 0.0105, "b": 0.0203, "rho": -0.1, "m": 0.02, "sigma": 0.1 } },
///       { "expiry": "2026-06-26T08:00:00Z", "atmVol": 0.43 } ] }
///   }
/// }
/// </code>
/// <c>valuationTime</c> ISO-8601 (UTC when no offset); <c>index</c> USD per coin, &gt; 0, at least one; <c>marks</c>
/// (optional) futures/perpetual marks, USD per coin, by Deribit name; <c>surfaces</c> (optional) per coin a list of
/// slices, each with <c>expiry</c> (Deribit DMMMYY = 08:00 UTC, or ISO-8601) after the valuation time, an optional
/// <c>forward</c> (default: the mark of the coin's future of that expiry, else the index), and either raw SVI
/// parameters <c>svi</c> (total variance, Gatheral 2004) or a flat smile <c>atmVol</c> (decimal; stored as SVI with
/// b = 0, a = σ²t). Unknown fields are refused (a typo would otherwise be a silent default).
/// </summary>
public static class MarketJson
{
    private static readonly string[] TopFields = ["valuationTime", "index", "marks", "surfaces", "name"];
    private static readonly string[] SliceFields = ["expiry", "forward", "svi", "atmVol"];
    private static readonly string[] SviFields = ["a", "b", "rho", "m", "sigma"];

    public static LoadedMarket Read(string path)
    {
        using var source = JsonSource.Load(path);
        return Parse(source);
    }

    /// <summary>Reads the document in <paramref name="bytes"/>; <paramref name="displayName"/> names it in messages.</summary>
    public static LoadedMarket Read(byte[] bytes, string displayName)
    {
        using var source = JsonSource.Parse(bytes, displayName);
        return Parse(source);
    }

    private static LoadedMarket Parse(JsonSource src)
    {
        var root = src.Root;
        src.OnlyKnown(root, "", TopFields);
        string timeText = src.String(root, "", "valuationTime");
        if (!DateTimeOffset.TryParse(timeText, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var valuation))
            throw src.Error("valuationTime", $"'{timeText}' is not an ISO-8601 time (e.g. 2026-04-15T10:24:47Z)");

        var index = new SortedDictionary<string, double>(StringComparer.Ordinal);
        var indexObj = src.Object(root, "", "index");
        foreach (var p in indexObj.EnumerateObject())
        {
            string path = JsonSource.Path("index", p.Name);
            if (!Instrument.TryParse(p.Name + "_USD", out _, out _)) throw src.Error(path, $"'{p.Name}' is not a coin (2–10 capital letters)");
            index[p.Name] = src.CheckNumber(p.Value, path, x => x > 0, "(0, ∞)");
        }
        if (index.Count == 0) throw src.Error("index", "needs at least one coin's index price");

        var marks = new SortedDictionary<string, double>(StringComparer.Ordinal);
        var sources = new SortedDictionary<string, string>(StringComparer.Ordinal);
        if (src.Has(root, "marks"))
            foreach (var p in src.Object(root, "", "marks").EnumerateObject())
            {
                string path = JsonSource.Path("marks", p.Name);
                if (!Instrument.TryParse(p.Name, out var instrument, out var error)) throw src.Error(path, error);
                if (instrument is not FutureInstrument) throw src.Error(path, $"{p.Name} is not a future or perpetual (marks are futures marks)");
                marks[p.Name] = src.CheckNumber(p.Value, path, x => x > 0, "(0, ∞)");
                sources[p.Name] = $"{src.File}:{src.LineOf(path)?.ToString(CultureInfo.InvariantCulture)}";
            }

        var surfaces = new SortedDictionary<string, IVolSurface>(StringComparer.Ordinal);
        var fits = new List<SurfaceSliceFit>();
        if (src.Has(root, "surfaces"))
            foreach (var coin in src.Object(root, "", "surfaces").EnumerateObject())
            {
                string coinPath = JsonSource.Path("surfaces", coin.Name);
                if (!index.TryGetValue(coin.Name, out var spot)) throw src.Error(coinPath, $"a surface for {coin.Name} needs its index price in 'index'");
                if (coin.Value.ValueKind != JsonValueKind.Object) throw src.Error(coinPath, "expected an object with 'slices'");
                src.OnlyKnown(coin.Value, coinPath, ["slices"]);
                var slicesArray = src.Array(coin.Value, coinPath, "slices");
                var slices = new List<(DateTimeOffset Expiry, double T, double Forward, SviParameters P, string Path)>();
                int i = 0;
                foreach (var s in slicesArray.EnumerateArray())
                {
                    string path = $"{coinPath}.slices[{i++}]";
                    if (s.ValueKind != JsonValueKind.Object) throw src.Error(path, "expected an object {expiry, forward?, svi | atmVol}");
                    src.OnlyKnown(s, path, SliceFields);
                    var expiry = Expiry(src, s, path);
                    double t = (expiry - valuation).TotalDays / 365.0;
                    if (!(t > 0)) throw src.Error(JsonSource.Path(path, "expiry"), $"expiry {Iso(expiry)} is not after the valuation time {Iso(valuation)}");
                    double forward = src.OptionalNumber(s, path, "forward", x => x > 0, "(0, ∞)")
                        ?? (marks.TryGetValue(coin.Name + "-" + DeribitDate(expiry), out var m) ? m : spot);
                    bool hasSvi = src.Has(s, "svi"), hasAtm = src.Has(s, "atmVol");
                    if (hasSvi == hasAtm) throw src.Error(path, "give exactly one of 'svi' (raw SVI parameters) or 'atmVol' (a flat smile)");
                    SviParameters p;
                    if (hasAtm)
                    {
                        double vol = src.Number(s, path, "atmVol", x => x > 0 && x < 10, "(0, 10)");
                        p = new SviParameters(vol * vol * t, 0, 0, 0, 1);
                    }
                    else
                    {
                        var o = src.Object(s, path, "svi");
                        string sp = JsonSource.Path(path, "svi");
                        src.OnlyKnown(o, sp, SviFields);
                        p = new SviParameters(src.Number(o, sp, "a", double.IsFinite, "finite numbers"), src.Number(o, sp, "b", x => x >= 0, "[0, ∞)"),
                            src.Number(o, sp, "rho", x => x > -1 && x < 1, "(−1, 1)"), src.Number(o, sp, "m", double.IsFinite, "finite numbers"),
                            src.Number(o, sp, "sigma", x => x > 0, "(0, ∞)"));
                        if (!(p.MinimumTotalVariance >= 0))
                            throw src.Error(sp, $"a + b·sigma·√(1 − rho²) = {p.MinimumTotalVariance.ToString("G4", CultureInfo.InvariantCulture)} < 0: total variance would be negative");
                    }
                    if (slices.Any(x => x.Expiry == expiry)) throw src.Error(JsonSource.Path(path, "expiry"), $"expiry {Iso(expiry)} is given twice");
                    slices.Add((expiry, t, forward, p, path));
                }
                if (slices.Count == 0) throw src.Error(JsonSource.Path(coinPath, "slices"), "needs at least one slice");
                slices.Sort((a, b) => a.T.CompareTo(b.T));
                surfaces[coin.Name] = new SliceVolSurface([.. slices.Select(x => (x.T, x.Forward, x.P))]);
                fits.AddRange(slices.Select(x => new SurfaceSliceFit(coin.Name, x.Expiry, x.T, x.Forward, 0, double.NaN)));
            }

        var market = new MarketSnapshot(valuation, index, marks, surfaces);
        return new LoadedMarket(market, src.File, new Dictionary<string, OptionMark>(), sources, fits, []);
    }

    private static DateTimeOffset Expiry(JsonSource src, JsonElement slice, string path)
    {
        string text = src.String(slice, path, "expiry").Trim();
        if (OptionInstrumentExpiry(text) is { } d) return d;
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var t)) return t;
        throw src.Error(JsonSource.Path(path, "expiry"), $"'{text}' is neither a Deribit expiry DMMMYY (e.g. 26JUN26) nor an ISO-8601 time");
    }

    /// <summary>DMMMYY as Deribit spells it (08:00 UTC), via the instrument parser.</summary>
    private static DateTimeOffset? OptionInstrumentExpiry(string text) =>
        Instrument.TryParse("X" + "X-" + text, out var i, out _) && i is FutureInstrument { Expiry: { } e } ? e : null;

    internal static string DeribitDate(DateTimeOffset expiry) =>
        expiry.UtcDateTime.Day.ToString(CultureInfo.InvariantCulture) + expiry.UtcDateTime.ToString("MMMyy", CultureInfo.InvariantCulture).ToUpperInvariant();

    private static string Iso(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
