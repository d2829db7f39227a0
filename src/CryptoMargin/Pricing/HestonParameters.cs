namespace CryptoMargin.Pricing;

/// <summary>
/// Heston (1993) stochastic-variance parameters under the pricing measure, on the forward:
/// dF/F = √v dW₁, dv = κ(θ − v) dt + σ√v dW₂, d⟨W₁, W₂⟩ = ρ dt.
/// Variances in year⁻¹ (0.36 is a 60 % volatility), κ in year⁻¹, σ ("vol of vol") in year⁻¹ᐟ². Not a volatility
/// surface: a model whose prices come from <see cref="Heston"/>.
/// </summary>
/// <param name="V0">Initial variance v₀ &gt; 0.</param>
/// <param name="Kappa">Mean-reversion speed κ &gt; 0.</param>
/// <param name="Theta">Long-run variance θ &gt; 0.</param>
/// <param name="Sigma">Volatility of variance σ &gt; 0.</param>
/// <param name="Rho">Correlation of the forward and variance shocks, −1 &lt; ρ &lt; 1.</param>
public readonly record struct HestonParameters(double V0, double Kappa, double Theta, double Sigma, double Rho)
{
    /// <summary>Whether 2κθ ≥ σ² (the variance never reaches zero; Feller 1951). Not required for pricing.</summary>
    public bool SatisfiesFeller => 2 * Kappa * Theta >= Sigma * Sigma;

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first parameter outside its domain.</summary>
    public void Validate()
    {
        Positive(V0, nameof(V0));
        Positive(Kappa, nameof(Kappa));
        Positive(Theta, nameof(Theta));
        Positive(Sigma, nameof(Sigma));
        if (!(Rho > -1 && Rho < 1))
            throw new ArgumentOutOfRangeException(nameof(Rho), Rho, "Heston correlation rho must lie strictly between -1 and 1.");
    }

    private static void Positive(double value, string name)
    {
        if (!(value > 0) || !double.IsFinite(value))
            throw new ArgumentOutOfRangeException(name, value, $"Heston parameter {name} must be finite and > 0.");
    }
}
