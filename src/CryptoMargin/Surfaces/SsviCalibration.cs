using CryptoMargin.MarketData;

namespace CryptoMargin.Surfaces;

/// <summary>
/// Calibrates SSVI (Gatheral &amp; Jacquier 2014, power-law φ of their eq. 4.5) to a whole chain.
/// θ_t per expiry is the market ATM total variance (<see cref="VolSlice.AtmTotalVariance"/>), made non-decreasing in t
/// by a running maximum (their Theorem 4.1 needs ∂_tθ_t ≥ 0). (ρ, η, γ) minimise the weighted least squares in implied
/// vol, Σ_t Σ_i v_i (√(w(k_i, θ_t)/t) − σ_i)², by Nelder–Mead from three starting skews (ρ = −0.5, 0, 0.5) and a
/// restart from the best, over an unconstrained reparameterisation that keeps the no-arbitrage constraints exactly:
/// ρ = 0.9999 tanh u, γ = ½ logistic(v) ∈ (0, ½), η = 2/(1 + |ρ|) · logistic(s) so η(1 + |ρ|) &lt; 2.
/// </summary>
public static class SsviCalibration
{
    public static SsviFit Fit(IReadOnlyList<VolSlice> slices)
    {
        ArgumentNullException.ThrowIfNull(slices);
        if (slices.Count == 0) throw new DataValidationException("SSVI needs at least one expiry", field: "slices");
        var sorted = slices.OrderBy(s => s.Expiry).ToArray();
        for (int j = 1; j < sorted.Length; j++)
            if (sorted[j].Expiry == sorted[j - 1].Expiry)
                throw new DataValidationException($"two slices share the expiry t = {sorted[j].Expiry}", field: "expiry");
        int quotes = 0;
        foreach (var s in sorted) for (int i = 0; i < s.Count; i++) if (s.Weight(i) > 0) quotes++;
        if (quotes < 3) throw new DataValidationException($"SSVI has 3 parameters but only {quotes} quotes have positive weight", field: "impliedVolatility");

        var expiries = new double[sorted.Length];
        var thetas = new double[sorted.Length];
        double running = 0;
        for (int j = 0; j < sorted.Length; j++)
        {
            expiries[j] = sorted[j].Expiry;
            running = Math.Max(running, sorted[j].AtmTotalVariance());
            thetas[j] = running;
        }

        var objective = new SurfaceObjective(sorted, thetas);
        Span<double> x = stackalloc double[3];
        Span<double> best = stackalloc double[3];
        Span<double> step = [0.5, 0.5, 0.5];
        double bestF = double.PositiveInfinity;
        int iterations = 0;
        bool converged = false;
        foreach (double rho0 in (ReadOnlySpan<double>)[-0.5, 0, 0.5])
        {
            Encode(new SsviParameters(rho0, 1 / (1 + Math.Abs(rho0)), 0.25), x);
            var (f, it, _) = NelderMead.Minimize(ref objective, x, step, 600, xTolerance: 1e-8, fTolerance: 1e-12, fFloor: 1e-20);
            iterations += it;
            if (f < bestF) { bestF = f; x.CopyTo(best); }
        }
        // Restart from the best point with a fresh simplex (Nelder–Mead can stall on a collapsed simplex).
        best.CopyTo(x);
        var (fr, itr, ok) = NelderMead.Minimize(ref objective, x, step, 600, xTolerance: 1e-8, fTolerance: 1e-12, fFloor: 1e-20);
        iterations += itr;
        if (fr <= bestF) { bestF = fr; x.CopyTo(best); converged = ok; }

        var p = Decode(best);
        var sliceRmse = new double[sorted.Length];
        var sliceMax = new double[sorted.Length];
        double sum = 0, wsum = 0, max = 0;
        for (int j = 0; j < sorted.Length; j++)
        {
            var s = sorted[j];
            double ssum = 0, swsum = 0, smax = 0;
            for (int i = 0; i < s.Count; i++)
            {
                double v = s.Weight(i);
                if (v <= 0) continue;
                double e = Math.Sqrt(p.TotalVariance(s.LogMoneyness[i], thetas[j]) / s.Expiry) - s.ImpliedVolatilities[i];
                ssum += v * e * e; swsum += v; smax = Math.Max(smax, Math.Abs(e));
            }
            sliceRmse[j] = swsum > 0 ? Math.Sqrt(ssum / swsum) : double.NaN;
            sliceMax[j] = smax;
            sum += ssum; wsum += swsum; max = Math.Max(max, smax);
        }
        return new SsviFit(p, expiries, thetas, sliceRmse, sliceMax, Math.Sqrt(sum / wsum), max, bestF, converged, iterations);
    }

    private const double RhoScale = 0.9999;

    internal static SsviParameters Decode(ReadOnlySpan<double> x)
    {
        double rho = RhoScale * Math.Tanh(x[0]);
        double gamma = 0.5 / (1 + Math.Exp(-x[1]));
        double eta = 2 / (1 + Math.Abs(rho)) / (1 + Math.Exp(-x[2]));
        return new SsviParameters(rho, eta, gamma);
    }

    private static void Encode(SsviParameters p, Span<double> x)
    {
        x[0] = Math.Atanh(p.Rho / RhoScale);
        double g = p.Gamma / 0.5, e = p.Eta * (1 + Math.Abs(p.Rho)) / 2;
        x[1] = Math.Log(g / (1 - g));
        x[2] = Math.Log(e / (1 - e));
    }

    private readonly struct SurfaceObjective(VolSlice[] slices, double[] thetas) : ISmallObjective
    {
        public double Value(ReadOnlySpan<double> x)
        {
            var p = Decode(x);
            double sum = 0;
            for (int j = 0; j < slices.Length; j++)
            {
                var s = slices[j];
                double theta = thetas[j], phi = p.Phi(theta), t = s.Expiry;
                double rho = p.Rho, oneMinusRho2 = 1 - rho * rho;
                var k = s.LogMoneyness;
                var vol = s.ImpliedVolatilities;
                for (int i = 0; i < k.Length; i++)
                {
                    double u = phi * k[i] + rho;
                    double w = theta / 2 * (1 + rho * phi * k[i] + Math.Sqrt(u * u + oneMinusRho2));
                    double e = Math.Sqrt(w / t) - vol[i];
                    sum += s.Weight(i) * e * e;
                }
            }
            return sum;
        }
    }
}
