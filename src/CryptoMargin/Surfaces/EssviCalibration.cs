using CryptoMargin.MarketData;

namespace CryptoMargin.Surfaces;

/// <summary>
/// Slice-by-slice calibration of an eSSVI surface (the sequential scheme of Corbetta, Cohort, Laachir &amp; Martini 2019,
/// "Robust calibration and arbitrage-free interpolation of SSVI slices", §3), shortest expiry first. Each slice's
/// (θ, ρ, ψ) minimises Σ_i v_i (√(w(k_i)/t) − σ_i)² by Nelder–Mead inside the region where the slice is free of
/// static arbitrage given the previous (already fitted) slice:
/// <list type="bullet">
/// <item>butterfly (Gatheral &amp; Jacquier 2014, Theorem 4.2): ψ ≤ ψ_max = min(4/(1+|ρ|), 2√(θ/(1+|ρ|))), kept exactly by the
/// parameterisation;</item>
/// <item>calendar, necessary (Hendriks &amp; Martini 2019): θ ≥ θ_prev, ψ(1 ± ρ) ≥ ψ_prev(1 ± ρ_prev), i.e.
/// ψ ≥ ψ_min(ρ) = max(ψ_prev(1+ρ_prev)/(1+ρ), ψ_prev(1−ρ_prev)/(1−ρ)), kept exactly by the parameterisation
/// θ = θ_prev + e^u, ρ = 0.999 tanh r, ψ = ψ_min + (ψ_max − ψ_min) logistic(s);</item>
/// <item>calendar, no crossing: C(k) ≤ 0 (<see cref="EssviSlice.Crossing"/>) on <see cref="CrossingGridPoints"/> points over
/// k ∈ ±max(6√θ, 10θ/ψ) (beyond, the ordered wings decide); a point of the search space that breaks it, or where
/// ψ_min &gt; ψ_max, costs 1 + its SSE + the violation, so any admissible point beats it. The previous slice itself
/// (ρ = ρ_prev, ψ = ψ_prev, any θ ≥ θ_prev) is always admissible (C(k) = w₁(θ₁ − θ₂) ≤ 0), so the region is never empty.</item>
/// </list>
/// Starts: ρ ∈ {ρ_prev (or −0.3 for the first slice), −0.5, 0, 0.5}, θ = the market ATM total variance (at least
/// θ_prev·1.0001), ψ mid-range; then a restart from the best. Deterministic.
/// </summary>
public static class EssviCalibration
{
    /// <summary>Grid points of the no-crossing constraint during the fit (the final check uses <see cref="SurfaceArbitrage"/>).</summary>
    public const int CrossingGridPoints = 401;

    private const double RhoScale = 0.999;

    public static EssviFit Fit(IReadOnlyList<VolSlice> slices) => Fit(slices, calendar: true);

    /// <summary>
    /// With <paramref name="calendar"/> false every slice is fitted alone (butterfly conditions only): a diagnostic that
    /// measures what the calendar conditions cost in fit, not an arbitrage-free surface.
    /// </summary>
    public static EssviFit Fit(IReadOnlyList<VolSlice> slices, bool calendar)
    {
        ArgumentNullException.ThrowIfNull(slices);
        if (slices.Count == 0) throw new DataValidationException("eSSVI needs at least one expiry", field: "slices");
        var sorted = slices.OrderBy(s => s.Expiry).ToArray();
        for (int j = 1; j < sorted.Length; j++)
            if (sorted[j].Expiry == sorted[j - 1].Expiry)
                throw new DataValidationException($"two slices share the expiry t = {sorted[j].Expiry}", field: "expiry");
        foreach (var s in sorted)
        {
            int n = 0;
            for (int i = 0; i < s.Count; i++) if (s.Weight(i) > 0) n++;
            if (n < 3) throw new DataValidationException($"eSSVI has 3 parameters per slice but the slice t = {s.Expiry} has only {n} quotes with positive weight", field: "impliedVolatility");
        }

        var result = new EssviSlice[sorted.Length];
        var expiries = new double[sorted.Length];
        var sliceRmse = new double[sorted.Length];
        var sliceMax = new double[sorted.Length];
        double objective = 0, sum = 0, wsum = 0, max = 0;
        bool converged = true;
        int iterations = 0;
        EssviSlice? previous = null;
        for (int j = 0; j < sorted.Length; j++)
        {
            var s = sorted[j];
            var (slice, f, it, ok) = FitSlice(s, calendar ? previous : null);
            result[j] = slice;
            expiries[j] = s.Expiry;
            objective += f;
            iterations += it;
            converged &= ok;
            previous = slice;

            double ssum = 0, swsum = 0, smax = 0;
            for (int i = 0; i < s.Count; i++)
            {
                double v = s.Weight(i);
                if (v <= 0) continue;
                double e = slice.ImpliedVolatility(s.LogMoneyness[i], s.Expiry) - s.ImpliedVolatilities[i];
                ssum += v * e * e; swsum += v; smax = Math.Max(smax, Math.Abs(e));
            }
            sliceRmse[j] = Math.Sqrt(ssum / swsum);
            sliceMax[j] = smax;
            sum += ssum; wsum += swsum; max = Math.Max(max, smax);
        }
        return new EssviFit(expiries, result, sliceRmse, sliceMax, Math.Sqrt(sum / wsum), max, objective, converged, iterations);
    }

    private static (EssviSlice Slice, double Objective, int Iterations, bool Converged) FitSlice(VolSlice s, EssviSlice? previous)
    {
        var objective = new SliceObjective(s, previous);
        double thetaPrev = previous?.Theta ?? 0;
        double thetaMarket = Math.Max(s.AtmTotalVariance(), thetaPrev * 1.0001 + 1e-12);
        double u0 = Math.Log(Math.Max(thetaMarket - thetaPrev, 1e-4 * thetaMarket));
        Span<double> x = stackalloc double[3];
        Span<double> best = stackalloc double[3];
        Span<double> step = [0.5, 0.5, 1.0];
        double bestF = double.PositiveInfinity;
        int iterations = 0;
        ReadOnlySpan<double> starts = [previous?.Rho ?? -0.3, -0.5, 0, 0.5];
        foreach (double rho0 in starts)
        {
            x[0] = u0;
            x[1] = Math.Atanh(rho0 / RhoScale);
            // At ρ = ρ_prev the previous slice's ψ is the lower bound: start from it (s → −∞ side) so the start is admissible.
            x[2] = previous is not null && rho0 == previous.Value.Rho ? -4 : 0;
            var (f, it, _) = NelderMead.Minimize(ref objective, x, step, 800, xTolerance: 1e-9, fTolerance: 1e-13, fFloor: 1e-20);
            iterations += it;
            if (f < bestF) { bestF = f; x.CopyTo(best); }
        }
        best.CopyTo(x);
        var (fr, itr, ok) = NelderMead.Minimize(ref objective, x, step, 800, xTolerance: 1e-9, fTolerance: 1e-13, fFloor: 1e-20);
        iterations += itr;
        if (fr <= bestF) { bestF = fr; x.CopyTo(best); } else ok = false;
        var slice = objective.Decode(best, out bool admissible);
        if (!admissible) throw new InvalidOperationException($"eSSVI slice t = {s.Expiry}: no admissible point found (internal error: the previous slice is admissible)");
        return (slice, bestF, iterations, ok);
    }

    private readonly struct SliceObjective(VolSlice s, EssviSlice? previous) : ISmallObjective
    {
        public EssviSlice Decode(ReadOnlySpan<double> x, out bool admissible) => Decode(x, out admissible, out _);

        private EssviSlice Decode(ReadOnlySpan<double> x, out bool admissible, out double gap)
        {
            double thetaPrev = previous?.Theta ?? 0;
            double theta = thetaPrev + Math.Exp(x[0]);
            double rho = RhoScale * Math.Tanh(x[1]);
            double psiMin = 0;
            if (previous is { } p)
                psiMin = Math.Max(p.Psi * (1 + p.Rho) / (1 + rho), p.Psi * (1 - p.Rho) / (1 - rho));
            // Strictly inside Theorem 4.2's first (strict) inequality.
            double psiMax = EssviSlice.MaxButterflyFreePsi(theta, rho) * (1 - 1e-9);
            gap = psiMin - psiMax;
            double lo = Math.Min(psiMin, psiMax);
            double psi = lo + Math.Max(psiMax - psiMin, 0) / (1 + Math.Exp(-x[2]));
            if (previous is null) psi = Math.Max(psi, 1e-12 * psiMax);
            admissible = gap <= 0;
            var slice = new EssviSlice(theta, rho, psi);
            if (admissible && previous is { } q)
            {
                double worst = MaxCrossing(q, slice);
                if (worst > 0) { admissible = false; gap = worst / (theta * theta); }
            }
            return slice;
        }

        public double Value(ReadOnlySpan<double> x)
        {
            var slice = Decode(x, out bool admissible, out double gap);
            double sum = 0, t = s.Expiry;
            var k = s.LogMoneyness;
            var vol = s.ImpliedVolatilities;
            for (int i = 0; i < k.Length; i++)
            {
                double e = Math.Sqrt(Math.Max(slice.TotalVariance(k[i]), 0) / t) - vol[i];
                sum += s.Weight(i) * e * e;
            }
            return admissible ? sum : 1 + sum + Math.Max(gap, 0);
        }
    }

    /// <summary>max_k C(k) over the crossing grid (≤ 0: the later slice lies on or above the earlier one there).</summary>
    internal static double MaxCrossing(EssviSlice earlier, EssviSlice later)
    {
        double half = Math.Max(6 * Math.Sqrt(later.Theta), 10 * later.Theta / later.Psi);
        double worst = double.NegativeInfinity;
        for (int i = 0; i < CrossingGridPoints; i++)
        {
            double k = -half + 2 * half * i / (CrossingGridPoints - 1);
            worst = Math.Max(worst, earlier.Crossing(later, k));
        }
        return worst;
    }
}
