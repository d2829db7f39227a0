using System.IO.Compression;
using System.Text;

namespace CryptoMargin.Data.Prices;

/// <summary>
/// The asset a price file names itself in an <c>asset</c> or <c>symbol</c> column (CSV and CSV.gz; the first data row's
/// value). Used to name an asset when no name is given.
/// </summary>
public static class AssetColumn
{
    private static readonly string[] Names = ["asset", "symbol"];

    /// <summary>The first data row's asset/symbol value, or null when the file has no such column (or is Parquet).</summary>
    public static string? Find(byte[] bytes, PriceFileFormat format)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        if (format == PriceFileFormat.Parquet) return null;
        Stream stream = new MemoryStream(bytes);
        if (format == PriceFileFormat.CsvGzip) stream = new GZipStream(stream, CompressionMode.Decompress);
        using var reader = new StreamReader(stream, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        string? header = reader.ReadLine();
        // CryptoDataDownload files open with a one-field banner line (a URL) before the header.
        if (header is not null && !header.Contains(',') && header.StartsWith("http", StringComparison.OrdinalIgnoreCase)) header = reader.ReadLine();
        if (header is null) return null;
        var columns = header.Split(',').Select(c => c.Trim().Trim('"')).ToArray();
        int index = Array.FindIndex(columns, c => Names.Contains(c, StringComparer.OrdinalIgnoreCase));
        if (index < 0) return null;
        string? row;
        while ((row = reader.ReadLine()) is not null && row.Trim().Length == 0) { }
        if (row is null) return null;
        var fields = row.Split(',');
        if (index >= fields.Length) return null;
        var value = fields[index].Trim().Trim('"').Trim();
        return value.Length == 0 ? null : value;
    }
}
