using CryptoMargin.MarketData;

namespace CryptoMargin.Surfaces;

/// <summary>
/// One expiry's smile through given total variances w_i = σ_i² t at log-moneyness knots k_i (e.g. a venue's mark IVs),
/// reproducing every knot exactly. It is not a fitted model: no smoothing, no parameters beyond the knots.
/// <list type="bullet">
/// <item>Between knots: Schumaker's C¹ shape-preserving quadratic spline (Schumaker 1983, "On shape preserving quadratic
/// spline interpolation", SIAM J. Numer. Anal. 20(4), 854–864), at most one extra knot per interval. Knot slopes:
/// s_i = (h_i δ_{i−1} + h_{i−1} δ_i)/(h_{i−1} + h_i) (the slope of the parabola through three knots, δ the secants, h the
/// widths), s_i = 0 where δ_{i−1} δ_i ≤ 0. As s_i lies between δ_{i−1} and δ_i, the spline is monotone on every interval
/// where the data are, and convex (concave) on every interval where the data are locally convex (concave) (Schumaker's
/// shape-preservation lemmas, §2 of the paper). w'' is piecewise constant (it jumps at knots, so the density g(k) jumps, but w' is continuous: no
/// point masses).</item>
/// <item>Beyond the outermost knots: linear in w with the end slopes s_0 ∈ [−2, 0] (left) and s_{n−1} ∈ [0, 2] (right):
/// Roger Lee's moment formula (Lee 2004, "The moment formula for implied volatility at extreme strikes", Math. Finance
/// 14(3), 469–480) bounds lim sup w(k)/|k| by 2 in both wings, and a wing slope of the wrong sign would send w below 0.
/// The end slope is s_0 = 2δ_0 − s_1 (the parabola through the end interval meeting the inner knot's slope; 0 where its
/// sign differs from δ_0's) clamped to that range, and lowered (in magnitude) to the largest slope for which the wing
/// itself has no butterfly arbitrage (<see cref="WingIsArbitrageFree"/>); it is also the spline's slope at the end knot,
/// so w' is continuous there.</item>
/// </list>
/// Butterfly arbitrage is not ruled out by construction (the interpolant is shape-preserving in w, not in call prices):
/// check g(k) with <see cref="SurfaceArbitrage.Butterfly(ITotalVarianceSmile, double, double, double, int, double)"/>.
/// Evaluation is allocation-free.
/// </summary>
public sealed class InterpolatedSmile : ITotalVarianceSmile
{
    /// <summary>Lee's (2004) bound on lim sup w(k)/|k| in each wing: the largest wing slope allowed.</summary>
    public const double MaxWingSlope = 2.0;

    private readonly double[] _knotK, _knotW;
    // Pieces of the spline on [k_0, k_{n−1}]: q(k) = a + b (k − x) + c (k − x)² for k in [x_j, x_{j+1}).
    private readonly double[] _x, _a, _b, _c;

    /// <summary>
    /// The smile through (<paramref name="logMoneyness"/>[i], <paramref name="totalVariance"/>[i]): k strictly
    /// increasing and finite, w finite and &gt; 0, at least one knot (one knot gives a flat smile).
    /// </summary>
    /// <exception cref="DataValidationException">Lengths differ, no knot, k not strictly increasing, w not positive.</exception>
    public InterpolatedSmile(ReadOnlySpan<double> logMoneyness, ReadOnlySpan<double> totalVariance)
    {
        int n = logMoneyness.Length;
        if (totalVariance.Length != n)
            throw new DataValidationException($"{n} log-moneyness knots but {totalVariance.Length} total variances", field: "totalVariance");
        if (n == 0) throw new DataValidationException("a smile needs at least one knot", field: "logMoneyness");
        for (int i = 0; i < n; i++)
        {
            if (!double.IsFinite(logMoneyness[i])) throw new DataValidationException($"knot {i}: log-moneyness is {logMoneyness[i]}", field: "logMoneyness");
            if (i > 0 && !(logMoneyness[i] > logMoneyness[i - 1]))
                throw new DataValidationException($"knot {i}: log-moneyness must increase strictly ({logMoneyness[i - 1]} then {logMoneyness[i]})", field: "logMoneyness");
            if (!(totalVariance[i] > 0) || !double.IsFinite(totalVariance[i]))
                throw new DataValidationException($"knot {i} (k = {logMoneyness[i]}): total variance must be positive, got {totalVariance[i]}", field: "totalVariance");
        }
        _knotK = logMoneyness.ToArray();
        _knotW = totalVariance.ToArray();

        Span<double> s = n <= 512 ? stackalloc double[n] : new double[n];
        for (int i = 1; i < n - 1; i++)
        {
            double h0 = _knotK[i] - _knotK[i - 1], h1 = _knotK[i + 1] - _knotK[i];
            double d0 = (_knotW[i] - _knotW[i - 1]) / h0, d1 = (_knotW[i + 1] - _knotW[i]) / h1;
            s[i] = d0 * d1 <= 0 ? 0 : (h1 * d0 + h0 * d1) / (h0 + h1);
        }
        // End knots: the slope of the one parabola through the end interval that meets the inner knot's slope,
        // s_0 = 2δ_0 − s_1 (exact for quadratic data, and convexity-consistent: s_0 ≤ δ_0 ≤ s_1 when s_1 ≥ δ_0);
        // 0 where that has the opposite sign of δ_0 (no overshoot in a monotone end interval).
        double first = 0, last = 0;
        if (n > 1)
        {
            double d0 = (_knotW[1] - _knotW[0]) / (_knotK[1] - _knotK[0]), dn = (_knotW[n - 1] - _knotW[n - 2]) / (_knotK[n - 1] - _knotK[n - 2]);
            first = n > 2 ? 2 * d0 - s[1] : d0;
            last = n > 2 ? 2 * dn - s[n - 2] : dn;
            if (first * d0 <= 0) first = 0;
            if (last * dn <= 0) last = 0;
        }
        s[0] = -ArbitrageFreeWingSlope(Math.Clamp(-first, 0, MaxWingSlope), -_knotK[0], _knotW[0]);
        s[n - 1] = ArbitrageFreeWingSlope(Math.Clamp(last, 0, MaxWingSlope), _knotK[n - 1], _knotW[n - 1]);
        LeftWingSlope = s[0];
        RightWingSlope = s[n - 1];

        var x = new List<double>(2 * n);
        var a = new List<double>(2 * n);
        var b = new List<double>(2 * n);
        var c = new List<double>(2 * n);
        for (int i = 0; i < n - 1; i++) AddInterval(i, s[i], s[i + 1], x, a, b, c);
        _x = [.. x];
        _a = [.. a];
        _b = [.. b];
        _c = [.. c];
    }

    /// <summary>The smile through implied vols σ_i (decimal) of an expiry of <paramref name="expiry"/> years: w_i = σ_i² t.</summary>
    public static InterpolatedSmile FromVolatilities(double expiry, ReadOnlySpan<double> logMoneyness, ReadOnlySpan<double> volatilities)
    {
        if (!(expiry > 0) || !double.IsFinite(expiry)) throw new DataValidationException($"expiry must be a positive number of years, got {expiry}", field: "expiry");
        var w = new double[volatilities.Length];
        for (int i = 0; i < w.Length; i++) w[i] = volatilities[i] * volatilities[i] * expiry;
        return new InterpolatedSmile(logMoneyness, w);
    }

    /// <summary>The knots' log-moneyness, increasing.</summary>
    public IReadOnlyList<double> LogMoneyness => _knotK;

    /// <summary>The knots' total variances.</summary>
    public IReadOnlyList<double> KnotTotalVariances => _knotW;

    /// <summary>w'(k) for k below the first knot: in [−2, 0].</summary>
    public double LeftWingSlope { get; }

    /// <summary>w'(k) for k above the last knot: in [0, 2].</summary>
    public double RightWingSlope { get; }

    public double TotalVariance(double k) => Evaluate(k).W;

    public double Slope(double k) => Evaluate(k).Slope;

    public double Curvature(double k) => Evaluate(k).Curvature;

    public (double W, double Slope, double Curvature) Evaluate(double k)
    {
        int n = _knotK.Length;
        if (k <= _knotK[0]) return (_knotW[0] + LeftWingSlope * (k - _knotK[0]), LeftWingSlope, 0);
        if (k >= _knotK[n - 1]) return (_knotW[n - 1] + RightWingSlope * (k - _knotK[n - 1]), RightWingSlope, 0);
        int j = Array.BinarySearch(_x, k);
        if (j < 0) j = ~j - 1;
        double d = k - _x[j];
        return (_a[j] + d * (_b[j] + d * _c[j]), _b[j] + 2 * _c[j] * d, 2 * _c[j]);
    }

    /// <summary>
    /// The largest slope in [0, <paramref name="slope"/>] for which the right wing w(k) = w_e + s (k − k_e), k ≥ k_e, passes
    /// <see cref="WingIsArbitrageFree"/> (bisection; s = 0, a flat vol, always does). The left wing is the right wing of
    /// the reflected smile k → −k (g is unchanged by the reflection), so it is called with −k_0 and −s_0.
    /// </summary>
    private static double ArbitrageFreeWingSlope(double slope, double kEnd, double wEnd)
    {
        if (WingIsArbitrageFree(slope, kEnd, wEnd)) return slope;
        double lo = 0, hi = slope;
        for (int i = 0; i < 60 && hi - lo > 1e-12 * Math.Max(1, hi); i++)
        {
            double mid = 0.5 * (lo + hi);
            if (WingIsArbitrageFree(mid, kEnd, wEnd)) lo = mid; else hi = mid;
        }
        return lo;
    }

    /// <summary>
    /// Whether the linear right wing w(k) = w_e + s (k − k_e), k ≥ k_e (w' = s, w'' = 0) has g(k) ≥ 0 throughout
    /// (Gatheral &amp; Jacquier 2014, eq. 2.1). Along the wing k s = w + c with c = s k_e − w_e, so
    /// g = (1/2 − c/(2w))² − s²/(4w) − s²/16 and 16 w² g = G(w) = (4 − s²) w² − (8c + 4s²) w + 4c², a quadratic in
    /// w ≥ w_e: with s &lt; 2 (Lee) it is ≥ 0 for all w ≥ w_e iff either its minimum w* = (4c + 2s²)/(4 − s²) lies at
    /// or below w_e and G(w_e) ≥ 0, or G(w*) ≥ 0, which reduces to (c + 2)² ≤ 4 − s².
    /// </summary>
    public static bool WingIsArbitrageFree(double slope, double kEnd, double wEnd)
    {
        double s = slope;
        if (!(s >= 0) || !(s < MaxWingSlope) || !(wEnd > 0)) return s == 0 && wEnd > 0;
        double c = s * kEnd - wEnd;
        double wStar = (4 * c + 2 * s * s) / (4 - s * s);
        if (wStar <= wEnd) return (4 - s * s) * wEnd * wEnd - (8 * c + 4 * s * s) * wEnd + 4 * c * c >= 0;
        return (c + 2) * (c + 2) <= 4 - s * s;
    }

    /// <summary>
    /// Schumaker's construction on [k_i, k_{i+1}] with end slopes s0, s1 and secant δ: one quadratic when
    /// s0 + s1 = 2δ; otherwise an extra knot ξ (the midpoint when (s0 − δ)(s1 − δ) ≥ 0, else where the tangent of the
    /// end closer to the secant's slope meets the secant), the slope there s̄ = (2Δw − α s0 − β s1)/h with α = ξ − k_i,
    /// β = k_{i+1} − ξ, and one quadratic on each side.
    /// </summary>
    private void AddInterval(int i, double s0, double s1, List<double> x, List<double> a, List<double> b, List<double> c)
    {
        double k0 = _knotK[i], k1 = _knotK[i + 1], w0 = _knotW[i], w1 = _knotW[i + 1];
        double h = k1 - k0, delta = (w1 - w0) / h;
        if (Math.Abs(s0 + s1 - 2 * delta) <= 1e-14 * Math.Max(1, Math.Abs(delta)))
        {
            x.Add(k0); a.Add(w0); b.Add(s0); c.Add((s1 - s0) / (2 * h));
            return;
        }
        double xi;
        if ((s0 - delta) * (s1 - delta) >= 0) xi = 0.5 * (k0 + k1);
        else if (Math.Abs(s1 - delta) < Math.Abs(s0 - delta)) xi = k0 + h * (s1 - delta) / (s1 - s0);
        else xi = k1 + h * (s0 - delta) / (s1 - s0);
        double alpha = xi - k0, beta = k1 - xi;
        if (!(alpha > 0) || !(beta > 0)) xi = 0.5 * (k0 + k1); // rounding at a degenerate end: fall back to the midpoint
        alpha = xi - k0;
        beta = k1 - xi;
        double sBar = (2 * (w1 - w0) - (alpha * s0 + beta * s1)) / h;
        x.Add(k0); a.Add(w0); b.Add(s0); c.Add((sBar - s0) / (2 * alpha));
        x.Add(xi); a.Add(w0 + 0.5 * (s0 + sBar) * alpha); b.Add(sBar); c.Add((s1 - sBar) / (2 * beta));
    }
}
