using System.Runtime.CompilerServices;
using MathNet.Numerics;

namespace CryptoMargin.Pricing;

/// <summary>
/// Black (1976) on the forward: the price of a European option on a forward F with strike K, time to expiry t (years)
/// and volatility σ, in the forward's currency; undiscounted unless a discount factor D is given (then D times the
/// undiscounted value). call = F·Φ(d₁) − K·Φ(d₂), put = K·Φ(−d₂) − F·Φ(−d₁), d₁,₂ = ln(F/K)/(σ√t) ± σ√t/2 (Black 1976,
/// J. Financial Economics 3, 167–179; Hull, Options, Futures, and Other Derivatives, ch. "Black's model").
/// <para>
/// Accuracy: the out-of-the-money option (the call when F ≤ K, the put when F &gt; K) is evaluated directly with Φ
/// through erfc (full relative accuracy in the tail), and the in-the-money one by put-call parity C − P = F − K, so a
/// deep out-of-the-money price never comes from subtracting two large numbers; near the money the OTM formula is
/// rearranged through erf so that a small σ√t does not cancel either. The remaining cancellation inside the
/// OTM formula costs at most about 1e-14·|d₂|/(σ√t) in relative accuracy, measured (see docs/options/pricing.md).
/// </para>
/// Not for American exercise; no rates model: a discount factor is an input.
/// </summary>
public static class Black76
{
    private const double InvSqrt2 = 0.70710678118654752440;
    private const double InvSqrt2Pi = 0.39894228040143267794;

    /// <summary>Undiscounted Black-76 price. σ√t = 0 gives the intrinsic value.</summary>
    /// <exception cref="ArgumentOutOfRangeException">forward or strike not positive and finite; t or sigma negative or not finite.</exception>
    public static double Price(double forward, double strike, double t, double sigma, OptionType type)
    {
        Validate(forward, strike, t, sigma);
        return Undiscounted(forward, strike, t, sigma, type);
    }

    /// <summary>Discounted Black-76 price D · Price(F, K, t, σ), D the discount factor to the payment date.</summary>
    public static double Price(double forward, double strike, double t, double sigma, OptionType type, double discountFactor)
    {
        Validate(forward, strike, t, sigma);
        ValidateDiscountFactor(discountFactor);
        return discountFactor * Undiscounted(forward, strike, t, sigma, type);
    }

    /// <summary>
    /// Undiscounted price and Greeks with respect to the forward in one evaluation (see <see cref="OptionGreeks"/> for
    /// units). With φ the normal density and s = σ√t: Δ = Φ(d₁) (call), −Φ(−d₁) (put); Γ = φ(d₁)/(F s);
    /// vega = F φ(d₁) √t; θ = −F φ(d₁) σ / (2√t); vanna = −φ(d₁) d₂ / σ; volga = vega · d₁ d₂ / σ (Hull, ch. "The
    /// Greek letters"; Haug, The Complete Guide to Option Pricing Formulas, 2nd ed., §2.2–2.3). σ√t = 0 gives the
    /// intrinsic value, its delta (½ at the money) and zero for the rest.
    /// </summary>
    public static OptionGreeks Greeks(double forward, double strike, double t, double sigma, OptionType type)
    {
        Validate(forward, strike, t, sigma);
        return UndiscountedGreeks(forward, strike, t, sigma, type);
    }

    /// <summary>
    /// Discounted price and Greeks: D times the undiscounted figures, except theta, which holds F and the continuously
    /// compounded rate r = −ln(D)/t fixed: θ = D·θ_undiscounted + r·V (V = D · undiscounted price).
    /// </summary>
    public static OptionGreeks Greeks(double forward, double strike, double t, double sigma, OptionType type, double discountFactor)
    {
        Validate(forward, strike, t, sigma);
        ValidateDiscountFactor(discountFactor);
        var g = UndiscountedGreeks(forward, strike, t, sigma, type).Scale(discountFactor);
        double rate = t > 0 ? -Math.Log(discountFactor) / t : 0;
        return g with { Theta = g.Theta + rate * g.Price };
    }

    /// <summary>max(F − K, 0) for a call, max(K − F, 0) for a put.</summary>
    public static double Intrinsic(double forward, double strike, OptionType type) =>
        type == OptionType.Call ? Math.Max(forward - strike, 0) : Math.Max(strike - forward, 0);

    /// <summary>Φ(x) = erfc(−x/√2)/2 by the project's one erfc (<see cref="ImpliedVolatilityKernels.Phi"/>, Cody's 1969 rational approximations): full relative accuracy in the lower tail.</summary>
    internal static double NormalCdf(double x) => ImpliedVolatilityKernels.Phi(x);

    /// <summary>φ(x) = exp(−x²/2)/√(2π).</summary>
    internal static double NormalPdf(double x) => InvSqrt2Pi * Math.Exp(-0.5 * x * x);

    /// <summary>The price without argument checks (callers have validated).</summary>
    internal static double Undiscounted(double forward, double strike, double t, double sigma, OptionType type)
    {
        double s = sigma * Math.Sqrt(t);
        if (!(s > 0)) return Intrinsic(forward, strike, type);
        double x = Math.Log(forward / strike);
        double d1 = x / s + 0.5 * s;
        return FromD(forward, strike, x, d1, d1 - s, type);
    }

    /// <summary>
    /// The out-of-the-money side directly, the other by put-call parity. Near the money (the OTM option's far d within
    /// one of zero), F·Φ(d₁) − K·Φ(d₂) would cancel when σ√t is small, so there the OTM call is written
    /// F·(Φ(d₁) − Φ(d₂)) − (K − F)·Φ(d₂) with Φ(d₁) − Φ(d₂) = (erf(d₁/√2) − erf(d₂/√2))/2, a difference of two small
    /// numbers of opposite sign (or close to it) that erf gives to full relative accuracy; the put is its mirror.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double FromD(double forward, double strike, double x, double d1, double d2, OptionType type)
    {
        if (x <= 0)
        {
            double call = d2 > -1
                ? forward * NormalBand(d2, d1) - (strike - forward) * NormalCdf(d2)
                : forward * NormalCdf(d1) - strike * NormalCdf(d2);
            call = Math.Max(call, 0);
            return type == OptionType.Call ? call : call + (strike - forward);
        }
        double put = d1 < 1
            ? strike * NormalBand(d2, d1) - (forward - strike) * NormalCdf(-d1)
            : strike * NormalCdf(-d2) - forward * NormalCdf(-d1);
        put = Math.Max(put, 0);
        return type == OptionType.Put ? put : put + (forward - strike);
    }

    /// <summary>Φ(b) − Φ(a) for a ≤ b near zero, through erf.</summary>
    private static double NormalBand(double a, double b) =>
        0.5 * (SpecialFunctions.Erf(b * InvSqrt2) - SpecialFunctions.Erf(a * InvSqrt2));

    /// <summary>The Greeks without argument checks (callers have validated).</summary>
    internal static OptionGreeks UndiscountedGreeks(double forward, double strike, double t, double sigma, OptionType type)
    {
        double sqrtT = Math.Sqrt(t);
        double s = sigma * sqrtT;
        if (!(s > 0))
        {
            double step = forward > strike ? 1 : forward < strike ? 0 : 0.5;
            double delta = type == OptionType.Call ? step : step - 1;
            return new OptionGreeks(Intrinsic(forward, strike, type), delta, 0, 0, 0, 0, 0);
        }
        double x = Math.Log(forward / strike);
        double d1 = x / s + 0.5 * s, d2 = d1 - s;
        double price = FromD(forward, strike, x, d1, d2, type);
        double pdf = NormalPdf(d1);
        double vega = forward * pdf * sqrtT;
        return new OptionGreeks(
            Price: price,
            Delta: type == OptionType.Call ? NormalCdf(d1) : -NormalCdf(-d1),
            Gamma: pdf / (forward * s),
            Vega: vega,
            Theta: -forward * pdf * sigma / (2 * sqrtT),
            Vanna: -pdf * d2 / sigma,
            Volga: vega * d1 * d2 / sigma);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void Validate(double forward, double strike, double t, double sigma)
    {
        if (!(forward > 0 && double.IsFinite(forward))) ThrowOutOfRange(nameof(forward), forward, "must be positive and finite");
        if (!(strike > 0 && double.IsFinite(strike))) ThrowOutOfRange(nameof(strike), strike, "must be positive and finite");
        if (!(t >= 0 && double.IsFinite(t))) ThrowOutOfRange(nameof(t), t, "the time to expiry in years must be non-negative and finite");
        if (!(sigma >= 0 && double.IsFinite(sigma))) ThrowOutOfRange(nameof(sigma), sigma, "the volatility must be non-negative and finite (a decimal, 0.65 for 65%)");
    }

    internal static void ValidateDiscountFactor(double discountFactor)
    {
        if (!(discountFactor > 0 && double.IsFinite(discountFactor)))
            ThrowOutOfRange(nameof(discountFactor), discountFactor, "must be positive and finite");
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    internal static void ThrowOutOfRange(string name, double value, string what) =>
        throw new ArgumentOutOfRangeException(name, value, $"{name} = {value.ToString("R", System.Globalization.CultureInfo.InvariantCulture)}: {what}.");
}
