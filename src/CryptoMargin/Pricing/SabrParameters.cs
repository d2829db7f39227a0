namespace CryptoMargin.Pricing;

/// <summary>
/// SABR (Hagan, Kumar, Lesniewski &amp; Woodward 2002, Wilmott Magazine, Sep., 84–108) parameters of one expiry:
/// dF = α̂ F^β dW₁, dα̂ = ν α̂ dW₂, d⟨W₁, W₂⟩ = ρ dt, α̂(0) = α. β = 1 is a lognormal backbone (α is then close
/// to the ATM volatility, as a decimal), β = 0.5 the classic CEV choice (α then carries units of F^{1−β}).
/// Not a surface: one smile, whose implied volatilities come from <see cref="Sabr.ImpliedVolatility"/>.
/// </summary>
/// <param name="Alpha">Initial volatility α &gt; 0 (in F^{1−β} units).</param>
/// <param name="Beta">CEV exponent 0 ≤ β ≤ 1, fixed by configuration, not fitted.</param>
/// <param name="Rho">Correlation −1 &lt; ρ &lt; 1.</param>
/// <param name="Nu">Volatility of volatility ν ≥ 0 (year⁻¹ᐟ²).</param>
public readonly record struct SabrParameters(double Alpha, double Beta, double Rho, double Nu)
{
    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first parameter outside its domain.</summary>
    public void Validate()
    {
        if (!(Alpha > 0) || !double.IsFinite(Alpha))
            throw new ArgumentOutOfRangeException(nameof(Alpha), Alpha, "SABR alpha must be finite and > 0.");
        if (!(Beta >= 0 && Beta <= 1))
            throw new ArgumentOutOfRangeException(nameof(Beta), Beta, "SABR beta must lie in [0, 1].");
        if (!(Rho > -1 && Rho < 1))
            throw new ArgumentOutOfRangeException(nameof(Rho), Rho, "SABR rho must lie strictly between -1 and 1.");
        if (!(Nu >= 0) || !double.IsFinite(Nu))
            throw new ArgumentOutOfRangeException(nameof(Nu), Nu, "SABR nu must be finite and >= 0.");
    }
}
