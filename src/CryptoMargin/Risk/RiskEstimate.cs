namespace CryptoMargin.Risk;

/// <summary>
/// Value-at-Risk and Expected Shortfall of a linear position over a horizon: positive losses as fractions of
/// position value (0.12 = 12%), ES ≥ VaR.
/// </summary>
public readonly record struct RiskEstimate(double ValueAtRisk, double ExpectedShortfall);
