using CryptoMargin.MarketData;
using Parquet;
using Parquet.Schema;

namespace CryptoMargin.Data.Prices;

/// <summary>
/// Writes a <see cref="PriceSeries"/> as Parquet: one row group, the time column (named as in the source, or
/// <c>time</c>) as a UTC timestamp in microseconds when the series has times, and the value column (named as in
/// the source) as a non-null double. Source line numbers are not written; reading the file back gives row r
/// (0-based) line r + 2, as if it were a CSV file.
/// </summary>
public static class ParquetPriceWriter
{
    /// <summary>Writes atomically (<see cref="AtomicFile"/>): the file appears complete or not at all.</summary>
    public static void Write(PriceSeries series, string path)
    {
        ArgumentNullException.ThrowIfNull(series);
        AtomicFile.Write(path, stream => Write(series, stream));
    }

    public static void Write(PriceSeries series, Stream stream)
    {
        ArgumentNullException.ThrowIfNull(series);
        ArgumentNullException.ThrowIfNull(stream);
        WriteAsync(series, stream).GetAwaiter().GetResult();
    }

    private static async Task WriteAsync(PriceSeries series, Stream stream)
    {
        var valueField = new DataField<double>(series.ValueField, false);
        DateTimeDataField? timeField = null;
        var fields = new List<Field>();
        if (series.Times is not null)
        {
            var timeName = series.TimeField ?? "time";
            if (string.Equals(timeName, series.ValueField, StringComparison.OrdinalIgnoreCase))
                throw new ArgumentException($"the time and value columns have the same name '{timeName}'", nameof(series));
            timeField = new DateTimeDataField(timeName, DateTimeFormat.Timestamp, true, DateTimeTimeUnit.Micros, false);
            fields.Add(timeField);
        }
        fields.Add(valueField);

        await using var writer = await ParquetWriter.CreateAsync(new ParquetSchema(fields), stream, null, false);
        using var group = writer.CreateRowGroup();
        if (timeField is not null)
        {
            var times = series.Times!.Select(t => t.UtcDateTime).ToArray();
            await group.WriteAsync<DateTime>(timeField, times.AsMemory());
        }
        await group.WriteAsync<double>(valueField, series.Values.AsMemory());
    }
}
