using System.Runtime.CompilerServices;

namespace CryptoMargin.Pricing;

/// <summary>
/// The normalised Black function of Jäckel, "Let's Be Rational", Wilmott magazine (January 2015), and its revision "Let's be
/// rational" (2016/2017 update), evaluated to near machine precision for an out-of-the-money call:
/// with x = ln(F/K) ≤ 0, s = σ√t, h = x/s, t = s/2,
/// b(x, s) = e^{x/2}Φ(h + t) − e^{−x/2}Φ(h − t) = φ(h)e^{−t²/2}·[Y(h + t) − Y(h − t)],  Y(z) = Φ(z)/φ(z),
/// the undiscounted price divided by √(FK). b′(s) = ∂b/∂s = e^{−(h² + t²)/2}/√(2π) (the normalised vega), and
/// D = b/b′ = Y(h + t) − Y(h − t) is what every branch below computes without cancellation.
/// Branches (thresholds from Jäckel's revision): an asymptotic expansion in 1/(h ± t) for h &lt; −10 with small t,
/// a Taylor expansion in t for t &lt; 0.21 = 2·ε^{1/16}, the plain Φ difference where h + t &gt; 0.85, and otherwise the
/// erfcx form b = ½e^{−(h² + t²)/2}[erfcx(−(h + t)/√2) − erfcx(−(h − t)/√2)] (Jäckel's use of Cody's scaled erfc).
/// </summary>
internal static class ImpliedVolatilityKernels
{
    internal const double InvSqrtTwoPi = 0.39894228040143267794;
    internal const double LogSqrtTwoPi = 0.91893853320467274178;
    internal const double SqrtTwoPi = 2.5066282746310005024;
    private const double SqrtHalfPi = 1.2533141373155002512;
    private const double InvSqrt2 = 0.70710678118654752440;
    private const double InvSqrtPi = 0.56418958354775628695;
    private const double SmallT = 0.21;              // 2·ε^{1/16}, Jäckel (2017)
    private const double AsymptoticH = -10;          // Jäckel (2015), asymptotic-expansion region
    private const double PlainDifferenceH = 0.85;    // h + t above which Φ(h + t) − … loses nothing, Jäckel (2017)

    /// <summary>
    /// b(x, s) for x ≤ 0, s &gt; 0 (see the class summary). <paramref name="bOverVega"/> = b/b′ and
    /// <paramref name="logVega"/> = ln b′ = −(h² + t²)/2 − ln√(2π), so ln b = logVega + ln(bOverVega) stays finite
    /// where b itself underflows.
    /// </summary>
    public static double NormalisedOtmCall(double x, double s, out double bOverVega, out double logVega)
        => NormalisedOtmCall(x, s, Math.Exp(0.5 * x), Math.Exp(-0.5 * x), out bOverVega, out logVega, out _);

    /// <summary>
    /// <see cref="NormalisedOtmCall(double, double, out double, out double)"/> with e^{x/2} (<paramref name="bMax"/>) and
    /// e^{−x/2} (<paramref name="invBMax"/>) hoisted out of the solver's iteration; also returns the vega b′ = e^{logVega}.
    /// </summary>
    public static double NormalisedOtmCall(double x, double s, double bMax, double invBMax, out double bOverVega, out double logVega, out double vega)
    {
        double h = x / s, t = 0.5 * s;
        logVega = -0.5 * (h * h + t * t) - LogSqrtTwoPi;
        vega = Math.Exp(logVega);
        double a = h + t;
        double d;
        if (h < AsymptoticH && a < AsymptoticH + SmallT) d = AsymptoticD(h, t);
        else if (t < SmallT) d = SmallTD(h, t);
        else if (a > PlainDifferenceH)
        {
            double plain = bMax * Phi(a) - invBMax * Phi(h - t);
            bOverVega = plain / vega;
            return plain;
        }
        else d = SqrtHalfPi * (Erfcx(-a * InvSqrt2) - Erfcx(-(h - t) * InvSqrt2));
        bOverVega = d;
        return vega * d;
    }

    /// <summary>b_max − b = e^{x/2}Φ(−h − t) + e^{−x/2}Φ(h − t) for x ≤ 0: a sum of positive terms, exact near b_max.</summary>
    public static double DistanceToMaximum(double x, double s) => DistanceToMaximum(x, s, Math.Exp(0.5 * x), Math.Exp(-0.5 * x));

    /// <summary><see cref="DistanceToMaximum(double, double)"/> with e^{±x/2} hoisted by the caller.</summary>
    public static double DistanceToMaximum(double x, double s, double bMax, double invBMax)
    {
        double h = x / s, t = 0.5 * s;
        return bMax * Phi(-h - t) + invBMax * Phi(h - t);
    }

    /// <summary>
    /// (b_max − b)/b′ for x ≤ 0 and s ≥ s_c = √(2|x|) (so h + t ≥ 0): since e^{x/2}e^{−(h+t)²/2} = e^{−x/2}e^{−(h−t)²/2}
    /// = e^{−(h² + t²)/2} (ht = x/2), b_max − b = e^{x/2}Φ(−h − t) + e^{−x/2}Φ(h − t)
    /// = ½e^{−(h² + t²)/2}[erfcx((h + t)/√2) + erfcx((t − h)/√2)], and dividing by b′ = e^{−(h² + t²)/2}/√(2π) leaves
    /// √(π/2)[erfcx((h + t)/√2) + erfcx((t − h)/√2)]: two erfcx of non-negative arguments (positive terms, no
    /// cancellation) and no exponential. NaN where h + t &lt; 0 (callers fall back to <see cref="DistanceToMaximum"/>).
    /// </summary>
    public static double DistanceToMaximumOverVega(double x, double s)
    {
        double h = x / s, t = 0.5 * s, a = h + t;
        if (!(a >= 0)) return double.NaN;
        return SqrtHalfPi * (ImpliedVolatilityErfcx.Evaluate(a * InvSqrt2) + ImpliedVolatilityErfcx.Evaluate((t - h) * InvSqrt2));
    }

    /// <summary>
    /// D = Y(a) − Y(c), a = h + t, c = h − t, from the asymptotic series Y(z) = −Σ_k (−1)^k (2k−1)!!/z^{2k+1}
    /// (A&amp;S 26.2.12) taken term by term: a^{−n} − c^{−n} = −2t·c^{n−1}q_n/(ac)^n with q_n = Σ_{i&lt;n}(a/c)^i, a sum of
    /// positive terms, so no term cancels (Jäckel 2015 expands the same difference in its asymptotic region).
    /// </summary>
    private static double AsymptoticD(double h, double t)
    {
        double a = h + t, c = h - t, v = a / c, invA2 = 1 / (a * a);
        double q = 1, f = 1, sum = 0, scale = 2 * t / (a * c);
        for (int k = 0; k < 80; k++)
        {
            double term = f * scale * q;
            sum += (k & 1) == 0 ? term : -term;
            if (term <= 1e-17 * sum) break;
            f *= (2 * k + 1) * invA2;
            q = 1 + v * (1 + v * q);
        }
        return sum;
    }

    /// <summary>
    /// D = Y(h + t) − Y(h − t) = 2 Σ_{k odd} Y⁽ᵏ⁾(h) tᵏ/k! for small t (Jäckel 2017, small-t expansion),
    /// with Y′ = 1 + hY and Y⁽ⁿ⁺¹⁾ = hY⁽ⁿ⁾ + nY⁽ⁿ⁻¹⁾ (differentiate Y′ = 1 + hY).
    /// </summary>
    private static double SmallTD(double h, double t)
    {
        double y0 = SqrtHalfPi * Erfcx(-h * InvSqrt2);
        double y1 = 1 + h * y0;
        double sum = y1 * t, power = t, t2 = t * t;
        for (int n = 1; n < 40; n += 2)
        {
            // advance two orders: Y⁽ⁿ⁺¹⁾, Y⁽ⁿ⁺²⁾
            double y2 = h * y1 + n * y0;
            double y3 = h * y2 + (n + 1) * y1;
            power *= t2 / ((n + 1) * (n + 2));
            double term = y3 * power;
            sum += term;
            if (Math.Abs(term) <= 1e-17 * sum) break;
            y0 = y2;
            y1 = y3;
        }
        return 2 * sum;
    }

    /// <summary>Φ(z) = erfc(−z/√2)/2, relative accuracy kept in the lower tail.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Phi(double z) => 0.5 * Erfc(-z * InvSqrt2);

    /// <summary>
    /// Φ⁻¹(p) for 0 &lt; p &lt; 1, for initial guesses only: Hastings' rational approximation (Abramowitz &amp; Stegun
    /// 26.2.23, |error| &lt; 4.5e-4) refined by one Halley step on Φ(z) = p (cubic: ≈ 1e-10 relative).
    /// </summary>
    public static double InversePhi(double p)
    {
        if (!(p > 0 && p < 1)) return p <= 0 ? double.NegativeInfinity : double.PositiveInfinity;
        double q = p < 0.5 ? p : 1 - p;
        double r = Math.Sqrt(-2 * Math.Log(q));
        double z = -(r - (2.515517 + r * (0.802853 + r * 0.010328)) / (1 + r * (1.432788 + r * (0.189269 + r * 0.001308))));
        if (p >= 0.5) z = -z;
        double e = (Phi(z) - p) / (InvSqrtTwoPi * Math.Exp(-0.5 * z * z));
        return z - e / (1 + 0.5 * z * e);
    }

    /// <summary>
    /// erfc(z) = e^{−z²}·erfcx(z) for z ≥ 0, with z² split exactly (hi + lo by a fused multiply-add) so that the
    /// exponential carries no rounding of the square; erfc(z) = 2 − erfc(−z) below 0.
    /// </summary>
    public static double Erfc(double z)
    {
        if (z < 0) return 2 - Erfc(-z);
        double hi = z * z, lo = Math.FusedMultiplyAdd(z, z, -hi);
        return Math.Exp(-hi) * (1 - lo) * ImpliedVolatilityErfcx.Evaluate(z);
    }

    /// <summary>
    /// The scaled complementary error function erfcx(z) = e^{z²}erfc(z): for z ≥ 0 the piecewise polynomials of
    /// <see cref="ImpliedVolatilityErfcx"/> (our own fit, scripts/erfcx-table.py; Jäckel uses Cody's 1969 rational
    /// approximations here), for z &lt; 0 the reflection erfcx(z) = 2e^{z²} − erfcx(−z) with z² split exactly.
    /// </summary>
    public static double Erfcx(double z)
    {
        if (z >= 0) return ImpliedVolatilityErfcx.Evaluate(z);
        double hi = z * z, lo = Math.FusedMultiplyAdd(z, z, -hi);
        return 2 * Math.Exp(hi) * (1 + lo) - ImpliedVolatilityErfcx.Evaluate(-z);
    }

    /// <summary>ln(1 + y) accurate for small y (Goldberg 1991, "What every computer scientist should know…", Thm 4).</summary>
    public static double Log1P(double y)
    {
        double u = 1 + y;
        return u == 1 ? y : Math.Log(u) * y / (u - 1);
    }
}
