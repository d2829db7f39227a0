using CryptoMargin.MarketData;

namespace CryptoMargin.Surfaces;

/// <summary>
/// One expiry's raw SVI smile (Gatheral 2004, "A parsimonious arbitrage-free implied volatility parameterization"):
/// total implied variance w(k) = a + b (ρ (k − m) + √((k − m)² + σ²)) in log-moneyness k = ln(K/F), w = σ_BS² t.
/// Dimensionless (total variance, not annualised). Valid parameters: b ≥ 0, |ρ| &lt; 1, σ &gt; 0 and
/// a + b σ √(1 − ρ²) ≥ 0 (the minimum of w, so w ≥ 0 everywhere). Validity says nothing about butterfly arbitrage:
/// that is <see cref="ButterflyDensity"/> and <see cref="SurfaceArbitrage"/>.
/// </summary>
public readonly record struct SviParameters(double A, double B, double Rho, double M, double Sigma) : ITotalVarianceSmile
{
    /// <summary>w(k) = a + b (ρ (k − m) + √((k − m)² + σ²)).</summary>
    public double TotalVariance(double k)
    {
        double x = k - M;
        return A + B * (Rho * x + Math.Sqrt(x * x + Sigma * Sigma));
    }

    /// <summary>w'(k) = b (ρ + (k − m) / √((k − m)² + σ²)).</summary>
    public double Slope(double k)
    {
        double x = k - M;
        return B * (Rho + x / Math.Sqrt(x * x + Sigma * Sigma));
    }

    /// <summary>w''(k) = b σ² / ((k − m)² + σ²)^{3/2}.</summary>
    public double Curvature(double k)
    {
        double x = k - M;
        double r = x * x + Sigma * Sigma;
        return B * Sigma * Sigma / (r * Math.Sqrt(r));
    }

    /// <summary>(w, w', w'') at k.</summary>
    public (double W, double Slope, double Curvature) Evaluate(double k) => (TotalVariance(k), Slope(k), Curvature(k));

    /// <summary>Black implied volatility σ(k) = √(w(k) / t) for an expiry of <paramref name="expiry"/> years.</summary>
    public double ImpliedVolatility(double k, double expiry) => Math.Sqrt(Math.Max(TotalVariance(k), 0) / expiry);

    /// <summary>
    /// Gatheral's density function (Gatheral &amp; Jacquier 2014, eq. 2.1):
    /// g(k) = (1 − k w'/(2w))² − (w'²/4)(1/w + 1/4) + w''/2. The risk-neutral density of ln(S_T/F) is
    /// g(k)/√(2πw) · exp(−d₋²/2), so a smile is free of butterfly arbitrage iff g ≥ 0 (and w &gt; 0).
    /// </summary>
    public double ButterflyDensity(double k)
    {
        double w = TotalVariance(k), w1 = Slope(k), w2 = Curvature(k);
        double u = 1 - k * w1 / (2 * w);
        return u * u - w1 * w1 / 4 * (1 / w + 0.25) + w2 / 2;
    }

    /// <summary>min_k w(k) = a + b σ √(1 − ρ²), attained at k = m − ρσ/√(1 − ρ²).</summary>
    public double MinimumTotalVariance => A + B * Sigma * Math.Sqrt(1 - Rho * Rho);

    /// <summary>Throws <see cref="DataValidationException"/> naming the first violated constraint.</summary>
    public void Validate()
    {
        if (!double.IsFinite(A) || !double.IsFinite(B) || !double.IsFinite(Rho) || !double.IsFinite(M) || !double.IsFinite(Sigma))
            throw new DataValidationException($"SVI parameters must be finite, got {this}");
        if (B < 0) throw new DataValidationException($"SVI b must be ≥ 0, got {B}", field: "b");
        if (!(Math.Abs(Rho) < 1)) throw new DataValidationException($"SVI ρ must lie in (−1, 1), got {Rho}", field: "rho");
        if (!(Sigma > 0)) throw new DataValidationException($"SVI σ must be > 0, got {Sigma}", field: "sigma");
        if (MinimumTotalVariance < 0)
            throw new DataValidationException($"SVI total variance goes negative: a + bσ√(1 − ρ²) = {MinimumTotalVariance} < 0", field: "a");
    }
}
