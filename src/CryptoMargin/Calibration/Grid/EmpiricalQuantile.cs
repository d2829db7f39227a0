namespace CryptoMargin.Calibration.Grid;

/// <summary>
/// The sample quantile by linear interpolation of order statistics, Hyndman &amp; Fan (1996) "Sample quantiles in
/// statistical packages", Am. Stat. 50(4), definition 7 (R's default): with x₍₁₎ ≤ … ≤ x₍ₙ₎, h = (n − 1)p + 1,
/// Q(p) = x₍⌊h⌋₎ + (h − ⌊h⌋)(x₍⌊h⌋+1₎ − x₍⌊h⌋₎).
/// </summary>
public static class EmpiricalQuantile
{
    /// <summary>Q(p) of values sorted ascending; NaN for an empty sample.</summary>
    public static double OfSorted(ReadOnlySpan<double> sorted, double p)
    {
        if (!(p >= 0 && p <= 1)) throw new ArgumentOutOfRangeException(nameof(p), p, "a probability in [0, 1]");
        if (sorted.Length == 0) return double.NaN;
        double h = (sorted.Length - 1) * p;
        int lo = (int)Math.Floor(h);
        if (lo >= sorted.Length - 1) return sorted[^1];
        return sorted[lo] + (h - lo) * (sorted[lo + 1] - sorted[lo]);
    }

    /// <summary>Q(p) of unsorted values (copied and sorted; NaNs are not allowed).</summary>
    public static double Of(ReadOnlySpan<double> values, double p)
    {
        var copy = values.ToArray();
        foreach (double v in copy)
            if (double.IsNaN(v)) throw new ArgumentException("the sample holds NaN", nameof(values));
        Array.Sort(copy);
        return OfSorted(copy, p);
    }
}
