using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace CryptoMargin.Pricing;

/// <summary>
/// The vectorised <see cref="ImpliedVolatility.SolveBatch"/>: a scalar pre-pass (<c>Reduce</c> and <c>Start</c>, exactly the
/// scalar solver's reduction, bounds, region, guess and bracket, so reasons are identical), then the Householder steps
/// four solves at a time in <see cref="Vector256{T}"/> lanes with <see cref="VectorMath"/>'s exp, ln and erfcx. Per lane
/// the step is the scalar <c>Step</c> written branch-free: all three objectives (Jäckel 2015's lower 1/ln b − 1/ln β,
/// upper ln((b_max − β)/(b_max − b)) and the middle b − β) are formed and the lane's own selected; the kernel
/// D = b/b′ (or (b_max − b)/b′ in the upper region) by the small-t series, the erfcx form or the plain Φ difference,
/// each evaluated only when some active lane needs it; the rare asymptotic branch (h &lt; −10) and an upper-region lane
/// a rounding error below s_c go through the scalar kernels lane by lane. Lanes stop on the scalar stopping rule
/// (step ≤ 1e-5 s, an exact hit, or the bisection fixed point) and are masked while the others finish.
/// Within a chunk the solves are bucketed so that those whose guess lies in the small-t branch share vectors.
/// </summary>
public static partial class ImpliedVolatility
{
    private const int BatchChunk = 128;

    private static void SolveBatchVector(ReadOnlySpan<double> prices, ReadOnlySpan<double> forwards, ReadOnlySpan<double> strikes,
        ReadOnlySpan<double> times, ReadOnlySpan<OptionType> types, ReadOnlySpan<double> discounts,
        Span<double> vols, Span<ImpliedVolatilityReason> reasons)
    {
        int n = prices.Length;
        Span<NormalisedSolve> states = stackalloc NormalisedSolve[BatchChunk];
        Span<int> items = stackalloc int[BatchChunk];
        Span<int> order = stackalloc int[BatchChunk + 3];
        for (int start = 0; start < n; start += BatchChunk)
        {
            int m = Math.Min(BatchChunk, n - start), count = 0;
            for (int i = start; i < start + m; i++)
            {
                var reason = Reduce(prices[i], forwards[i], strikes[i], times[i], types[i], discounts.IsEmpty ? 1 : discounts[i], out double beta, out double x);
                if (reason == ImpliedVolatilityReason.Solved) reason = Start(beta, x, out states[count]);
                if (reason == ImpliedVolatilityReason.Solved)
                {
                    items[count++] = i;
                    continue;
                }
                vols[i] = reason == ImpliedVolatilityReason.AtIntrinsic ? 0 : double.NaN;
                reasons[i] = reason;
            }
            if (count == 0) continue;
            // Bucket: solves whose starting point is in the small-t branch first, the others from the back.
            int front = 0, back = count - 1;
            for (int k = 0; k < count; k++)
            {
                ref readonly var st = ref states[k];
                bool smallT = !st.Upper && 0.5 * st.S < ImpliedVolatilityKernels.SmallT && !(st.X / st.S < ImpliedVolatilityKernels.AsymptoticH);
                if (smallT) order[front++] = k;
                else order[back--] = k;
            }
            for (int k = count; k < count + 3; k++) order[k] = order[count - 1];
            for (int g = 0; g < count; g += 4) Solve4(states, order.Slice(g, 4), Math.Min(4, count - g));
            for (int k = 0; k < count; k++)
            {
                int i = items[k];
                vols[i] = states[k].S / Math.Sqrt(times[i]);
                reasons[i] = ImpliedVolatilityReason.Solved;
            }
        }
    }

    /// <summary>Runs the solves <paramref name="lanes"/> (indices into <paramref name="states"/>; the first <paramref name="used"/> are real, the rest padding) to convergence.</summary>
    private static void Solve4(Span<NormalisedSolve> states, ReadOnlySpan<int> lanes, int used)
    {
        ref var s0 = ref states[lanes[0]];
        ref var s1 = ref states[lanes[1]];
        ref var s2 = ref states[lanes[2]];
        ref var s3 = ref states[lanes[3]];
        var s = Vector256.Create(s0.S, s1.S, s2.S, s3.S);
        var x = Vector256.Create(s0.X, s1.X, s2.X, s3.X);
        var beta = Vector256.Create(s0.Beta, s1.Beta, s2.Beta, s3.Beta);
        var bMax = Vector256.Create(s0.BMax, s1.BMax, s2.BMax, s3.BMax);
        var invBMax = Vector256.Create(s0.InvBMax, s1.InvBMax, s2.InvBMax, s3.InvBMax);
        var lo = Vector256.Create(s0.Lo, s1.Lo, s2.Lo, s3.Lo);
        var hi = Vector256.Create(s0.Hi, s1.Hi, s2.Hi, s3.Hi);
        var logBeta = Vector256.Create(s0.LogBeta, s1.LogBeta, s2.LogBeta, s3.LogBeta);
        var distance = Vector256.Create(s0.Distance, s1.Distance, s2.Distance, s3.Distance);
        var logDistance = Vector256.Create(s0.LogDistance, s1.LogDistance, s2.LogDistance, s3.LogDistance);
        var lower = Mask(s0.Lower, s1.Lower, s2.Lower, s3.Lower);
        var upper = Mask(s0.Upper, s1.Upper, s2.Upper, s3.Upper);
        var done = Mask(false, used < 2, used < 3, used < 4);
        var iteration = Vector256<double>.Zero;
        while (true)
        {
            iteration += Vector256<double>.One;
            var finished = VectorStep(ref s, ref lo, ref hi, ~done, x, beta, bMax, invBMax, logBeta, distance, logDistance, lower, upper);
            done |= finished | Vector256.GreaterThanOrEqual(iteration, Vector256.Create((double)MaxIterations));
            if (Vector256.ExtractMostSignificantBits(done) == 0xF) break;
        }
        // padding lanes alias the last real state: write back only the real ones
        s0.S = s.GetElement(0);
        if (used > 1) s1.S = s.GetElement(1);
        if (used > 2) s2.S = s.GetElement(2);
        if (used > 3) s3.S = s.GetElement(3);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> Mask(bool a, bool b, bool c, bool d) =>
        Vector256.Create(a ? -1L : 0, b ? -1L : 0, c ? -1L : 0, d ? -1L : 0).AsDouble();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool Any(Vector256<double> mask) => Vector256.ExtractMostSignificantBits(mask) != 0;

    /// <summary>
    /// One Householder step of <see cref="Step"/> on the <paramref name="active"/> lanes (the others are left as they are);
    /// returns the lanes that finished (exact hit, step ≤ 1e-5 s, or a bisection that no longer moves).
    /// </summary>
    private static Vector256<double> VectorStep(ref Vector256<double> s, ref Vector256<double> lo, ref Vector256<double> hi, Vector256<double> active,
        Vector256<double> x, Vector256<double> beta, Vector256<double> bMax, Vector256<double> invBMax, Vector256<double> logBeta,
        Vector256<double> distance, Vector256<double> logDistance, Vector256<double> lower, Vector256<double> upper)
    {
        var zero = Vector256<double>.Zero;
        var one = Vector256<double>.One;
        var invSqrt2 = Vector256.Create(ImpliedVolatilityKernels.InvSqrt2);
        var h = x / s;
        var th = Vector256.Create(0.5) * s;
        var logVega = Vector256.Create(-0.5) * (h * h + th * th) - Vector256.Create(ImpliedVolatilityKernels.LogSqrtTwoPi);
        var vega = VectorMath.Exp(logVega);
        var a = h + th;

        // the kernel branch of each active lane, in the order of ImpliedVolatilityKernels.NormalisedOtmCall
        var upperActive = upper & active;
        var nonUpper = Vector256.AndNot(active, upper);
        var asymptotic = nonUpper & Vector256.LessThan(h, Vector256.Create(ImpliedVolatilityKernels.AsymptoticH))
            & Vector256.LessThan(a, Vector256.Create(ImpliedVolatilityKernels.AsymptoticH + ImpliedVolatilityKernels.SmallT));
        var rest = Vector256.AndNot(nonUpper, asymptotic);
        var smallT = rest & Vector256.LessThan(th, Vector256.Create(ImpliedVolatilityKernels.SmallT));
        rest = Vector256.AndNot(rest, smallT);
        var plain = rest & Vector256.GreaterThan(a, Vector256.Create(ImpliedVolatilityKernels.PlainDifferenceH));
        var erfcxForm = Vector256.AndNot(rest, plain);
        var upperFallback = Vector256.AndNot(upperActive, Vector256.GreaterThanOrEqual(a, zero)); // h + t < 0: Φ form
        var upperErfcx = Vector256.AndNot(upperActive, upperFallback);

        // D: upper √(π/2)[erfcx((h + t)/√2) + erfcx((t − h)/√2)], erfcx form √(π/2)[erfcx(−(h + t)/√2) − erfcx((t − h)/√2)],
        // small-t series from Y(h) = √(π/2)erfcx(−h/√2): the first erfcx's argument is chosen per lane.
        var d = zero;
        var needFirst = smallT | erfcxForm | upperErfcx;
        if (Any(needFirst))
        {
            var arg = Vector256.ConditionalSelect(upper, a * invSqrt2, Vector256.ConditionalSelect(smallT, -h * invSqrt2, -a * invSqrt2));
            var e1 = VectorMath.Erfcx(arg);
            if (Any(erfcxForm | upperErfcx))
            {
                var e2 = VectorMath.Erfcx((th - h) * invSqrt2);
                d = Vector256.Create(ImpliedVolatilityKernels.SqrtHalfPi) * Vector256.ConditionalSelect(upper, e1 + e2, e1 - e2);
            }
            if (Any(smallT)) d = Vector256.ConditionalSelect(smallT, SmallTSeries(Vector256.Create(ImpliedVolatilityKernels.SqrtHalfPi) * e1, h, th, smallT), d);
        }
        var b = vega * d;
        var bOverVega = d;
        if (Any(plain))
        {
            VectorMath.Normal(a, out var phiA, out _, out _);
            VectorMath.Normal(h - th, out var phiC, out _, out _);
            var p = bMax * phiA - invBMax * phiC;
            b = Vector256.ConditionalSelect(plain, p, b);
            bOverVega = Vector256.ConditionalSelect(plain, p / vega, bOverVega);
        }
        var m = vega * d;
        var mOverVega = d;
        var special = asymptotic | upperFallback;
        if (Any(special))
        {
            // lane by lane through the scalar kernels (h < −10 asymptotic expansion; an upper lane a rounding error below s_c)
            Span<double> lane = stackalloc double[4];
            Span<double> laneRatio = stackalloc double[4];
            b.CopyTo(lane);
            bOverVega.CopyTo(laneRatio);
            Span<double> laneM = stackalloc double[4];
            Span<double> laneMRatio = stackalloc double[4];
            m.CopyTo(laneM);
            mOverVega.CopyTo(laneMRatio);
            for (int k = 0; k < 4; k++)
            {
                if (asymptotic.AsInt64().GetElement(k) != 0)
                {
                    double dk = ImpliedVolatilityKernels.AsymptoticD(h.GetElement(k), th.GetElement(k));
                    laneRatio[k] = dk;
                    lane[k] = vega.GetElement(k) * dk;
                }
                else if (upperFallback.AsInt64().GetElement(k) != 0)
                {
                    double mk = ImpliedVolatilityKernels.DistanceToMaximum(x.GetElement(k), s.GetElement(k), bMax.GetElement(k), invBMax.GetElement(k));
                    laneM[k] = mk;
                    laneMRatio[k] = mk / vega.GetElement(k);
                }
            }
            b = Vector256.Create((ReadOnlySpan<double>)lane);
            bOverVega = Vector256.Create((ReadOnlySpan<double>)laneRatio);
            m = Vector256.Create((ReadOnlySpan<double>)laneM);
            mOverVega = Vector256.Create((ReadOnlySpan<double>)laneMRatio);
        }
        b = Vector256.ConditionalSelect(upper, bMax - m, b);

        // bracket: > 0 when s is above the root (upper: b_max − β > b_max − b; else b > β)
        var above = Vector256.ConditionalSelect(upper, ~Vector256.LessThanOrEqual(distance, m), Vector256.GreaterThan(b, beta));
        var hit = Vector256.ConditionalSelect(upper, Vector256.Equals(distance, m), Vector256.Equals(b, beta)) & active;
        var below = Vector256.AndNot(Vector256.AndNot(active, above), hit);
        hi = Vector256.ConditionalSelect(above & active, s, hi);
        lo = Vector256.ConditionalSelect(below, s, lo);

        // b″/b′ and b‴/b′
        var invS = one / s;
        var xs2 = x * x * invS * invS;
        var r2 = xs2 * invS - Vector256.Create(0.25) * s;
        var r3 = r2 * r2 - Vector256.Create(3.0) * xs2 * invS * invS - Vector256.Create(0.25);

        // middle: ν = (β − b)/b′
        var nu = (beta - b) / vega;
        var h2 = r2;
        var h3 = r3;
        var logged = (lower | upper) & active;
        if (Any(logged))
        {
            // ln b (lower) or ln(b_max − b) (upper), from ln b′ + ln(q/b′) where q underflows
            var q = Vector256.ConditionalSelect(upper, m, b);
            var ratio = Vector256.ConditionalSelect(upper, mOverVega, bOverVega);
            var tiny = ~Vector256.GreaterThan(q, Vector256.Create(1e-290));
            var lnQ = Vector256.ConditionalSelect(tiny, logVega, zero) + VectorMath.Log(Vector256.ConditionalSelect(tiny, ratio, q));
            var u = one / ratio;
            if (Any(lower & active))
            {
                var invLnB = one / lnQ;
                var nuLower = (logBeta - lnQ) * bOverVega * (lnQ / logBeta);
                var ul = u * invLnB;
                var two = Vector256.Create(2.0);
                var six = Vector256.Create(6.0);
                var h2Lower = r2 - u - two * ul;
                var h3Lower = r3 - Vector256.Create(3.0) * r2 * u + two * u * u - six * ul * (r2 - u) + six * ul * ul;
                nu = Vector256.ConditionalSelect(lower, nuLower, nu);
                h2 = Vector256.ConditionalSelect(lower, h2Lower, h2);
                h3 = Vector256.ConditionalSelect(lower, h3Lower, h3);
            }
            if (Any(upperActive))
            {
                var nuUpper = (lnQ - logDistance) * mOverVega;
                var h2Upper = r2 + u;
                var h3Upper = r3 + Vector256.Create(3.0) * r2 * u + Vector256.Create(2.0) * u * u;
                nu = Vector256.ConditionalSelect(upper, nuUpper, nu);
                h2 = Vector256.ConditionalSelect(upper, h2Upper, h2);
                h3 = Vector256.ConditionalSelect(upper, h3Upper, h3);
            }
        }
        var step = nu * (one + Vector256.Create(0.5) * h2 * nu) / (one + nu * (h2 + h3 * nu / Vector256.Create(6.0)));
        var next = s + step;
        var converged = Vector256.LessThanOrEqual(Vector256.Abs(step), Vector256.Create(1e-5) * s);
        var inside = Vector256.GreaterThan(next, lo) & Vector256.LessThan(next, hi) & Vector256.Equals(next - next, zero);
        var bisection = Vector256.ConditionalSelect(Vector256.Equals(hi, Vector256.Create(double.PositiveInfinity)), Vector256.Create(2.0) * s,
            Vector256.ConditionalSelect(Vector256.GreaterThan(lo, zero), Vector256.Create(0.5) * (lo + hi), Vector256.Create(0.5) * hi));
        var stuck = Vector256.AndNot(Vector256.Equals(bisection, s), inside);
        var newS = Vector256.ConditionalSelect(converged | inside, next, Vector256.ConditionalSelect(stuck, s, bisection));
        newS = Vector256.ConditionalSelect(hit, s, newS);
        s = Vector256.ConditionalSelect(active, newS, s);
        return active & (hit | converged | Vector256.AndNot(stuck, converged));
    }

    /// <summary>
    /// The small-t series of <c>ImpliedVolatilityKernels.SmallTD</c> on four lanes: D = 2Σ_{k odd} Y⁽ᵏ⁾(h)tᵏ/k!, Y′ = 1 + hY,
    /// Y⁽ⁿ⁺¹⁾ = hY⁽ⁿ⁾ + nY⁽ⁿ⁻¹⁾, by the same fused multiply-adds; a lane stops adding terms where the scalar loop stops.
    /// </summary>
    private static Vector256<double> SmallTSeries(Vector256<double> y0, Vector256<double> h, Vector256<double> t, Vector256<double> active)
    {
        var y1 = Vector256.FusedMultiplyAdd(h, y0, Vector256<double>.One);
        var sum = y1 * t;
        var power = t;
        var t2 = t * t;
        var inverse = ImpliedVolatilityKernels.InverseConsecutiveProducts;
        for (int n = 1; n < 40; n += 2)
        {
            var y2 = Vector256.FusedMultiplyAdd(h, y1, Vector256.Create((double)n) * y0);
            var y3 = Vector256.FusedMultiplyAdd(h, y2, Vector256.Create((double)(n + 1)) * y1);
            power *= t2 * Vector256.Create(inverse[n >> 1]);
            var term = y3 * power;
            sum += term & active;
            active &= Vector256.GreaterThan(Vector256.Abs(term), Vector256.Create(1e-17) * sum);
            if (!Any(active)) break;
            y0 = y2;
            y1 = y3;
        }
        return Vector256.Create(2.0) * sum;
    }
}
