namespace CryptoMargin.Pricing;

/// <summary>
/// The SABR lognormal (Black-76) implied volatility: Hagan et al. (2002, eq. 2.17a) with the leading term replaced by
/// Obłój's (2008, "Fine-tune your smile: correction to Hagan et al.", Wilmott Magazine, May) which is exact in the
/// short-expiry limit (Berestycki, Busca &amp; Florent 2004) and fixes the wings for β &lt; 1:
/// σ_B(K) = I⁰(K) · [1 + I¹ T],
/// I⁰ = ν ln(F/K) / x(z), z = ν (F^{1−β} − K^{1−β}) / (α(1−β)) (z = ν ln(F/K)/α when β = 1),
/// x(z) = ln((√(1 − 2ρz + z²) + z − ρ)/(1 − ρ)),
/// I¹ = (1−β)² α² / (24 (FK)^{1−β}) + ρβνα / (4 (FK)^{(1−β)/2}) + (2 − 3ρ²) ν² / 24.
/// I⁰ is evaluated as [α(1−β) ln(F/K)/(F^{1−β} − K^{1−β})] · [z/x(z)], each factor with its K → F and ν → 0 limits
/// (α/F^{1−β} at the money; the CEV term alone when ν = 0), so the smile is smooth through the forward.
/// </summary>
public static class Sabr
{
    /// <summary>Black-76 implied volatility of strike <paramref name="strike"/> for expiry <paramref name="t"/> (years).</summary>
    public static double ImpliedVolatility(in SabrParameters p, double forward, double strike, double t)
    {
        p.Validate();
        if (!(forward > 0) || !double.IsFinite(forward))
            throw new ArgumentOutOfRangeException(nameof(forward), forward, "Forward must be finite and > 0.");
        if (!(strike > 0) || !double.IsFinite(strike))
            throw new ArgumentOutOfRangeException(nameof(strike), strike, "Strike must be finite and > 0.");
        if (!(t >= 0) || !double.IsFinite(t))
            throw new ArgumentOutOfRangeException(nameof(t), t, "Time to expiry must be finite and >= 0 years.");
        return Volatility(p, forward, strike, t);
    }

    /// <summary>Implied volatilities of a slice of strikes (no validation beyond the parameters'; no allocation).</summary>
    public static void ImpliedVolatilities(in SabrParameters p, double forward, double t, ReadOnlySpan<double> strikes, Span<double> vols)
    {
        if (vols.Length < strikes.Length)
            throw new ArgumentException($"vols ({vols.Length}) is shorter than strikes ({strikes.Length}).", nameof(vols));
        for (int i = 0; i < strikes.Length; i++) vols[i] = ImpliedVolatility(p, forward, strikes[i], t);
    }

    internal static double Volatility(in SabrParameters p, double forward, double strike, double t)
    {
        double alpha = p.Alpha, beta = p.Beta, rho = p.Rho, nu = p.Nu;
        double oneMinusBeta = 1 - beta;
        double m = Math.Log(forward / strike);
        // (F^{1−β} − K^{1−β})/(1−β) = K^{1−β} · m · E((1−β)m), E(y) = (e^y − 1)/y; m when β = 1.
        double y = oneMinusBeta * m;
        double spread = Math.Pow(strike, oneMinusBeta) * m * ExpM1OverX(y);
        double cev = Math.Abs(m) < 1e-300 ? alpha / Math.Pow(forward, oneMinusBeta) : alpha * m / spread;
        double z = nu * spread / alpha;
        double leading = cev * ZOverX(z, rho);
        double fk = forward * strike;
        double correction = oneMinusBeta * oneMinusBeta * alpha * alpha / (24 * Math.Pow(fk, oneMinusBeta))
            + rho * beta * nu * alpha / (4 * Math.Pow(fk, oneMinusBeta / 2))
            + (2 - 3 * rho * rho) * nu * nu / 24;
        return leading * (1 + correction * t);
    }

    /// <summary>(e^y − 1)/y, with its series near 0.</summary>
    private static double ExpM1OverX(double y) =>
        Math.Abs(y) < 1e-5 ? 1 + y / 2 + y * y / 6 : (Math.Exp(y) - 1) / y;

    /// <summary>z / x(z), x(z) = ln((√(1 − 2ρz + z²) + z − ρ)/(1 − ρ)); series 1 − ρz/2 + (2 − 3ρ²)z²/12... near 0.</summary>
    private static double ZOverX(double z, double rho)
    {
        if (Math.Abs(z) < 1e-6) return 1 - rho * z / 2 + (2 - 3 * rho * rho) * z * z / 12;
        double x = Math.Log((Math.Sqrt(1 - 2 * rho * z + z * z) + z - rho) / (1 - rho));
        return z / x;
    }

    /// <summary>
    /// The α that reproduces an at-the-money volatility: the root of α[1 + T(c₂α² + c₁α + c₀)] = σ_ATM F^{1−β}
    /// (Hagan et al. 2002 at K = F), c₂ = (1−β)²/(24F^{2−2β}), c₁ = ρβν/(4F^{1−β}), c₀ = (2 − 3ρ²)ν²/24; the smallest
    /// positive root (West 2005, "Calibration of the SABR model in illiquid markets", Applied Math. Finance 12), by
    /// Newton's method from α = σ_ATM F^{1−β}.
    /// </summary>
    public static double AlphaFromAtmVolatility(double atmVolatility, double forward, double t, double beta, double rho, double nu)
    {
        if (!(atmVolatility > 0) || !double.IsFinite(atmVolatility))
            throw new ArgumentOutOfRangeException(nameof(atmVolatility), atmVolatility, "ATM volatility must be finite and > 0.");
        double f1b = Math.Pow(forward, 1 - beta);
        double target = atmVolatility * f1b;
        double c2 = (1 - beta) * (1 - beta) / (24 * f1b * f1b), c1 = rho * beta * nu / (4 * f1b), c0 = (2 - 3 * rho * rho) * nu * nu / 24;
        double alpha = target / Math.Max(1 + t * c0, 0.1);
        for (int i = 0; i < 100; i++)
        {
            double g = alpha * (1 + t * (c2 * alpha * alpha + c1 * alpha + c0)) - target;
            double dg = 1 + t * (3 * c2 * alpha * alpha + 2 * c1 * alpha + c0);
            double next = dg > 0 ? alpha - g / dg : 0.5 * alpha;
            if (!(next > 0)) next = 0.5 * alpha;
            if (Math.Abs(next - alpha) <= 1e-15 * alpha) return next;
            alpha = next;
        }
        return alpha;
    }
}
