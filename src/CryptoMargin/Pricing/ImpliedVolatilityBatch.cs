using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace CryptoMargin.Pricing;

/// <summary>
/// The vectorised <see cref="ImpliedVolatility.SolveBatch"/> (docs/options/implied-volatility.md, "Vectorised batch"), four
/// solves at a time in <see cref="Vector256{T}"/> lanes with <see cref="VectorMath"/>'s exp, ln and erfcx, for the solves the
/// scalar solver starts from a fitted table in the lower region (β &lt; b_c; 96% of the stress grid, 95% of a real Deribit chain):
/// the central table, the small-s_c table, the direct lower-map guess corrected by its table, or the mid table
/// (<see cref="InitialGuess"/>), and finishes in one step.
/// Per lane: the reduction (as
/// <see cref="Reduce"/>, ln(F/K) as ln(F/K rounded) plus the division's exact remainder over F instead of ln(1 + y)),
/// b_max, s_c, b_c, the region and every test by which the scalar <see cref="InitialGuess"/> picks its branch, the guess s
/// (the table read lane by lane), then one third-order step on g = b − β with b from the small-t series in closed form
/// (<see cref="SmallTSeries"/>) or the erfcx form, as the scalar kernel's branch for the lane. A lane that fails any test (an input the scalar reduction rejects, another guess branch,
/// another kernel branch, a step larger than 1e-5·s or leaving its bracket) is solved by the scalar <see cref="Solve(double,
/// double, double, double, OptionType, double)"/> instead, so reasons are the scalar solver's and every lane's result depends
/// on its own inputs alone (not on its neighbours in the batch). Results agree with the scalar solver's to rounding.
/// </summary>
public static partial class ImpliedVolatility
{
    private static void SolveBatchVector(ReadOnlySpan<double> prices, ReadOnlySpan<double> forwards, ReadOnlySpan<double> strikes,
        ReadOnlySpan<double> times, ReadOnlySpan<OptionType> types, ReadOnlySpan<double> discounts,
        Span<double> vols, Span<ImpliedVolatilityReason> reasons)
    {
        int n = prices.Length;
        Span<double> buffer = stackalloc double[4 * 6];
        Span<long> calls = stackalloc long[4];
        for (int start = 0; start < n; start += 4)
        {
            // the last group is padded with its first item (lane-local work: the padding changes nothing)
            int used = Math.Min(4, n - start);
            for (int j = 0; j < 4; j++)
            {
                int i = start + (j < used ? j : 0);
                buffer[j] = prices[i];
                buffer[4 + j] = forwards[i];
                buffer[8 + j] = strikes[i];
                buffer[12 + j] = times[i];
                buffer[16 + j] = discounts.IsEmpty ? 1 : discounts[i];
                calls[j] = types[i] == OptionType.Call ? -1 : 0;
            }
            var fast = Solve4(Vector256.Create(buffer), Vector256.Create(buffer[4..]), Vector256.Create(buffer[8..]),
                Vector256.Create(buffer[12..]), Vector256.Create(buffer[16..]), Vector256.Create(calls).AsDouble(), out var vol);
            uint mask = Vector256.ExtractMostSignificantBits(fast);
            vol.CopyTo(buffer);
            for (int j = 0; j < used; j++)
            {
                int i = start + j;
                if ((mask & (1u << j)) != 0)
                {
                    vols[i] = buffer[j];
                    reasons[i] = ImpliedVolatilityReason.Solved;
                    continue;
                }
                var r = Solve(prices[i], forwards[i], strikes[i], times[i], types[i], discounts.IsEmpty ? 1 : discounts[i]);
                vols[i] = r.Volatility;
                reasons[i] = r.Reason;
            }
        }
    }

    private static Vector256<double> V(double value) => Vector256.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> Fma(Vector256<double> a, Vector256<double> b, Vector256<double> c) => Vector256.FusedMultiplyAdd(a, b, c);

    /// <summary>
    /// Four solves of the one-step fitted-table kind (see the type's summary): the lanes of the returned mask are finished, with σ in
    /// <paramref name="vol"/>; the others are left to the scalar solver.
    /// </summary>
    private static Vector256<double> Solve4(Vector256<double> price, Vector256<double> forward, Vector256<double> strike,
        Vector256<double> t, Vector256<double> discount, Vector256<double> call, out Vector256<double> vol)
    {
        var zero = Vector256<double>.Zero;
        // the scalar Check and Reduce: finite inputs, F, K, t, D > 0, price ≥ 0, intrinsic < price/D < F (call) or K (put)
        var finite = Vector256.Equals((price - price) + (forward - forward) + (strike - strike) + (t - t) + (discount - discount), zero);
        var ok = finite & Vector256.GreaterThan(forward, zero) & Vector256.GreaterThan(strike, zero) & Vector256.GreaterThan(t, zero)
            & Vector256.GreaterThan(discount, zero) & Vector256.GreaterThanOrEqual(price, zero);
        var p = price / discount;
        var intrinsic = Vector256.Max(Vector256.ConditionalSelect(call, forward - strike, strike - forward), zero);
        var cap = Vector256.ConditionalSelect(call, forward, strike);
        ok &= Vector256.GreaterThan(p, intrinsic) & Vector256.LessThan(p, cap);
        // x = −|ln(F/K)|: ln of the rounded ratio u plus (F − uK)/F, the remainder of the division (exact by FMA), which
        // keeps x's relative accuracy near the money as the scalar LogMoneyness does
        var ratio = forward / strike;
        var x = -Vector256.Abs(VectorMath.Log(ratio) + Fma(-ratio, strike, forward) / forward);
        var beta = (p - intrinsic) / (Vector256.Sqrt(forward) * Vector256.Sqrt(strike));
        var bMax = VectorMath.Exp(V(0.5) * x);
        ok &= Vector256.GreaterThan(beta, V(1e-250)) & Vector256.LessThan(beta, bMax);

        // the scalar Start's region and LowerTableGuess's branch tests on lanes: the central table (s_c ≤ 4, β ≥ 0.2·b_c), else the
        // small-s_c table where it applies, else the corrected lower map where its table applies, else the mid table
        var sc = Vector256.Sqrt(V(-2) * x);
        var bc = bMax * InflectionRatio(sc);
        ok &= Vector256.LessThan(beta, bc);
        var central = Vector256.LessThanOrEqual(sc, V(CentralScMax)) & Vector256.GreaterThanOrEqual(beta, V(CentralVMin) * bc);
        var absX = -x;
        var tau = absX / (absX + beta);
        var eta = (tau * (sc + V(SmallTauK)) - V(SmallTauMax) * sc) * V(2 / (SmallTauMax * SmallTauK)) - V(1);
        var small = Vector256.AndNot(Vector256.LessThanOrEqual(sc, V(SmallScMax)) & Vector256.GreaterThanOrEqual(eta, V(-1)) & Vector256.LessThanOrEqual(eta, V(1)), central);
        var map = ~(central | small);
        var sl = zero;
        var q = zero;
        var logV = zero;
        var mid = zero;
        if (Vector256.ExtractMostSignificantBits(ok & map) != 0)
        {
            var z = InversePhiOfLog((VectorMath.Log(beta / absX) + V(LogLowerMapScale)) * V(1.0 / 3));
            sl = sc - bc * V(ImpliedVolatilityKernels.SqrtTwoPi) / bMax;
            q = x / (V(Sqrt3) * z * sl);
            // the corrected lower map where it can be inverted below s_l and its table applies
            var mapOk = Vector256.GreaterThan(q, zero) & Vector256.LessThan(q, V(1))
                & Vector256.ConditionalSelect(Vector256.LessThanOrEqual(sc, V(LowerNearScMax)), Vector256.LessThanOrEqual(q, V(LowerNearQMax)),
                    Vector256.LessThanOrEqual(sc, V(LowerFarScMax)) & Vector256.LessThanOrEqual(q, V(LowerFarQMax)));
            // else (the map lands past s_l, or cannot be inverted) the mid table where it applies
            var noMap = ~(Vector256.GreaterThan(q, zero) & Vector256.LessThan(q, V(1)));
            logV = VectorMath.Log(beta / bc);
            mid = map & noMap & Vector256.GreaterThanOrEqual(sc, V(MidScMin)) & Vector256.LessThanOrEqual(sc, V(MidScMax)) & Vector256.GreaterThanOrEqual(logV, V(LogMidVMin));
            ok &= ~map | mapOk | mid;
        }
        uint lanes = Vector256.ExtractMostSignificantBits(ok);
        if (lanes == 0)
        {
            vol = zero;
            return ok;
        }
        // the fitted guesses, lane by lane (table reads)
        uint centralLanes = Vector256.ExtractMostSignificantBits(central), smallLanes = Vector256.ExtractMostSignificantBits(small),
            midLanes = Vector256.ExtractMostSignificantBits(mid);
        var s = Vector256.Create(Guess(0), Guess(1), Guess(2), Guess(3));
        ok &= Vector256.GreaterThan(s, zero) & Vector256.LessThan(s, sc);

        double Guess(int j)
        {
            if ((lanes & (1u << j)) == 0) return 0;
            double scj = sc.GetElement(j);
            if ((centralLanes & (1u << j)) != 0) return scj * CentralTableValue(scj, beta.GetElement(j) / bc.GetElement(j));
            if ((smallLanes & (1u << j)) != 0) return SmallTableValue(scj, absX.GetElement(j), beta.GetElement(j));
            if ((midLanes & (1u << j)) != 0) return scj * MidTableValue(scj, logV.GetElement(j));
            double qj = q.GetElement(j);
            return qj * sl.GetElement(j) * (1 + LowerTableCorrection(scj, qj));
        }

        // one Householder step on g = b − β (the scalar Start's choice from a fitted guess); D = b/b′ by the scalar kernel's
        // small-t series or its erfcx form (h + t < 0 below s_c, so never the plain Φ difference); the asymptotic branch
        // (h < −10 at small t) is left to the scalar solver
        var invS = V(1) / s;
        var h = x * invS;
        var th = V(0.5) * s;
        var a = h + th;
        ok &= ~(Vector256.LessThan(h, V(ImpliedVolatilityKernels.AsymptoticH)) & Vector256.LessThan(a, V(ImpliedVolatilityKernels.AsymptoticH + ImpliedVolatilityKernels.SmallT)));
        var smallT = Vector256.LessThan(th, V(ImpliedVolatilityKernels.SmallT));
        var vega = VectorMath.Exp(V(-0.5) * Fma(h, h, th * th) - V(ImpliedVolatilityKernels.LogSqrtTwoPi));
        uint seriesLanes = Vector256.ExtractMostSignificantBits(ok & smallT), erfcxLanes = Vector256.ExtractMostSignificantBits(Vector256.AndNot(ok, smallT));
        var d = seriesLanes != 0 ? SmallTSeries(h, th) : zero;
        if (erfcxLanes != 0)
        {
            var m = V(-ImpliedVolatilityKernels.InvSqrt2);
            var difference = V(ImpliedVolatilityKernels.SqrtHalfPi) * (VectorMath.Erfcx(a * m) - VectorMath.Erfcx((h - th) * m));
            d = Vector256.ConditionalSelect(smallT, d, difference);
        }
        var b = vega * d;
        var nu = (beta - b) / vega;
        var xs2 = x * x * invS * invS;
        var r2 = xs2 * invS - V(0.25) * s;
        var r3 = r2 * r2 - V(3) * xs2 * invS * invS - V(0.25);
        var step = nu * Fma(V(0.5) * r2, nu, V(1)) / Fma(nu, Fma(r3, nu * V(1.0 / 6), r2), V(1));
        var next = s + step;
        // the bracket after this evaluation: (0, s_c) narrowed to (s, s_c) where b < β, (0, s) where b > β
        var lo = Vector256.ConditionalSelect(Vector256.LessThan(b, beta), s, zero);
        var hi = Vector256.ConditionalSelect(Vector256.GreaterThan(b, beta), s, sc);
        ok &= Vector256.LessThanOrEqual(Vector256.Abs(step), V(1e-5) * s) & Vector256.GreaterThan(next, lo) & Vector256.LessThan(next, hi);
        vol = next / Vector256.Sqrt(t);
        return ok;
    }

    /// <summary>
    /// The scalar <see cref="InflectionRatio(double)"/> (b(x, s_c)/b_max from scripts/iv-bc-table.py's pieces) on four lanes: each
    /// lane's row of eight coefficients read with two loads and the four rows transposed into coefficient vectors (AVX
    /// shuffles), then Estrin's scheme as the scalar one, so every lane's value is the scalar one bit for bit. Lanes past the
    /// pieces (s_c ≥ 5.875, rare) take Cody's erfcx form; without AVX, every lane does.
    /// </summary>
    internal static Vector256<double> InflectionRatio(Vector256<double> sc)
    {
        var inRange = Vector256.LessThan(sc, V((InflectionPieces - 0.5) * 0.25));
        var exact = Vector256.ExtractMostSignificantBits(inRange) != 0b1111 || !Avx.IsSupported
            ? V(0.5) * (V(1) - VectorMath.Erfcx(sc * V(ImpliedVolatilityKernels.InvSqrt2))) : default;
        if (!Avx.IsSupported) return exact;
        var clamped = Vector256.ConditionalSelect(inRange, sc, Vector256<double>.Zero);
        var rounded = ImpliedVolatilityKernels.RoundToInteger(V(4) * clamped, out var index);
        var y = Fma(clamped, V(8), V(-2) * rounded);
        ref double table = ref MemoryMarshal.GetReference(InflectionTable);
        Columns(ref table, 8, index, 0, out var c0, out var c1, out var c2, out var c3);
        Columns(ref table, 8, index, 4, out var c4, out var c5, out var c6, out var c7);
        var y2 = y * y;
        var y4 = y2 * y2;
        var poly = Fma(Fma(Fma(c7, y, c6), y2, Fma(c5, y, c4)), y4, Fma(Fma(c3, y, c2), y2, Fma(c1, y, c0)));
        var result = sc * poly;
        return Vector256.ExtractMostSignificantBits(inRange) == 0b1111 ? result : Vector256.ConditionalSelect(inRange, result, exact);
    }

    /// <summary>
    /// Coefficients <paramref name="offset"/> … offset + 3 of each lane's row of a table (rows of <paramref name="stride"/>
    /// doubles, lane j's row <paramref name="index"/>[j]) as four vectors across the lanes: one 4-wide load per lane, transposed.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Columns(ref double table, int stride, Vector256<long> index, int offset,
        out Vector256<double> c0, out Vector256<double> c1, out Vector256<double> c2, out Vector256<double> c3)
        => Transpose(Vector256.LoadUnsafe(ref Unsafe.Add(ref table, stride * (int)index.GetElement(0) + offset)),
            Vector256.LoadUnsafe(ref Unsafe.Add(ref table, stride * (int)index.GetElement(1) + offset)),
            Vector256.LoadUnsafe(ref Unsafe.Add(ref table, stride * (int)index.GetElement(2) + offset)),
            Vector256.LoadUnsafe(ref Unsafe.Add(ref table, stride * (int)index.GetElement(3) + offset)), out c0, out c1, out c2, out c3);

    /// <summary>
    /// The scalar <see cref="ImpliedVolatilityKernels.MillsSlope"/> (a = 1 + hY(h) from scripts/iv-mills-table.py's pieces) on
    /// four lanes, its rows read as <see cref="InflectionRatio(Vector256{double})"/> reads its own: every lane's value is the
    /// scalar one bit for bit. Lanes past the pieces (h &lt; −10.125) take the direct form with the vector erfcx; without AVX,
    /// every lane does.
    /// </summary>
    internal static Vector256<double> MillsSlope(Vector256<double> h)
    {
        var inRange = Vector256.GreaterThanOrEqual(h, V(-(ImpliedVolatilityKernels.MillsPieces - 0.5) * 0.25)) & Vector256.LessThanOrEqual(h, Vector256<double>.Zero);
        bool all = Vector256.ExtractMostSignificantBits(inRange) == 0b1111;
        var direct = !all || !Avx.IsSupported
            ? Fma(h, V(ImpliedVolatilityKernels.SqrtHalfPi) * VectorMath.Erfcx(h * V(-ImpliedVolatilityKernels.InvSqrt2)), V(1)) : default;
        if (!Avx.IsSupported) return direct;
        var clamped = Vector256.ConditionalSelect(inRange, h, Vector256<double>.Zero);
        var rounded = ImpliedVolatilityKernels.RoundToInteger(V(-4) * clamped, out var index);
        var y = Fma(clamped, V(8), V(2) * rounded);
        ref double table = ref MemoryMarshal.GetReference(ImpliedVolatilityKernels.MillsTable);
        Columns(ref table, 12, index, 0, out var c0, out var c1, out var c2, out var c3);
        Columns(ref table, 12, index, 4, out var c4, out var c5, out var c6, out var c7);
        Columns(ref table, 12, index, 8, out var c8, out var c9, out var c10, out _);
        var y2 = y * y;
        var y4 = y2 * y2;
        var poly = Fma(y4 * y4, Fma(Fma(c10, y, c9), y, c8), Fma(Fma(Fma(c7, y, c6), y2, Fma(c5, y, c4)), y4, Fma(Fma(c3, y, c2), y2, Fma(c1, y, c0))));
        return all ? poly : Vector256.ConditionalSelect(inRange, poly, direct);
    }

    /// <summary>The 4 × 4 transpose of rows <paramref name="a"/> … <paramref name="d"/> into columns (AVX unpacks and lane permutes).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Transpose(Vector256<double> a, Vector256<double> b, Vector256<double> c, Vector256<double> d,
        out Vector256<double> c0, out Vector256<double> c1, out Vector256<double> c2, out Vector256<double> c3)
    {
        var t0 = Avx.UnpackLow(a, b);
        var t1 = Avx.UnpackHigh(a, b);
        var t2 = Avx.UnpackLow(c, d);
        var t3 = Avx.UnpackHigh(c, d);
        c0 = Avx.Permute2x128(t0, t2, 0x20);
        c1 = Avx.Permute2x128(t1, t3, 0x20);
        c2 = Avx.Permute2x128(t0, t2, 0x31);
        c3 = Avx.Permute2x128(t1, t3, 0x31);
    }

    /// <summary>
    /// D = b/b′ = Y(h + t) − Y(h − t) for t &lt; 0.21 (the scalar kernel's small-t branch) in closed form: with a = Y′(h) = 1 + hY(h),
    /// Y⁽²ᵏ⁺¹⁾(h) = a·Q_k(h²) + P_k(h²) (integer polynomials from Y⁽ⁿ⁺¹⁾ = hY⁽ⁿ⁾ + nY⁽ⁿ⁻¹⁾ and hY = a − 1), so
    /// D = 2t Σ_{k=0}^{7} t²ᵏ (a·Q_k(h²) + P_k(h²))/(2k + 1)!: a fixed sum, the same work in every lane (the scalar
    /// <see cref="ImpliedVolatilityKernels.SmallTD"/> on lanes). Coefficients derived and the truncation (≤ 4.1e-19 relative for t ≤ 0.21, h ≤ 0)
    /// checked against mpmath by scripts/iv-small-t-series.py.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector256<double> SmallTSeries(Vector256<double> h, Vector256<double> t)
    {
        var a = MillsSlope(h);
        var g = h * h;
        var w = t * t;
        var c1 = Fma(a, Fma(V(0.16666666666666666), g, V(0.5)),
            V(-0.16666666666666666));
        var c2 = Fma(a, Fma(Fma(V(0.008333333333333333), g, V(0.08333333333333333)), g, V(0.125)),
            Fma(V(-0.008333333333333333), g, V(-0.058333333333333334)));
        var c3 = Fma(a, Fma(Fma(Fma(V(0.0001984126984126984), g, V(0.004166666666666667)), g, V(0.020833333333333332)), g, V(0.020833333333333332)),
            Fma(Fma(V(-0.0001984126984126984), g, V(-0.0035714285714285713)), g, V(-0.01130952380952381)));
        var c4 = Fma(a, Fma(Fma(Fma(Fma(V(2.7557319223985893e-06), g, V(9.92063492063492e-05)), g, V(0.0010416666666666667)), g, V(0.003472222222222222)), g, V(0.0026041666666666665)),
            Fma(Fma(Fma(V(-2.7557319223985893e-06), g, V(-9.093915343915344e-05)), g, V(-0.0007853835978835978)), g, V(-0.0015459656084656085)));
        var c5 = Fma(a, Fma(Fma(Fma(Fma(Fma(V(2.505210838544172e-08), g, V(1.3778659611992946e-06)), g, V(2.48015873015873e-05)), g, V(0.00017361111111111112)), g, V(0.00043402777777777775)), g, V(0.00026041666666666666)),
            Fma(Fma(Fma(Fma(V(-2.505210838544172e-08), g, V(-1.3027096360429694e-06)), g, V(-2.1043771043771045e-05)), g, V(-0.00011724386724386724)), g, V(-0.00016421657046657045)));
        var c6 = Fma(a, Fma(Fma(Fma(Fma(Fma(Fma(V(1.6059043836821613e-10), g, V(1.252605419272086e-08)), g, V(3.4446649029982366e-07)), g, V(4.133597883597884e-06)), g, V(2.170138888888889e-05)), g, V(4.340277777777778e-05)), g, V(2.170138888888889e-05)),
            Fma(Fma(Fma(Fma(Fma(V(-1.6059043836821613e-10), g, V(-1.204428287761621e-08)), g, V(-3.092971842971843e-07)), g, V(-3.2712272295605627e-06)), g, V(-1.3304114866614867e-05)), g, V(-1.4301381488881489e-05)));
        var c7 = Fma(a, Fma(Fma(Fma(Fma(Fma(Fma(Fma(V(7.647163731819816e-13), g, V(8.029521918410807e-11)), g, V(3.131513548180215e-09)), g, V(5.7411081716637274e-08)), g, V(5.166997354497355e-07)), g, V(2.170138888888889e-06)), g, V(3.6168981481481483e-06)), g, V(1.5500992063492063e-06)),
            Fma(Fma(Fma(Fma(Fma(Fma(V(-7.647163731819816e-13), g, V(-7.800107006456213e-11)), g, V(-2.9020986362256202e-09)), g, V(-4.914067414067414e-08)), g, V(-3.837308524808525e-07)), g, V(-1.2203267411600745e-06)), g, V(-1.0567653796820463e-06)));
        var w2 = w * w;
        var w4 = w2 * w2;
        var sum = Fma(Fma(Fma(c7, w, c6), w2, Fma(c5, w, c4)), w4, Fma(Fma(c3, w, c2), w2, Fma(c1, w, a)));
        return V(2) * t * sum;
    }

    /// <summary>
    /// Φ⁻¹(p) for a starting point from ln p for p &lt; 0.45 on four lanes, as the scalar
    /// <see cref="ImpliedVolatilityKernels.InversePhiOfLogGuessParts"/> (AS 241's first tail rational in √(−ln p) − 1.6 over the
    /// whole range: within 7.4e-8 relative for the solver's arguments); NaN for ln p ≥ ln 0.45.
    /// </summary>
    private static Vector256<double> InversePhiOfLog(Vector256<double> logP)
    {
        var valid = Vector256.LessThan(logP, V(-0.7985076962177716));
        var v = Vector256.Sqrt(-Vector256.Min(logP, Vector256<double>.Zero)) - V(1.6);
        var v2 = v * v;
        var v4 = v2 * v2;
        var tail = Estrin7(v, v2, v4, 1.42343711074968357734e0, 4.63033784615654529590e0, 5.76949722146069140550e0, 3.64784832476320460504e0,
                1.27045825245236838258e0, 2.41780725177450611770e-1, 2.27238449892691845833e-2, 7.74545014278341407640e-4)
            / Estrin7(v, v2, v4, 1, 2.05319162663775882187e0, 1.67638483018380384940e0, 6.89767334985100004550e-1,
                1.48103976427480074590e-1, 1.51986665636164571966e-2, 5.47593808499534494600e-4, 1.05075007164441684324e-9);
        return Vector256.ConditionalSelect(valid, -tail, V(double.NaN));
    }

    /// <summary>c₀ + c₁y + … + c₇y⁷ by Estrin's scheme given y² and y⁴ (<see cref="ImpliedVolatilityKernels.Estrin7"/> on lanes).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> Estrin7(Vector256<double> y, Vector256<double> y2, Vector256<double> y4,
        double c0, double c1, double c2, double c3, double c4, double c5, double c6, double c7)
        => Fma(Fma(Fma(V(c7), y, V(c6)), y2, Fma(V(c5), y, V(c4))), y4, Fma(Fma(V(c3), y, V(c2)), y2, Fma(V(c1), y, V(c0))));
}
