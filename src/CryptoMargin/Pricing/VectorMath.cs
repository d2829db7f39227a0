using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace CryptoMargin.Pricing;

/// <summary>
/// exp, ln, erf, erfc and the standard normal CDF Φ on four doubles at once (<see cref="Vector256{T}"/>), for the
/// batch pricer. Where AVX2 is absent (<see cref="Vector256.IsHardwareAccelerated"/> false) the same code runs through
/// the runtime's software <see cref="Vector256{T}"/> (correct, slow): callers that care check the flag and use the scalar
/// kernels instead, as <see cref="Black76Batch"/> does. Every function is branch-free per lane; a whole branch of a
/// piecewise approximation is skipped only when no lane needs it. Measured maximum relative errors (against mpmath at
/// 50 digits and against Math.Exp/Math.Log; tests/CryptoMargin.Tests/Pricing/VectorMathTests.cs, docs/options/pricing-batch.md)
/// are stated on each function.
/// </summary>
internal static class VectorMath
{
    private const double Log2E = 1.4426950408889634074;
    // Cody–Waite split of ln 2 (Cody & Waite, Software Manual for the Elementary Functions, 1980, ch. 6): the high part
    // has 32 significant bits, so n·Ln2Hi is exact for every |n| ≤ 1100 and x − n·Ln2Hi is exact.
    private const double Ln2Hi = 6.93147180369123816490e-01;
    private const double Ln2Lo = 1.90821492927058770002e-10;
    // 1.5·2^52: adding it to |v| < 2^51 rounds v to an integer held in the low mantissa bits.
    private const double Shifter = 6755399441055744.0;
    private const double Sqrt2 = 1.41421356237309504880;
    private const double InvSqrt2 = 0.70710678118654752440;
    private const double SmallestNormal = 2.2250738585072014e-308;

    // W. J. Cody, "Rational Chebyshev approximations for the error function", Math. Comp. 23 (1969) 631–637, as
    // published in his CALERF (netlib specfun, 1990): erf on |x| ≤ 0.46875 (A, B), erfc on (0.46875, 4] (C, D),
    // erfc on (4, ∞) in 1/x² (P, Q); XBIG = 26.543 is where erfc underflows (its value there is ≈ 1.2e-308).
    private const double CodyThreshold = 0.46875;
    private const double CodyXBig = 26.543;
    private const double SqrtPiInv = 0.56418958354775628695; // 1/√π
    private const double A0 = 3.1611237438705656, A1 = 113.864154151050156, A2 = 377.485237685302021, A3 = 3209.37758913846947, A4 = 0.185777706184603153;
    private const double B0 = 23.6012909523441209, B1 = 244.024637934444173, B2 = 1282.61652607737228, B3 = 2844.23683343917062;
    private const double C0 = 0.564188496988670089, C1 = 8.88314979438837594, C2 = 66.1191906371416295, C3 = 298.635138197400131,
        C4 = 881.95222124176909, C5 = 1712.04761263407058, C6 = 2051.07837782607147, C7 = 1230.33935479799725, C8 = 2.15311535474403846e-8;
    private const double D0 = 15.7449261107098347, D1 = 117.693950891312499, D2 = 537.181101862009858, D3 = 1621.38957456669019,
        D4 = 3290.79923573345963, D5 = 4362.61909014324716, D6 = 3439.36767414372164, D7 = 1230.33935480374942;
    private const double P0 = 0.305326634961232344, P1 = 0.360344899949804439, P2 = 0.125781726111229246, P3 = 0.0160837851487422766,
        P4 = 6.58749161529837803e-4, P5 = 0.0163153871373020978;
    private const double Q0 = 2.56852019228982242, Q1 = 1.87295284992346047, Q2 = 0.527905102951428412, Q3 = 0.0605183413124413191,
        Q4 = 0.00233520497626869185;

    /// <summary>Below this z, Φ(z) is returned as exact 0 (Φ(−37.5) ≈ 4.6e-308, twice the smallest normal double; mpmath).</summary>
    internal const double PhiZeroBelow = -37.5;

    /// <summary>
    /// e^x. Cody–Waite reduction x = n·ln 2 + r, |r| ≤ ln2/2, then the Taylor polynomial of e^r to degree 13 (truncation
    /// below 4e-18 relative) and 2^n built in two halves so that subnormal results are rounded once. +∞ above 709.78,
    /// exact 0 below −745.14, NaN stays NaN. Measured: 2.13e-16 relative at most against mpmath over normal results.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Exp(Vector256<double> x) => ExpSum(x, Vector256<double>.Zero);

    /// <summary>
    /// e^(hi + lo) without rounding hi + lo first: lo enters the reduced argument after the exact subtraction of n·ln 2
    /// from hi. Used where the argument is a sum known more precisely than one double (−z²/2 split into parts).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> ExpSum(Vector256<double> hi, Vector256<double> lo)
    {
        var v = Vector256.Min(Vector256.Max(hi + lo, Vector256.Create(-746.0)), Vector256.Create(710.0));
        var shifted = v * Vector256.Create(Log2E) + Vector256.Create(Shifter);
        var n = shifted - Vector256.Create(Shifter);
        var h = Vector256.Min(Vector256.Max(hi, Vector256.Create(-800.0)), Vector256.Create(800.0));
        var r = h - n * Vector256.Create(Ln2Hi); // exact
        r += lo - n * Vector256.Create(Ln2Lo);

        // e^r = 1 + r + r²·(1/2! + r/3! + … + r^11/13!)
        var q = Vector256.Create(1.0 / 6227020800.0);
        q = q * r + Vector256.Create(1.0 / 479001600.0);
        q = q * r + Vector256.Create(1.0 / 39916800.0);
        q = q * r + Vector256.Create(1.0 / 3628800.0);
        q = q * r + Vector256.Create(1.0 / 362880.0);
        q = q * r + Vector256.Create(1.0 / 40320.0);
        q = q * r + Vector256.Create(1.0 / 5040.0);
        q = q * r + Vector256.Create(1.0 / 720.0);
        q = q * r + Vector256.Create(1.0 / 120.0);
        q = q * r + Vector256.Create(1.0 / 24.0);
        q = q * r + Vector256.Create(1.0 / 6.0);
        q = q * r + Vector256.Create(0.5);
        var p = Vector256<double>.One + (r + r * r * q);

        // 2^n = 2^n1 · 2^n2 with n1 = ⌊n/2⌋: each factor is a normal number for n ∈ [−1076, 1024].
        var n1 = Vector256.Floor(n * Vector256.Create(0.5));
        var n2 = n - n1;
        var result = p * Pow2(n1) * Pow2(n2);

        var x = hi + lo;
        result = Vector256.ConditionalSelect(Vector256.LessThan(x, Vector256.Create(-745.1332191019412)), Vector256<double>.Zero, result);
        result = Vector256.ConditionalSelect(Vector256.GreaterThan(x, Vector256.Create(709.782712893384)), Vector256.Create(double.PositiveInfinity), result);
        return Vector256.ConditionalSelect(Vector256.Equals(x, x), result, x);
    }

    /// <summary>2^m for integer-valued m in [−1022, 1023]: the biased exponent written into the exponent field.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> Pow2(Vector256<double> m)
    {
        // m + 1023 + 1.5·2^52 holds m + 1023 in its low mantissa bits; shifting left by 52 moves them into the exponent.
        var bits = (m + Vector256.Create(Shifter + 1023.0)).AsInt64();
        return Vector256.ShiftLeft(bits, 52).AsDouble();
    }

    /// <summary>
    /// ln x. frexp-style split x = 2^e·m with m ∈ [√2/2, √2) read from the bits (subnormals scaled by 2^52 first), then
    /// ln m = 2 atanh(f), f = (m − 1)/(m + 1), |f| ≤ 0.1716, by its Taylor series 2(f + f³/3 + … + f²¹/21) (truncation below
    /// 1e-17 relative; Abramowitz &amp; Stegun 4.1.27), and ln x = e·ln 2 + ln m with ln 2 in Cody–Waite parts.
    /// ln 0 = −∞, ln of a negative number or NaN = NaN, ln ∞ = ∞. Measured: 2.20e-16 relative at most against mpmath.
    /// </summary>
    public static Vector256<double> Log(Vector256<double> x)
    {
        var tiny = Vector256.LessThan(x, Vector256.Create(SmallestNormal));
        var xs = Vector256.ConditionalSelect(tiny, x * Vector256.Create(4503599627370496.0), x);
        var bits = xs.AsInt64();
        // Exponent field as a double: OR it into the low mantissa bits of 1.5·2^52 and subtract.
        var expField = Vector256.ShiftRightLogical(bits, 52) | Vector256.Create(Shifter).AsInt64();
        var e = expField.AsDouble() - Vector256.Create(Shifter + 1023.0);
        e -= Vector256.ConditionalSelect(tiny, Vector256.Create(52.0), Vector256<double>.Zero);
        var m = ((bits & Vector256.Create(0x000FFFFFFFFFFFFFL)) | Vector256.Create(0x3FF0000000000000L)).AsDouble();
        var big = Vector256.GreaterThan(m, Vector256.Create(Sqrt2));
        m = Vector256.ConditionalSelect(big, m * Vector256.Create(0.5), m);
        e += Vector256.ConditionalSelect(big, Vector256<double>.One, Vector256<double>.Zero);

        var f = (m - Vector256<double>.One) / (m + Vector256<double>.One);
        var s = f * f;
        var q = Vector256.Create(1.0 / 21);
        q = q * s + Vector256.Create(1.0 / 19);
        q = q * s + Vector256.Create(1.0 / 17);
        q = q * s + Vector256.Create(1.0 / 15);
        q = q * s + Vector256.Create(1.0 / 13);
        q = q * s + Vector256.Create(1.0 / 11);
        q = q * s + Vector256.Create(1.0 / 9);
        q = q * s + Vector256.Create(1.0 / 7);
        q = q * s + Vector256.Create(1.0 / 5);
        q = q * s + Vector256.Create(1.0 / 3);
        var twoF = f + f;
        var result = e * Vector256.Create(Ln2Hi) + (twoF + (twoF * s * q + e * Vector256.Create(Ln2Lo)));

        result = Vector256.ConditionalSelect(Vector256.Equals(x, Vector256<double>.Zero), Vector256.Create(double.NegativeInfinity), result);
        result = Vector256.ConditionalSelect(Vector256.LessThan(x, Vector256<double>.Zero), Vector256.Create(double.NaN), result);
        result = Vector256.ConditionalSelect(Vector256.Equals(x, Vector256.Create(double.PositiveInfinity)), x, result);
        return Vector256.ConditionalSelect(Vector256.Equals(x, x), result, x);
    }

    /// <summary>
    /// erfc x by Cody (1969): 1 − erf x for |x| ≤ 0.46875, e^(−x²)·R(x) above (R Cody's rational functions, e^(−x²) with
    /// x² kept to double-double precision), 2 − erfc(−x) below −0.46875, exact 0 above 26.543 (where erfc underflows).
    /// Measured: 6.1e-16 relative at most against mpmath on [−6, 26.5] (values down to 2.3e-308).
    /// </summary>
    public static Vector256<double> Erfc(Vector256<double> x)
    {
        var y = Vector256.Min(Vector256.Abs(x), Vector256.Create(27.0));
        var small = Vector256.LessThanOrEqual(y, Vector256.Create(CodyThreshold));
        var result = Vector256<double>.Zero;
        if (Any(small)) result = Vector256<double>.One - SmallErf(x);
        if (!All(small))
        {
            var tail = ExpNegSquare(y) * TailRational(y);
            tail = Vector256.ConditionalSelect(Vector256.GreaterThanOrEqual(y, Vector256.Create(CodyXBig)), Vector256<double>.Zero, tail);
            tail = Vector256.ConditionalSelect(Vector256.LessThan(x, Vector256<double>.Zero), Vector256.Create(2.0) - tail, tail);
            result = Vector256.ConditionalSelect(small, result, tail);
        }
        return Vector256.ConditionalSelect(Vector256.Equals(x, x), result, x);
    }

    /// <summary>erf x by Cody (1969): his rational function for |x| ≤ 0.46875, ±(1 − erfc|x|) above. Measured: within 4e-16 of MathNet's Erf near zero.</summary>
    public static Vector256<double> Erf(Vector256<double> x)
    {
        var y = Vector256.Min(Vector256.Abs(x), Vector256.Create(27.0));
        var small = Vector256.LessThanOrEqual(y, Vector256.Create(CodyThreshold));
        var result = Vector256<double>.Zero;
        if (Any(small)) result = SmallErf(x);
        if (!All(small))
        {
            var tail = ExpNegSquare(y) * TailRational(y);
            tail = Vector256.ConditionalSelect(Vector256.GreaterThanOrEqual(y, Vector256.Create(CodyXBig)), Vector256<double>.Zero, tail);
            var magnitude = Vector256<double>.One - tail;
            tail = Vector256.ConditionalSelect(Vector256.LessThan(x, Vector256<double>.Zero), -magnitude, magnitude);
            result = Vector256.ConditionalSelect(small, result, tail);
        }
        return Vector256.ConditionalSelect(Vector256.Equals(x, x), result, x);
    }

    /// <summary>
    /// Φ(z) = erfc(−z/√2)/2. Near zero (|z|/√2 ≤ 0.46875) ½ + ½·erf(z/√2) by Cody's erf; elsewhere Q = ½e^(−z²/2)·R(|z|/√2)
    /// with Cody's rational R and the exponent −z²/2 formed from z itself (not from the rounded z/√2, whose rounding would
    /// cost ~z² ulp in the tail), Φ = Q for z &lt; 0 and 1 − Q above. Exact 0 below <see cref="PhiZeroBelow"/>, 1 above +37.5.
    /// Measured: 5.0e-16 relative at most against mpmath on [−37, 8.3] (Φ down to 5.7e-300).
    /// </summary>
    public static Vector256<double> Phi(Vector256<double> z)
    {
        Normal(z, out var phi, out _, out _);
        return phi;
    }

    /// <summary>
    /// Φ(z), Φ(−z) and erf(z/√2) from one evaluation (the batch pricer needs all three of the same argument): the
    /// method of <see cref="Phi"/>, with Φ(−z) = ½ − ½erf(z/√2) near zero and Q or 1 − Q in the tails, and
    /// erf(z/√2) = sign(z)(1 − 2Q) outside Cody's small-argument range. Both Φ(z) and Φ(−z) keep full relative accuracy
    /// in their lower tails.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Normal(Vector256<double> z, out Vector256<double> phi, out Vector256<double> phiOfMinus, out Vector256<double> erfHalf)
    {
        var az = Vector256.Min(Vector256.Abs(z), Vector256.Create(40.0));
        var y = az * Vector256.Create(InvSqrt2);
        var small = Vector256.LessThanOrEqual(y, Vector256.Create(CodyThreshold));
        var negative = Vector256.LessThan(z, Vector256<double>.Zero);
        phi = phiOfMinus = erfHalf = Vector256<double>.Zero;
        if (Any(small))
        {
            erfHalf = SmallErf(z * Vector256.Create(InvSqrt2));
            var half = Vector256.Create(0.5) * erfHalf;
            phi = Vector256.Create(0.5) + half;
            phiOfMinus = Vector256.Create(0.5) - half;
        }
        if (!All(small))
        {
            // −z²/2 = −zh²/2 − (|z| − zh)(|z| + zh)/2 with zh = ⌊16|z|⌋/16: the first part exact (Cody's split of x²).
            var zh = Vector256.Floor(az * Vector256.Create(16.0)) * Vector256.Create(0.0625);
            var hi = Vector256.Create(-0.5) * zh * zh;
            var lo = Vector256.Create(-0.5) * (az - zh) * (az + zh);
            var q = Vector256.Create(0.5) * ExpSum(hi, lo) * TailRational(y);   // Φ(−|z|)
            q = Vector256.ConditionalSelect(Vector256.LessThan(az, Vector256.Create(-PhiZeroBelow)), q, Vector256<double>.Zero);
            var p = Vector256<double>.One - q;                                    // Φ(|z|)
            var e = Vector256<double>.One - (q + q);                              // erf(|z|/√2)
            phi = Vector256.ConditionalSelect(small, phi, Vector256.ConditionalSelect(negative, q, p));
            phiOfMinus = Vector256.ConditionalSelect(small, phiOfMinus, Vector256.ConditionalSelect(negative, p, q));
            erfHalf = Vector256.ConditionalSelect(small, erfHalf, Vector256.ConditionalSelect(negative, -e, e));
        }
        var isNumber = Vector256.Equals(z, z);
        phi = Vector256.ConditionalSelect(isNumber, phi, z);
        phiOfMinus = Vector256.ConditionalSelect(isNumber, phiOfMinus, z);
        erfHalf = Vector256.ConditionalSelect(isNumber, erfHalf, z);
    }

    /// <summary>
    /// The scaled complementary error function erfcx x = e^(x²)·erfc x by Cody (1969), as the scalar
    /// <see cref="ImpliedVolatilityKernels.Erfcx"/>: e^(x²)(1 − erf x) with his small-argument erf for |x| ≤ 0.46875, his
    /// rational functions R (the same as <see cref="Erfc"/>'s, without the factor e^(−x²)) above 0.46875, and below −0.46875
    /// the reflection erfcx x = 2e^(x²) − R(−x) with x² split as Cody does (⌊16|x|⌋²/256 exactly plus the rest, fed into
    /// the reduced argument of exp). erfcx(+∞) = 0, +∞ below −26.6 (where e^(x²) overflows), NaN stays NaN. For the
    /// implied-volatility batch (<see cref="ImpliedVolatility.SolveBatch"/>); measured against mpmath and the scalar kernel
    /// in tests/CryptoMargin.Tests/Pricing/ImpliedVolatilityBatchTests.cs (docs/options/implied-volatility.md).
    /// </summary>
    public static Vector256<double> Erfcx(Vector256<double> x)
    {
        var y = Vector256.Abs(x);
        var small = Vector256.LessThanOrEqual(y, Vector256.Create(CodyThreshold));
        var result = Vector256<double>.Zero;
        if (Any(small)) result = Exp(x * x) * (Vector256<double>.One - SmallErf(x));
        if (!All(small))
        {
            var tail = TailRational(Vector256.Max(y, Vector256.Create(CodyThreshold)));
            var negative = Vector256.LessThan(x, Vector256.Create(-CodyThreshold));
            if (Any(negative))
            {
                var yc = Vector256.Min(y, Vector256.Create(27.0));
                var yh = Vector256.Floor(yc * Vector256.Create(16.0)) * Vector256.Create(0.0625);
                var reflected = Vector256.Create(2.0) * ExpSum(yh * yh, (yc - yh) * (yc + yh)) - tail;
                tail = Vector256.ConditionalSelect(negative, reflected, tail);
            }
            result = Vector256.ConditionalSelect(small, result, tail);
        }
        return Vector256.ConditionalSelect(Vector256.Equals(x, x), result, x);
    }

    /// <summary>e^(−y²) for 0 ≤ y ≤ 27, y² split as Cody does: ⌊16y⌋²/256 exactly plus (y − yh)(y + yh).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> ExpNegSquare(Vector256<double> y)
    {
        var yh = Vector256.Floor(y * Vector256.Create(16.0)) * Vector256.Create(0.0625);
        return ExpSum(-(yh * yh), -((y - yh) * (y + yh)));
    }

    /// <summary>Cody's erf x = x·P(x²)/Q(x²) for |x| ≤ 0.46875.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> SmallErf(Vector256<double> x)
    {
        var ysq = x * x;
        var num = Vector256.Create(A4) * ysq;
        var den = ysq;
        num = (num + Vector256.Create(A0)) * ysq; den = (den + Vector256.Create(B0)) * ysq;
        num = (num + Vector256.Create(A1)) * ysq; den = (den + Vector256.Create(B1)) * ysq;
        num = (num + Vector256.Create(A2)) * ysq; den = (den + Vector256.Create(B2)) * ysq;
        return x * (num + Vector256.Create(A3)) / (den + Vector256.Create(B3));
    }

    /// <summary>
    /// R(y) = e^(y²)·erfc(y) for y &gt; 0.46875: Cody's C/D rational on (0.46875, 4], his P/Q rational in 1/y² above 4.
    /// Each is computed only if some lane needs it.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> TailRational(Vector256<double> y)
    {
        var mid = Vector256.LessThanOrEqual(y, Vector256.Create(4.0));
        var result = Vector256<double>.Zero;
        if (Any(mid))
        {
            var num = Vector256.Create(C8) * y;
            var den = y;
            num = (num + Vector256.Create(C0)) * y; den = (den + Vector256.Create(D0)) * y;
            num = (num + Vector256.Create(C1)) * y; den = (den + Vector256.Create(D1)) * y;
            num = (num + Vector256.Create(C2)) * y; den = (den + Vector256.Create(D2)) * y;
            num = (num + Vector256.Create(C3)) * y; den = (den + Vector256.Create(D3)) * y;
            num = (num + Vector256.Create(C4)) * y; den = (den + Vector256.Create(D4)) * y;
            num = (num + Vector256.Create(C5)) * y; den = (den + Vector256.Create(D5)) * y;
            num = (num + Vector256.Create(C6)) * y; den = (den + Vector256.Create(D6)) * y;
            result = (num + Vector256.Create(C7)) / (den + Vector256.Create(D7));
        }
        if (!All(mid))
        {
            var ysq = Vector256<double>.One / (y * y);
            var num = Vector256.Create(P5) * ysq;
            var den = ysq;
            num = (num + Vector256.Create(P0)) * ysq; den = (den + Vector256.Create(Q0)) * ysq;
            num = (num + Vector256.Create(P1)) * ysq; den = (den + Vector256.Create(Q1)) * ysq;
            num = (num + Vector256.Create(P2)) * ysq; den = (den + Vector256.Create(Q2)) * ysq;
            num = (num + Vector256.Create(P3)) * ysq; den = (den + Vector256.Create(Q3)) * ysq;
            var r = ysq * (num + Vector256.Create(P4)) / (den + Vector256.Create(Q4));
            var large = (Vector256.Create(SqrtPiInv) - r) / y;
            result = Vector256.ConditionalSelect(mid, result, large);
        }
        return result;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool Any(Vector256<double> mask) => Vector256.ExtractMostSignificantBits(mask) != 0;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool All(Vector256<double> mask) => Vector256.ExtractMostSignificantBits(mask) == 0xF;

    /// <summary>Applies a four-lane function to a span, the last partial group padded (for tests and one-off use).</summary>
    internal static void Apply(ReadOnlySpan<double> x, Span<double> result, Func<Vector256<double>, Vector256<double>> f)
    {
        if (result.Length != x.Length) throw new ArgumentException($"result has {result.Length} items but x has {x.Length}.", nameof(result));
        Span<double> buffer = stackalloc double[4];
        for (int i = 0; i < x.Length; i += 4)
        {
            int m = Math.Min(4, x.Length - i);
            buffer.Clear();
            x.Slice(i, m).CopyTo(buffer);
            f(Vector256.Create((ReadOnlySpan<double>)buffer)).CopyTo(buffer);
            buffer[..m].CopyTo(result.Slice(i, m));
        }
    }
}
