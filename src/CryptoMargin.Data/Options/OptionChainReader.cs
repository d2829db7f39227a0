using System.IO.Compression;
using System.Text.Json;
using CryptoMargin.MarketData;
using CryptoMargin.MarketData.Options;

namespace CryptoMargin.Data.Options;

/// <summary>
/// Reads an option chain from a file, in the invariant culture; <c>.gz</c> is decompressed transparently.
/// <list type="bullet">
/// <item>CSV with an <c>instrument_name</c> column: a Deribit snapshot (see <see cref="DeribitSnapshotCsv"/>).</item>
/// <item>CSV with <c>t</c> and <c>strike</c> columns: a generic surface (see <see cref="SurfaceCsv"/>).</item>
/// <item>JSON: Deribit's <c>public/get_book_summary_by_currency</c> response (see <see cref="DeribitBookSummaryJson"/>).</item>
/// </list>
/// <paramref name="underlying"/> (<c>BTC</c>, <c>ETH</c>, case-insensitive) selects one currency of a Deribit file that
/// holds several; it is required then and must be absent or match for a surface file (which has none).
/// Every problem throws <see cref="DataValidationException"/> naming the file, and the line and field where they apply.
/// </summary>
public static class OptionChainReader
{
    /// <summary>Reads a file; the format comes from its extension (<c>.csv</c>, <c>.csv.gz</c>, <c>.json</c>, <c>.json.gz</c>).</summary>
    public static OptionChain Read(string path, string? underlying = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path)) throw new DataValidationException("file not found", file: path);
        var format = FormatOf(path);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        return Read(stream, path, format, underlying);
    }

    /// <summary>Reads a stream (e.g. an embedded sample); <paramref name="displayName"/> names it in messages.</summary>
    public static OptionChain Read(Stream stream, string displayName, OptionChainFileFormat format, string? underlying = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(displayName);
        var wanted = underlying?.Trim().ToUpperInvariant();
        if (wanted is { Length: 0 }) wanted = null;
        bool gzip = format is OptionChainFileFormat.CsvGzip or OptionChainFileFormat.JsonGzip;
        try
        {
            using var input = gzip ? new GZipStream(stream, CompressionMode.Decompress, leaveOpen: true) : null;
            var source = input ?? stream;
            return format switch
            {
                OptionChainFileFormat.Csv or OptionChainFileFormat.CsvGzip => OptionCsv.Read(source, displayName, wanted),
                OptionChainFileFormat.Json or OptionChainFileFormat.JsonGzip => DeribitBookSummaryJson.Read(source, displayName, wanted),
                _ => throw new ArgumentOutOfRangeException(nameof(format)),
            };
        }
        catch (InvalidDataException e) when (gzip)
        {
            throw new DataValidationException($"not a valid gzip file ({e.Message})", file: displayName, inner: e);
        }
        catch (JsonException e)
        {
            int? line = e.LineNumber is long l and < int.MaxValue ? (int)l + 1 : null;
            throw new DataValidationException($"malformed JSON ({e.Message})", file: displayName, line: line, inner: e);
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
    public static OptionChainFileFormat FormatOf(string path)
    {
        if (path.EndsWith(".csv.gz", StringComparison.OrdinalIgnoreCase)) return OptionChainFileFormat.CsvGzip;
        if (path.EndsWith(".csv", StringComparison.OrdinalIgnoreCase)) return OptionChainFileFormat.Csv;
        if (path.EndsWith(".json.gz", StringComparison.OrdinalIgnoreCase)) return OptionChainFileFormat.JsonGzip;
        if (path.EndsWith(".json", StringComparison.OrdinalIgnoreCase)) return OptionChainFileFormat.Json;
        throw new DataValidationException(
            $"unsupported file type '{Path.GetFileName(path)}': expected .csv, .csv.gz, .json or .json.gz", file: path);
    }
}
