using CryptoMargin.MarketData;

namespace CryptoMargin.Calibration.Grid;

/// <summary>
/// An out-of-sample split of a snapshot history at the UTC date <see cref="From"/>: everything calibrated sees only
/// <see cref="Calibration"/>, the snapshots dated strictly before it (so a vol change over h days pairs two calibration
/// snapshots, the last one ending on the day before the split), and the backtest tests only margin dates on or after it
/// (<see cref="TestDates"/>; each with its P&amp;L to the snapshot h days later). The P&amp;L of a margin date before the
/// split that ends on or after it (the last in-sample days) is in neither set.
/// </summary>
public sealed record HoldoutSplit(DateOnly From, IReadOnlyList<TenorVols> Calibration, IReadOnlyList<DateOnly> CalibrationDates, IReadOnlyList<DateOnly> TestDates)
{
    /// <summary>Splits <paramref name="history"/> (any order, any underlyings) at <paramref name="from"/>.</summary>
    /// <exception cref="DataValidationException">No snapshot before the split, or none on or after it.</exception>
    public static HoldoutSplit At(IReadOnlyList<TenorVols> history, DateOnly from)
    {
        ArgumentNullException.ThrowIfNull(history);
        var dates = history.Select(h => DateOnly.FromDateTime(h.Time.UtcDateTime)).Distinct().Order().ToList();
        var calibrationDates = dates.Where(d => d < from).ToList();
        var testDates = dates.Where(d => d >= from).ToList();
        if (calibrationDates.Count == 0)
            throw new DataValidationException($"no snapshot before the holdout date {from:yyyy-MM-dd} (the history starts {(dates.Count > 0 ? dates[0].ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) : "nowhere")}): nothing to calibrate on");
        if (testDates.Count == 0)
            throw new DataValidationException($"no snapshot on or after the holdout date {from:yyyy-MM-dd} (the history ends {dates[^1]:yyyy-MM-dd}): nothing to test");
        return new HoldoutSplit(from, [.. history.Where(h => DateOnly.FromDateTime(h.Time.UtcDateTime) < from)], calibrationDates, testDates);
    }

    /// <summary>
    /// The split that holds out the last ⌈<paramref name="fraction"/>·n⌉ of the n distinct snapshot dates for testing
    /// (0.5 of 236 dates: the first 118 calibrate, the last 118 test).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A fraction outside (0, 1).</exception>
    /// <exception cref="DataValidationException">A fraction that leaves either side empty.</exception>
    public static HoldoutSplit WithFraction(IReadOnlyList<TenorVols> history, double fraction)
    {
        ArgumentNullException.ThrowIfNull(history);
        if (!(fraction > 0 && fraction < 1)) throw new ArgumentOutOfRangeException(nameof(fraction), fraction, "the holdout fraction must lie in (0, 1)");
        var dates = history.Select(h => DateOnly.FromDateTime(h.Time.UtcDateTime)).Distinct().Order().ToList();
        int test = (int)Math.Ceiling(fraction * dates.Count - 1e-9);
        if (test < 1 || test >= dates.Count)
            throw new DataValidationException(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"holding out {fraction} of {dates.Count} snapshot dates leaves no date on one side"));
        return At(history, dates[dates.Count - test]);
    }
}
