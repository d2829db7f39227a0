using CryptoMargin.Calibration;

namespace CryptoMargin.Cli;

/// <summary>Writes report.html for a calibration (filled in once the report renderer lands).</summary>
internal static class CalibrationReportWriter
{
    public static string? Write(string path, IReadOnlyList<AssetHistory> histories, IReadOnlyList<CalibrationResult> results, CalibrationConfig config) => null;
}
