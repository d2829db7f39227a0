using CryptoMargin.MarketData;
using CsvHelper;

namespace CryptoMargin.Data.Prices;

/// <summary>
/// CSV price files (UTF-8, BOM honoured): header row first (a single-field banner line starting with <c>http</c> before it, as
/// CryptoDataDownload writes, is skipped), invariant culture, RFC 4180 quoting, blank lines ignored.
/// Lines are physical: a record spanning lines (quoted newline) is reported at the line it starts on.
/// </summary>
internal static class CsvPriceReader
{
    internal static PriceHistory Read(Stream stream, string source, PriceReadOptions options)
    {
        var csvOptions = CsvDefaults.ReaderOptions();
        using var csv = CsvReader.Create(stream, csvOptions, true);

        if (!csv.Read()) throw new DataValidationException("file is empty", file: source);
        var header = Fields(csv);
        int headerLine = Line(csv);
        if (header.Length == 1 && header[0].Trim().StartsWith("http", StringComparison.OrdinalIgnoreCase))
        {
            if (!csv.Read()) throw new DataValidationException("no header row after the banner line", file: source, line: headerLine);
            header = Fields(csv);
            headerLine = Line(csv);
        }

        var records = new List<(string[] Fields, int Line)>();
        while (csv.Read())
            records.Add((Fields(csv), Line(csv)));
        if (records.Count == 0) throw new DataValidationException("no data rows", file: source);

        var columns = PriceColumns.Choose(header, options,
            i => records.FirstOrDefault(r => i < r.Fields.Length && r.Fields[i].Trim().Length > 0).Fields is { } f
                 && NumberParser.TryParse(f[i], out _),
            source, headerLine);
        string valueName = header[columns.Value].Trim();
        string? timeName = columns.Time is int ti ? header[ti].Trim() : null;

        var times = columns.Time is null ? null : new List<DateTimeOffset>(records.Count);
        var values = new List<double>(records.Count);
        var lines = new List<int>(records.Count);
        var findings = new List<ValidationFinding>();
        foreach (var (fields, line) in records)
        {
            bool ok = true;
            DateTimeOffset t = default;
            if (columns.Time is int tc)
            {
                if (tc >= fields.Length)
                {
                    findings.Add(Missing(line, timeName!, fields.Length, header.Length));
                    ok = false;
                }
                else if (!TimestampParser.TryParse(fields[tc], out t))
                {
                    findings.Add(new(line, timeName!, FindingKind.Unparsable, $"cannot parse '{fields[tc]}' as a timestamp"));
                    ok = false;
                }
            }
            double v = 0;
            if (columns.Value >= fields.Length)
            {
                findings.Add(Missing(line, valueName, fields.Length, header.Length));
                ok = false;
            }
            else if (fields[columns.Value].Trim().Length == 0)
            {
                findings.Add(new(line, valueName, FindingKind.Unparsable, "cannot parse '' (empty cell) as a number"));
                ok = false;
            }
            else if (!NumberParser.TryParse(fields[columns.Value], out v))
            {
                findings.Add(new(line, valueName, FindingKind.Unparsable, $"cannot parse '{fields[columns.Value]}' as a number"));
                ok = false;
            }
            if (!ok) continue;
            times?.Add(t);
            values.Add(v);
            lines.Add(line);
        }
        return new PriceHistory(source, new PriceSeries(times, values, lines, valueName, timeName), findings, records.Count);
    }

    private static ValidationFinding Missing(int line, string field, int has, int expected) =>
        new(line, field, FindingKind.Unparsable, $"missing: the row has {has} field{(has == 1 ? "" : "s")}, the header {expected}");

    private static int Line(CsvReader csv) => checked((int)csv.LineNumber);

    private static string[] Fields(CsvReader csv)
    {
        var fields = new string[csv.FieldCount];
        for (int i = 0; i < fields.Length; i++) fields[i] = csv.GetString(i);
        return fields;
    }
}
