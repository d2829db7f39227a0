using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
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
internal static partial class ImpliedVolatilityKernels
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
    /// recursion it replaces, the polynomials in h² run alongside a's evaluation (they do not need a; a itself from
    /// <see cref="MillsSlope"/>) and the sum in t² has a fixed length and depth: no data-dependent loop exit.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    internal static double SmallTD(double h, double t) => SmallTD(h, t, Vector256.IsHardwareAccelerated);

    /// <summary><see cref="SmallTD(double, double)"/> with the polynomials in vector lanes or (<paramref name="vector"/> false, as
    /// without AVX) lane by lane in scalar arithmetic: both are tested against mpmath.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static double SmallTD(double h, double t, bool vector)
    {
        double a = MillsSlope(h); // Y′(h) = 1 + hY(h)
        double g = h * h, w = t * t, w2 = w * w, w3 = w2 * w, w4 = w2 * w2;
        // D/(2t) = a·Σ_k Q_k(g) wᵏ + Σ_k P_k(g) wᵏ. The fifteen polynomials in g are evaluated four at a time in vector lanes
        // (SmallTLanes: Q₇…Q₄, P₇…P₄, then Q₃, Q₂, Q₁, P₃; P₂ and P₁ apart; Horner's scheme written out), 16 vector
        // multiply-adds instead of 63 scalar ones, weighted by their powers of w and summed; the two sums need only h² and t²,
        // so they run alongside a's evaluation and a joins with one multiply-add.
        double sq, sp;
        ref double k = ref MemoryMarshal.GetReference(SmallTLanes);
        if (vector)
        {
            var gv = Vector256.Create(g);
            var q = Vector256.FusedMultiplyAdd(Vector256.FusedMultiplyAdd(Vector256.FusedMultiplyAdd(Vector256.FusedMultiplyAdd(Vector256.FusedMultiplyAdd(Vector256.FusedMultiplyAdd(Vector256.FusedMultiplyAdd(Row(ref k, 7), gv, Row(ref k, 6)), gv, Row(ref k, 5)), gv, Row(ref k, 4)), gv, Row(ref k, 3)), gv, Row(ref k, 2)), gv, Row(ref k, 1)), gv, Row(ref k, 0));
            var p = Vector256.FusedMultiplyAdd(Vector256.FusedMultiplyAdd(Vector256.FusedMultiplyAdd(Vector256.FusedMultiplyAdd(Vector256.FusedMultiplyAdd(Vector256.FusedMultiplyAdd(Row(ref k, 14), gv, Row(ref k, 13)), gv, Row(ref k, 12)), gv, Row(ref k, 11)), gv, Row(ref k, 10)), gv, Row(ref k, 9)), gv, Row(ref k, 8));
            var c = Vector256.FusedMultiplyAdd(Vector256.FusedMultiplyAdd(Vector256.FusedMultiplyAdd(Row(ref k, 18), gv, Row(ref k, 17)), gv, Row(ref k, 16)), gv, Row(ref k, 15));
            var high = Vector256.Create(w3, w2, w, 1) * w4;                // w⁷, w⁶, w⁵, w⁴
            var low = c * Vector256.Create(w3, w2, w, w3);                 // Q₃w³, Q₂w², Q₁w, P₃w³
            sq = Vector256.Sum(Vector256.FusedMultiplyAdd(q, high, low * Vector256.Create(1.0, 1, 1, 0))) + 1;
            sp = Vector256.Sum(Vector256.FusedMultiplyAdd(p, high, low * Vector256.Create(0.0, 0, 0, 1)));
        }
        else
        {
            double w5 = w * w4, w6 = w2 * w4, w7 = w3 * w4;
            sq = 1 + LaneHorner(ref k, 15, 3, g, 0) * w3 + LaneHorner(ref k, 15, 3, g, 1) * w2 + LaneHorner(ref k, 15, 3, g, 2) * w
                + LaneHorner(ref k, 0, 7, g, 0) * w7 + LaneHorner(ref k, 0, 7, g, 1) * w6 + LaneHorner(ref k, 0, 7, g, 2) * w5 + LaneHorner(ref k, 0, 7, g, 3) * w4;
            sp = LaneHorner(ref k, 15, 3, g, 3) * w3
                + LaneHorner(ref k, 8, 6, g, 0) * w7 + LaneHorner(ref k, 8, 6, g, 1) * w6 + LaneHorner(ref k, 8, 6, g, 2) * w5 + LaneHorner(ref k, 8, 6, g, 3) * w4;
        }
        sp += FusedMultiplyAdd(FusedMultiplyAdd(P2G, g, P2), w2, P1 * w);
        return 2 * t * FusedMultiplyAdd(a, sq, sp);
    }

    /// <summary>1.5·2^52: adding it to |v| &lt; 2^51 rounds v to an integer (ties to even) held in the low mantissa bits.</summary>
    internal const double Shifter = 6755399441055744.0;

    /// <summary>
    /// <paramref name="v"/> rounded to the nearest integer (ties to even) as a double, and as <paramref name="n"/>, by adding
    /// <see cref="Shifter"/> and reading the integer off the bits (no conversion instruction). |v| &lt; 2^31.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static double RoundToInteger(double v, out int n)
    {
        double t = v + Shifter;
        n = (int)(BitConverter.DoubleToInt64Bits(t) - 0x4338000000000000L);
        return t - Shifter;
    }

    /// <summary><see cref="RoundToInteger(double, out int)"/> on four lanes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector256<double> RoundToInteger(Vector256<double> v, out Vector256<long> n)
    {
        var t = v + Vector256.Create(Shifter);
        n = t.AsInt64() - Vector256.Create(0x4338000000000000L);
        return t - Vector256.Create(Shifter);
    }

    /// <summary>
    /// a(h) = Y′(h) = 1 + hY(h), Y = Φ/φ, for the small-t series: for −10.125 ≤ h ≤ 0 from a piecewise polynomial
    /// (scripts/iv-mills-table.py: 41 pieces of width ¼, degree 10, fitted to mpmath; within 1e-16 relative before the
    /// evaluation's own rounding), which keeps a's relative accuracy where 1 + hY cancels (a ≈ 1/h², about h² ulps lost in the
    /// direct form) and needs neither erfcx's division nor its range branches; below −10.125, 1 + h√(π/2)·erfcx(−h/√2).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static double MillsSlope(double h)
    {
        if (!(h >= -(MillsPieces - 0.5) * 0.25 && h <= 0)) return FusedMultiplyAdd(h, SqrtHalfPi * Erfcx(-h * InvSqrt2), 1);
        double rounded = RoundToInteger(-4 * h, out int i); // i = round(−4h) ∈ [0, 40]
        double y = FusedMultiplyAdd(h, 8, 2 * rounded), y2 = y * y, y4 = y2 * y2;
        ref double c = ref Unsafe.Add(ref MemoryMarshal.GetReference(MillsTable), 12 * i);
        return FusedMultiplyAdd(y4 * y4, FusedMultiplyAdd(FusedMultiplyAdd(Unsafe.Add(ref c, 10), y, Unsafe.Add(ref c, 9)), y, Unsafe.Add(ref c, 8)),
            Estrin7(y, y2, y4, c, Unsafe.Add(ref c, 1), Unsafe.Add(ref c, 2), Unsafe.Add(ref c, 3), Unsafe.Add(ref c, 4), Unsafe.Add(ref c, 5),
                Unsafe.Add(ref c, 6), Unsafe.Add(ref c, 7)));
    }

    /// <summary>P₂ = P2G·g + P2 and P₁ (constant) of <see cref="SmallTD"/>'s series, outside its lanes.</summary>
    private const double P2G = -0.008333333333333333, P2 = -0.058333333333333334, P1 = -0.16666666666666666;

    /// <summary>Row <paramref name="row"/> of <see cref="SmallTLanes"/> (four coefficients, one per polynomial).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> Row(ref double table, int row) => Vector256.LoadUnsafe(ref table, (nuint)(4 * row));

    /// <summary>
    /// Without AVX: lane <paramref name="lane"/> of <see cref="SmallTLanes"/>'s rows <paramref name="first"/> … first +
    /// <paramref name="degree"/> (one polynomial's coefficients of g⁰ … g^degree) by Horner's scheme.
    /// </summary>
    private static double LaneHorner(ref double table, int first, int degree, double g, int lane)
    {
        double acc = Unsafe.Add(ref table, 4 * (first + degree) + lane);
        for (int j = degree - 1; j >= 0; j--) acc = FusedMultiplyAdd(acc, g, Unsafe.Add(ref table, 4 * (first + j) + lane));
        return acc;
    }

    /// <summary>
    /// <see cref="SmallTD"/>'s polynomials (the coefficients derived by scripts/iv-small-t-series.py, divided by (2k + 1)!), four
    /// to a row: rows 0–7 the coefficients of g⁰…g⁷ of Q₇, Q₆, Q₅, Q₄; rows 8–14 of g⁰…g⁶ of P₇, P₆, P₅, P₄; rows 15–18 of g⁰…g³
    /// of Q₃, Q₂, Q₁, P₃.
    /// </summary>
    private static ReadOnlySpan<double> SmallTLanes =>
    [
        1.5500992063492063e-06, 2.170138888888889e-05, 0.00026041666666666666, 0.0026041666666666665,
        3.6168981481481483e-06, 4.340277777777778e-05, 0.00043402777777777775, 0.003472222222222222,
        2.170138888888889e-06, 2.170138888888889e-05, 0.00017361111111111112, 0.0010416666666666667,
        5.166997354497355e-07, 4.133597883597884e-06, 2.48015873015873e-05, 9.92063492063492e-05,
        5.7411081716637274e-08, 3.4446649029982366e-07, 1.3778659611992946e-06, 2.7557319223985893e-06,
        3.131513548180215e-09, 1.252605419272086e-08, 2.505210838544172e-08, 0,
        8.029521918410807e-11, 1.6059043836821613e-10, 0, 0,
        7.647163731819816e-13, 0, 0, 0,
        -1.0567653796820463e-06, -1.4301381488881489e-05, -0.00016421657046657045, -0.0015459656084656085,
        -1.2203267411600745e-06, -1.3304114866614867e-05, -0.00011724386724386724, -0.0007853835978835978,
        -3.837308524808525e-07, -3.2712272295605627e-06, -2.1043771043771045e-05, -9.093915343915344e-05,
        -4.914067414067414e-08, -3.092971842971843e-07, -1.3027096360429694e-06, -2.7557319223985893e-06,
        -2.9020986362256202e-09, -1.204428287761621e-08, -2.505210838544172e-08, 0,
        -7.800107006456213e-11, -1.6059043836821613e-10, 0, 0,
        -7.647163731819816e-13, 0, 0, 0,
        0.020833333333333332, 0.125, 0.5, -0.01130952380952381,
        0.020833333333333332, 0.08333333333333333, 0.16666666666666666, -0.0035714285714285713,
        0.004166666666666667, 0.008333333333333333, 0, -0.0001984126984126984,
        0.0001984126984126984, 0, 0, 0,
    ];

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
    /// Φ⁻¹(p) for a starting point, given ln p (p &lt; 0.45), as a quotient Φ⁻¹(p) = <paramref name="num"/>/<paramref name="den"/>
    /// left undivided (the caller divides by it next): AS 241's first tail rational in √(−ln p) − 1.6 over the whole range,
    /// without the central form (p ≥ 0.075) or the far tail (√(−ln p) &gt; 5), so with no branch on p. Its relative error (mpmath,
    /// 400 digits) is 7.4e-8 at p = 0.45, 4.8e-9 at √(−ln p) = 1, below 1e-15 on [1.6, 5] (its own range), 1e-8 at 12 and 5.7e-8
    /// at 15 (p = e⁻²²⁵; the solver's β &gt; 1e-250 keeps √(−ln p) ≤ 14): far inside the ~6e-6 a fitted guess may be off, so the
    /// lower map's corrected guess (<c>LowerTableGuess</c>) still ends in one step. NaN parts for ln p ≥ ln 0.45 or NaN.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void InversePhiOfLogGuessParts(double logP, out double num, out double den)
    {
        if (!(logP < -0.7985076962177716)) { num = den = double.NaN; return; }
        NearTailParts(Math.Sqrt(-logP) - 1.6, out num, out den);
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

    /// <summary>AS 241's first tail rational, −Φ⁻¹(p) = num/den in v = √(−ln p) − 1.6 (accurate to ~1e-16 for 1.6 ≤ √(−ln p) ≤ 5).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void NearTailParts(double v, out double num, out double den)
    {
        double v2 = v * v, v4 = v2 * v2;
        num = Estrin7(v, v2, v4, 1.42343711074968357734e0, 4.63033784615654529590e0, 5.76949722146069140550e0, 3.64784832476320460504e0,
            1.27045825245236838258e0, 2.41780725177450611770e-1, 2.27238449892691845833e-2, 7.74545014278341407640e-4);
        den = Estrin7(v, v2, v4, 1, 2.05319162663775882187e0, 1.67638483018380384940e0, 6.89767334985100004550e-1,
            1.48103976427480074590e-1, 1.51986665636164571966e-2, 5.47593808499534494600e-4, 1.05075007164441684324e-9);
    }

    /// <summary>AS 241's tail numerator and denominator (−Φ⁻¹(p) = num/den) in u − 1.6 for u = √(−ln p) ≤ 5, u − 5 beyond.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void TailParts(double u, out double num, out double den)
    {
        if (u <= 5) NearTailParts(u - 1.6, out num, out den);
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
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
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
        double t = FusedMultiplyAdd(x, 92.33248261689366, Shifter); // 64/ln 2; adding the shifter rounds to an integer
        long k = BitConverter.DoubleToInt64Bits(t) - 0x4338000000000000L;
        double kd = t - Shifter;
        double r = FusedMultiplyAdd(-kd, 2.9815858269852933e-12, FusedMultiplyAdd(-kd, 0.01083042469326756, x));
        double p = FusedMultiplyAdd(r * r, FusedMultiplyAdd(FusedMultiplyAdd(FusedMultiplyAdd(r, 1.0 / 120, 1.0 / 24), r, 1.0 / 6), r, 0.5), r);
        double table = Unsafe.Add(ref MemoryMarshal.GetReference(ExpTable), (int)(k & 63));
        return FusedMultiplyAdd(table, p, table) * BitConverter.Int64BitsToDouble((k >> 6) + 1023 << 52);
    }

    /// <summary>
    /// ln x for the solver's own logarithms, inlined (the library's is a call, about 10 ns in the solver), without a branch on
    /// the argument (a random mix of strikes near and far from the money would mispredict one): x = 2^k·z, z ∈ [0.6855, 1.371),
    /// and with the centre c of z's cut (128 cuts of 2^45 ulps), invc = 1/c rounded and −ln(invc) as a double-double from a table
    /// (scripts/log-table.py, mpmath at 50 digits), ln z = −ln(invc) + ln(1 + r) exactly, r = z·invc − 1 by a fused multiply-add
    /// (|r| &lt; 0.004), ln(1 + r) to r⁷ (truncation below 2e-18 relative), and k·ln 2 in Cody–Waite parts. 1 is the centre of its
    /// cut (invc = 1, −ln(invc) = 0), so near 1 the result is r + r²(…) with r = x − 1 exact, at full relative accuracy. Within
    /// 1 ulp of the library's (which is within half an ulp); outside the normal positive range (0, subnormal, negative, ∞, NaN)
    /// it defers to Math.Log.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static double LogInline(double x)
    {
        if (!(x >= 2.2250738585072014e-308 && x <= double.MaxValue)) return Math.Log(x);
        // x = 2^k·z, z ∈ [OFF, 2·OFF), OFF = 0.685546875: in the bit pattern of x − OFF's, k is the exponent field and the cut
        // index the top seven mantissa bits (arithmetic shift: k < 0 below OFF); z keeps x's mantissa under OFF's exponent
        long bits = BitConverter.DoubleToInt64Bits(x), tmp = bits - 0x3FE5F00000000000L;
        int k = (int)(tmp >> 52);
        double z = BitConverter.Int64BitsToDouble(bits - (tmp & unchecked((long)0xFFF0000000000000UL)));
        ref double entry = ref Unsafe.Add(ref MemoryMarshal.GetReference(LogTable), 3 * (int)((tmp >> 45) & 127));
        double r = FusedMultiplyAdd(z, entry, -1);
        double r2 = r * r;
        double poly = r2 * FusedMultiplyAdd(FusedMultiplyAdd(FusedMultiplyAdd(1.0 / 7, r, -1.0 / 6), r2, FusedMultiplyAdd(1.0 / 5, r, -1.0 / 4)), r2,
            FusedMultiplyAdd(1.0 / 3, r, -1.0 / 2));
        // k·ln2_hi is exact (32-bit ln2_hi); its sum with −ln(invc)_hi is split exactly (Fast2Sum: |k·ln2_hi| ≥ ln 2 > |ln(invc)|
        // for k ≠ 0, and the error is 0 for k = 0), so the only rounding of size is the last addition's
        double kHi = k * 0.6931471803691238, tHi = Unsafe.Add(ref entry, 1);
        double hi = kHi + tHi, err = tHi - (hi - kHi);
        return hi + (r + (poly + (FusedMultiplyAdd(k, 1.9082149292705877e-10, Unsafe.Add(ref entry, 2)) + err)));
    }

    /// <summary>Per 1/128-cut of [OFF, 2·OFF) (2^45 ulps each): 1/c rounded, and −ln of that as hi, lo (scripts/log-table.py).</summary>
    private static ReadOnlySpan<double> LogTable =>
    [
        1.4545454545454546, -0.3746934494414107, -2.3831264386765673e-17,
        1.4463276836158192, -0.3690277119057333, -2.7679235568403196e-17,
        1.4382022471910112, -0.3633938941874773, 6.6871280933628636e-18,
        1.4301675977653632, -0.35779163863880753, 1.857394315781863e-17,
        1.4222222222222223, -0.35222059358935215, 1.1623903064849822e-17,
        1.4143646408839778, -0.34668041321373666, -2.67824200913148e-17,
        1.4065934065934067, -0.3411707574027672, -3.1846151250956206e-18,
        1.3989071038251366, -0.33569129163814154, 8.051134758369686e-18,
        1.391304347826087, -0.3302416868705768, -1.6927253978145054e-17,
        1.3837837837837839, -0.3248216194012377, 3.716255662863595e-18,
        1.3763440860215055, -0.3194307707663613, -2.5640385520940108e-17,
        1.3689839572192513, -0.3140688276249758, -4.708988771113312e-18,
        1.3617021276595744, -0.30873548164961323, -1.5025836482434425e-17,
        1.3544973544973544, -0.30343042941992004, 4.1512585401039935e-18,
        1.3473684210526315, -0.2981533723190763, -1.575278736910067e-17,
        1.3403141361256545, -0.2929040164329327, 1.57672734596757e-17,
        1.3333333333333333, -0.28768207245178085, -2.6071606164425637e-17,
        1.3264248704663213, -0.28248725557467697, 4.5622709592656976e-18,
        1.3195876288659794, -0.27731928541623435, 2.652724229158001e-17,
        1.3128205128205128, -0.27217788591581565, -1.859318262481925e-17,
        1.3061224489795917, -0.26706278524904514, -2.3896107240262357e-17,
        1.299492385786802, -0.2619737157415739, 1.878144810277299e-17,
        1.292929292929293, -0.2569104137850273, 9.92419178127068e-19,
        1.2864321608040201, -0.2518726197550701, -1.2846709260565683e-17,
        1.28, -0.2468600779315258, -6.678539813576451e-18,
        1.2736318407960199, -0.2418725364204867, -5.086688062206503e-18,
        1.2673267326732673, -0.23690974707835774, 1.3644270985951448e-17,
        1.2610837438423645, -0.23197146543777517, 1.0705552511300431e-17,
        1.2549019607843137, -0.22705745063534608, 4.326372045075968e-18,
        1.248780487804878, -0.2221674653411543, 1.1664564654755913e-17,
        1.2427184466019416, -0.2173012756899813, 1.8526017065773163e-18,
        1.2367149758454106, -0.21245865121419336, 1.8248974208288598e-18,
        1.2307692307692308, -0.20763936477824455, -1.2053243216686127e-17,
        1.2248803827751196, -0.20284319251475144, 9.177560001701116e-18,
        1.2190476190476192, -0.19806991376209387, -1.0681737386368664e-17,
        1.2132701421800949, -0.19331931100349606, 2.3084535888000873e-18,
        1.2075471698113207, -0.18859116980754997, -9.915070540571144e-18,
        1.2018779342723005, -0.18388527877013738, -1.51192377141417e-18,
        1.1962616822429906, -0.17920142945771092, 2.111400074974391e-18,
        1.1906976744186046, -0.17453941635189965, -1.2294483916404324e-17,
        1.1851851851851851, -0.16989903679539742, 4.868008764439086e-19,
        1.1797235023041475, -0.16528009093910292, 1.4935930931804023e-18,
        1.1743119266055047, -0.16068238169047352, 3.650183553047839e-18,
        1.1689497716894977, -0.1561057146630616, 1.2806970330932863e-17,
        1.1636363636363636, -0.15154989812720088, -1.2105853272368787e-17,
        1.158371040723982, -0.14701474296180975, -1.6045849809178003e-18,
        1.1531531531531531, -0.142500062607283, -9.155570001519129e-18,
        1.147982062780269, -0.1380056730194437, -9.927673066865803e-18,
        1.1428571428571428, -0.13353139262452257, 3.664457663660086e-18,
        1.1377777777777778, -0.12907704227514236, 1.380833506137427e-17,
        1.1327433628318584, -0.12464244520727659, 5.8089126789409715e-18,
        1.1277533039647578, -0.12022742699815989, -6.703429385028035e-18,
        1.1228070175438596, -0.11583181552512165, -4.3384843698080944e-18,
        1.1179039301310043, -0.11145544092532278, 4.722382936838005e-18,
        1.1130434782608696, -0.10709813555636712, 3.4717745161358675e-18,
        1.1082251082251082, -0.10275973395776894, 5.5749926045490845e-18,
        1.103448275862069, -0.09844007281325251, 4.439009633675136e-18,
        1.0987124463519313, -0.09413899091386191, 1.9720664099579867e-18,
        1.0940170940170941, -0.08985632912186114, -2.84207093558465e-18,
        1.0893617021276596, -0.08559193033540353, 4.505830273858094e-18,
        1.0847457627118644, -0.0813456394539524, -1.6076294039775555e-18,
        1.080168776371308, -0.0771173033444312, -1.6980741255382134e-18,
        1.0756302521008403, -0.07290677080808773, -5.836204074304871e-18,
        1.0711297071129706, -0.06871389254805173, 5.131966502090055e-18,
        1.0666666666666667, -0.06453852113757116, 6.470486661692933e-18,
        1.062240663900415, -0.06038051098890748, 1.2896019993525642e-18,
        1.0578512396694215, -0.05623971832287611, 3.2835149805605617e-18,
        1.0534979423868314, -0.0521160011390141, -2.445091174292264e-18,
        1.0491803278688525, -0.04800921918636066, 2.030356617224395e-18,
        1.0448979591836736, -0.04391923393483558, -1.7623552700046253e-18,
        1.0406504065040652, -0.03984590854719978, 1.3948242043384064e-18,
        1.0364372469635628, -0.03578910785158529, -7.2846227792942925e-19,
        1.032258064516129, -0.03174869831458027, -3.0382263084680854e-18,
        1.0281124497991967, -0.02772454801485477, -1.6936634670586275e-19,
        1.024, -0.023716526617316065, 1.5774243488668216e-18,
        1.0199203187250996, -0.019724505347778573, 1.3445979863167513e-18,
        1.0158730158730158, -0.015748356968139112, -1.0021578630528958e-18,
        1.0118577075098814, -0.011787955752042173, -2.208154666796599e-19,
        1.0078740157480315, -0.007843177461025879, -2.764708154124903e-19,
        1.003921568627451, -0.003913899321136315, -4.2808986230681246e-19,
        1.0, 0.0, 0.0,
        0.9922480620155039, 0.007782140442054963, -1.2819179123343749e-20,
        0.9846153846153847, 0.015504186535965199, -3.2783210228924137e-19,
        0.9770992366412213, 0.023167059281534418, -3.095927552179262e-19,
        0.9696969696969697, 0.03077165866675366, 1.0431732029005972e-18,
        0.9624060150375939, 0.03831886430213666, -2.3579961573512846e-18,
        0.9552238805970149, 0.04580953603129422, 1.6823639049745016e-19,
        0.9481481481481482, 0.05324451451881224, 1.803871134979952e-18,
        0.9411764705882353, 0.060624621816434854, 2.6424025938726934e-18,
        0.9343065693430657, 0.06795066190850778, 3.9239563038692484e-18,
        0.927536231884058, 0.07522342123758752, -4.195880720316434e-18,
        0.920863309352518, 0.08244366921107454, -4.707903082046854e-18,
        0.9142857142857143, 0.08961215868968717, -1.9573659817110993e-18,
        0.9078014184397163, 0.09672962645855114, -4.0291867005826106e-18,
        0.9014084507042254, 0.10379679368164355, -3.195893222617445e-18,
        0.8951048951048951, 0.11081436634029011, 2.0511100808140527e-18,
        0.8888888888888888, 0.11778303565638351, -1.1971685747593662e-18,
        0.8827586206896552, 0.12470347850095725, -4.6522609636496624e-18,
        0.8767123287671232, 0.13157635778871932, 1.112300087972959e-17,
        0.8707482993197279, 0.1384023228591192, -1.3766819196398948e-17,
        0.8648648648648649, 0.14518200984449783, 8.242418783022477e-18,
        0.8590604026845637, 0.151916042025842, 4.1233095848339465e-19,
        0.8533333333333334, 0.15860503017663852, 2.583386492298558e-18,
        0.847682119205298, 0.16524957289530717, -9.227573884334224e-18,
        0.8421052631578947, 0.17185025692665928, -6.022453821011369e-18,
        0.8366013071895425, 0.17840765747281825, 1.2720936612962572e-17,
        0.8311688311688312, 0.18492233849401193, -7.384679440503435e-18,
        0.8258064516129032, 0.19139485299962947, -1.126213516780448e-17,
        0.8205128205128205, 0.19782574332991992, -7.995487338741543e-18,
        0.8152866242038217, 0.20421554142869083, 7.9379985298027e-18,
        0.810126582278481, 0.21056476910734964, 1.136310596906137e-17,
        0.8050314465408805, 0.2168739383006143, 6.285749669211092e-18,
        0.8, 0.2231435513142097, -9.091270597324798e-18,
        0.7950310559006211, 0.2293741010648459, -5.684839459813236e-18,
        0.7901234567901234, 0.23556607131276697, -2.394337149518734e-18,
        0.7852760736196319, 0.24171993688714513, 1.323779871210866e-17,
        0.7804878048780488, 0.2478361639045812, 8.384472133019162e-18,
        0.7757575757575758, 0.25391520998096345, -7.180735656435798e-18,
        0.7710843373493976, 0.259957524436926, 2.4167516341742964e-17,
        0.7664670658682635, 0.2659635484971379, 1.35209848201012e-19,
        0.7619047619047619, 0.2719337154836418, 7.833196376974436e-19,
        0.757396449704142, 0.2778684510034563, 2.2502748630777633e-17,
        0.7529411764705882, 0.2837681731306446, -6.448868003452105e-18,
        0.7485380116959064, 0.2896332925830427, 2.0535953219858177e-17,
        0.7441860465116279, 0.2954642128938359, -7.768320796245443e-18,
        0.7398843930635838, 0.30126133057816185, -1.5120043309967385e-17,
        0.735632183908046, 0.3070250352949119, 1.5578716077124932e-18,
        0.7314285714285714, 0.3127557100038969, -1.3650721793001109e-17,
    ];

    /// <summary>2^{j/64}, j = 0 … 63 (mpmath at 50 digits, rounded to the nearest double).</summary>
    private static ReadOnlySpan<double> ExpTable => [1.0, 1.0108892860517005, 1.0218971486541166, 1.0330248790212284, 1.0442737824274138, 1.0556451783605572, 1.0671404006768237, 1.0787607977571199, 1.0905077326652577, 1.102382583307841, 1.1143867425958924, 1.1265216186082418, 1.1387886347566916, 1.1511892299529827, 1.1637248587775775, 1.1763969916502812, 1.189207115002721, 1.202156731452703, 1.215247359980469, 1.22848053610687, 1.241857812073484, 1.255380757024691, 1.2690509571917332, 1.2828700160787783, 1.2968395546510096, 1.3109612115247644, 1.3252366431597413, 1.339667524053303, 1.3542555469368927, 1.3690024229745905, 1.383909881963832, 1.3989796725383112, 1.4142135623730951, 1.42961333839197, 1.4451808069770467, 1.460917794180647, 1.4768261459394993, 1.4929077282912648, 1.5091644275934228, 1.5255981507445384, 1.5422108254079407, 1.559004400237837, 1.5759808451078865, 1.593142151342267, 1.6104903319492543, 1.6280274218573478, 1.645755478153965, 1.6636765803267364, 1.681792830507429, 1.7001063537185235, 1.718619298122478, 1.7373338352737062, 1.7562521603732995, 1.7753764925265212, 1.7947090750031072, 1.8142521755003989, 1.8340080864093424, 1.8539791250833855, 1.8741676341103, 1.8945759815869656, 1.9152065613971474, 1.9360617934922943, 1.9571441241754002, 1.978456026387951];
}
