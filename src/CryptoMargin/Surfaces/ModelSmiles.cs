using CryptoMargin.Pricing;

namespace CryptoMargin.Surfaces;

/// <summary>
/// Total-variance smiles of the pricing models, for <see cref="SurfaceArbitrage"/>: w(k) = σ(F e^k)² t with σ the
/// model's Black-76 implied vol, derivatives by <see cref="FiniteDifferenceSmile"/>.
/// </summary>
public static class ModelSmiles
{
    /// <summary>Relative error assumed for Hagan's closed form (a few ulps): step h = 1e-4 · √w(0).</summary>
    public const double SabrRelativeError = 1e-16;

    /// <summary>
    /// Relative error assumed for a Heston implied vol (Lewis integral by fixed Gauss–Legendre panels, then inverted):
    /// 1e-10, step h ≈ 3e-3 · √w(0).
    /// </summary>
    public const double HestonRelativeError = 1e-10;

    /// <summary>The SABR smile (Hagan et al. 2002 with Obłój's leading term, <see cref="Sabr.ImpliedVolatility"/>) of one expiry.</summary>
    public static FiniteDifferenceSmile Sabr(SabrParameters p, double forward, double t)
    {
        p.Validate();
        Positive(forward, nameof(forward));
        Positive(t, nameof(t));
        double atm = Pricing.Sabr.Volatility(p, forward, forward, t);
        return new FiniteDifferenceSmile(k =>
        {
            double v = Pricing.Sabr.Volatility(p, forward, forward * Math.Exp(k), t);
            return v * v * t;
        }, FiniteDifferenceSmile.StepFor(SabrRelativeError, atm * Math.Sqrt(t)));
    }

    /// <summary>
    /// The Heston smile of expiry t: the out-of-the-money option (call for k ≥ 0, put below) priced by
    /// <see cref="Heston.Price"/> and inverted by <see cref="ImpliedVolatility.Solve"/>. NaN where the price cannot be
    /// inverted (below the integration's accuracy far in the wings).
    /// </summary>
    public static FiniteDifferenceSmile Heston(HestonParameters p, double forward, double t)
    {
        p.Validate();
        Positive(forward, nameof(forward));
        Positive(t, nameof(t));
        double W(double k)
        {
            double strike = forward * Math.Exp(k);
            var type = k >= 0 ? OptionType.Call : OptionType.Put;
            double price = Pricing.Heston.Price(p, forward, strike, t, type);
            var iv = ImpliedVolatility.Solve(price, forward, strike, t, type);
            return iv.IsSolved ? iv.Volatility * iv.Volatility * t : double.NaN;
        }
        double atm = W(0);
        double scale = double.IsFinite(atm) && atm > 0 ? Math.Sqrt(atm) : Math.Sqrt(p.V0 * t);
        return new FiniteDifferenceSmile(W, FiniteDifferenceSmile.StepFor(HestonRelativeError, scale));
    }

    private static void Positive(double x, string name)
    {
        if (!(x > 0) || !double.IsFinite(x)) throw new ArgumentOutOfRangeException(name, x, $"{name} must be finite and > 0.");
    }
}
