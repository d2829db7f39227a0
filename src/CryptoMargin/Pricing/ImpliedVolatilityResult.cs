namespace CryptoMargin.Pricing;

/// <summary>
/// The implied Black-76 volatility of one price: <see cref="Volatility"/> (annualised decimal, 0.65 not 65) when
/// <see cref="Reason"/> is <see cref="ImpliedVolatilityReason.Solved"/>, 0 at the intrinsic value, NaN otherwise;
/// <see cref="Iterations"/> counts the Householder steps taken (0 when none were needed).
/// </summary>
public readonly record struct ImpliedVolatilityResult(double Volatility, ImpliedVolatilityReason Reason, int Iterations)
{
    /// <summary>True when a volatility σ &gt; 0 reproduces the price.</summary>
    public bool IsSolved => Reason == ImpliedVolatilityReason.Solved;
}
