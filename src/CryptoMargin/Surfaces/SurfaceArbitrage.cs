using CryptoMargin.MarketData;

namespace CryptoMargin.Surfaces;

/// <summary>One expiry of a surface: years to expiry and its raw-SVI smile.</summary>
public readonly record struct SurfaceSlice(double Expiry, SviParameters Parameters);

/// <summary>A grid point where Gatheral's density function g(k) is negative (or w(k) ≤ 0): butterfly arbitrage.</summary>
public readonly record struct ButterflyViolation(double Expiry, double LogMoneyness, double Density, double TotalVariance);

/// <summary>A grid point where total variance falls from one expiry to the next: calendar-spread arbitrage.</summary>
public readonly record struct CalendarViolation(double LogMoneyness, double EarlierExpiry, double LaterExpiry, double EarlierTotalVariance, double LaterTotalVariance);

/// <summary>
/// Every violation found on a k-grid of <see cref="GridPoints"/> equally spaced points over [<see cref="KMin"/>,
/// <see cref="KMax"/>]. Grid checks: a violation between grid points can be missed.
/// </summary>
public sealed record ArbitrageReport(double KMin, double KMax, int GridPoints, IReadOnlyList<ButterflyViolation> Butterfly, IReadOnlyList<CalendarViolation> Calendar)
{
    public bool IsArbitrageFree => Butterfly.Count == 0 && Calendar.Count == 0;
}

/// <summary>
/// Static-arbitrage checks of SVI smiles and surfaces on a grid.
/// Butterfly: g(k) ≥ 0 (Gatheral &amp; Jacquier 2014, Lemma 2.2 and eq. 2.1; see <see cref="SviParameters.ButterflyDensity"/>).
/// Calendar: total variance w(k, t) non-decreasing in t at every k (Gatheral &amp; Jacquier 2014, Lemma 2.1).
/// Default grid: 1,001 points over k ∈ [−3√θ*, 3√θ*], θ* the largest ATM total variance w(0) of the slices checked
/// (±3 total-vol standard deviations of the longest expiry, which covers every shorter one's ±3).
/// </summary>
public static class SurfaceArbitrage
{
    public const int DefaultGridPoints = 1001;

    /// <summary>Half-width 3√max w(0) of the default grid.</summary>
    public static double DefaultHalfWidth(ReadOnlySpan<SurfaceSlice> slices)
    {
        double theta = 0;
        foreach (var s in slices) theta = Math.Max(theta, s.Parameters.TotalVariance(0));
        return 3 * Math.Sqrt(theta);
    }

    /// <summary>Every grid point of [kMin, kMax] where g(k) &lt; 0 or w(k) ≤ 0, for one smile.</summary>
    public static List<ButterflyViolation> Butterfly(SviParameters smile, double expiry, double kMin, double kMax, int points = DefaultGridPoints)
    {
        CheckGrid(kMin, kMax, points);
        var found = new List<ButterflyViolation>();
        AddButterfly(found, smile, expiry, kMin, kMax, points);
        return found;
    }

    /// <summary>Every grid point where w(k, t) decreases between consecutive expiries (slices in any order).</summary>
    public static List<CalendarViolation> Calendar(ReadOnlySpan<SurfaceSlice> slices, double kMin, double kMax, int points = DefaultGridPoints)
    {
        CheckGrid(kMin, kMax, points);
        var sorted = Sorted(slices);
        var found = new List<CalendarViolation>();
        for (int j = 1; j < sorted.Length; j++)
        {
            var (earlier, later) = (sorted[j - 1], sorted[j]);
            for (int i = 0; i < points; i++)
            {
                double k = GridPoint(kMin, kMax, points, i);
                double w0 = earlier.Parameters.TotalVariance(k), w1 = later.Parameters.TotalVariance(k);
                // Tolerance: rounding of two evaluations, not a market-meaningful difference.
                if (w1 < w0 - 1e-13 * Math.Max(1, Math.Abs(w0)))
                    found.Add(new CalendarViolation(k, earlier.Expiry, later.Expiry, w0, w1));
            }
        }
        return found;
    }

    /// <summary>Butterfly check of every slice and calendar check across them on the default grid (or the given one).</summary>
    public static ArbitrageReport Check(ReadOnlySpan<SurfaceSlice> slices, double? kMin = null, double? kMax = null, int points = DefaultGridPoints)
    {
        if (slices.Length == 0) throw new DataValidationException("no slices to check", field: "slices");
        foreach (var s in slices)
        {
            if (!(s.Expiry > 0)) throw new DataValidationException($"slice expiry must be positive, got {s.Expiry}", field: "expiry");
            s.Parameters.Validate();
        }
        double half = DefaultHalfWidth(slices);
        double lo = kMin ?? -half, hi = kMax ?? half;
        CheckGrid(lo, hi, points);
        var butterfly = new List<ButterflyViolation>();
        foreach (var s in Sorted(slices)) AddButterfly(butterfly, s.Parameters, s.Expiry, lo, hi, points);
        return new ArbitrageReport(lo, hi, points, butterfly, Calendar(slices, lo, hi, points));
    }

    private static void AddButterfly(List<ButterflyViolation> found, SviParameters smile, double expiry, double kMin, double kMax, int points)
    {
        for (int i = 0; i < points; i++)
        {
            double k = GridPoint(kMin, kMax, points, i);
            double w = smile.TotalVariance(k);
            double g = w > 0 ? smile.ButterflyDensity(k) : double.NaN;
            if (!(g >= 0)) found.Add(new ButterflyViolation(expiry, k, g, w));
        }
    }

    private static double GridPoint(double kMin, double kMax, int points, int i) => kMin + (kMax - kMin) * i / (points - 1);

    private static SurfaceSlice[] Sorted(ReadOnlySpan<SurfaceSlice> slices)
    {
        var sorted = slices.ToArray();
        Array.Sort(sorted, (x, y) => x.Expiry.CompareTo(y.Expiry));
        return sorted;
    }

    private static void CheckGrid(double kMin, double kMax, int points)
    {
        if (!double.IsFinite(kMin) || !double.IsFinite(kMax) || !(kMax > kMin))
            throw new DataValidationException($"check grid needs finite kMin < kMax, got [{kMin}, {kMax}]", field: "logMoneyness");
        if (points < 2) throw new DataValidationException($"check grid needs at least 2 points, got {points}", field: "points");
    }
}
