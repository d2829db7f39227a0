using CryptoMargin.MarketData;

namespace CryptoMargin.Surfaces;

/// <summary>
/// One expiry of an extended SSVI surface (Hendriks &amp; Martini 2019, "The extended SSVI volatility surface",
/// J. Computational Finance 22(5); Corbetta, Cohort, Laachir &amp; Martini 2019, "Robust calibration and arbitrage-free
/// interpolation of SSVI slices", Decisions in Economics and Finance 42): SSVI's slice (Gatheral &amp; Jacquier 2014,
/// eq. 4.1) with its own correlation ρ and ψ = θφ per expiry,
/// w(k) = ½ (θ + ρψk + √((ψk + ρθ)² + θ²(1 − ρ²))).
/// θ = w(0) is the ATM total variance, ρ the skew, ψ the ATM curvature scale (the wings have slopes ψ(1 ± ρ)/2).
/// Valid: θ &gt; 0, |ρ| &lt; 1, ψ &gt; 0. Butterfly-free (Gatheral &amp; Jacquier 2014, Theorem 4.2, written in ψ as in
/// Hendriks &amp; Martini §2): ψ(1 + |ρ|) &lt; 4 and ψ²(1 + |ρ|) ≤ 4θ, see <see cref="IsButterflyFree"/>.
/// </summary>
public readonly record struct EssviSlice(double Theta, double Rho, double Psi) : ITotalVarianceSmile
{
    /// <summary>w(k) = ½ (θ + ρψk + R), R = √((ψk + ρθ)² + θ²(1 − ρ²)).</summary>
    public double TotalVariance(double k)
    {
        double u = Psi * k + Rho * Theta;
        return 0.5 * (Theta + Rho * Psi * k + Math.Sqrt(u * u + Theta * Theta * (1 - Rho * Rho)));
    }

    /// <summary>w'(k) = ½ (ρψ + ψ(ψk + ρθ)/R).</summary>
    public double Slope(double k)
    {
        double u = Psi * k + Rho * Theta;
        return 0.5 * (Rho * Psi + Psi * u / Math.Sqrt(u * u + Theta * Theta * (1 - Rho * Rho)));
    }

    /// <summary>w''(k) = ½ ψ²θ²(1 − ρ²)/R³.</summary>
    public double Curvature(double k)
    {
        double u = Psi * k + Rho * Theta, c = Theta * Theta * (1 - Rho * Rho);
        double r2 = u * u + c;
        return 0.5 * Psi * Psi * c / (r2 * Math.Sqrt(r2));
    }

    /// <summary>(w, w', w'') at k, sharing R.</summary>
    public (double W, double Slope, double Curvature) Evaluate(double k)
    {
        double u = Psi * k + Rho * Theta, c = Theta * Theta * (1 - Rho * Rho);
        double r2 = u * u + c, r = Math.Sqrt(r2);
        return (0.5 * (Theta + Rho * Psi * k + r), 0.5 * (Rho * Psi + Psi * u / r), 0.5 * Psi * Psi * c / (r2 * r));
    }

    /// <summary>Black implied volatility √(w(k)/t) for an expiry of <paramref name="expiry"/> years.</summary>
    public double ImpliedVolatility(double k, double expiry) => Math.Sqrt(Math.Max(TotalVariance(k), 0) / expiry);

    /// <summary>Gatheral–Jacquier Theorem 4.2 in ψ: ψ(1 + |ρ|) &lt; 4 and ψ²(1 + |ρ|) ≤ 4θ (sufficient for g ≥ 0).</summary>
    public bool IsButterflyFree => Psi * (1 + Math.Abs(Rho)) < 4 && Psi * Psi * (1 + Math.Abs(Rho)) <= 4 * Theta * (1 + 1e-12);

    /// <summary>The largest ψ the butterfly conditions allow at (θ, ρ): min(4/(1 + |ρ|), 2√(θ/(1 + |ρ|))).</summary>
    public static double MaxButterflyFreePsi(double theta, double rho) =>
        Math.Min(4 / (1 + Math.Abs(rho)), 2 * Math.Sqrt(theta / (1 + Math.Abs(rho))));

    /// <summary>
    /// The slice as raw SVI (SSVI is SVI with a = θ(1 − ρ²)/2, b = ψ/2, ρ, m = −ρθ/ψ, σ = θ√(1 − ρ²)/ψ;
    /// Gatheral &amp; Jacquier 2014 §4 with φ = ψ/θ).
    /// </summary>
    public SviParameters ToSvi() =>
        new(Theta * (1 - Rho * Rho) / 2, Psi / 2, Rho, -Rho * Theta / Psi, Theta * Math.Sqrt(1 - Rho * Rho) / Psi);

    /// <summary>
    /// Hendriks &amp; Martini (2019) necessary conditions for no calendar spread between this slice and a
    /// <paramref name="later"/> one: θ non-decreasing, and both wings' slopes non-decreasing,
    /// ψ₂(1 + ρ₂) ≥ ψ₁(1 + ρ₁) and ψ₂(1 − ρ₂) ≥ ψ₁(1 − ρ₁) (equivalently ψ₂ − ψ₁ ≥ |ρ₂ψ₂ − ρ₁ψ₁|).
    /// </summary>
    public bool WingsOrdered(EssviSlice later) =>
        later.Theta >= Theta && later.Psi * (1 + later.Rho) >= Psi * (1 + Rho) * (1 - 1e-12) && later.Psi * (1 - later.Rho) >= Psi * (1 - Rho) * (1 - 1e-12);

    /// <summary>
    /// Crossing function of this slice w₁ and a later one (θ₂, ρ₂, ψ₂): w₂ is the positive root of
    /// F₂(w) = w² − w(θ₂ + ρ₂ψ₂k) − ψ₂²(1 − ρ₂²)k²/4 (squaring the slice formula), and F₂ is negative between its
    /// roots (the other root is ≤ 0), so w₁(k) ≤ w₂(k) ⇔ F₂(w₁(k)) ≤ 0. With F₁(w₁) = 0 this is
    /// C(k) = w₁(θ₁ − θ₂ + (ρ₁ψ₁ − ρ₂ψ₂)k) + k²(ψ₁²(1 − ρ₁²) − ψ₂²(1 − ρ₂²))/4 ≤ 0 (our derivation; it is the
    /// quantity behind Hendriks &amp; Martini's no-crossing analysis).
    /// </summary>
    public double Crossing(EssviSlice later, double k)
    {
        double w1 = TotalVariance(k);
        return w1 * (Theta - later.Theta + (Rho * Psi - later.Rho * later.Psi) * k)
            + k * k * (Psi * Psi * (1 - Rho * Rho) - later.Psi * later.Psi * (1 - later.Rho * later.Rho)) / 4;
    }

    /// <summary>Throws <see cref="DataValidationException"/> unless θ &gt; 0, |ρ| &lt; 1 and ψ &gt; 0 (all finite).</summary>
    public void Validate()
    {
        if (!(Theta > 0) || !double.IsFinite(Theta)) throw new DataValidationException($"eSSVI θ must be > 0, got {Theta}", field: "theta");
        if (!(Math.Abs(Rho) < 1)) throw new DataValidationException($"eSSVI ρ must lie in (−1, 1), got {Rho}", field: "rho");
        if (!(Psi > 0) || !double.IsFinite(Psi)) throw new DataValidationException($"eSSVI ψ must be > 0, got {Psi}", field: "psi");
    }
}
