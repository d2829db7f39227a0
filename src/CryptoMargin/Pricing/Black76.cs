using MathNet.Numerics;

namespace CryptoMargin.Pricing;

/// <summary>
/// Black (1976) on the forward: the undiscounted price of a European option on a forward F with strike K, time to
/// expiry t (years) and volatility σ, in the forward's currency. Multiply by the discount factor for a present value.
/// call = F·Φ(d₁) − K·Φ(d₂), put = K·Φ(−d₂) − F·Φ(−d₁), d₁,₂ = ln(F/K)/(σ√t) ± σ√t/2 (Black 1976, J. Financial
/// Economics 3, 167–179). Φ is evaluated through erfc so that deep out-of-the-money prices keep full relative accuracy.
/// </summary>
public static class Black76
{
    /// <summary>Undiscounted Black-76 price. σ√t = 0 gives the intrinsic value.</summary>
    public static double Price(double forward, double strike, double t, double sigma, OptionType type)
    {
        double s = sigma * Math.Sqrt(t);
        if (!(s > 0)) return Intrinsic(forward, strike, type);
        double x = Math.Log(forward / strike);
        double d1 = x / s + 0.5 * s, d2 = d1 - s;
        return type == OptionType.Call
            ? forward * NormalCdf(d1) - strike * NormalCdf(d2)
            : strike * NormalCdf(-d2) - forward * NormalCdf(-d1);
    }

    /// <summary>max(F − K, 0) for a call, max(K − F, 0) for a put.</summary>
    public static double Intrinsic(double forward, double strike, OptionType type) =>
        type == OptionType.Call ? Math.Max(forward - strike, 0) : Math.Max(strike - forward, 0);

    /// <summary>Φ(x) = erfc(−x/√2)/2: full relative accuracy in the lower tail.</summary>
    internal static double NormalCdf(double x) => 0.5 * SpecialFunctions.Erfc(-x * 0.70710678118654752440);
}
