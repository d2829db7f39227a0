namespace CryptoMargin.Calibration;

/// <summary>
/// One asset's history: daily log returns with the date each return ends on, the SHA-256 of the input file(s), and
/// optionally the daily traded notional in USD (for ADV, same length as the returns).
/// </summary>
public sealed record CalibrationInput(
    string Asset, IReadOnlyList<DateOnly> Dates, double[] DailyLogReturns, string InputSha256, double[]? DailyVolumeUsd = null);
