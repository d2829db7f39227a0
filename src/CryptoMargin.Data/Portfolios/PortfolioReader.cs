using System.Globalization;
using System.Text.Json;
using CryptoMargin.Data.Markets;
using CryptoMargin.Data.Policies;
using CryptoMargin.Instruments;
using CryptoMargin.MarketData;
using CryptoMargin.Portfolios;

namespace CryptoMargin.Data.Portfolios;

/// <summary>
/// A portfolio as JSON:
/// <code>
/// {
///   "name": "BTC options book",                 (optional)
///   "accountCurrency": "BTC",
///   "collateral": { "BTC": 10.5, "USDC": 20000 },  (asset → amount ≥ 0; optional, default none)
///   "positions":  [ { "instrument": "BTC-27MAR26-90000-C", "size": -5 }, { "instrument": "BTC-PERPETUAL", "size": 20000, "averagePrice": 71500 } ],
///   "openOrders": [ … same shape … ]              (optional)
/// }
/// </code>
/// Instruments are Deribit names (<see cref="Instrument.Parse"/>); <c>size</c> is in the unit Deribit's API reports for
/// the instrument (<see cref="Instrument.SizeUnit"/>: USD for inverse futures and perpetuals, coin otherwise), negative
/// for short, finite and |size| ≤ <see cref="Portfolio.MaxAbsSize"/>; <c>averagePrice</c> (optional, futures and
/// perpetuals only, USD per coin, &gt; 0) is the entry price the account view measures unrealised P&amp;L from. A spot holding cannot be negative (borrowing is
/// not modelled), an instrument appears at most once among the positions (give one net size), unknown fields are refused.
/// Given a market, every position and order must be valuable against it (<see cref="LoadedMarket.Problem"/>: not expired
/// at the market's valuation time, listed, with a fitted vol). Every problem is a <see cref="DataValidationException"/>
/// with the file, the 1-based line of the offending value and the field path (<c>positions[2].size</c>), and the reason
/// names the position (index and instrument).
/// </summary>
public static class PortfolioReader
{
    private static readonly string[] TopFields = ["name", "accountCurrency", "collateral", "positions", "openOrders"];
    private static readonly string[] PositionFields = ["instrument", "size", "averagePrice"];
    private static readonly string[] OrderFields = ["instrument", "size"];
    private static readonly JsonWriterOptions WriterOptions = new() { Indented = true };

    /// <summary>Reads a portfolio file; with <paramref name="market"/>, also checks every position can be valued against it.</summary>
    public static Portfolio Read(string path, LoadedMarket? market = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path)) throw new DataValidationException("file not found", file: path);
        using var source = JsonSource.Load(path);
        return Parse(source, market);
    }

    /// <summary>Reads a portfolio document (e.g. an embedded sample); <paramref name="displayName"/> names it in messages.</summary>
    public static Portfolio Read(byte[] bytes, string displayName, LoadedMarket? market = null)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        using var source = JsonSource.Parse(bytes, displayName);
        return Parse(source, market);
    }

    /// <summary>The JSON document of a portfolio (what <see cref="Read(byte[], string, LoadedMarket?)"/> reads back to an equal portfolio).</summary>
    public static byte[] ToUtf8(Portfolio portfolio)
    {
        ArgumentNullException.ThrowIfNull(portfolio);
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, WriterOptions))
        {
            w.WriteStartObject();
            if (portfolio.Name is { } name) w.WriteString("name", name);
            w.WriteString("accountCurrency", portfolio.AccountCurrency);
            w.WriteStartObject("collateral");
            foreach (var (asset, amount) in portfolio.Collateral) w.WriteNumber(asset, amount);
            w.WriteEndObject();
            WritePositions(w, "positions", portfolio.Positions);
            WritePositions(w, "openOrders", portfolio.OpenOrders);
            w.WriteEndObject();
        }
        buffer.WriteByte((byte)'\n');
        return buffer.ToArray();
    }

    /// <summary>Writes the portfolio atomically.</summary>
    public static void Write(Portfolio portfolio, string path) => AtomicFile.WriteAllBytes(path, ToUtf8(portfolio));

    private static void WritePositions(Utf8JsonWriter w, string name, IReadOnlyList<Position> positions)
    {
        w.WriteStartArray(name);
        foreach (var p in positions)
        {
            w.WriteStartObject();
            w.WriteString("instrument", p.Instrument.Name);
            w.WriteNumber("size", p.Size);
            if (p.AveragePrice is double avg) w.WriteNumber("averagePrice", avg);
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }

    private static Portfolio Parse(JsonSource src, LoadedMarket? market)
    {
        var root = src.Root;
        src.OnlyKnown(root, "", TopFields);
        string? name = src.OptionalString(root, "", "name");
        string account = src.String(root, "", "accountCurrency").Trim();
        if (!Instrument.TryParse(account + "_XX", out _, out _)) // a currency is 2–10 capital letters
            throw src.Error("accountCurrency", $"'{account}' is not a currency (2–10 capital letters, e.g. BTC, USDC)");

        var collateral = new SortedDictionary<string, double>(StringComparer.Ordinal);
        if (src.Has(root, "collateral"))
            foreach (var p in src.Object(root, "", "collateral").EnumerateObject())
            {
                string path = JsonSource.Path("collateral", p.Name);
                if (!Instrument.TryParse(p.Name + "_XX", out _, out _)) throw src.Error(path, $"'{p.Name}' is not an asset (2–10 capital letters)");
                collateral[p.Name] = Amount(src, p.Value, path, $"collateral {p.Name}", allowNegative: false);
            }

        if (!src.Has(root, "positions")) throw src.Error("positions", "is missing (give [] for an account without positions)");
        var positions = Positions(src, src.Array(root, "", "positions"), "positions", market, unique: true);
        var orders = src.Has(root, "openOrders") ? Positions(src, src.Array(root, "", "openOrders"), "openOrders", market, unique: false) : [];
        try
        {
            return new Portfolio(account, collateral, positions, orders, name);
        }
        catch (DataValidationException e) when (e.File is null)
        {
            throw e.At(src.File);
        }
    }

    private static List<Position> Positions(JsonSource src, JsonElement array, string parent, LoadedMarket? market, bool unique)
    {
        var list = new List<Position>();
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        int i = 0;
        foreach (var item in array.EnumerateArray())
        {
            string path = $"{parent}[{i}]";
            string what = parent == "positions" ? "position" : "open order";
            if (item.ValueKind != JsonValueKind.Object) throw src.Error(path, $"{what} {i}: expected an object {{\"instrument\": …, \"size\": …}}");
            src.OnlyKnown(item, path, unique ? PositionFields : OrderFields);
            string instrumentPath = JsonSource.Path(path, "instrument");
            if (!src.Has(item, "instrument")) throw src.Error(instrumentPath, $"{what} {i}: instrument is missing");
            string text = src.CheckString(item.GetProperty("instrument"), instrumentPath);
            if (!Instrument.TryParse(text, out var instrument, out var error)) throw src.Error(instrumentPath, $"{what} {i}: {error}");
            string label = $"{what} {i} ({instrument.Name})";
            string sizePath = JsonSource.Path(path, "size");
            if (!src.Has(item, "size")) throw src.Error(sizePath, $"{label}: size is missing (in {instrument.SizeUnit}, negative for short)");
            double size = Amount(src, item.GetProperty("size"), sizePath, label, allowNegative: instrument is not SpotInstrument);
            double? average = null;
            if (src.Has(item, "averagePrice"))
            {
                string avgPath = JsonSource.Path(path, "averagePrice");
                if (instrument is not FutureInstrument)
                    throw src.Error(avgPath, $"{label}: averagePrice applies to futures and perpetuals only (an option or spot holding is valued at its mark)");
                average = Amount(src, item.GetProperty("averagePrice"), avgPath, label, allowNegative: true);
                if (!(average > 0)) throw src.Error(avgPath, $"{label}: averagePrice {JsonSource.Format(average.Value)} is not a positive price (USD per coin)");
            }
            if (market?.Problem(instrument) is { } problem) throw src.Error(instrumentPath, $"{label}: {problem}");
            if (unique)
            {
                if (seen.TryGetValue(instrument.Name, out var first))
                    throw src.Error(instrumentPath, $"{label}: the instrument is already position {first}; give one net size per instrument");
                seen[instrument.Name] = i;
            }
            list.Add(new Position(instrument, size, average));
            i++;
        }
        return list;
    }

    private static double Amount(JsonSource src, JsonElement v, string path, string label, bool allowNegative)
    {
        if (v.ValueKind != JsonValueKind.Number)
            throw src.Error(path, $"{label}: expected a number, found {(v.ValueKind == JsonValueKind.String ? $"\"{v.GetString()}\"" : v.GetRawText())}");
        if (!v.TryGetDouble(out double x) || !double.IsFinite(x))
            throw src.Error(path, $"{label}: {v.GetRawText()} overflows a double");
        if (Math.Abs(x) > Portfolio.MaxAbsSize)
            throw src.Error(path, $"{label}: {v.GetRawText()} is beyond ±{Portfolio.MaxAbsSize.ToString("G3", CultureInfo.InvariantCulture)} (products with prices would lose precision)");
        if (!allowNegative && x < 0)
            throw src.Error(path, $"{label}: {v.GetRawText()} is negative (a {(label.StartsWith("collateral", StringComparison.Ordinal) ? "balance" : "spot holding")} cannot be short; borrowing is not modelled)");
        return x;
    }
}
