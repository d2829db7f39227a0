namespace CryptoMargin.Pricing;

/// <summary>
/// Why <see cref="ImpliedVolatility.Solve"/> returned the volatility it did. Only <see cref="Solved"/> carries a
/// volatility; <see cref="AtIntrinsic"/> returns σ = 0 (the only consistent value, but the price says nothing more);
/// every other code returns NaN.
/// </summary>
public enum ImpliedVolatilityReason
{
    /// <summary>A volatility σ &gt; 0 reproduces the price.</summary>
    Solved = 0,
    /// <summary>Price, forward, strike, time or discount factor is NaN or infinite.</summary>
    NonFiniteInput,
    /// <summary>Forward ≤ 0.</summary>
    NonPositiveForward,
    /// <summary>Strike ≤ 0.</summary>
    NonPositiveStrike,
    /// <summary>Time to expiry ≤ 0.</summary>
    NonPositiveTime,
    /// <summary>Discount factor ≤ 0.</summary>
    NonPositiveDiscount,
    /// <summary>Price &lt; 0.</summary>
    NegativePrice,
    /// <summary>Undiscounted price below the intrinsic value max(θ(F − K), 0): no σ ≥ 0 gives it (arbitrage).</summary>
    BelowIntrinsic,
    /// <summary>Price equals the intrinsic value (zero time value): σ = 0 is returned.</summary>
    AtIntrinsic,
    /// <summary>Undiscounted price at or above the σ → ∞ limit (F for a call, K for a put): no finite σ.</summary>
    AboveMaximum,
}
