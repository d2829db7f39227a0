using CryptoMargin.MarketData;

namespace CryptoMargin.Surfaces;

/// <summary>
/// Surface SVI (Gatheral &amp; Jacquier 2014, "Arbitrage-free SVI volatility surfaces", Quantitative Finance 14(1),
/// eq. 4.1): w(k, θ) = θ/2 (1 + ρφ(θ)k + √((φ(θ)k + ρ)² + 1 − ρ²)), θ = θ_t the ATM total variance of expiry t,
/// with the power-law curvature of their eq. 4.5, φ(θ) = η / (θ^γ (1 + θ)^{1−γ}).
/// <para>
/// Free of static arbitrage for every θ &gt; 0 when η &gt; 0, 0 &lt; γ ≤ ½ and η(1 + |ρ|) ≤ 2 (and θ_t non-decreasing):
/// then θφ(θ) = η (θ/(1+θ))^{1−γ} &lt; η, so θφ(1+|ρ|) &lt; 2 &lt; 4, and θφ²(1+|ρ|) ≤ η²(1+|ρ|) ≤ 4 — their Theorem 4.2's
/// butterfly conditions; θφ(θ) is increasing and ∂_θ(θφ) ≤ φ(1 + √(1−ρ²))/ρ², their Theorem 4.1's calendar
/// conditions. <see cref="Validate"/> enforces these parameter constraints; <see cref="Conditions"/> evaluates the
/// theorems' quantities at given θ.
/// </para>
/// </summary>
public readonly record struct SsviParameters(double Rho, double Eta, double Gamma)
{
    /// <summary>φ(θ) = η / (θ^γ (1 + θ)^{1−γ}).</summary>
    public double Phi(double theta) => Eta / (Math.Pow(theta, Gamma) * Math.Pow(1 + theta, 1 - Gamma));

    /// <summary>w(k, θ) = θ/2 (1 + ρφk + √((φk + ρ)² + 1 − ρ²)).</summary>
    public double TotalVariance(double k, double theta)
    {
        double phi = Phi(theta);
        double u = phi * k + Rho;
        return theta / 2 * (1 + Rho * phi * k + Math.Sqrt(u * u + 1 - Rho * Rho));
    }

    /// <summary>
    /// The SSVI slice at θ as raw SVI (Gatheral &amp; Jacquier 2014, §4: SSVI is SVI-JW with these raw parameters):
    /// a = θ(1 − ρ²)/2, b = θφ/2, ρ, m = −ρ/φ, σ = √(1 − ρ²)/φ.
    /// </summary>
    public SviParameters ToSvi(double theta)
    {
        double phi = Phi(theta);
        return new SviParameters(theta * (1 - Rho * Rho) / 2, theta * phi / 2, Rho, -Rho / phi, Math.Sqrt(1 - Rho * Rho) / phi);
    }

    /// <summary>Throws <see cref="DataValidationException"/> unless η &gt; 0, 0 &lt; γ ≤ ½, |ρ| &lt; 1 and η(1 + |ρ|) ≤ 2.</summary>
    public void Validate()
    {
        if (!(Math.Abs(Rho) < 1)) throw new DataValidationException($"SSVI ρ must lie in (−1, 1), got {Rho}", field: "rho");
        if (!(Eta > 0) || !double.IsFinite(Eta)) throw new DataValidationException($"SSVI η must be > 0, got {Eta}", field: "eta");
        if (!(Gamma > 0 && Gamma <= 0.5)) throw new DataValidationException($"SSVI γ must lie in (0, ½], got {Gamma}", field: "gamma");
        if (Eta * (1 + Math.Abs(Rho)) > 2 * (1 + 1e-12))
            throw new DataValidationException($"SSVI η(1 + |ρ|) = {Eta * (1 + Math.Abs(Rho))} exceeds 2 (Gatheral–Jacquier 2014 §4.3)", field: "eta");
    }

    /// <summary>
    /// Gatheral–Jacquier 2014 Theorems 4.1 and 4.2 evaluated at each θ (θ &gt; 0): the largest θφ(1+|ρ|) (butterfly
    /// needs &lt; 4), the largest θφ²(1+|ρ|) (needs ≤ 4), the smallest ∂_θ(θφ) (calendar needs ≥ 0) and the smallest
    /// φ(1 + √(1−ρ²))/ρ² − ∂_θ(θφ) (calendar needs ≥ 0; +∞ when ρ = 0).
    /// </summary>
    public SsviConditions Conditions(ReadOnlySpan<double> thetas)
    {
        double b1 = 0, b2 = 0, dMin = double.PositiveInfinity, upperMin = double.PositiveInfinity;
        double r = Math.Abs(Rho);
        foreach (double th in thetas)
        {
            double phi = Phi(th);
            b1 = Math.Max(b1, th * phi * (1 + r));
            b2 = Math.Max(b2, th * phi * phi * (1 + r));
            // θφ = η (θ/(1+θ))^{1−γ} ⇒ ∂_θ(θφ) = η(1−γ) (θ/(1+θ))^{−γ} / (1+θ)².
            double dThetaPhi = Eta * (1 - Gamma) * Math.Pow(th / (1 + th), -Gamma) / ((1 + th) * (1 + th));
            dMin = Math.Min(dMin, dThetaPhi);
            if (Rho != 0) upperMin = Math.Min(upperMin, phi * (1 + Math.Sqrt(1 - Rho * Rho)) / (Rho * Rho) - dThetaPhi);
        }
        return new SsviConditions(b1, b2, dMin, upperMin);
    }
}

/// <summary>
/// Gatheral–Jacquier 2014 Theorem 4.1/4.2 quantities over a set of θ: butterfly-free needs
/// <see cref="MaxThetaPhi"/> &lt; 4 and <see cref="MaxThetaPhiSquared"/> ≤ 4; calendar-free needs
/// <see cref="MinSlopeOfThetaPhi"/> ≥ 0 and <see cref="MinCalendarHeadroom"/> ≥ 0.
/// </summary>
public readonly record struct SsviConditions(double MaxThetaPhi, double MaxThetaPhiSquared, double MinSlopeOfThetaPhi, double MinCalendarHeadroom)
{
    public bool ButterflyFree => MaxThetaPhi < 4 && MaxThetaPhiSquared <= 4;
    public bool CalendarFree => MinSlopeOfThetaPhi >= 0 && MinCalendarHeadroom >= 0;
}
