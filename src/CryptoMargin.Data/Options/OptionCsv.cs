using CryptoMargin.Data.Prices;
using CryptoMargin.MarketData;
using CryptoMargin.MarketData.Options;
using CsvHelper;

namespace CryptoMargin.Data.Options;

/// <summary>
/// A CSV option file read into memory (UTF-8, header first, RFC 4180 quoting, blank lines ignored, invariant culture),
/// with typed cell access that throws <see cref="DataValidationException"/> at the cell's line and column.
/// The header decides the layout: <c>instrument_name</c> → Deribit snapshot, <c>t</c> and <c>strike</c> → surface.
/// </summary>
internal sealed class OptionCsv
{
    private readonly Dictionary<string, int> _columns;

    private OptionCsv(string[] header, List<(string[] Fields, int Line)> records)
    {
        Header = header;
        Records = records;
        _columns = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (int i = 0; i < header.Length; i++) _columns.TryAdd(header[i].Trim(), i);
    }

    internal string[] Header { get; }
    internal List<(string[] Fields, int Line)> Records { get; }

    internal static OptionChain Read(Stream stream, string source, string? underlying)
    {
        var csv = Load(stream, source);
        if (csv.Has("instrument_name")) return DeribitSnapshotCsv.Read(csv, underlying);
        if (csv.Has("t") && csv.Has("strike")) return SurfaceCsv.Read(csv, underlying);
        throw new DataValidationException(
            "not an option chain: the header has neither 'instrument_name' (Deribit snapshot) nor 't' and 'strike' (surface)", line: 1);
    }

    private static OptionCsv Load(Stream stream, string source)
    {
        var options = CsvDefaults.ReaderOptions();
        using var reader = CsvReader.Create(stream, options, true);
        if (!reader.Read()) throw new DataValidationException("file is empty", file: source);
        var header = Fields(reader);
        var records = new List<(string[], int)>();
        while (reader.Read()) records.Add((Fields(reader), checked((int)reader.LineNumber)));
        if (records.Count == 0) throw new DataValidationException("no data rows", file: source);
        return new OptionCsv(header, records);
    }

    private static string[] Fields(CsvReader reader)
    {
        var fields = new string[reader.FieldCount];
        for (int i = 0; i < fields.Length; i++) fields[i] = reader.GetString(i);
        return fields;
    }

    internal bool Has(string name) => _columns.ContainsKey(name);

    internal int? Column(string name) => _columns.TryGetValue(name, out var i) ? i : null;

    /// <exception cref="DataValidationException">The column is not in the header (line 1).</exception>
    internal int Require(string name, string purpose) =>
        Column(name) ?? throw new DataValidationException($"missing column '{name}' ({purpose})", line: 1, field: name);

    /// <summary>The trimmed cell, or an error naming the line and column when the row is too short.</summary>
    internal string Cell(string[] fields, int line, int column)
    {
        if (column >= fields.Length)
            throw new DataValidationException($"missing: the row has {fields.Length} fields, the header {Header.Length}", line: line, field: Header[column].Trim());
        return fields[column].Trim();
    }

    /// <summary>A number; empty → null when <paramref name="optional"/>, else an error.</summary>
    internal double? Number(string[] fields, int line, int? column, bool optional)
    {
        if (column is not int c) return null;
        var s = Cell(fields, line, c);
        if (s.Length == 0)
            return optional ? null : throw new DataValidationException("empty cell, expected a number", line: line, field: Header[c].Trim());
        if (!NumberParser.TryParse(s, out var v) || !double.IsFinite(v))
            throw new DataValidationException($"cannot parse '{s}' as a finite number", line: line, field: Header[c].Trim());
        return v;
    }

    internal double Required(string[] fields, int line, int column) => Number(fields, line, column, optional: false)!.Value;

    internal static DataValidationException Error(string reason, int line, string field) => new(reason, line: line, field: field);
}
