using CryptoMargin.MarketData;

namespace CryptoMargin.Surfaces;

/// <summary>One expiry of a surface: years to expiry and its raw-SVI smile.</summary>
public readonly record struct SurfaceSlice(double Expiry, SviParameters Parameters);

/// <summary>One expiry of a surface given as any total-variance smile (SVI, eSSVI, SABR, Heston, ...).</summary>
public readonly record struct SmileSlice(double Expiry, ITotalVarianceSmile Smile);

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

    /// <summary>
    /// When each slice was checked on its own range ±3√w_t(0) (<c>perSliceRange</c>): per expiry, that range; null when
    /// every slice was checked on [<see cref="KMin"/>, <see cref="KMax"/>].
    /// </summary>
    public IReadOnlyList<(double Expiry, double KMin, double KMax)>? SliceRanges { get; init; }

    /// <summary>
    /// Where the butterfly violations sit: per expiry, the runs of consecutive violating grid points as
    /// [k from, k to], the number of points and the most negative g(k) (NaN where w ≤ 0).
    /// </summary>
    public IReadOnlyList<ViolationRegion> ButterflyRegions()
    {
        var regions = new List<ViolationRegion>();
        int i = 0;
        while (i < Butterfly.Count)
        {
            var first = Butterfly[i];
            double step = (KMax - KMin) / (GridPoints - 1);
            if (SliceRanges is not null)
                foreach (var r in SliceRanges)
                    if (r.Expiry == first.Expiry) step = (r.KMax - r.KMin) / (GridPoints - 1);
            double min = first.Density;
            int j = i + 1;
            while (j < Butterfly.Count && Butterfly[j].Expiry == first.Expiry
                && Butterfly[j].LogMoneyness - Butterfly[j - 1].LogMoneyness < 1.5 * step)
            {
                min = double.IsNaN(Butterfly[j].Density) || Butterfly[j].Density < min ? Butterfly[j].Density : min;
                j++;
            }
            regions.Add(new ViolationRegion(first.Expiry, first.LogMoneyness, Butterfly[j - 1].LogMoneyness, j - i, min));
            i = j;
        }
        return regions;
    }
}

/// <summary>A run of consecutive grid points of one expiry with g(k) &lt; 0: its k range, size and most negative g.</summary>
public readonly record struct ViolationRegion(double Expiry, double KFrom, double KTo, int Points, double MinDensity);

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

    /// <summary>
    /// Gatheral's density function (Gatheral &amp; Jacquier 2014, eq. 2.1) from w, w', w'' at k:
    /// g(k) = (1 − k w'/(2w))² − (w'²/4)(1/w + 1/4) + w''/2. The risk-neutral density of ln(S_T/F) is
    /// g(k)/√(2πw) · exp(−d₋²/2), so g ≥ 0 (with w &gt; 0) is the absence of butterfly arbitrage.
    /// </summary>
    public static double Density(double k, double w, double slope, double curvature)
    {
        double u = 1 - k * slope / (2 * w);
        return u * u - slope * slope / 4 * (1 / w + 0.25) + curvature / 2;
    }

    /// <summary>Every grid point of [kMin, kMax] where g(k) &lt; −<paramref name="tolerance"/> or w(k) ≤ 0, for any smile.</summary>
    public static List<ButterflyViolation> Butterfly(ITotalVarianceSmile smile, double expiry, double kMin, double kMax, int points = DefaultGridPoints, double tolerance = 0)
    {
        ArgumentNullException.ThrowIfNull(smile);
        CheckGrid(kMin, kMax, points);
        CheckTolerance(tolerance);
        var found = new List<ButterflyViolation>();
        AddButterfly(found, smile, expiry, kMin, kMax, points, tolerance);
        return found;
    }

    /// <summary>
    /// Butterfly check of every slice and calendar check across them, for smiles of any model. Default grid as for SVI:
    /// 1,001 points over ±3√max w(0). <paramref name="densityTolerance"/> accepts g(k) ≥ −tolerance (numerical noise of
    /// a smile whose derivatives are finite differences); <paramref name="calendarTolerance"/> accepts a fall of total
    /// variance up to that amount. Both 0 for closed-form smiles. <paramref name="perSliceRange"/>: check each slice on
    /// its own ±3√w_t(0) (1,001 points each) and each calendar pair on the earlier slice's range, for models whose
    /// short-expiry prices far beyond their own few standard deviations are below numerical accuracy (Heston).
    /// </summary>
    public static ArbitrageReport Check(IReadOnlyList<SmileSlice> slices, double? kMin = null, double? kMax = null, int points = DefaultGridPoints,
        double densityTolerance = 0, double calendarTolerance = 0, bool perSliceRange = false)
    {
        ArgumentNullException.ThrowIfNull(slices);
        if (slices.Count == 0) throw new DataValidationException("no slices to check", field: "slices");
        double theta = 0;
        foreach (var s in slices)
        {
            if (s.Smile is null) throw new DataValidationException($"slice t = {s.Expiry} has no smile", field: "slices");
            if (!(s.Expiry > 0) || !double.IsFinite(s.Expiry)) throw new DataValidationException($"slice expiry must be positive, got {s.Expiry}", field: "expiry");
            double atm = s.Smile.TotalVariance(0);
            if (!(atm > 0) || !double.IsFinite(atm)) throw new DataValidationException($"slice t = {s.Expiry}: ATM total variance w(0) = {atm} is not positive", field: "totalVariance");
            theta = Math.Max(theta, atm);
        }
        CheckTolerance(densityTolerance);
        CheckTolerance(calendarTolerance);
        double half = 3 * Math.Sqrt(theta);
        double lo = kMin ?? -half, hi = kMax ?? half;
        CheckGrid(lo, hi, points);
        var sorted = slices.OrderBy(s => s.Expiry).ToArray();
        var ranges = new (double Expiry, double KMin, double KMax)[sorted.Length];
        for (int j = 0; j < sorted.Length; j++)
        {
            double own = 3 * Math.Sqrt(sorted[j].Smile.TotalVariance(0));
            ranges[j] = perSliceRange ? (sorted[j].Expiry, -own, own) : (sorted[j].Expiry, lo, hi);
        }
        var butterfly = new List<ButterflyViolation>();
        for (int j = 0; j < sorted.Length; j++) AddButterfly(butterfly, sorted[j].Smile, sorted[j].Expiry, ranges[j].KMin, ranges[j].KMax, points, densityTolerance);
        var calendar = new List<CalendarViolation>();
        for (int j = 1; j < sorted.Length; j++)
            AddCalendar(calendar, sorted[j - 1].Smile, sorted[j - 1].Expiry, sorted[j].Smile, sorted[j].Expiry, ranges[j - 1].KMin, ranges[j - 1].KMax, points, calendarTolerance);
        if (perSliceRange) (lo, hi) = (ranges.Min(r => r.KMin), ranges.Max(r => r.KMax));
        return new ArbitrageReport(lo, hi, points, butterfly, calendar) { SliceRanges = perSliceRange ? ranges : null };
    }

    private static void AddButterfly<T>(List<ButterflyViolation> found, T smile, double expiry, double kMin, double kMax, int points, double tolerance = 0)
        where T : ITotalVarianceSmile
    {
        for (int i = 0; i < points; i++)
        {
            double k = GridPoint(kMin, kMax, points, i);
            var (w, w1, w2) = smile.Evaluate(k);
            double g = w > 0 ? Density(k, w, w1, w2) : double.NaN;
            if (!(g >= -tolerance)) found.Add(new ButterflyViolation(expiry, k, g, w));
        }
    }

    private static void AddCalendar<T>(List<CalendarViolation> found, T earlier, double earlierExpiry, T later, double laterExpiry,
        double kMin, double kMax, int points, double tolerance) where T : ITotalVarianceSmile
    {
        for (int i = 0; i < points; i++)
        {
            double k = GridPoint(kMin, kMax, points, i);
            double w0 = earlier.TotalVariance(k), w1 = later.TotalVariance(k);
            // Tolerance: rounding of two evaluations, not a market-meaningful difference (plus the caller's noise allowance).
            if (!(w1 >= w0 - 1e-13 * Math.Max(1, Math.Abs(w0)) - tolerance))
                found.Add(new CalendarViolation(k, earlierExpiry, laterExpiry, w0, w1));
        }
    }

    private static void CheckTolerance(double tolerance)
    {
        if (!(tolerance >= 0) || !double.IsFinite(tolerance))
            throw new DataValidationException($"tolerance must be finite and ≥ 0, got {tolerance}", field: "tolerance");
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
