using System.Globalization;
using CryptoMargin.MarketData;
using Parquet;
using Parquet.Schema;

namespace CryptoMargin.Data.Prices;

/// <summary>
/// Parquet price files: columns recognised by name as for CSV. Time: a timestamp/date column, a string column
/// (parsed like CSV text) or an integer column (Unix seconds or milliseconds). Value: double, float, decimal, integer
/// or string. A null cell is unparsable. Line numbers: row r (0-based, over all row groups) is line r + 2, as if the
/// file were CSV with a header.
/// </summary>
internal static class ParquetPriceReader
{
    internal static PriceHistory Read(Stream stream, string source, PriceReadOptions options) =>
        ReadAsync(stream, source, options).GetAwaiter().GetResult();

    private static async Task<PriceHistory> ReadAsync(Stream input, string source, PriceReadOptions options)
    {
        Stream stream = input;
        if (!input.CanSeek)
        {
            var copy = new MemoryStream();
            await input.CopyToAsync(copy);
            copy.Position = 0;
            stream = copy;
        }
        if (stream.Length - stream.Position == 0) throw new DataValidationException("file is empty", file: source);

        ParquetReader reader;
        try
        {
            reader = await ParquetReader.CreateAsync(stream, null, true);
        }
        catch (Exception e) when (e is IOException or InvalidDataException or NotSupportedException or ArgumentException
                                      or InvalidOperationException || e.GetType().Namespace?.StartsWith("Parquet", StringComparison.Ordinal) == true)
        {
            throw new DataValidationException($"not a readable Parquet file ({e.Message})", file: source, inner: e);
        }

        await using (reader)
        {
            var fields = reader.Schema.GetDataFields();
            var names = fields.Select(f => f.Name).ToArray();
            var columns = PriceColumns.Choose(names, options, i => IsNumeric(fields[i].ClrType), source, 1);
            var valueField = fields[columns.Value];
            var timeField = columns.Time is int ti ? fields[ti] : null;

            var times = timeField is null ? null : new List<DateTimeOffset>();
            var values = new List<double>();
            var lines = new List<int>();
            var findings = new List<ValidationFinding>();
            int row = 0;
            for (int g = 0; g < reader.RowGroupCount; g++)
            {
                using var group = reader.OpenRowGroupReader(g);
                int n = checked((int)group.RowCount);
                var rawValues = await ReadColumn(group, valueField, n);
                var rawTimes = timeField is null ? null : await ReadColumn(group, timeField, n);
                for (int k = 0; k < n; k++, row++)
                {
                    int line = row + 2;
                    bool ok = true;
                    DateTimeOffset t = default;
                    if (rawTimes is not null && !TryTime(rawTimes[k], out t))
                    {
                        findings.Add(new(line, timeField!.Name, FindingKind.Unparsable, $"cannot parse {Show(rawTimes[k])} as a timestamp"));
                        ok = false;
                    }
                    if (!TryValue(rawValues[k], out var v))
                    {
                        findings.Add(new(line, valueField.Name, FindingKind.Unparsable, $"cannot parse {Show(rawValues[k])} as a number"));
                        ok = false;
                    }
                    if (!ok) continue;
                    times?.Add(t);
                    values.Add(v);
                    lines.Add(line);
                }
            }
            if (row == 0) throw new DataValidationException("no data rows", file: source);
            var series = new PriceSeries(times, values, lines, valueField.Name, timeField?.Name);
            return new PriceHistory(source, series, findings, row);
        }
    }

    private static bool IsNumeric(Type t)
    {
        t = Nullable.GetUnderlyingType(t) ?? t;
        return t == typeof(double) || t == typeof(float) || t == typeof(decimal) || t == typeof(long) || t == typeof(int)
               || t == typeof(short) || t == typeof(ulong) || t == typeof(uint);
    }

    private static async Task<object?[]> ReadColumn(ParquetRowGroupReader group, DataField field, int n)
    {
        var t = Nullable.GetUnderlyingType(field.ClrType) ?? field.ClrType;
        if (t == typeof(string))
        {
            var buffer = new string?[n];
            await group.ReadAsync(field, buffer.AsMemory(), null);
            return buffer;
        }
        if (t == typeof(double)) return await ReadStruct<double>(group, field, n);
        if (t == typeof(float)) return await ReadStruct<float>(group, field, n);
        if (t == typeof(decimal)) return await ReadStruct<decimal>(group, field, n);
        if (t == typeof(long)) return await ReadStruct<long>(group, field, n);
        if (t == typeof(int)) return await ReadStruct<int>(group, field, n);
        if (t == typeof(DateTime)) return await ReadStruct<DateTime>(group, field, n);
        if (t == typeof(DateTimeOffset)) return await ReadStruct<DateTimeOffset>(group, field, n);
        if (t == typeof(DateOnly)) return await ReadStruct<DateOnly>(group, field, n);
        throw new DataValidationException($"unsupported Parquet column type {t.Name}", field: field.Name);
    }

    private static async Task<object?[]> ReadStruct<T>(ParquetRowGroupReader group, DataField field, int n) where T : struct
    {
        var result = new object?[n];
        if (field.IsNullable)
        {
            var buffer = new T?[n];
            await group.ReadAsync<T>(field, buffer.AsMemory(), null);
            for (int i = 0; i < n; i++) result[i] = buffer[i];
        }
        else
        {
            var buffer = new T[n];
            await group.ReadAsync<T>(field, buffer.AsMemory(), null);
            for (int i = 0; i < n; i++) result[i] = buffer[i];
        }
        return result;
    }

    private static bool TryTime(object? cell, out DateTimeOffset time)
    {
        time = default;
        switch (cell)
        {
            case DateTime dt:
                time = new DateTimeOffset(dt.Kind == DateTimeKind.Local ? dt.ToUniversalTime() : DateTime.SpecifyKind(dt, DateTimeKind.Utc));
                return true;
            case DateTimeOffset dto:
                time = dto.ToUniversalTime();
                return true;
            case DateOnly d:
                time = new DateTimeOffset(d.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
                return true;
            case long or int:
                return TimestampParser.TryParse(Convert.ToString(cell, CultureInfo.InvariantCulture)!, out time);
            case string s:
                return TimestampParser.TryParse(s, out time);
            default:
                return false;
        }
    }

    private static bool TryValue(object? cell, out double value)
    {
        value = 0;
        switch (cell)
        {
            case double d: value = d; return true;
            case float f: value = f; return true;
            case decimal m: value = (double)m; return true;
            case long l: value = l; return true;
            case int i: value = i; return true;
            case string s: return NumberParser.TryParse(s, out value);
            default: return false;
        }
    }

    private static string Show(object? cell) => cell switch
    {
        null => "null",
        string s => $"'{s}'",
        IFormattable f => $"'{f.ToString(null, CultureInfo.InvariantCulture)}'",
        _ => $"'{cell}'",
    };
}
