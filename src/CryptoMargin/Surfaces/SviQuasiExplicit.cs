namespace CryptoMargin.Surfaces;

/// <summary>
/// The inner step of the quasi-explicit SVI calibration (De Marco &amp; Martini 2009, "Quasi-explicit calibration of
/// Gatheral's SVI model", Zeliade Systems white paper, §3): with y = (k − m)/σ fixed, raw SVI is linear,
/// w = a + d y + c z with z = √(y² + 1), d = ρbσ, c = bσ. The weighted least squares in (a, d, c) is a 3-variable
/// convex quadratic program over the polytope
/// <list type="bullet">
/// <item>|d| ≤ (1 − 10⁻⁹) c (b ≥ 0, |ρ| &lt; 1),</item>
/// <item>|d| ≤ 4σ − c (b(1 + |ρ|) ≤ 4, Lee's moment bound, as in De Marco &amp; Martini),</item>
/// <item>a + c − |d| ≥ 0: since √(c² − d²) ≥ c − |d|, this implies the raw-SVI condition a + bσ√(1 − ρ²) ≥ 0
/// (w ≥ 0) while staying linear; De Marco &amp; Martini use the stricter a ≥ 0,</item>
/// <item>a ≤ max wᵢ (De Marco &amp; Martini).</item>
/// </list>
/// Solved exactly by enumerating active sets: the optimum of a convex QP is the minimiser over the affine hull of the
/// face whose relative interior holds it, so the best feasible equality-constrained minimiser over all sets of at most
/// three active constraints (1 + 7 + 21 + 35 KKT systems) is the optimum. The unconstrained minimiser is tried first.
/// </summary>
internal static class SviQuasiExplicit
{
    private const int Constraints = 7;
    private const double RhoShrink = 1 - 1e-9;

    /// <summary>
    /// min Σ ωᵢ (a + d yᵢ + c zᵢ − wᵢ)² for fixed (m, σ). Returns the minimum (the weighted SSE) and (a, d, c);
    /// +∞ when no KKT system was solvable (fewer than three distinct quotes).
    /// </summary>
    public static double Solve(ReadOnlySpan<double> k, ReadOnlySpan<double> w, ReadOnlySpan<double> weight, double m, double sigma,
        out double a, out double d, out double c)
    {
        // Normal equations H x = g of the weighted least squares in x = (a, d, c); s0 = Σ ω w².
        double h00 = 0, h01 = 0, h02 = 0, h11 = 0, h12 = 0, h22 = 0, g0 = 0, g1 = 0, g2 = 0, s0 = 0, wMax = 0;
        for (int i = 0; i < k.Length; i++)
        {
            double om = weight[i];
            double y = (k[i] - m) / sigma, z = Math.Sqrt(y * y + 1), wi = w[i];
            h00 += om; h01 += om * y; h02 += om * z; h11 += om * y * y; h12 += om * y * z; h22 += om * z * z;
            g0 += om * wi; g1 += om * y * wi; g2 += om * z * wi; s0 += om * wi * wi;
            if (wi > wMax) wMax = wi;
        }
        Span<double> hm = [h00, h01, h02, h01, h11, h12, h02, h12, h22];
        Span<double> g = [g0, g1, g2];
        // Constraint rows G x ≤ h, x = (a, d, c).
        Span<double> gc = [
            0, 1, -RhoShrink,   // d ≤ c
            0, -1, -RhoShrink,  // −d ≤ c
            0, 1, 1,            // d + c ≤ 4σ
            0, -1, 1,           // −d + c ≤ 4σ
            -1, 1, -1,          // a + c − d ≥ 0
            -1, -1, -1,         // a + c + d ≥ 0
            1, 0, 0,            // a ≤ max w
        ];
        Span<double> hc = [0, 0, 4 * sigma, 4 * sigma, 0, 0, wMax];
        double scale = Math.Max(wMax, 4 * sigma);

        double best = double.PositiveInfinity;
        a = d = c = double.NaN;
        Span<double> x = stackalloc double[3];
        Span<int> active = stackalloc int[3];
        for (int size = 0; size <= 3; size++)
        {
            // Enumerate index sets i0 < i1 < i2 of the given size.
            for (int i0 = 0; i0 < (size >= 1 ? Constraints : 1); i0++)
                for (int i1 = size >= 2 ? i0 + 1 : 0; i1 < (size >= 2 ? Constraints : 1); i1++)
                    for (int i2 = size >= 3 ? i1 + 1 : 0; i2 < (size >= 3 ? Constraints : 1); i2++)
                    {
                        active[0] = i0; active[1] = i1; active[2] = i2;
                        if (!SolveKkt(hm, g, gc, hc, active[..size], x)) continue;
                        if (!Feasible(gc, hc, x, 1e-12 * scale)) continue;
                        double sse = Quadratic(hm, g, x) + s0;
                        if (sse < best) { best = sse; a = x[0]; d = x[1]; c = x[2]; }
                    }
            // Interior optimum feasible: no active set can do better (convexity).
            if (size == 0 && best < double.PositiveInfinity) break;
        }
        if (best < 0) best = 0; // rounding of xᵀHx − 2gᵀx + s0 near an exact fit
        return best;
    }

    /// <summary>xᵀHx − 2gᵀx.</summary>
    private static double Quadratic(ReadOnlySpan<double> hm, ReadOnlySpan<double> g, ReadOnlySpan<double> x)
    {
        double q = 0;
        for (int i = 0; i < 3; i++)
        {
            double row = 0;
            for (int j = 0; j < 3; j++) row += hm[i * 3 + j] * x[j];
            q += x[i] * (row - 2 * g[i]);
        }
        return q;
    }

    private static bool Feasible(ReadOnlySpan<double> gc, ReadOnlySpan<double> hc, ReadOnlySpan<double> x, double tol)
    {
        for (int r = 0; r < Constraints; r++)
            if (gc[r * 3] * x[0] + gc[r * 3 + 1] * x[1] + gc[r * 3 + 2] * x[2] > hc[r] + tol) return false;
        return true;
    }

    /// <summary>[H Gₛᵀ; Gₛ 0] [x; λ] = [g; hₛ] by Gaussian elimination with partial pivoting (at most 6×6).</summary>
    private static bool SolveKkt(ReadOnlySpan<double> hm, ReadOnlySpan<double> g, ReadOnlySpan<double> gc, ReadOnlySpan<double> hc,
        ReadOnlySpan<int> active, Span<double> x)
    {
        int n = 3 + active.Length;
        Span<double> mat = stackalloc double[36];
        Span<double> rhs = stackalloc double[6];
        for (int i = 0; i < 3; i++)
        {
            for (int j = 0; j < 3; j++) mat[i * n + j] = hm[i * 3 + j];
            for (int s = 0; s < active.Length; s++) mat[i * n + 3 + s] = gc[active[s] * 3 + i];
            rhs[i] = g[i];
        }
        for (int s = 0; s < active.Length; s++)
        {
            for (int j = 0; j < 3; j++) mat[(3 + s) * n + j] = gc[active[s] * 3 + j];
            for (int j = 3; j < n; j++) mat[(3 + s) * n + j] = 0;
            rhs[3 + s] = hc[active[s]];
        }
        double norm = 0;
        for (int i = 0; i < n * n; i++) norm = Math.Max(norm, Math.Abs(mat[i]));
        for (int col = 0; col < n; col++)
        {
            int piv = col;
            for (int r = col + 1; r < n; r++) if (Math.Abs(mat[r * n + col]) > Math.Abs(mat[piv * n + col])) piv = r;
            if (!(Math.Abs(mat[piv * n + col]) > 1e-13 * norm)) return false;
            if (piv != col)
            {
                for (int j = 0; j < n; j++) (mat[col * n + j], mat[piv * n + j]) = (mat[piv * n + j], mat[col * n + j]);
                (rhs[col], rhs[piv]) = (rhs[piv], rhs[col]);
            }
            for (int r = col + 1; r < n; r++)
            {
                double f = mat[r * n + col] / mat[col * n + col];
                if (f == 0) continue;
                for (int j = col; j < n; j++) mat[r * n + j] -= f * mat[col * n + j];
                rhs[r] -= f * rhs[col];
            }
        }
        for (int r = n - 1; r >= 0; r--)
        {
            double s = rhs[r];
            for (int j = r + 1; j < n; j++) s -= mat[r * n + j] * rhs[j];
            rhs[r] = s / mat[r * n + r];
        }
        rhs[..3].CopyTo(x);
        return double.IsFinite(x[0]) && double.IsFinite(x[1]) && double.IsFinite(x[2]);
    }
}
