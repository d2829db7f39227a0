namespace CryptoMargin.Pricing;

/// <summary>
/// A European option's value and its sensitivities from one closed-form evaluation, in the price's currency. It is a
/// snapshot for one (underlying, strike, expiry, volatility), not a position: multiply by the position size yourself.
/// Units: <see cref="Delta"/> and <see cref="Gamma"/> are per unit of the underlying (the forward for Black-76, the spot
/// for Black–Scholes); <see cref="Vega"/>, <see cref="Vanna"/> and <see cref="Volga"/> are per unit of volatility (σ =
/// 1.00, i.e. 100 vol points: divide by 100 for a one-point move); <see cref="Theta"/> is per year of calendar time
/// (divide by 365 for one day) and is −∂V/∂t, t the time to expiry, so time decay is negative.
/// </summary>
/// <param name="Price">The option's value V.</param>
/// <param name="Delta">∂V/∂F (Black-76) or ∂V/∂S (Black–Scholes).</param>
/// <param name="Gamma">∂²V/∂F² or ∂²V/∂S².</param>
/// <param name="Vega">∂V/∂σ, per unit volatility.</param>
/// <param name="Theta">−∂V/∂t per year, underlying (F or S), rate and carry held fixed.</param>
/// <param name="Vanna">∂²V/∂F∂σ (or ∂²V/∂S∂σ) = ∂Delta/∂σ = ∂Vega/∂F.</param>
/// <param name="Volga">∂²V/∂σ² = ∂Vega/∂σ (also called vomma).</param>
public readonly record struct OptionGreeks(
    double Price, double Delta, double Gamma, double Vega, double Theta, double Vanna, double Volga)
{
    /// <summary>Every figure multiplied by <paramref name="factor"/> (a position size, a discount factor).</summary>
    public OptionGreeks Scale(double factor) =>
        new(Price * factor, Delta * factor, Gamma * factor, Vega * factor, Theta * factor, Vanna * factor, Volga * factor);
}
