using CryptoMargin.Data.Prices;
using CryptoMargin.MarketData;
using CsvHelper;

namespace CryptoMargin.Data.Markets;

/// <summary>A small CSV table read whole (header = line 1), for the futures-mark files beside a Deribit snapshot.</summary>
internal sealed class MarketCsv
{
    private readonly Dictionary<string, int> _columns = new(StringComparer.OrdinalIgnoreCase);

    private MarketCsv(string source, string[] header, List<(string[] Fields, int Line)> rows)
    {
        Source = source;
        Header = header;
        Rows = rows;
        for (int i = 0; i < header.Length; i++) _columns.TryAdd(header[i].Trim(), i);
    }

    public string Source { get; }
    public string[] Header { get; }
    public List<(string[] Fields, int Line)> Rows { get; }

    public static MarketCsv Read(Stream stream, string source)
    {
        using var reader = CsvReader.Create(stream, CsvDefaults.ReaderOptions(), true);
        if (!reader.Read()) throw new DataValidationException("file is empty", file: source);
        var header = Fields(reader);
        var rows = new List<(string[], int)>();
        while (reader.Read()) rows.Add((Fields(reader), checked((int)reader.LineNumber)));
        return new MarketCsv(source, header, rows);
    }

    private static string[] Fields(CsvReader reader)
    {
        var fields = new string[reader.FieldCount];
        for (int i = 0; i < fields.Length; i++) fields[i] = reader.GetString(i);
        return fields;
    }

    public int Require(string name) =>
        _columns.TryGetValue(name, out var i) ? i
            : throw new DataValidationException($"missing column '{name}'", file: Source, line: 1, field: name);

    public int? Column(string name) => _columns.TryGetValue(name, out var i) ? i : null;

    public string Cell(string[] fields, int line, int column) =>
        column < fields.Length ? fields[column].Trim()
            : throw new DataValidationException($"missing: the row has {fields.Length} fields, the header {Header.Length}", file: Source, line: line, field: Header[column].Trim());

    /// <summary>A positive finite price.</summary>
    public double Price(string[] fields, int line, int column)
    {
        var s = Cell(fields, line, column);
        if (!NumberParser.TryParse(s, out var v) || !double.IsFinite(v) || !(v > 0))
            throw new DataValidationException($"'{s}' is not a positive price", file: Source, line: line, field: Header[column].Trim());
        return v;
    }
}
