namespace CryptoMargin.Pricing;

/// <summary>
/// A small safeguarded Newton–bisection inversion of <see cref="Black76.Price"/>, and the Black vega used to weight the
/// Heston calibration's price residuals. The calibration reports its vol errors with <see cref="ImpliedVolatility"/>;
/// the tests keep this plain inversion as an independent second solver. Works on the out-of-the-money side (call for
/// K ≥ F, put below) where prices carry the information.
/// </summary>
internal static class HestonImpliedVolatility
{
    /// <summary>The σ with Black76(F, K, t, σ) = price, or NaN when the price is outside the no-arbitrage bounds.</summary>
    public static double FromPrice(double price, double forward, double strike, double t, OptionType type)
    {
        // Convert to the out-of-the-money option by parity.
        OptionType otm = strike >= forward ? OptionType.Call : OptionType.Put;
        if (otm != type) price += otm == OptionType.Call ? forward - strike : strike - forward;
        double upper = otm == OptionType.Call ? forward : strike;
        if (!(price > 0) || !(price < upper)) return double.NaN;
        double lo = 1e-8, hi = 20, sigma = Math.Sqrt(2 * Math.PI / t) * price / Math.Sqrt(forward * strike);
        if (!(sigma > lo && sigma < hi)) sigma = 0.5;
        double sqrtT = Math.Sqrt(t);
        for (int i = 0; i < 200; i++)
        {
            double f = Black76.Price(forward, strike, t, sigma, otm) - price;
            if (f > 0) hi = sigma; else lo = sigma;
            double s = sigma * sqrtT;
            double d1 = Math.Log(forward / strike) / s + 0.5 * s;
            double vega = forward * sqrtT * Math.Exp(-0.5 * d1 * d1) / Math.Sqrt(2 * Math.PI);
            double next = sigma - f / vega;
            if (!(next > lo && next < hi) || !double.IsFinite(next)) next = 0.5 * (lo + hi);
            if (Math.Abs(next - sigma) <= 1e-15 * next || hi - lo <= 1e-15 * hi) return next;
            sigma = next;
        }
        return sigma;
    }

    /// <summary>Undiscounted Black-76 vega ∂price/∂σ = F√t φ(d₁).</summary>
    public static double Vega(double forward, double strike, double t, double sigma)
    {
        double sqrtT = Math.Sqrt(t), s = sigma * sqrtT;
        double d1 = Math.Log(forward / strike) / s + 0.5 * s;
        return forward * sqrtT * Math.Exp(-0.5 * d1 * d1) / Math.Sqrt(2 * Math.PI);
    }
}
