using System.Globalization;
using CsvHelper;

namespace CryptoMargin.Data;

/// <summary>
/// How every CSV input is read: comma-separated, the header handled by the caller (so it can name columns in its
/// errors), empty lines skipped, line numbers tracked for error messages, invariant culture (exponent notation accepted).
/// </summary>
public static class CsvDefaults
{
    /// <summary>A fresh options object (CsvHelper's options are mutable).</summary>
    public static CsvReaderOptions ReaderOptions() => new()
    {
        Separator = ',',
        HasHeader = false,
        SkipEmptyLines = true,
        TrackLineNumbers = true,
        FormatProvider = CultureInfo.InvariantCulture,
    };
}
