using System.IO.Compression;
using CryptoMargin.MarketData;

namespace CryptoMargin.Data.Prices;

/// <summary>
/// Reads a price (or return) history from CSV, gzip-compressed CSV or Parquet, in the invariant culture.
/// <para>Columns are recognised by header name, case-insensitive and trimmed. Time: <c>date</c>, then
/// <c>timestamp</c>, <c>time</c>, <c>datetime</c>, <c>timestamp_utc</c>, <c>unix</c>. Value: <c>close</c>, then
/// <c>price</c>, <c>adj close</c>, <c>adj_close</c>; <see cref="PriceReadOptions"/> overrides both. Timestamps: ISO
/// dates and date-times (no offset = UTC), Unix seconds, or Unix milliseconds when the number exceeds 1e11; all UTC.</para>
/// <para>A cell that does not parse is not an exception: it becomes a finding of kind <c>unparsable</c> on its line
/// and the row is left out of the series. <c>NaN</c> and <c>inf</c> parse (the validator flags them).
/// Whole-file problems throw <see cref="DataValidationException"/> naming the file (and line and field where they
/// apply): file not found, file is empty, no data rows, no recognisable time or value column, a named column that
/// is not in the header, an unsupported extension, a file that is not valid gzip or Parquet.</para>
/// </summary>
public static class PriceHistoryReader
{
    /// <summary>Reads a file; the format comes from its extension (<c>.csv</c>, <c>.csv.gz</c>, <c>.parquet</c>).</summary>
    public static PriceHistory Read(string path, PriceReadOptions options)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(options);
        if (!File.Exists(path)) throw new DataValidationException("file not found", file: path);
        var format = FormatOf(path);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        return Read(stream, path, format, options);
    }

    /// <summary>Reads a stream (e.g. an embedded sample); <paramref name="displayName"/> names it in messages.</summary>
    public static PriceHistory Read(Stream stream, string displayName, PriceFileFormat format, PriceReadOptions options)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(displayName);
        ArgumentNullException.ThrowIfNull(options);
        try
        {
            switch (format)
            {
                case PriceFileFormat.Csv:
                    return CsvPriceReader.Read(stream, displayName, options);
                case PriceFileFormat.CsvGzip:
                    using (var gzip = new GZipStream(stream, CompressionMode.Decompress, leaveOpen: true))
                        return CsvPriceReader.Read(gzip, displayName, options);
                case PriceFileFormat.Parquet:
                    return ParquetPriceReader.Read(stream, displayName, options);
                default:
                    throw new ArgumentOutOfRangeException(nameof(format));
            }
        }
        catch (InvalidDataException e) when (format == PriceFileFormat.CsvGzip)
        {
            throw new DataValidationException($"not a valid gzip file ({e.Message})", file: displayName, inner: e);
        }
        catch (CsvHelper.CsvFormatException e)
        {
            int? line = e.LineNumber is > 0 and <= int.MaxValue ? (int)e.LineNumber : null;
            throw new DataValidationException($"malformed CSV ({e.Message})", file: displayName, line: line, inner: e);
        }
        catch (DataValidationException e) when (e.File is null)
        {
            throw e.At(displayName);
        }
    }

    /// <summary>The format of a path from its extension, case-insensitive.</summary>
    /// <exception cref="DataValidationException">Another extension.</exception>
    public static PriceFileFormat FormatOf(string path)
    {
        if (path.EndsWith(".csv.gz", StringComparison.OrdinalIgnoreCase)) return PriceFileFormat.CsvGzip;
        if (path.EndsWith(".csv", StringComparison.OrdinalIgnoreCase)) return PriceFileFormat.Csv;
        if (path.EndsWith(".parquet", StringComparison.OrdinalIgnoreCase)) return PriceFileFormat.Parquet;
        throw new DataValidationException(
            $"unsupported file type '{Path.GetFileName(path)}': expected .csv, .csv.gz or .parquet", file: path);
    }
}
