namespace CryptoMargin.Pricing;

/// <summary>
/// A coin-settled ("inverse") option's premium and Greeks, per contract of one coin, in USD and in coin, as Deribit
/// reports them (see <see cref="InverseOption"/>). F is the forward the option was priced on.
/// </summary>
/// <param name="Usd">The Black-76 figures in USD (undiscounted): Deribit's "Black Scholes" delta, gamma, vega, theta.</param>
/// <param name="PremiumCoin">The premium in coin, Usd.Price / F (Deribit's mark price for the option).</param>
/// <param name="DeltaCoin">Deribit's premium-adjusted ("net transaction") delta, Usd.Delta − PremiumCoin, in coin;
/// equal to F·∂(PremiumCoin)/∂F, the coin-denominated value's exposure.</param>
/// <param name="GammaCoin">∂DeltaCoin/∂F = Usd.Gamma − DeltaCoin/F, per USD of forward.</param>
/// <param name="VegaCoin">∂PremiumCoin/∂σ = Usd.Vega / F, per unit volatility.</param>
/// <param name="ThetaCoin">−∂PremiumCoin/∂t = Usd.Theta / F, per year.</param>
public readonly record struct InverseOptionGreeks(
    OptionGreeks Usd, double PremiumCoin, double DeltaCoin, double GammaCoin, double VegaCoin, double ThetaCoin);
