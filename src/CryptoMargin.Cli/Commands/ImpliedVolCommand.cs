using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using CryptoMargin.Data;
using CryptoMargin.MarketData;
using CryptoMargin.Pricing;
using CsvHelper;

namespace CryptoMargin.Cli.Commands;

/// <summary>
/// <c>cryptomargin implied-vol --input CSV [--output CSV] [--json]</c>: Black-76 implied volatility per row.
/// Input columns (by header name, case-insensitive): <c>forward, strike, t, price, type</c> (<c>call</c>/<c>put</c>;
/// the undiscounted price, or the present value with an optional <c>discount</c> column). Output: the same rows in
/// the same order, every input column passed through, plus <c>impliedVol</c> (empty when there is none) and
/// <c>reason</c>. A cell that does not parse is bad input (exit 2, naming file, line and field); a row that parses
/// but has no volatility (below intrinsic, negative forward, NaN…) is a result, reported by its reason code.
/// </summary>
internal static class ImpliedVolCommand
{
    private static readonly string[] Required = ["forward", "strike", "t", "price", "type"];

    public static Command Create(CliConsole console)
    {
        var input = new Option<string>("--input", "--chain") { Description = "CSV with columns forward, strike, t, price, type (call/put) and optional discount.", Required = true };
        var output = new Option<string?>("--output") { Description = "Write the result CSV here (atomically) instead of stdout." };
        var json = CliOptions.Json();
        var command = new Command("implied-vol", "Black-76 implied volatility of each option price in a CSV (Jäckel's \"Let's Be Rational\" method, machine precision).")
        {
            input, output, json,
        };
        command.SetAction(parse => console.Execute(() =>
        {
            string path = parse.GetValue(input)!;
            var table = Read(path);
            var results = new ImpliedVolatilityResult[table.Rows.Count];
            for (int i = 0; i < results.Length; i++)
            {
                var r = table.Rows[i];
                results[i] = ImpliedVolatility.Solve(r.Price, r.Forward, r.Strike, r.T, r.Type, r.Discount);
            }
            string csv = WriteCsv(table, results);
            string? outPath = parse.GetValue(output);
            if (outPath is not null) AtomicFile.WriteAllText(outPath, csv);
            if (parse.GetValue(json)) JsonOutput.Write(console.Out, ToJson(path, outPath, table, results));
            else if (outPath is null) console.Out.Write(csv);
            else console.Error.WriteLine($"wrote {results.Length} rows to {outPath}");
            return ExitCodes.Ok;
        }));
        return command;
    }

    internal sealed record Row(int Line, string[] Fields, double Forward, double Strike, double T, double Price, OptionType Type, double Discount);

    internal sealed record Table(string[] Header, List<Row> Rows);

    internal static Table Read(string path)
    {
        if (!File.Exists(path)) throw new DataValidationException("file not found", file: path);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        var options = CsvDefaults.ReaderOptions();
        try
        {
            using var csv = CsvReader.Create(stream, options, true);
            if (!csv.Read()) throw new DataValidationException("file is empty", file: path);
            var header = Fields(csv);
            int Column(string name) => Array.FindIndex(header, h => string.Equals(h.Trim(), name, StringComparison.OrdinalIgnoreCase));
            foreach (var name in Required)
                if (Column(name) < 0)
                    throw new DataValidationException($"missing column (the header needs {string.Join(", ", Required)}; optional discount)", path, 1, name);
            int forward = Column("forward"), strike = Column("strike"), t = Column("t"), price = Column("price"), type = Column("type"), discount = Column("discount");

            var rows = new List<Row>();
            while (csv.Read())
            {
                var fields = Fields(csv);
                int line = checked((int)csv.LineNumber);
                string Cell(int i, string name) => i < fields.Length
                    ? fields[i]
                    : throw new DataValidationException($"missing: the row has {fields.Length} fields, the header {header.Length}", path, line, name);
                double Number(int i, string name)
                {
                    string text = Cell(i, name).Trim();
                    if (TryParse(text, out double v)) return v;
                    throw new DataValidationException($"cannot parse '{text}' as a number", path, line, name);
                }
                double f = Number(forward, "forward"), k = Number(strike, "strike"), tt = Number(t, "t"), p = Number(price, "price");
                string kind = Cell(type, "type").Trim().ToLowerInvariant();
                var optionType = kind switch
                {
                    "call" or "c" => OptionType.Call,
                    "put" or "p" => OptionType.Put,
                    _ => throw new DataValidationException($"'{Cell(type, "type").Trim()}' is not an option type: expected call or put", path, line, "type"),
                };
                double d = discount < 0 || Cell(discount, "discount").Trim().Length == 0 ? 1 : Number(discount, "discount");
                rows.Add(new Row(line, fields, f, k, tt, p, optionType, d));
            }
            if (rows.Count == 0) throw new DataValidationException("no data rows", file: path);
            return new Table(header, rows);
        }
        catch (CsvFormatException e)
        {
            int? line = e.LineNumber is > 0 and <= int.MaxValue ? (int)e.LineNumber : null;
            throw new DataValidationException($"malformed CSV ({e.Message})", file: path, line: line, inner: e);
        }
    }

    /// <summary>Invariant-culture number, exponent notation accepted; nan and inf as words.</summary>
    private static bool TryParse(string s, out double value)
    {
        if (double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out value)) return true;
        value = s.ToLowerInvariant() switch
        {
            "nan" => double.NaN,
            "inf" or "+inf" or "infinity" => double.PositiveInfinity,
            "-inf" or "-infinity" => double.NegativeInfinity,
            _ => 0,
        };
        return value != 0;
    }

    private static string[] Fields(CsvReader csv)
    {
        var fields = new string[csv.FieldCount];
        for (int i = 0; i < fields.Length; i++) fields[i] = csv.GetString(i);
        return fields;
    }

    /// <summary>The reason as it appears in CSV and JSON: camelCase (belowIntrinsic).</summary>
    internal static string Name(ImpliedVolatilityReason reason)
    {
        var s = reason.ToString();
        return char.ToLowerInvariant(s[0]) + s[1..];
    }

    private static string Vol(ImpliedVolatilityResult r) =>
        double.IsFinite(r.Volatility) ? r.Volatility.ToString("R", CultureInfo.InvariantCulture) : "";

    internal static string WriteCsv(Table table, ImpliedVolatilityResult[] results)
    {
        var sb = new StringBuilder();
        sb.AppendJoin(',', table.Header.Select(Quote)).Append(",impliedVol,reason\n");
        for (int i = 0; i < results.Length; i++)
        {
            var fields = table.Rows[i].Fields;
            for (int c = 0; c < table.Header.Length; c++) sb.Append(c < fields.Length ? Quote(fields[c]) : "").Append(',');
            sb.Append(Vol(results[i])).Append(',').Append(Name(results[i].Reason)).Append('\n');
        }
        return sb.ToString();
    }

    /// <summary>RFC 4180: quote a field holding a comma, quote or line break; double its quotes.</summary>
    private static string Quote(string field) =>
        field.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + field.Replace("\"", "\"\"") + "\"" : field;

    private static JsonObject ToJson(string input, string? output, Table table, ImpliedVolatilityResult[] results)
    {
        var counts = new JsonObject();
        foreach (var g in results.GroupBy(r => r.Reason).OrderBy(g => g.Key)) counts[Name(g.Key)] = g.Count();
        var rows = new JsonArray();
        for (int i = 0; i < results.Length; i++)
            rows.Add(new JsonObject
            {
                ["line"] = table.Rows[i].Line,
                ["impliedVol"] = JsonOutput.Number(results[i].Volatility),
                ["reason"] = Name(results[i].Reason),
                ["iterations"] = results[i].Iterations,
            });
        return new JsonObject
        {
            ["input"] = input,
            ["output"] = output,
            ["rows"] = results.Length,
            ["solved"] = results.Count(r => r.IsSolved),
            ["reasons"] = counts,
            ["results"] = rows,
        };
    }
}
