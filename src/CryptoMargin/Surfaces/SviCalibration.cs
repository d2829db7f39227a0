using CryptoMargin.MarketData;

namespace CryptoMargin.Surfaces;

/// <summary>
/// Raw-SVI calibration of one expiry by the quasi-explicit method of De Marco &amp; Martini (2009, Zeliade Systems):
/// for fixed (m, σ) the remaining (a, d = ρbσ, c = bσ) solve a constrained linear least-squares problem exactly
/// (<see cref="SviQuasiExplicit"/>); the outer 2-D problem in (m, ln σ) is solved by Nelder–Mead from the best points
/// of a coarse grid.
/// <para>
/// Objective: weighted least squares in implied vol, linearised so that the inner problem stays linear:
/// σ_model − σᵢ ≈ (w_model − wᵢ)/(2σᵢt) (first order in w, exact at the fit), so the inner weights are
/// ωᵢ = vᵢ/(4σᵢ²t²) for quote weights vᵢ. The reported RMSE and max error use the exact model vols √(w/t).
/// </para>
/// Search box: m ∈ [k_min − (k_max − k_min), k_max + (k_max − k_min)], σ ∈ [10⁻⁴, 10].
/// </summary>
public static class SviCalibration
{
    private const double SigmaMin = 1e-4, SigmaMax = 10;

    /// <summary>Fits raw SVI to one slice; needs at least five quotes with positive weight.</summary>
    public static SviFit Fit(VolSlice slice)
    {
        ArgumentNullException.ThrowIfNull(slice);
        int n = slice.Count, used = 0;
        for (int i = 0; i < n; i++) if (slice.Weight(i) > 0) used++;
        if (used < 5) throw new DataValidationException($"SVI needs at least 5 quotes with positive weight, slice t = {slice.Expiry} has {used}", field: "impliedVolatility");

        double t = slice.Expiry;
        var w = new double[n];
        var omega = new double[n];
        double kMin = double.PositiveInfinity, kMax = double.NegativeInfinity;
        for (int i = 0; i < n; i++)
        {
            double s = slice.ImpliedVolatilities[i];
            w[i] = s * s * t;
            omega[i] = slice.Weight(i) / (4 * s * s * t * t);
            if (slice.Weight(i) > 0) { kMin = Math.Min(kMin, slice.LogMoneyness[i]); kMax = Math.Max(kMax, slice.LogMoneyness[i]); }
        }
        if (!(kMax > kMin)) throw new DataValidationException($"slice t = {slice.Expiry}: all quotes at one log-moneyness {kMin}", field: "logMoneyness");
        double span = kMax - kMin;
        var objective = new OuterObjective(slice.LogMoneyness, w, omega, kMin - span, kMax + span);

        // Coarse grid: 7 centres m over the quoted range × 6 log-spaced σ in [0.01, 2]·(k_max − k_min).
        const int gm = 7, gs = 6;
        Span<double> gridF = stackalloc double[gm * gs];
        for (int i = 0; i < gm; i++)
            for (int j = 0; j < gs; j++)
                gridF[i * gs + j] = objective.Value([GridM(i), GridLogSigma(j)]);
        double GridM(int i) => kMin + span * i / (gm - 1);
        double GridLogSigma(int j) => Math.Log(span * 0.01) + (Math.Log(2.0) - Math.Log(0.01)) * j / (gs - 1);

        int iterations = 0;
        bool converged = false;
        double bestF = double.PositiveInfinity, bestM = 0, bestLogS = 0;
        Span<double> x = stackalloc double[2];
        Span<double> step = [0.1 * span, 0.5];
        for (int start = 0; start < 3; start++)
        {
            int arg = 0;
            for (int i = 1; i < gridF.Length; i++) if (gridF[i] < gridF[arg]) arg = i;
            if (!double.IsFinite(gridF[arg])) break;
            gridF[arg] = double.PositiveInfinity;
            x[0] = GridM(arg / gs); x[1] = GridLogSigma(arg % gs);
            var (f, it, ok) = NelderMead.Minimize(ref objective, x, step, 400, xTolerance: 1e-9, fTolerance: 1e-11, fFloor: 1e-20);
            iterations += it;
            if (f < bestF) { bestF = f; bestM = x[0]; bestLogS = x[1]; converged = ok; }
        }
        if (!double.IsFinite(bestF)) throw new DataValidationException($"slice t = {slice.Expiry}: no SVI fit found (fewer than three distinct quotes?)", field: "logMoneyness");

        double m = Math.Clamp(bestM, objective.MMin, objective.MMax);
        double sigma = Math.Clamp(Math.Exp(bestLogS), SigmaMin, SigmaMax);
        double sse = SviQuasiExplicit.Solve(slice.LogMoneyness, w, omega, m, sigma, out double a, out double d, out double c);
        double b = c / sigma;
        double rho = c > 0 ? Math.Clamp(d / c, -1 + 1e-9, 1 - 1e-9) : 0;
        var p = new SviParameters(a, b, rho, m, sigma);
        var (rmse, maxAbs) = Errors(slice, p);
        return new SviFit(p, t, rmse, maxAbs, sse, converged, iterations, objective.Evaluations);
    }

    /// <summary>Weighted RMSE and max abs error in implied vol of <paramref name="p"/> against the slice's quotes with positive weight.</summary>
    public static (double Rmse, double MaxAbsError) Errors(VolSlice slice, SviParameters p)
    {
        ArgumentNullException.ThrowIfNull(slice);
        double sum = 0, wsum = 0, max = 0;
        for (int i = 0; i < slice.Count; i++)
        {
            double v = slice.Weight(i);
            if (v <= 0) continue;
            double e = p.ImpliedVolatility(slice.LogMoneyness[i], slice.Expiry) - slice.ImpliedVolatilities[i];
            sum += v * e * e; wsum += v; max = Math.Max(max, Math.Abs(e));
        }
        return (Math.Sqrt(sum / wsum), max);
    }

    /// <summary>The outer objective: (m, ln σ) ↦ minimum over (a, d, c) of the inner problem.</summary>
    private struct OuterObjective(double[] k, double[] w, double[] omega, double mMin, double mMax) : ISmallObjective
    {
        public readonly double MMin = mMin, MMax = mMax;
        public int Evaluations;

        public double Value(ReadOnlySpan<double> x)
        {
            Evaluations++;
            double m = Math.Clamp(x[0], MMin, MMax);
            double sigma = Math.Clamp(Math.Exp(x[1]), SigmaMin, SigmaMax);
            // Outside the box: the boundary's value plus a small slope back in, so the simplex returns.
            double excess = Math.Abs(x[0] - m) + Math.Abs(x[1] - Math.Log(sigma));
            double f = SviQuasiExplicit.Solve(k, w, omega, m, sigma, out _, out _, out _);
            return excess > 0 ? f * (1 + excess) + excess * 1e-12 : f;
        }
    }
}
