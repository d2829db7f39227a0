namespace CryptoMargin.Pricing;

/// <summary>
/// Black–Scholes–Merton with a continuous carry: a European option on a spot S paying a continuous yield q (a dividend
/// yield, a foreign rate, a funding or staking yield), rate r, both continuously compounded. It is Black-76 on the
/// forward F = S·e^{(r−q)t} discounted with D = e^{−rt}: call = S e^{−qt} Φ(d₁) − K e^{−rt} Φ(d₂), d₁,₂ =
/// (ln(S/K) + (r − q ± σ²/2)t)/(σ√t) (Merton 1973, Bell J. Econ. 4, 141–183; Hull, "Options on stock indices and
/// currencies"; Haug 2007 §1.1.6 with carry b = r − q), so it shares Black-76's accuracy (OTM side direct, ITM by parity).
/// Greeks are with respect to the spot S (see <see cref="OptionGreeks"/> for units):
/// Δ = e^{−qt}Φ(d₁) (call), −e^{−qt}Φ(−d₁) (put); Γ = e^{−qt}φ(d₁)/(Sσ√t); vega = S e^{−qt}φ(d₁)√t;
/// vanna = −e^{−qt}φ(d₁)d₂/σ; volga = vega·d₁d₂/σ; θ = −∂V/∂t with S, r, q fixed: for a call
/// −S e^{−qt}φ(d₁)σ/(2√t) − rK e^{−rt}Φ(d₂) + qS e^{−qt}Φ(d₁) (Hull, "The Greek letters"; Haug §2.1–2.3).
/// </summary>
public static class BlackScholes
{
    /// <summary>The option's present value.</summary>
    /// <exception cref="ArgumentOutOfRangeException">spot or strike not positive and finite; t or sigma negative or not finite; rate or carry not finite.</exception>
    public static double Price(double spot, double strike, double t, double rate, double carry, double sigma, OptionType type)
    {
        Validate(spot, strike, t, rate, carry, sigma);
        double forward = spot * Math.Exp((rate - carry) * t);
        return Math.Exp(-rate * t) * Black76.Undiscounted(forward, strike, t, sigma, type);
    }

    /// <summary>Price and Greeks with respect to the spot in one evaluation.</summary>
    public static OptionGreeks Greeks(double spot, double strike, double t, double rate, double carry, double sigma, OptionType type)
    {
        Validate(spot, strike, t, rate, carry, sigma);
        double growth = Math.Exp((rate - carry) * t);
        double forward = spot * growth;
        double df = Math.Exp(-rate * t);
        var b = Black76.UndiscountedGreeks(forward, strike, t, sigma, type);
        // Chain rule through F = S·e^{(r−q)t}: ∂F/∂S = F/S = e^{(r−q)t}.
        double price = df * b.Price;
        double deltaF = df * b.Delta;
        return new OptionGreeks(
            Price: price,
            Delta: deltaF * growth,
            Gamma: df * b.Gamma * growth * growth,
            Vega: df * b.Vega,
            // −∂/∂t [e^{−rt} B(F(t), t)] = rV − e^{−rt}·B_F·F·(r − q) + e^{−rt}·(−∂B/∂t).
            Theta: rate * price - deltaF * forward * (rate - carry) + df * b.Theta,
            Vanna: df * b.Vanna * growth,
            Volga: df * b.Volga);
    }

    private static void Validate(double spot, double strike, double t, double rate, double carry, double sigma)
    {
        if (!(spot > 0 && double.IsFinite(spot))) Black76.ThrowOutOfRange(nameof(spot), spot, "must be positive and finite");
        if (!double.IsFinite(rate)) Black76.ThrowOutOfRange(nameof(rate), rate, "the continuously compounded rate must be finite");
        if (!double.IsFinite(carry)) Black76.ThrowOutOfRange(nameof(carry), carry, "the continuous yield must be finite");
        Black76.Validate(spot, strike, t, sigma);
    }
}
