using CryptoMargin.MarketData;

namespace CryptoMargin.Backtesting;

/// <summary>
/// Procyclicality of a margin-rate series (EMIR RTS 153/2013 Art. 28; ESMA Guidelines on APC margin measures
/// 2018): peak-to-trough ratio max m / min m, the largest relative rises m_t/m_{t−1} − 1 and m_t/m_{t−30} − 1,
/// and the mean rate. Rises are floored at 0: a series that never rises (or is too short to have a 30-day
/// pair) reports 0, not a negative "increase".
/// </summary>
public static class Procyclicality
{
    /// <summary>Days in the longer rise window.</summary>
    public const int LongWindowDays = 30;

    /// <summary>The measures of the whole series (all rates positive and finite, at least one).</summary>
    public static ProcyclicalityMeasures Measure(ReadOnlySpan<double> marginRates) => InWindow(marginRates, 0, marginRates.Length);

    /// <summary>
    /// The measures over days [<paramref name="start"/>, <paramref name="end"/>): peak-to-trough and mean over
    /// the window; the 1- and 30-day rises are those that end inside the window, measured from the rate 1 or
    /// 30 days earlier even when that day precedes the window (a margin call that lands in a stress window
    /// counts in full). Use <see cref="Measure"/> on a slice to ignore days before the window.
    /// </summary>
    public static ProcyclicalityMeasures InWindow(ReadOnlySpan<double> marginRates, int start, int end)
    {
        if (start < 0 || end > marginRates.Length || start >= end)
            throw new ArgumentOutOfRangeException(nameof(start), $"window [{start}, {end}) must be non-empty and inside [0, {marginRates.Length})");
        for (var t = 0; t < end; t++)
        {
            if (t < start && t < start - LongWindowDays) continue;
            if (!(marginRates[t] > 0) || !double.IsFinite(marginRates[t]))
                throw new DataValidationException($"margin rate on day {t} must be positive and finite, got {marginRates[t]}", field: "marginRate");
        }

        double max = double.NegativeInfinity, min = double.PositiveInfinity, sum = 0, oneDay = 0, longWindow = 0;
        for (var t = start; t < end; t++)
        {
            var m = marginRates[t];
            max = Math.Max(max, m);
            min = Math.Min(min, m);
            sum += m;
            if (t >= 1) oneDay = Math.Max(oneDay, m / marginRates[t - 1] - 1);
            if (t >= LongWindowDays) longWindow = Math.Max(longWindow, m / marginRates[t - LongWindowDays] - 1);
        }
        return new ProcyclicalityMeasures(max / min, oneDay, longWindow, sum / (end - start));
    }
}
