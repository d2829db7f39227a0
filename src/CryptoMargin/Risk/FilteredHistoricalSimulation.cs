using System.Buffers;
using CryptoMargin.Dynamics;

namespace CryptoMargin.Risk;

/// <summary>
/// Filtered historical simulation (Barone-Adesi, Bourgoin &amp; Giannopoulos 1998; Barone-Adesi, Giannopoulos &amp;
/// Vosper 1999): standardized residuals z of a fitted GARCH/EWMA model are drawn with replacement and pushed
/// through the model's own variance recursion from today's forecast h_{n+1}, so an h-day path carries the
/// volatility feedback of its own shocks: for k = 1 … h, ε_k = √h_k·z*, r += μ + ε_k,
/// h_{k+1} = ω + (α + γ·1[ε_k &lt; 0])ε_k² + β h_k (EWMA: λh_k + (1 − λ)ε_k²). For h = 1 no simulation is needed:
/// every residual gives one scenario, r = μ + √h_{n+1}·z_i, exactly.
/// </summary>
public static class FilteredHistoricalSimulation
{
    /// <param name="standardizedResiduals">z_t = (r_t − μ)/√h_t from the fit (the bootstrap population).</param>
    /// <param name="nextVariance">h_{n+1}, the one-step-ahead conditional variance.</param>
    /// <param name="paths">number of simulated h-day paths (ignored for h = 1).</param>
    /// <param name="seed">seed of the bootstrap: the same seed gives the same result, bit for bit.</param>
    public static RiskEstimate Estimate(ReadOnlySpan<double> standardizedResiduals, ReturnModelSpec spec, in ReturnModelParameters p,
        double nextVariance, int horizonDays, double confidence, PositionSide side, int paths, int seed)
    {
        ArgumentNullException.ThrowIfNull(spec);
        EmpiricalTail.ValidateConfidence(confidence);
        ArgumentOutOfRangeException.ThrowIfLessThan(horizonDays, 1);
        if (!(nextVariance >= 0) || !double.IsFinite(nextVariance))
            throw new ArgumentOutOfRangeException(nameof(nextVariance), nextVariance, "must be finite and ≥ 0");
        RiskInput.RequireFinite(standardizedResiduals);
        int count = horizonDays == 1 ? standardizedResiduals.Length : paths;
        if (horizonDays > 1) ArgumentOutOfRangeException.ThrowIfLessThan(paths, 1);
        if (standardizedResiduals.Length == 0) throw new MarketData.DataValidationException("no standardized residuals to bootstrap");
        EmpiricalTail.RequireSample(count, confidence, horizonDays == 1 ? "residuals" : "paths");

        var buffer = ArrayPool<double>.Shared.Rent(count);
        try
        {
            var losses = buffer.AsSpan(0, count);
            var rng = new Xoshiro256(unchecked((ulong)seed));
            Simulate(standardizedResiduals, spec, p, nextVariance, horizonDays, side, ref rng, losses);
            return EmpiricalTail.Estimate(losses, confidence);
        }
        finally
        {
            ArrayPool<double>.Shared.Return(buffer);
        }
    }

    /// <summary>The hot loop: fills <paramref name="losses"/> (one per path; for h = 1 one per residual), no allocation.</summary>
    internal static void Simulate(ReadOnlySpan<double> z, ReturnModelSpec spec, in ReturnModelParameters p, double nextVariance,
        int horizonDays, PositionSide side, ref Xoshiro256 rng, Span<double> losses)
    {
        double mu = spec.Mean == MeanModel.Constant ? p.Mu : 0;
        if (horizonDays == 1)
        {
            double sd = Math.Sqrt(nextVariance);
            for (int i = 0; i < z.Length; i++) losses[i] = PositionLoss.Of(mu + sd * z[i], side);
            return;
        }
        bool ewma = spec.Volatility == VolatilityModel.Ewma;
        bool gjr = spec.Volatility == VolatilityModel.Gjr;
        double omega = ewma ? 0 : p.Omega;
        double alpha = ewma ? 1 - p.Lambda : p.Alpha;
        double gamma = gjr ? p.Gamma : 0;
        double beta = ewma ? p.Lambda : p.Beta;
        int n = z.Length;
        for (int path = 0; path < losses.Length; path++)
        {
            double h = nextVariance, r = 0;
            for (int k = 0; k < horizonDays; k++)
            {
                double e = Math.Sqrt(h) * z[rng.NextIndex(n)];
                r += mu + e;
                h = omega + (e < 0 ? alpha + gamma : alpha) * e * e + beta * h;
            }
            losses[path] = PositionLoss.Of(r, side);
        }
    }
}
