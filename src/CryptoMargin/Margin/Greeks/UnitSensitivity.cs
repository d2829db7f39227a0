namespace CryptoMargin.Margin.Greeks;

/// <summary>
/// Sensitivities of one unit of an instrument's size (USD for inverse futures, coin otherwise) in its margin currency,
/// with respect to the relative move s of its underlying (F₁ = F₀(1+s)) and the absolute change Δσ of its implied vol:
/// P&amp;L(s, Δσ) ≈ <see cref="Delta"/>·s + ½·<see cref="Gamma"/>·s² + <see cref="Vega"/>·Δσ. These are "cash" Greeks
/// (dV/ds = F·dV/dF), so one relative shock serves every instrument of an underlying whatever its own forward.
/// </summary>
/// <param name="Delta">dV/ds at s = 0, margin currency per unit relative move.</param>
/// <param name="Gamma">d²V/ds² at s = 0.</param>
/// <param name="Vega">dV/dσ, margin currency per unit (1.00) of implied vol; 0 for linear instruments.</param>
/// <param name="Vol">The current implied vol σ₀ (0 for linear instruments).</param>
/// <param name="TermScale">The vol-shock multiplier (30/DTE)^p of the option's expiry (0 for linear instruments).</param>
/// <param name="Curvature">The SIMM-like curvature exposure of one unit, SF(t)·σ₀·Vega, SF(t) = ½·min(1, 14/DTE) (≥ 0 for a long option).</param>
public readonly record struct UnitSensitivity(double Delta, double Gamma, double Vega, double Vol, double TermScale, double Curvature);
