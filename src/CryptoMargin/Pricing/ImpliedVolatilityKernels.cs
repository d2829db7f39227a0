using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using static System.Math;

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
    internal const double SqrtHalfPi = 1.2533141373155002512;
    internal const double InvSqrt2 = 0.70710678118654752440;
    private const double InvSqrtPi = 0.56418958354775628695;
    internal const double SmallT = 0.21;              // 2·ε^{1/16}, Jäckel (2017)
    internal const double AsymptoticH = -10;          // Jäckel (2015), asymptotic-expansion region
    internal const double PlainDifferenceH = 0.85;    // h + t above which Φ(h + t) − … loses nothing, Jäckel (2017)

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
        vega = ExpInline(logVega);
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
        return SqrtHalfPi * (Erfcx(a * InvSqrt2) + Erfcx((t - h) * InvSqrt2));
    }

    /// <summary>
    /// D = Y(a) − Y(c), a = h + t, c = h − t, from the asymptotic series Y(z) = −Σ_k (−1)^k (2k−1)!!/z^{2k+1}
    /// (A&amp;S 26.2.12) taken term by term: a^{−n} − c^{−n} = −2t·c^{n−1}q_n/(ac)^n with q_n = Σ_{i&lt;n}(a/c)^i, a sum of
    /// positive terms, so no term cancels (Jäckel 2015 expands the same difference in its asymptotic region).
    /// </summary>
    internal static double AsymptoticD(double h, double t)
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
    /// D = Y(h + t) − Y(h − t) = 2 Σ_{k odd} Y⁽ᵏ⁾(h) tᵏ/k! for small t (Jäckel 2017, small-t expansion), truncated after t¹⁵:
    /// with Y′ = 1 + hY and Y⁽ⁿ⁺¹⁾ = hY⁽ⁿ⁾ + nY⁽ⁿ⁻¹⁾ (differentiate Y′ = 1 + hY), and hY = a − 1 where a = Y′(h), every odd
    /// derivative is Y⁽²ᵏ⁺¹⁾ = a·Q_k(h²) + P_k(h²) with integer polynomials Q_k (degree k) and P_k (degree k − 1), so
    /// D = 2t Σ_{k=0}^{7} c_k t²ᵏ, c_k = (a·Q_k(h²) + P_k(h²))/(2k + 1)!. The coefficients (exact rationals, rounded once)
    /// were derived exactly from the recursion (scripts/iv-small-t-series.py, which also checks the truncation against
    /// mpmath: at most 4.1e-19 relative for t ≤ 0.21, h ≤ 0; seven terms would leave 1.6e-16). Unlike the term-by-term
    /// recursion it replaces, the polynomials in h² run alongside erfcx (they do not need a) and the sum in t² has a fixed
    /// length and depth: no data-dependent loop exit.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    internal static double SmallTD(double h, double t)
    {
        double a = FusedMultiplyAdd(h, SqrtHalfPi * Erfcx(-h * InvSqrt2), 1); // Y′(h) = 1 + hY(h)
        double g = h * h, w = t * t;
        double c0 = a;
        double c1 = FusedMultiplyAdd(a, FusedMultiplyAdd(0.16666666666666666, g, 0.5),
            -0.16666666666666666);
        double c2 = FusedMultiplyAdd(a, FusedMultiplyAdd(FusedMultiplyAdd(0.008333333333333333, g, 0.08333333333333333), g, 0.125),
            FusedMultiplyAdd(-0.008333333333333333, g, -0.058333333333333334));
        double c3 = FusedMultiplyAdd(a, FusedMultiplyAdd(FusedMultiplyAdd(FusedMultiplyAdd(0.0001984126984126984, g, 0.004166666666666667), g, 0.020833333333333332), g, 0.020833333333333332),
            FusedMultiplyAdd(FusedMultiplyAdd(-0.0001984126984126984, g, -0.0035714285714285713), g, -0.01130952380952381));
        double c4 = FusedMultiplyAdd(a, FusedMultiplyAdd(FusedMultiplyAdd(FusedMultiplyAdd(FusedMultiplyAdd(2.7557319223985893e-06, g, 9.92063492063492e-05), g, 0.0010416666666666667), g, 0.003472222222222222), g, 0.0026041666666666665),
            FusedMultiplyAdd(FusedMultiplyAdd(FusedMultiplyAdd(-2.7557319223985893e-06, g, -9.093915343915344e-05), g, -0.0007853835978835978), g, -0.0015459656084656085));
        double c5 = FusedMultiplyAdd(a, FusedMultiplyAdd(FusedMultiplyAdd(FusedMultiplyAdd(FusedMultiplyAdd(FusedMultiplyAdd(2.505210838544172e-08, g, 1.3778659611992946e-06), g, 2.48015873015873e-05), g, 0.00017361111111111112), g, 0.00043402777777777775), g, 0.00026041666666666666),
            FusedMultiplyAdd(FusedMultiplyAdd(FusedMultiplyAdd(FusedMultiplyAdd(-2.505210838544172e-08, g, -1.3027096360429694e-06), g, -2.1043771043771045e-05), g, -0.00011724386724386724), g, -0.00016421657046657045));
        double c6 = FusedMultiplyAdd(a, FusedMultiplyAdd(FusedMultiplyAdd(FusedMultiplyAdd(FusedMultiplyAdd(FusedMultiplyAdd(FusedMultiplyAdd(1.6059043836821613e-10, g, 1.252605419272086e-08), g, 3.4446649029982366e-07), g, 4.133597883597884e-06), g, 2.170138888888889e-05), g, 4.340277777777778e-05), g, 2.170138888888889e-05),
            FusedMultiplyAdd(FusedMultiplyAdd(FusedMultiplyAdd(FusedMultiplyAdd(FusedMultiplyAdd(-1.6059043836821613e-10, g, -1.204428287761621e-08), g, -3.092971842971843e-07), g, -3.2712272295605627e-06), g, -1.3304114866614867e-05), g, -1.4301381488881489e-05));
        double c7 = FusedMultiplyAdd(a, FusedMultiplyAdd(FusedMultiplyAdd(FusedMultiplyAdd(FusedMultiplyAdd(FusedMultiplyAdd(FusedMultiplyAdd(FusedMultiplyAdd(7.647163731819816e-13, g, 8.029521918410807e-11), g, 3.131513548180215e-09), g, 5.7411081716637274e-08), g, 5.166997354497355e-07), g, 2.170138888888889e-06), g, 3.6168981481481483e-06), g, 1.5500992063492063e-06),
            FusedMultiplyAdd(FusedMultiplyAdd(FusedMultiplyAdd(FusedMultiplyAdd(FusedMultiplyAdd(FusedMultiplyAdd(-7.647163731819816e-13, g, -7.800107006456213e-11), g, -2.9020986362256202e-09), g, -4.914067414067414e-08), g, -3.837308524808525e-07), g, -1.2203267411600745e-06), g, -1.0567653796820463e-06));
        double w2 = w * w, w4 = w2 * w2;
        return 2 * t * Estrin7(w, w2, w4, c0, c1, c2, c3, c4, c5, c6, c7);
    }

    /// <summary>Φ(z) = erfc(−z/√2)/2, relative accuracy kept in the lower tail.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Phi(double z) => 0.5 * Erfc(-z * InvSqrt2);

    /// <summary>
    /// Φ⁻¹(p) for 0 &lt; p &lt; 1: Wichura's algorithm AS 241, PPND16 (Applied Statistics 37 (1988) 477–484), rational
    /// approximations of degree 7/7 in r = 0.180625 − q² (|q| = |p − ½| ≤ 0.425) and in r = √(−ln min(p, 1 − p)) − 1.6
    /// (r ≤ 5) or − 5 beyond, with the published coefficients; about 1e-16 relative, so no Newton or Halley refinement.
    /// ±∞ at p ≤ 0 and p ≥ 1 (NaN stays NaN).
    /// </summary>
    public static double InversePhi(double p)
    {
        if (!(p > 0 && p < 1)) return double.IsNaN(p) ? p : p <= 0 ? double.NegativeInfinity : double.PositiveInfinity;
        double q = p - 0.5;
        if (Math.Abs(q) <= 0.425) return InversePhiCentral(q);
        double z = InversePhiTail(Math.Sqrt(-Math.Log(q < 0 ? p : 1 - p)));
        return q < 0 ? -z : z;
    }

    /// <summary>
    /// Φ⁻¹(p) for p &lt; 0.45 given only ln p (<paramref name="logP"/>): AS 241 as in <see cref="InversePhi"/>, whose lower tail
    /// needs √(−ln p) and not p itself, so no exponential there; e^{ln p} only in the central branch (p ≥ 0.075). For the
    /// implied-volatility solver's direct lower guess, whose argument (3√3β/(2π|x|))^{1/3} is known as a logarithm (saves the
    /// cube root and AS 241's own logarithm). NaN for ln p ≥ ln 0.45 or NaN.
    /// </summary>
    internal static double InversePhiOfLog(double logP)
    {
        if (!(logP < -0.7985076962177716)) return double.NaN; // ln 0.45
        if (logP >= -2.5902671654458267) return InversePhiCentral(ExpInline(logP) - 0.5); // ln 0.075: |p − ½| ≤ 0.425
        return -InversePhiTail(Math.Sqrt(-logP));
    }

    /// <summary>
    /// <see cref="InversePhiOfLog"/> as a quotient Φ⁻¹(p) = <paramref name="num"/>/<paramref name="den"/> left undivided, for a
    /// caller that divides by Φ⁻¹(p) next (one division instead of two in a row). NaN parts where <see cref="InversePhiOfLog"/>
    /// is NaN.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void InversePhiOfLogParts(double logP, out double num, out double den)
    {
        if (!(logP < -0.7985076962177716)) { num = den = double.NaN; return; }
        if (logP >= -2.5902671654458267)
        {
            double q = ExpInline(logP) - 0.5;
            CentralParts(q, out num, out den);
            num *= q;
            return;
        }
        TailParts(Math.Sqrt(-logP), out num, out den);
        num = -num;
    }

    /// <summary>AS 241's central rational function, Φ⁻¹(½ + q) for |q| ≤ 0.425.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double InversePhiCentral(double q)
    {
        CentralParts(q, out double num, out double den);
        return q * num / den;
    }

    /// <summary>AS 241's tail rational functions, −Φ⁻¹(p) for p &lt; 0.075 given u = √(−ln p).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double InversePhiTail(double u)
    {
        TailParts(u, out double num, out double den);
        return num / den;
    }

    /// <summary>AS 241's central numerator and denominator in r = 0.180625 − q² (Φ⁻¹(½ + q) = q·num/den), by Estrin's scheme.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void CentralParts(double q, out double num, out double den)
    {
        double r = 0.180625 - q * q;
        double r2 = r * r, r4 = r2 * r2;
        num = Estrin7(r, r2, r4, 3.3871328727963666080e0, 1.3314166789178437745e2, 1.9715909503065514427e3, 1.3731693765509461125e4,
            4.5921953931549871457e4, 6.7265770927008700853e4, 3.3430575583588128105e4, 2.5090809287301226727e3);
        den = Estrin7(r, r2, r4, 1, 4.2313330701600911252e1, 6.8718700749205790830e2, 5.3941960214247511077e3,
            2.1213794301586595867e4, 3.9307895800092710610e4, 2.8729085735721942674e4, 5.2264952788528545610e3);
    }

    /// <summary>AS 241's tail numerator and denominator (−Φ⁻¹(p) = num/den) in u − 1.6 for u = √(−ln p) ≤ 5, u − 5 beyond.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void TailParts(double u, out double num, out double den)
    {
        if (u <= 5)
        {
            u -= 1.6;
            double u2 = u * u, u4 = u2 * u2;
            num = Estrin7(u, u2, u4, 1.42343711074968357734e0, 4.63033784615654529590e0, 5.76949722146069140550e0, 3.64784832476320460504e0,
                1.27045825245236838258e0, 2.41780725177450611770e-1, 2.27238449892691845833e-2, 7.74545014278341407640e-4);
            den = Estrin7(u, u2, u4, 1, 2.05319162663775882187e0, 1.67638483018380384940e0, 6.89767334985100004550e-1,
                1.48103976427480074590e-1, 1.51986665636164571966e-2, 5.47593808499534494600e-4, 1.05075007164441684324e-9);
        }
        else
        {
            u -= 5;
            double u2 = u * u, u4 = u2 * u2;
            num = Estrin7(u, u2, u4, 6.65790464350110377720e0, 5.46378491116411436990e0, 1.78482653991729133580e0, 2.96560571828504891230e-1,
                2.65321895265761230930e-2, 1.24266094738807843860e-3, 2.71155556874348757815e-5, 2.01033439929228813265e-7);
            den = Estrin7(u, u2, u4, 1, 5.99832206555887937690e-1, 1.36929880922735805310e-1, 1.48753612908506148525e-2,
                7.86869131145613259100e-4, 1.84631831751005468180e-5, 1.42151175831644588870e-7, 2.04426310338993978564e-15);
        }
    }

    // W. J. Cody, "Rational Chebyshev approximations for the error function", Math. Comp. 23 (1969) 631–637, with the
    // coefficients of his CALERF (SPECFUN, 1990 revision): erf(z) = z·R(z²) for |z| ≤ 0.46875 (degree 4/4), erfcx(z) = P₈(z)/Q₈(z)
    // for 0.46875 < z ≤ 4, and erfcx(z) = (1/√π − y·P₅(y)/Q₅(y))/z, y = 1/z², beyond 4. Published relative errors are below
    // 1e-17 for each form; in double precision a few ulp. Horner by fused multiply-adds (shorter latency chain; written as Math.FusedMultiplyAdd, the JIT intrinsic, since a
    // helper method nested 16 deep exceeded the JIT's inlining budget and became 16 calls).
    private const double CodyThreshold = 0.46875;

    /// <summary>erf(z) for |z| ≤ 0.46875, Cody's (1969) first approximation.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double ErfSmall(double z)
    {
        double y = z * z;
        double num = FusedMultiplyAdd(FusedMultiplyAdd(FusedMultiplyAdd(FusedMultiplyAdd(1.85777706184603153e-1, y, 3.16112374387056560e0), y, 1.13864154151050156e2), y, 3.77485237685302021e2), y, 3.20937758913846947e3);
        double den = FusedMultiplyAdd(FusedMultiplyAdd(FusedMultiplyAdd(y + 2.36012909523441209e1, y, 2.44024637934444173e2), y, 1.28261652607737228e3), y, 2.84423683343917062e3);
        return z * num / den;
    }

    /// <summary>erfcx(z) for z &gt; 0.46875, Cody's (1969) second and third approximations.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double ErfcxLarge(double z)
    {
        if (z <= 4)
        {
            double z2 = z * z, z4 = z2 * z2;
            // Estrin's scheme (depth four instead of eight; every coefficient and z positive, so no cancellation)
            double num = Estrin8(z, z2, z4, 1.23033935479799725e3, 2.05107837782607147e3, 1.71204761263407058e3, 8.81952221241769090e2,
                2.98635138197400131e2, 6.61191906371416295e1, 8.88314979438837594e0, 5.64188496988670089e-1, 2.15311535474403846e-8);
            double den = Estrin8(z, z2, z4, 1.23033935480374942e3, 3.43936767414372164e3, 4.36261909014324716e3, 3.29079923573345963e3,
                1.62138957456669019e3, 5.37181101862009858e2, 1.17693950891312499e2, 1.57449261107098347e1, 1);
            return num / den;
        }
        double r = 1 / z, y = r * r;
        double pn = FusedMultiplyAdd(FusedMultiplyAdd(FusedMultiplyAdd(FusedMultiplyAdd(FusedMultiplyAdd(1.63153871373020978e-2, y, 3.05326634961232344e-1), y, 3.60344899949804439e-1), y, 1.25781726111229246e-1), y,
            1.60837851487422766e-2), y, 6.58749161529837803e-4);
        double qn = FusedMultiplyAdd(FusedMultiplyAdd(FusedMultiplyAdd(FusedMultiplyAdd(y + 2.56852019228982242e0, y, 1.87295284992346047e0), y, 5.27905102951428412e-1), y, 6.05183413124413191e-2), y,
            2.33520497626869185e-3);
        return (InvSqrtPi - y * pn / qn) * r;
    }

    /// <summary>
    /// erfc(z) by Cody (1969): 1 − erf(z) for |z| ≤ 0.46875, else e^{−z²}·erfcx(|z|) with z² split exactly (hi + lo by a
    /// fused multiply-add) so that the exponential carries no rounding of the square; erfc(z) = 2 − erfc(−z) below −0.46875.
    /// </summary>
    public static double Erfc(double z)
    {
        double a = Math.Abs(z);
        if (a <= CodyThreshold) return 1 - ErfSmall(z);
        double hi = a * a, lo = Math.FusedMultiplyAdd(a, a, -hi);
        double tail = Math.Exp(-hi) * (1 - lo) * ErfcxLarge(a);
        return z < 0 ? 2 - tail : tail;
    }

    /// <summary>
    /// The scaled complementary error function erfcx(z) = e^{z²}erfc(z) by Cody (1969): e^{z²}(1 − erf(z)) for
    /// |z| ≤ 0.46875, his rational forms above 0.46875, and below −0.46875 the reflection erfcx(z) = 2e^{z²} − erfcx(−z)
    /// with z² split exactly.
    /// </summary>
    public static double Erfcx(double z)
    {
        if (z > CodyThreshold) return ErfcxLarge(z);
        if (z >= -CodyThreshold) return ExpInline(z * z) * (1 - ErfSmall(z));
        double hi = z * z, lo = Math.FusedMultiplyAdd(z, z, -hi);
        return 2 * Math.Exp(hi) * (1 + lo) - ErfcxLarge(-z);
    }

    /// <summary>
    /// c₀ + c₁y + … + c₇y⁷ by Estrin's scheme given y² and y⁴: pairs (c₂ᵢ + c₂ᵢ₊₁y), then quadruples, then the whole, a dependency
    /// depth of three multiply-adds after y⁴ instead of Horner's seven. Used where the argument and coefficients are non-negative
    /// (AS 241's and Cody's rationals), so no term cancels and the rounding is Horner's.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static double Estrin7(double y, double y2, double y4, double c0, double c1, double c2, double c3, double c4, double c5, double c6, double c7)
        => FusedMultiplyAdd(FusedMultiplyAdd(FusedMultiplyAdd(c7, y, c6), y2, FusedMultiplyAdd(c5, y, c4)), y4,
            FusedMultiplyAdd(FusedMultiplyAdd(c3, y, c2), y2, FusedMultiplyAdd(c1, y, c0)));

    /// <summary>c₀ + c₁y + … + c₈y⁸ by Estrin's scheme (<see cref="Estrin7"/> plus c₈y⁸).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static double Estrin8(double y, double y2, double y4, double c0, double c1, double c2, double c3, double c4, double c5, double c6, double c7, double c8)
        => FusedMultiplyAdd(c8 * y4, y4, Estrin7(y, y2, y4, c0, c1, c2, c3, c4, c5, c6, c7));

    /// <summary>
    /// e^x for the solver's own exponentials, inlined (the runtime's Math.Exp is a call into the C library through its error-handling
    /// wrapper, about 12 ns in the solver against 5 ns here): x = (64k + j)·ln2/64 + r with ln2/64 in Cody–Waite parts (the high
    /// part has 32 significant bits, so k·hi is exact), |r| ≤ ln2/128, e^r − 1 by its Taylor polynomial to r⁵ (truncation below
    /// 4e-17 relative), 2^{j/64} from a table (mpmath at 50 digits, rounded once), 2^k written into the exponent field. Within about
    /// 1 ulp; outside (−708, 709) (subnormal or infinite results, NaN) it defers to Math.Exp.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static double ExpInline(double x)
    {
        if (!(x > -708 && x < 709)) return Math.Exp(x);
        const double Shifter = 6755399441055744.0; // 1.5·2^52: adding it rounds to an integer held in the low mantissa bits
        double t = FusedMultiplyAdd(x, 92.33248261689366, Shifter); // 64/ln 2
        long k = BitConverter.DoubleToInt64Bits(t) - 0x4338000000000000L;
        double kd = t - Shifter;
        double r = FusedMultiplyAdd(-kd, 2.9815858269852933e-12, FusedMultiplyAdd(-kd, 0.01083042469326756, x));
        double p = FusedMultiplyAdd(r * r, FusedMultiplyAdd(FusedMultiplyAdd(FusedMultiplyAdd(r, 1.0 / 120, 1.0 / 24), r, 1.0 / 6), r, 0.5), r);
        double table = Unsafe.Add(ref MemoryMarshal.GetReference(ExpTable), (int)(k & 63));
        return FusedMultiplyAdd(table, p, table) * BitConverter.Int64BitsToDouble((k >> 6) + 1023 << 52);
    }

    /// <summary>
    /// ln x for the solver's own logarithms, inlined (the library's is a call, about 10 ns in the solver). Near 1 (|x − 1| &lt; 1/16)
    /// ln(1 + f), f = x − 1 exact, by its Taylor polynomial to f¹⁴ (truncation below 1e-18 relative), so the result keeps its
    /// relative accuracy as x → 1. Elsewhere x = 2^k·m, m ∈ [1, 2), and with the centre c of m's 1/128-cut, invc = 1/c rounded
    /// and −ln(invc) as a double-double from a table (scripts/log-table.py, mpmath at 50 digits), ln m = −ln(invc) + ln(1 + r)
    /// exactly, r = m·invc − 1 by a fused multiply-add (|r| &lt; 0.004), ln(1 + r) to r⁷ (truncation below 2e-18 relative), and
    /// k·ln 2 in Cody–Waite parts. Within about 1 ulp; outside the normal positive range (0, subnormal, negative, ∞, NaN) it
    /// defers to Math.Log.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static double LogInline(double x)
    {
        if (!(x >= 2.2250738585072014e-308 && x <= double.MaxValue)) return Math.Log(x);
        double f = x - 1;
        if (Math.Abs(f) < 0.0625)
        {
            // ln(1 + f) = f − f²·Σ_{j=0}^{12} (−1)^j f^j/(j + 2)
            double f2 = f * f, f4 = f2 * f2;
            double p = Estrin7(f, f2, f4, 1.0 / 2, -1.0 / 3, 1.0 / 4, -1.0 / 5, 1.0 / 6, -1.0 / 7, 1.0 / 8, -1.0 / 9)
                + f4 * f4 * Estrin7(f, f2, f4, 1.0 / 10, -1.0 / 11, 1.0 / 12, -1.0 / 13, 1.0 / 14, 0, 0, 0);
            return FusedMultiplyAdd(-f2, p, f);
        }
        long bits = BitConverter.DoubleToInt64Bits(x);
        int k = (int)(bits >> 52) - 1023;
        double m = BitConverter.Int64BitsToDouble((bits & 0x000FFFFFFFFFFFFFL) | 0x3FF0000000000000L);
        ref double entry = ref Unsafe.Add(ref MemoryMarshal.GetReference(LogTable), 3 * (int)((bits >> 45) & 127));
        double r = FusedMultiplyAdd(m, entry, -1);
        double r2 = r * r;
        double poly = r2 * FusedMultiplyAdd(FusedMultiplyAdd(FusedMultiplyAdd(1.0 / 7, r, -1.0 / 6), r2, FusedMultiplyAdd(1.0 / 5, r, -1.0 / 4)), r2,
            FusedMultiplyAdd(1.0 / 3, r, -1.0 / 2));
        return FusedMultiplyAdd(k, 0.6931471803691238, Unsafe.Add(ref entry, 1))
            + (r + (poly + FusedMultiplyAdd(k, 1.9082149292705877e-10, Unsafe.Add(ref entry, 2))));
    }

    /// <summary>Per 1/128-cut of [1, 2): 1/c rounded, and −ln of that as hi, lo (scripts/log-table.py).</summary>
    private static ReadOnlySpan<double> LogTable =>
    [
        0.9961089494163424, 0.003898640415657309, 1.2541659038304982e-19,
        0.9884169884169884, 0.01165061721997525, 6.311738528333134e-19,
        0.9808429118773946, 0.019342962843130987, -6.612867620320467e-19,
        0.973384030418251, 0.026976587698202083, -1.357561021795712e-18,
        0.9660377358490566, 0.03455238150665973, -2.5264681161162764e-18,
        0.9588014981273408, 0.042071213920687044, -9.713775354759503e-20,
        0.9516728624535316, 0.049533935122276676, 1.664443731663614e-18,
        0.9446494464944649, 0.05694137640013845, 1.78594464879227e-18,
        0.9377289377289377, 0.06429435070539725, 3.475225966814173e-18,
        0.9309090909090909, 0.07159365318700882, 4.869195800165027e-19,
        0.924187725631769, 0.078840061707776, -4.568340554252506e-18,
        0.9175627240143369, 0.08603433734180316, -3.36803314523905e-18,
        0.9110320284697508, 0.09317722485418334, 2.8334317358750366e-18,
        0.9045936395759717, 0.10026945316367517, -2.822998867357873e-18,
        0.8982456140350877, 0.10731173578908804, -4.322456718254657e-18,
        0.89198606271777, 0.11430477128005863, 5.977397630760421e-18,
        0.8858131487889274, 0.12124924363286965, 2.6827199737801766e-18,
        0.8797250859106529, 0.12814582269193006, -4.109471350011548e-18,
        0.8737201365187713, 0.13499516453750482, 1.369660501724148e-18,
        0.8677966101694915, 0.1417979118602574, -1.2867304346273362e-17,
        0.8619528619528619, 0.1485546943231372, -1.1863378834702217e-17,
        0.8561872909698997, 0.15526612891112396, 1.1990886572394084e-17,
        0.8504983388704319, 0.16193282026931324, -1.3644842250457798e-17,
        0.8448844884488449, 0.16855536102980664, 1.0763132959988806e-17,
        0.839344262295082, 0.17513433212784915, -2.724105290158387e-18,
        0.8338762214983714, 0.18167030310763463, 4.954929708083542e-18,
        0.8284789644012945, 0.18816383241818294, 3.741953239550891e-18,
        0.8231511254019293, 0.19461546769967167, 1.9890959474466474e-18,
        0.8178913738019169, 0.2010257460605908, -4.5707808879306246e-18,
        0.8126984126984127, 0.2073951943460706, -5.756619770435678e-18,
        0.807570977917981, 0.21372432939771818, -1.2735141289933245e-17,
        0.8025078369905956, 0.22001365830528213, 1.1961281714072477e-18,
        0.7975077881619937, 0.2262636786504534, 8.337560297889984e-18,
        0.7925696594427245, 0.232474878743094, 6.160927890733764e-18,
        0.7876923076923077, 0.238647737850175, -1.6128470577184094e-18,
        0.7828746177370031, 0.24478272641769092, -7.47089098380464e-18,
        0.7781155015197568, 0.25088030628580943, -8.553911523038828e-18,
        0.7734138972809668, 0.2569409308975004, 7.175242481751694e-18,
        0.7687687687687688, 0.26296504550088134, 1.5718867588147142e-17,
        0.764179104477612, 0.26895308734550394, 1.0592604897911732e-17,
        0.7596439169139466, 0.2749054858727992, -1.402747850115579e-17,
        0.7551622418879056, 0.2808226629008878, -1.0950013154836128e-17,
        0.750733137829912, 0.2867050328039543, -2.8116608187823606e-18,
        0.7463556851311953, 0.29255300268637746, -5.2811179490291116e-18,
        0.7420289855072464, 0.2983669725517973, -1.3287151317641232e-17,
        0.7377521613832853, 0.3041473354672968, 7.010822479304778e-18,
        0.7335243553008596, 0.3098944777228647, 4.5997359765827076e-18,
        0.7293447293447294, 0.3156087789863033, -1.0493698520483516e-17,
        0.7252124645892352, 0.32129061245373425, -3.035364123413162e-18,
        0.7211267605633803, 0.3269403449958533, -1.5322929902901654e-17,
        0.7170868347338936, 0.3325583373000766, -1.8692002087134156e-17,
        0.713091922005571, 0.3381449440087164, -2.4651351958263637e-17,
        0.7091412742382271, 0.34370051385331846, -1.421331198699375e-17,
        0.7052341597796143, 0.3492253897852883, 4.02376954597919e-19,
        0.7013698630136986, 0.354719909102929, 2.198105025613807e-17,
        0.6975476839237057, 0.3601844035750078, 2.6812351028097144e-17,
        0.6937669376693767, 0.3656191995609647, -1.2762016415473489e-17,
        0.6900269541778976, 0.37102461812787263, -1.948933773396101e-17,
        0.6863270777479893, 0.376400975164253, 2.032121209009643e-17,
        0.6826666666666666, 0.3817485814908484, -1.9951991043846497e-17,
        0.6790450928381963, 0.3870677429684483, 2.5550894542318646e-17,
        0.6754617414248021, 0.3923587606028639, 9.493401229363408e-18,
        0.6719160104986877, 0.3976219306471385, -1.8770120125166398e-17,
        0.6684073107049608, 0.4028575447010835, 2.0735595335748982e-17,
        0.6649350649350649, 0.4080658898082217, 2.2555328171649924e-17,
        0.661498708010336, 0.41324724855021927, 1.83564053756299e-17,
        0.6580976863753213, 0.41840189913888387, 1.952505810230571e-17,
        0.6547314578005116, 0.4235301155058032, -3.671128446641214e-18,
        0.6513994910941476, 0.42863216738969867, 1.5023865716575906e-17,
        0.6481012658227848, 0.4337083204215594, -4.233377663176456e-18,
        0.6448362720403022, 0.43875883620762796, 8.850494198594658e-18,
        0.6416040100250626, 0.44378397241030104, -5.239134183313927e-18,
        0.6384039900249376, 0.4487839828270067, 2.4596939449035226e-17,
        0.6352357320099256, 0.4537591174671205, 8.966360351297184e-18,
        0.6320987654320988, 0.4587096226269767, 8.89739309588395e-18,
        0.628992628992629, 0.46363574096303256, -2.318971916386853e-17,
        0.6259168704156479, 0.46853771156323926, 1.831649987461153e-17,
        0.6228710462287105, 0.4734157700166721, -1.6738097350855667e-17,
        0.6198547215496368, 0.47827014848147026, -2.5927046143170282e-17,
        0.6168674698795181, 0.48310107575113576, -2.0919266382100576e-17,
        0.6139088729016786, 0.48790877731923904, 1.9519380098629437e-18,
        0.6109785202863962, 0.4926934754425752, 1.9165580353815043e-17,
        0.6080760095011877, 0.4974553892028189, -3.710716409978127e-19,
        0.6052009456264775, 0.5021947345667155, 3.472303869689812e-17,
        0.6023529411764705, 0.5069117244448544, 2.674457896979575e-18,
        0.5995316159250585, 0.5116065687490621, 5.4665154936605785e-18,
        0.5967365967365967, 0.5162794744484545, 4.080333547829478e-17,
        0.5939675174013921, 0.5209306456241853, 1.4017426376082978e-17,
        0.5912240184757506, 0.5255602835229274, 2.392692027506939e-18,
        0.5885057471264368, 0.5301685866091216, 4.7977752241645524e-17,
        0.585812356979405, 0.5347557506160276, 2.5827931609964474e-17,
        0.5831435079726651, 0.5393219685956089, 4.145643183164215e-17,
        0.5804988662131519, 0.5438674309672835, -2.4887893733251422e-17,
        0.5778781038374717, 0.5483923255655733, -2.2248947680151258e-17,
        0.5752808988764045, 0.5528968376866776, 1.6015836075564846e-17,
        0.5727069351230425, 0.5573811501340064, 2.5286768548149667e-17,
        0.5701559020044543, 0.5618454432626918, 4.9026031959620214e-17,
        0.5676274944567627, 0.5662898950231159, -1.2205644089016799e-17,
        0.565121412803532, 0.5707146810034716, -1.2108711910296867e-17,
        0.5626373626373626, 0.575119974471388, -2.1177801889528357e-17,
        0.5601750547045952, 0.5795059464146423, 1.3052678089315004e-18,
        0.5577342047930284, 0.5838727655809826, 2.6753352477773804e-17,
        0.5553145336225597, 0.588220598517086, 4.455131814161311e-17,
        0.5529157667386609, 0.5925496096066716, -4.139441474530835e-17,
        0.5505376344086022, 0.5968599611077938, 1.361230242186179e-17,
        0.5481798715203426, 0.6011518131893347, 3.083693330781544e-17,
        0.5458422174840085, 0.6054253239667169, 2.0084268288713302e-17,
        0.5435244161358811, 0.6096806495368553, -1.0121969910957006e-17,
        0.5412262156448203, 0.6139179440123704, 1.891277770208659e-17,
        0.5389473684210526, 0.6181373595550788, -1.653589827962475e-18,
        0.5366876310272537, 0.6223390464087787, 3.404611643248449e-18,
        0.534446764091858, 0.6265231529313529, 3.737570852476905e-18,
        0.5322245322245323, 0.6306898256261987, -3.613150752645848e-17,
        0.5300207039337475, 0.6348392091730102, -3.7188914839393193e-17,
        0.5278350515463918, 0.6389714464579207, -1.4406044597193659e-18,
        0.5256673511293635, 0.6430866786030273, 1.6159833988512732e-17,
        0.523517382413088, 0.6471850449953095, -3.2577745344279955e-17,
        0.5213849287169042, 0.6512666833149582, 1.3967924159705533e-17,
        0.5192697768762677, 0.6553317295631277, -3.911705867306146e-17,
        0.5171717171717172, 0.6593803180891278, 4.5449277548859387e-17,
        0.5150905432595574, 0.6634125816170662, -1.0168075202042099e-17,
        0.5130260521042084, 0.6674286512719563, -1.9461688656926497e-18,
        0.5109780439121756, 0.6714286566053024, 3.1081179603786107e-17,
        0.5089463220675944, 0.6754127256201768, -1.2023263005697002e-17,
        0.5069306930693069, 0.6793809847957973, -1.2107088539268054e-20,
        0.504930966469428, 0.6833335591116206, 1.8406949760527185e-18,
        0.5029469548133595, 0.6872705720709603, 2.184185453023377e-17,
        0.5009784735812133, 0.691192145724142, 1.0222351066223756e-17,
    ];

    /// <summary>2^{j/64}, j = 0 … 63 (mpmath at 50 digits, rounded to the nearest double).</summary>
    private static ReadOnlySpan<double> ExpTable => [1.0, 1.0108892860517005, 1.0218971486541166, 1.0330248790212284, 1.0442737824274138, 1.0556451783605572, 1.0671404006768237, 1.0787607977571199, 1.0905077326652577, 1.102382583307841, 1.1143867425958924, 1.1265216186082418, 1.1387886347566916, 1.1511892299529827, 1.1637248587775775, 1.1763969916502812, 1.189207115002721, 1.202156731452703, 1.215247359980469, 1.22848053610687, 1.241857812073484, 1.255380757024691, 1.2690509571917332, 1.2828700160787783, 1.2968395546510096, 1.3109612115247644, 1.3252366431597413, 1.339667524053303, 1.3542555469368927, 1.3690024229745905, 1.383909881963832, 1.3989796725383112, 1.4142135623730951, 1.42961333839197, 1.4451808069770467, 1.460917794180647, 1.4768261459394993, 1.4929077282912648, 1.5091644275934228, 1.5255981507445384, 1.5422108254079407, 1.559004400237837, 1.5759808451078865, 1.593142151342267, 1.6104903319492543, 1.6280274218573478, 1.645755478153965, 1.6636765803267364, 1.681792830507429, 1.7001063537185235, 1.718619298122478, 1.7373338352737062, 1.7562521603732995, 1.7753764925265212, 1.7947090750031072, 1.8142521755003989, 1.8340080864093424, 1.8539791250833855, 1.8741676341103, 1.8945759815869656, 1.9152065613971474, 1.9360617934922943, 1.9571441241754002, 1.978456026387951];
}
