using System.Globalization;
using System.Text.Json;
using CryptoMargin.Calibration.Grid;
using CryptoMargin.MarketData;

namespace CryptoMargin.Data.Policies;

/// <summary>
/// A policy document holding a <c>grid</c> section (<see cref="GridPolicy"/>), as <c>calibrate-grid</c> writes it:
/// <code>{"grid": {confidence, mporDays, volShockHorizonDays, extendedConfidence,
///   coins: [{underlying, priceRange, priceRangeSource, extendedMove, extendedMoveSource, kUp, kDown, pShort, pLong,
///            volShockUp{k, pShort, pLong, points, rSquared, rmseLog, kStandardError, pShortStandardError, pLongStandardError},
///            volShockDown{…}}],
///   sources{chains, snapshots, first, last, prices[], policy}}}</code>
/// Top-level kUp/kDown are the two fits' k; pShort/pLong are the up fit's (the direction that binds for short-vol
/// books); volShockDown keeps the down fit's own exponents. Written atomically after the reader's own checks.
/// </summary>
public static class GridPolicyJson
{
    private static readonly JsonWriterOptions WriterOptions = new() { Indented = true };

    public static byte[] ToUtf8(GridPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, WriterOptions))
        {
            w.WriteStartObject();
            w.WritePropertyName("grid");
            WriteGrid(w, policy);
            w.WriteEndObject();
        }
        buffer.WriteByte((byte)'\n');
        return buffer.ToArray();
    }

    /// <summary>Writes atomically; an invalid policy is refused (<see cref="DataValidationException"/>) and nothing is written.</summary>
    public static void Write(GridPolicy policy, string path)
    {
        var bytes = ToUtf8(policy);
        using (var check = JsonSource.Parse(bytes, path)) Parse(check);
        AtomicFile.WriteAllBytes(path, bytes);
    }

    public static void WriteGrid(Utf8JsonWriter w, GridPolicy p)
    {
        w.WriteStartObject();
        w.WriteNumber("confidence", p.Confidence);
        w.WriteNumber("mporDays", p.MporDays);
        w.WriteNumber("volShockHorizonDays", p.VolShockHorizonDays);
        w.WriteNumber("extendedConfidence", p.ExtendedConfidence);
        w.WriteStartArray("coins");
        foreach (var c in p.Coins)
        {
            w.WriteStartObject();
            w.WriteString("underlying", c.Underlying);
            Number(w, "priceRange", c.PriceRange);
            w.WriteString("priceRangeSource", c.PriceRangeSource);
            Number(w, "extendedMove", c.ExtendedMove);
            w.WriteString("extendedMoveSource", c.ExtendedMoveSource);
            Number(w, "kUp", c.VolUp.Law.K);
            Number(w, "kDown", c.VolDown.Law.K);
            Number(w, "pShort", c.VolUp.Law.PShort);
            Number(w, "pLong", c.VolUp.Law.PLong);
            WriteFit(w, "volShockUp", c.VolUp);
            WriteFit(w, "volShockDown", c.VolDown);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteStartObject("sources");
        w.WriteString("chains", p.Sources.Chains);
        w.WriteNumber("snapshots", p.Sources.Snapshots);
        w.WriteString("first", Date(p.Sources.First));
        w.WriteString("last", Date(p.Sources.Last));
        w.WriteStartArray("prices");
        foreach (var s in p.Sources.Prices) w.WriteStringValue(s);
        w.WriteEndArray();
        if (p.Sources.Policy is { } pol) w.WriteString("policy", pol); else w.WriteNull("policy");
        w.WriteEndObject();
        w.WriteEndObject();
    }

    private static void WriteFit(Utf8JsonWriter w, string name, TermShockFitResult f)
    {
        w.WriteStartObject(name);
        Number(w, "k", f.Law.K);
        Number(w, "pShort", f.Law.PShort);
        Number(w, "pLong", f.Law.PLong);
        w.WriteNumber("points", f.Points);
        Number(w, "rSquared", f.RSquared);
        Number(w, "rmseLog", f.RmseLog);
        Number(w, "kStandardError", f.KStandardError);
        Number(w, "pShortStandardError", f.PShortStandardError);
        Number(w, "pLongStandardError", f.PLongStandardError);
        w.WriteEndObject();
    }

    private static void Number(Utf8JsonWriter w, string name, double x)
    {
        if (double.IsFinite(x)) w.WriteNumber(name, x); else w.WriteNull(name);
    }

    private static string Date(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    // ---------------------------------------------------------------- reading

    /// <summary>Reads the <c>grid</c> section of a policy file; the first problem is reported as FILE:LINE: field 'NAME': ….</summary>
    public static GridPolicy Read(string path)
    {
        using var source = JsonSource.Load(path);
        return Parse(source);
    }

    private static readonly string[] GridFields = ["confidence", "mporDays", "volShockHorizonDays", "extendedConfidence", "coins", "sources"];
    private static readonly string[] CoinFields = ["underlying", "priceRange", "priceRangeSource", "extendedMove", "extendedMoveSource",
        "kUp", "kDown", "pShort", "pLong", "volShockUp", "volShockDown"];
    private static readonly string[] FitFields = ["k", "pShort", "pLong", "points", "rSquared", "rmseLog", "kStandardError",
        "pShortStandardError", "pLongStandardError"];
    private static readonly string[] SourceFields = ["chains", "snapshots", "first", "last", "prices", "policy"];

    private static GridPolicy Parse(JsonSource s)
    {
        if (s.Root.ValueKind != JsonValueKind.Object) throw s.Error("", "expected a JSON object");
        var g = s.Object(s.Root, "", "grid");
        const string at = "grid";
        s.OnlyKnown(g, at, GridFields);
        double confidence = s.Number(g, at, "confidence", x => x > 0.5 && x < 1, "in (0.5, 1)");
        int mpor = s.Integer(g, at, "mporDays", 1);
        int horizon = s.Integer(g, at, "volShockHorizonDays", 1);
        double ext = s.Number(g, at, "extendedConfidence", x => x > confidence && x < 1, "in (confidence, 1)");
        var coins = new List<GridCoinParameters>();
        int i = 0;
        foreach (var c in s.Array(g, at, "coins").EnumerateArray())
        {
            var cat = $"{at}.coins[{i++}]";
            if (c.ValueKind != JsonValueKind.Object) throw s.Error(cat, "expected an object");
            s.OnlyKnown(c, cat, CoinFields);
            var up = ParseFit(s, s.Object(c, cat, "volShockUp"), JsonSource.Path(cat, "volShockUp"));
            var down = ParseFit(s, s.Object(c, cat, "volShockDown"), JsonSource.Path(cat, "volShockDown"));
            double kUp = s.Number(c, cat, "kUp", x => x > 0, "positive");
            double kDown = s.Number(c, cat, "kDown", x => x > 0 && x < 1, "in (0, 1): a vol cannot fall by 100 %");
            double pShort = s.Number(c, cat, "pShort", double.IsFinite, "finite");
            double pLong = s.Number(c, cat, "pLong", double.IsFinite, "finite");
            if (kUp != up.Law.K || pShort != up.Law.PShort || pLong != up.Law.PLong)
                throw s.Error(JsonSource.Path(cat, "kUp"), "kUp, pShort and pLong must equal volShockUp's k, pShort and pLong");
            if (kDown != down.Law.K) throw s.Error(JsonSource.Path(cat, "kDown"), "kDown must equal volShockDown.k");
            coins.Add(new GridCoinParameters(
                s.String(c, cat, "underlying"),
                s.Number(c, cat, "priceRange", x => x > 0 && x < 1, "in (0, 1)"),
                s.String(c, cat, "priceRangeSource"),
                s.Number(c, cat, "extendedMove", x => x > 0, "positive"),
                s.String(c, cat, "extendedMoveSource"),
                up, down));
        }
        if (coins.Count == 0) throw s.Error(JsonSource.Path(at, "coins"), "holds no underlying");
        var src = s.Object(g, at, "sources");
        var sat = JsonSource.Path(at, "sources");
        s.OnlyKnown(src, sat, SourceFields);
        var prices = new List<string>();
        int k = 0;
        foreach (var p in s.Array(src, sat, "prices").EnumerateArray()) prices.Add(s.CheckString(p, $"{sat}.prices[{k++}]"));
        var sources = new GridSources(s.String(src, sat, "chains"), s.Integer(src, sat, "snapshots", 1),
            s.Date(src, sat, "first"), s.Date(src, sat, "last"), prices, s.OptionalString(src, sat, "policy"));
        return new GridPolicy(confidence, mpor, horizon, ext, coins, sources);
    }

    private static TermShockFitResult ParseFit(JsonSource s, JsonElement f, string at)
    {
        s.OnlyKnown(f, at, FitFields);
        var law = new TermShockLaw(s.Number(f, at, "k", x => x > 0, "positive"),
            s.Number(f, at, "pShort", double.IsFinite, "finite"), s.Number(f, at, "pLong", double.IsFinite, "finite"));
        return new TermShockFitResult(law, s.Integer(f, at, "points", 4),
            s.OptionalNumber(f, at, "rSquared", x => x <= 1, "at most 1") ?? double.NaN,
            s.OptionalNumber(f, at, "rmseLog", x => x >= 0, "non-negative") ?? double.NaN,
            s.OptionalNumber(f, at, "kStandardError", x => x >= 0, "non-negative") ?? double.NaN,
            s.OptionalNumber(f, at, "pShortStandardError", x => x >= 0, "non-negative") ?? double.NaN,
            s.OptionalNumber(f, at, "pLongStandardError", x => x >= 0, "non-negative") ?? double.NaN);
    }
}
