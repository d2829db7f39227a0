using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace CryptoMargin.Pricing;

/// <summary>
/// The vectorised <see cref="ImpliedVolatility.SolveBatch"/> (docs/options/implied-volatility.md, "Vectorised batch"): per chunk
/// of 128 items, the scalar reduction and bounds (exactly <c>Reduce</c> and <c>Start</c>'s tests, so reasons are identical to
/// <see cref="ImpliedVolatility.Solve"/>'s); the set-up of the direct lower-map guess eight items at a time
/// (<c>StartLower8</c>), the scalar <c>Start</c> (its fitted tables or Jäckel's rational guess) for the other items; then the Householder steps
/// eight solves at a time as two <see cref="Vector256{T}"/> halves (<c>Lanes</c>) with <see cref="VectorMath"/>'s exp, ln, Φ and
/// erfcx. Per lane the step is the scalar <c>Step</c> written branch-free: all three objectives (Jäckel 2015's lower
/// 1/ln b − 1/ln β, upper ln((b_max − β)/(b_max − b)) and the middle b − β) are formed and the lane's own selected; the
/// kernel D = b/b′ (or (b_max − b)/b′ in the upper region) by the small-t series, the erfcx form or the plain Φ difference,
/// each evaluated only when some active lane needs it; the rare asymptotic branch (h &lt; −10) and an upper-region lane a
/// rounding error below s_c go through the scalar kernels lane by lane. Lanes stop on the scalar stopping rule (step ≤ 1e-5 s,
/// an exact hit, or the bisection fixed point) and are masked while the others finish. Within a chunk the solves are
/// bucketed so that those whose guess lies in the small-t branch share vectors.
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
        Span<int> order = stackalloc int[BatchChunk + 7];
        for (int start = 0; start < n; start += BatchChunk)
        {
            int m = Math.Min(BatchChunk, n - start), count = 0;
            for (int i = start; i < start + m; i++)
            {
                var reason = Reduce(prices[i], forwards[i], strikes[i], times[i], types[i], discounts.IsEmpty ? 1 : discounts[i], out double beta, out double x);
                if (reason == ImpliedVolatilityReason.Solved)
                {
                    // Start's own bounds, with its b_max = e^{x/2} (Math.Exp), so that the reasons are the scalar solver's
                    double bMax = Math.Exp(0.5 * x);
                    reason = !(beta > 0) ? ImpliedVolatilityReason.AtIntrinsic : beta >= bMax ? ImpliedVolatilityReason.AboveMaximum : ImpliedVolatilityReason.Solved;
                    states[count] = new NormalisedSolve { Beta = beta, X = x, BMax = bMax };
                }
                if (reason == ImpliedVolatilityReason.Solved)
                {
                    items[count++] = i;
                    continue;
                }
                vols[i] = reason == ImpliedVolatilityReason.AtIntrinsic ? 0 : double.NaN;
                reasons[i] = reason;
            }
            if (count == 0) continue;
            for (int k = 0; k < count; k += 8) StartLower8(states.Slice(k, Math.Min(8, count - k)));
            // Bucket: solves whose starting point is in the small-t branch first, the others from the back.
            int front = 0, back = count - 1;
            for (int k = 0; k < count; k++)
            {
                ref readonly var st = ref states[k];
                if (st.Iterations > 0) continue; // finished by the scalar steps in StartLower8
                bool smallT = !st.Upper && 0.5 * st.S < ImpliedVolatilityKernels.SmallT && !(st.X / st.S < ImpliedVolatilityKernels.AsymptoticH);
                if (smallT) order[front++] = k;
                else order[back--] = k;
            }
            // the vector lanes: order[0, front) small-t, order(back, count) the others; close the gap
            int vector = front + (count - 1 - back);
            order.Slice(back + 1, count - 1 - back).CopyTo(order[front..]);
            if (vector > 0)
            {
                for (int k = vector; k < vector + 7; k++) order[k] = order[vector - 1];
                for (int g = 0; g < vector; g += 8) Solve8(states, order.Slice(g, 8), Math.Min(8, vector - g));
            }
            for (int k = 0; k < count; k++)
            {
                int i = items[k];
                vols[i] = states[k].S / Math.Sqrt(times[i]);
                reasons[i] = ImpliedVolatilityReason.Solved;
            }
        }
    }

    /// <summary>
    /// The set-up of <see cref="Start"/> for up to eight reduced solves (Beta, X, BMax filled in, β inside its bounds) at
    /// once where the solver starts from the direct lower-map guess (<see cref="LowerGuess"/>, kept by
    /// <see cref="InitialGuess"/> below s_l: short-dated and far out-of-the-money prices, the bulk of a chain): s_c = √(2|x|),
    /// b_c = ½b_max(1 − erfcx(s_c/√2)), p = (3√3β/(2π|x|))^{1/3} as e^{ln(·)/3}, z = Φ⁻¹(p) (AS 241, <see cref="InversePhi"/>),
    /// s = x/(√3 z), and ln β. A lane whose guess is not of that kind (β ≥ b_c, p ≥ 0.45, s ≥ s_l) goes through the scalar
    /// <see cref="Start"/>, and so does a lane the scalar <see cref="InitialGuess"/> starts from the central or small-s_c table;
    /// the others get the same fitted correction s₀(1 + <see cref="LowerTableCorrection"/>(s_c, s₀/s_l)) as the scalar guess,
    /// so they too finish in one step. The guess may differ from the scalar one in the last digits (vector exp/ln for the cube
    /// root), which the Householder step removes.
    /// </summary>
    private static void StartLower8(Span<NormalisedSolve> states)
    {
        int used = states.Length;
        Span<double> buffer = stackalloc double[8 * 6];
        for (int j = 0; j < 8; j++)
        {
            ref readonly var st = ref states[j < used ? j : 0];
            buffer[j] = st.Beta;
            buffer[8 + j] = st.X;
            buffer[16 + j] = st.BMax;
        }
        var beta = Lanes.Load(buffer);
        var x = Lanes.Load(buffer[8..]);
        var bMax = Lanes.Load(buffer[16..]);
        var sc = Lanes.Sqrt(Lanes.Create(-2) * x);
        var bc = Lanes.Create(0.5) * bMax * (Lanes.Create(1) - Lanes.Erfcx(sc * Lanes.Create(ImpliedVolatilityKernels.InvSqrt2)));
        const double Sqrt3 = 1.7320508075688772935;
        var w = beta * Lanes.Create(3 * Sqrt3) / (Lanes.Create(2 * Math.PI) * -x);
        var p = Lanes.Exp(Lanes.Log(w) * Lanes.Create(1.0 / 3));
        var z = InversePhi(Lanes.Min(p, Lanes.Create(0.45)));
        var s = x / (Lanes.Create(Sqrt3) * z);
        var sl = sc - bc * Lanes.Create(ImpliedVolatilityKernels.SqrtTwoPi) / bMax;
        var ok = Lanes.Greater(sc, Lanes.Create(0)) & Lanes.Greater(bc, Lanes.Create(0)) & Lanes.Less(beta, bc) & Lanes.Less(p, Lanes.Create(0.45))
            & Lanes.Greater(s, Lanes.Create(0)) & Lanes.Less(s, sc) & Lanes.Less(s, sl);
        var logBeta = Lanes.Log(beta);
        s.Store(buffer);
        sc.Store(buffer[8..]);
        logBeta.Store(buffer[16..]);
        ok.Store(buffer[24..]);
        sl.Store(buffer[32..]);
        bc.Store(buffer[40..]);
        for (int j = 0; j < used; j++)
        {
            ref var st = ref states[j];
            double scj = buffer[8 + j];
            // Lanes the scalar InitialGuess starts from a table other than the lower-map correction (the central stretch
            // before the inflection point, small s_c) go through the scalar Start, as lanes outside the lower map do.
            if (BitConverter.DoubleToInt64Bits(buffer[24 + j]) == 0
                || (scj <= CentralScMax && st.Beta >= CentralVMin * buffer[40 + j])
                || (scj <= SmallScMax && !double.IsNaN(SmallTableValue(scj, -st.X, st.Beta))))
            {
                // and are finished there by the scalar steps: their kernels' branches vary lane by lane, so vector steps
                // would evaluate several branches for them and cost more than the scalar steps do (measured)
                Start(st.Beta, st.X, out st);
                while (!Step(ref st)) { }
                continue;
            }
            double bm = st.BMax, s0 = buffer[j], q = s0 / buffer[32 + j];
            // from a fitted correction the plain objective b − β, as the scalar Start chooses
            bool fitted = scj <= LowerNearScMax ? q <= LowerNearQMax : scj <= LowerFarScMax && q <= LowerFarQMax;
            st = new NormalisedSolve
            {
                // the direct lower-map guess corrected by the fitted table, as the scalar InitialGuess does
                Beta = st.Beta, X = st.X, X2 = st.X * st.X, BMax = bm, InvBMax = 1 / bm, Lo = 0, Hi = scj,
                S = s0 * (1 + LowerTableCorrection(scj, q)),
                LogBeta = buffer[16 + j], Distance = bm - st.Beta, LogDistance = 0, Lower = !(fitted && st.Beta > 1e-250), Upper = false,
            };
        }
    }

    /// <summary>
    /// Φ⁻¹(p) for 0 &lt; p ≤ ½ on eight lanes: Wichura's AS 241 (PPND16, Applied Statistics 37 (1988) 477–484), as the scalar
    /// <see cref="ImpliedVolatilityKernels.InversePhi"/>: the central rational function in 0.180625 − q² for |q| = |p − ½| ≤ 0.425,
    /// else in u = √(−ln p) − 1.6 (u ≤ 5) or u − 5; each evaluated only when some lane needs it.
    /// </summary>
    private static Lanes InversePhi(Lanes p)
    {
        var q = p - Lanes.Create(0.5);
        var central = Lanes.LessOrEqual(Lanes.Abs(q), Lanes.Create(0.425));
        var result = Lanes.Create(0);
        if (Lanes.Any(central))
        {
            var r = Lanes.Create(0.180625) - q * q;
            var num = Horner(r, 2.5090809287301226727e3, 3.3430575583588128105e4, 6.7265770927008700853e4, 4.5921953931549871457e4,
                1.3731693765509461125e4, 1.9715909503065514427e3, 1.3314166789178437745e2, 3.3871328727963666080e0);
            var den = Horner(r, 5.2264952788528545610e3, 2.8729085735721942674e4, 3.9307895800092710610e4, 2.1213794301586595867e4,
                5.3941960214247511077e3, 6.8718700749205790830e2, 4.2313330701600911252e1, 1);
            result = q * num / den;
        }
        if (!Lanes.All(central))
        {
            var u = Lanes.Sqrt(-Lanes.Log(p));
            var near = Lanes.LessOrEqual(u, Lanes.Create(5));
            var tail = Lanes.Create(0);
            if (Lanes.Any(Lanes.AndNot(near, central)))
            {
                var v = u - Lanes.Create(1.6);
                tail = Horner(v, 7.74545014278341407640e-4, 2.27238449892691845833e-2, 2.41780725177450611770e-1, 1.27045825245236838258e0,
                        3.64784832476320460504e0, 5.76949722146069140550e0, 4.63033784615654529590e0, 1.42343711074968357734e0)
                    / Horner(v, 1.05075007164441684324e-9, 5.47593808499534494600e-4, 1.51986665636164571966e-2, 1.48103976427480074590e-1,
                        6.89767334985100004550e-1, 1.67638483018380384940e0, 2.05319162663775882187e0, 1);
            }
            if (!Lanes.All(near | central))
            {
                var v = u - Lanes.Create(5);
                var far = Horner(v, 2.01033439929228813265e-7, 2.71155556874348757815e-5, 1.24266094738807843860e-3, 2.65321895265761230930e-2,
                        2.96560571828504891230e-1, 1.78482653991729133580e0, 5.46378491116411436990e0, 6.65790464350110377720e0)
                    / Horner(v, 2.04426310338993978564e-15, 1.42151175831644588870e-7, 1.84631831751005468180e-5, 7.86869131145613259100e-4,
                        1.48753612908506148525e-2, 1.36929880922735805310e-1, 5.99832206555887937690e-1, 1);
                tail = Lanes.Select(near, tail, far);
            }
            result = Lanes.Select(central, result, -tail);
        }
        return result;
    }

    /// <summary>c₀v⁷ + c₁v⁶ + … + c₇ by fused multiply-adds (the scalar kernels' order).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Lanes Horner(Lanes v, double c0, double c1, double c2, double c3, double c4, double c5, double c6, double c7)
    {
        var r = Lanes.FusedMultiplyAdd(Lanes.Create(c0), v, Lanes.Create(c1));
        r = Lanes.FusedMultiplyAdd(r, v, Lanes.Create(c2));
        r = Lanes.FusedMultiplyAdd(r, v, Lanes.Create(c3));
        r = Lanes.FusedMultiplyAdd(r, v, Lanes.Create(c4));
        r = Lanes.FusedMultiplyAdd(r, v, Lanes.Create(c5));
        r = Lanes.FusedMultiplyAdd(r, v, Lanes.Create(c6));
        return Lanes.FusedMultiplyAdd(r, v, Lanes.Create(c7));
    }

    /// <summary>
    /// Runs the solves <paramref name="lanes"/> (indices into <paramref name="states"/>; the first <paramref name="used"/>
    /// are real, the rest padding that aliases a real one) to convergence, eight at a time as two <see cref="Vector256{T}"/>
    /// (<see cref="Lanes"/>): the two halves are independent dependency chains, so the CPU overlaps them.
    /// </summary>
    private static void Solve8(Span<NormalisedSolve> states, ReadOnlySpan<int> lanes, int used)
    {
        Span<double> buffer = stackalloc double[8 * 10];
        for (int j = 0; j < 8; j++)
        {
            ref readonly var st = ref states[lanes[j]];
            buffer[j] = st.S;
            buffer[8 + j] = st.X;
            buffer[16 + j] = st.Beta;
            buffer[24 + j] = st.BMax;
            buffer[32 + j] = st.InvBMax;
            buffer[40 + j] = st.Lo;
            buffer[48 + j] = st.Hi;
            buffer[56 + j] = st.LogBeta;
            buffer[64 + j] = st.Distance;
            buffer[72 + j] = st.LogDistance;
        }
        var s = Lanes.Load(buffer);
        var x = Lanes.Load(buffer[8..]);
        var beta = Lanes.Load(buffer[16..]);
        var bMax = Lanes.Load(buffer[24..]);
        var invBMax = Lanes.Load(buffer[32..]);
        var lo = Lanes.Load(buffer[40..]);
        var hi = Lanes.Load(buffer[48..]);
        var logBeta = Lanes.Load(buffer[56..]);
        var distance = Lanes.Load(buffer[64..]);
        var logDistance = Lanes.Load(buffer[72..]);
        Span<long> flags = stackalloc long[24];
        for (int j = 0; j < 8; j++)
        {
            ref readonly var st = ref states[lanes[j]];
            flags[j] = st.Lower ? -1 : 0;
            flags[8 + j] = st.Upper ? -1 : 0;
            flags[16 + j] = j < used ? 0 : -1;
        }
        var lower = Lanes.LoadMask(flags);
        var upper = Lanes.LoadMask(flags[8..]);
        var done = Lanes.LoadMask(flags[16..]);
        int iteration = 0;
        while (true)
        {
            iteration++;
            var finished = VectorStep(ref s, ref lo, ref hi, ~done, x, beta, bMax, invBMax, logBeta, distance, logDistance, lower, upper);
            done |= finished;
            if (iteration >= MaxIterations || Lanes.All(done)) break;
        }
        s.Store(buffer);
        for (int j = 0; j < used; j++) states[lanes[j]].S = buffer[j];
    }

    /// <summary>
    /// One Householder step of <see cref="Step"/> on the <paramref name="active"/> lanes (the others are left as they are);
    /// returns the lanes that finished (exact hit, step ≤ 1e-5 s, or a bisection that no longer moves).
    /// </summary>
    private static Lanes VectorStep(ref Lanes s, ref Lanes lo, ref Lanes hi, Lanes active,
        Lanes x, Lanes beta, Lanes bMax, Lanes invBMax, Lanes logBeta, Lanes distance, Lanes logDistance, Lanes lower, Lanes upper)
    {
        var zero = Lanes.Create(0);
        var one = Lanes.Create(1);
        Kernel(s, x, bMax, invBMax, active, upper, out var logVega, out var vega, out var b, out var bOverVega, out var m, out var mOverVega);
        var upperActive = upper & active;
        b = Lanes.Select(upper, bMax - m, b);

        // bracket: s above the root where b > β (upper: b_max − β > b_max − b, or that is NaN)
        var above = Lanes.Select(upper, ~Lanes.LessOrEqual(distance, m), Lanes.Greater(b, beta));
        var hit = Lanes.Select(upper, Lanes.Equal(distance, m), Lanes.Equal(b, beta)) & active;
        var below = Lanes.AndNot(Lanes.AndNot(active, above), hit);
        hi = Lanes.Select(above & active, s, hi);
        lo = Lanes.Select(below, s, lo);

        // b″/b′ and b‴/b′
        var invS = one / s;
        var xs2 = x * x * invS * invS;
        var r2 = xs2 * invS - Lanes.Create(0.25) * s;
        var r3 = r2 * r2 - Lanes.Create(3.0) * xs2 * invS * invS - Lanes.Create(0.25);

        // middle: ν = (β − b)/b′
        var nu = (beta - b) / vega;
        var h2 = r2;
        var h3 = r3;
        if (Lanes.Any((lower | upper) & active))
        {
            // ln b (lower) or ln(b_max − b) (upper), from ln b′ + ln(q/b′) where q underflows
            var q = Lanes.Select(upper, m, b);
            var ratio = Lanes.Select(upper, mOverVega, bOverVega);
            var tiny = ~Lanes.Greater(q, Lanes.Create(1e-290));
            var lnQ = Lanes.Select(tiny, logVega, zero) + Lanes.Log(Lanes.Select(tiny, ratio, q));
            var u = one / ratio;
            if (Lanes.Any(lower & active))
            {
                var invLnB = one / lnQ;
                var nuLower = (logBeta - lnQ) * bOverVega * (lnQ / logBeta);
                var ul = u * invLnB;
                var two = Lanes.Create(2.0);
                var six = Lanes.Create(6.0);
                var h2Lower = r2 - u - two * ul;
                var h3Lower = r3 - Lanes.Create(3.0) * r2 * u + two * u * u - six * ul * (r2 - u) + six * ul * ul;
                nu = Lanes.Select(lower, nuLower, nu);
                h2 = Lanes.Select(lower, h2Lower, h2);
                h3 = Lanes.Select(lower, h3Lower, h3);
            }
            if (Lanes.Any(upperActive))
            {
                var nuUpper = (lnQ - logDistance) * mOverVega;
                var h2Upper = r2 + u;
                var h3Upper = r3 + Lanes.Create(3.0) * r2 * u + Lanes.Create(2.0) * u * u;
                nu = Lanes.Select(upper, nuUpper, nu);
                h2 = Lanes.Select(upper, h2Upper, h2);
                h3 = Lanes.Select(upper, h3Upper, h3);
            }
        }
        var step = nu * (one + Lanes.Create(0.5) * h2 * nu) / (one + nu * (h2 + h3 * nu / Lanes.Create(6.0)));
        var next = s + step;
        var converged = Lanes.LessOrEqual(Lanes.Abs(step), Lanes.Create(1e-5) * s);
        var inside = Lanes.Greater(next, lo) & Lanes.Less(next, hi) & Lanes.Equal(next - next, zero);
        var bisection = Lanes.Select(Lanes.Equal(hi, Lanes.Create(double.PositiveInfinity)), Lanes.Create(2.0) * s,
            Lanes.Select(Lanes.Greater(lo, zero), Lanes.Create(0.5) * (lo + hi), Lanes.Create(0.5) * hi));
        var stuck = Lanes.AndNot(Lanes.Equal(bisection, s), inside);
        var newS = Lanes.Select(converged | inside, next, Lanes.Select(stuck, s, bisection));
        newS = Lanes.Select(hit, s, newS);
        s = Lanes.Select(active, newS, s);
        return active & (hit | converged | Lanes.AndNot(stuck, converged));
    }

    /// <summary>
    /// The normalised Black kernel of <see cref="Step"/> on eight lanes: ln b′, b′, and b, b/b′ (b_max − b and its ratio to
    /// b′ for upper-region lanes), by the branch of <see cref="ImpliedVolatilityKernels.NormalisedOtmCall(double, double, double, double, out double, out double, out double)"/>
    /// (or <see cref="ImpliedVolatilityKernels.DistanceToMaximumOverVega"/>) each lane is in.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void Kernel(Lanes s, Lanes x, Lanes bMax, Lanes invBMax, Lanes active, Lanes upper,
        out Lanes logVega, out Lanes vega, out Lanes b, out Lanes bOverVega, out Lanes m, out Lanes mOverVega)
    {
        var zero = Lanes.Create(0);
        var one = Lanes.Create(1);
        var invSqrt2 = Lanes.Create(ImpliedVolatilityKernels.InvSqrt2);
        var h = x / s;
        var th = Lanes.Create(0.5) * s;
        logVega = Lanes.Create(-0.5) * (h * h + th * th) - Lanes.Create(ImpliedVolatilityKernels.LogSqrtTwoPi);
        vega = Lanes.Exp(logVega);
        var a = h + th;

        // the kernel branch of each active lane, in the order of ImpliedVolatilityKernels.NormalisedOtmCall
        var upperActive = upper & active;
        var nonUpper = Lanes.AndNot(active, upper);
        var asymptotic = nonUpper & Lanes.Less(h, Lanes.Create(ImpliedVolatilityKernels.AsymptoticH))
            & Lanes.Less(a, Lanes.Create(ImpliedVolatilityKernels.AsymptoticH + ImpliedVolatilityKernels.SmallT));
        var rest = Lanes.AndNot(nonUpper, asymptotic);
        var smallT = rest & Lanes.Less(th, Lanes.Create(ImpliedVolatilityKernels.SmallT));
        rest = Lanes.AndNot(rest, smallT);
        var plain = rest & Lanes.Greater(a, Lanes.Create(ImpliedVolatilityKernels.PlainDifferenceH));
        var erfcxForm = Lanes.AndNot(rest, plain);
        var upperFallback = Lanes.AndNot(upperActive, Lanes.GreaterOrEqual(a, zero)); // h + t < 0: the Φ form
        var upperErfcx = Lanes.AndNot(upperActive, upperFallback);

        // D: upper √(π/2)[erfcx((h + t)/√2) + erfcx((t − h)/√2)], erfcx form √(π/2)[erfcx(−(h + t)/√2) − erfcx((t − h)/√2)],
        // small-t series from Y(h) = √(π/2)erfcx(−h/√2): the first erfcx's argument is chosen per lane.
        var d = zero;
        var sqrtHalfPi = Lanes.Create(ImpliedVolatilityKernels.SqrtHalfPi);
        if (Lanes.Any(smallT | erfcxForm | upperErfcx))
        {
            var arg = Lanes.Select(upper, a * invSqrt2, Lanes.Select(smallT, -h * invSqrt2, -a * invSqrt2));
            var e1 = Lanes.Erfcx(arg);
            if (Lanes.Any(erfcxForm | upperErfcx))
            {
                var e2 = Lanes.Erfcx((th - h) * invSqrt2);
                d = sqrtHalfPi * Lanes.Select(upper, e1 + e2, e1 - e2);
            }
            if (Lanes.Any(smallT)) d = Lanes.Select(smallT, SmallTSeries(sqrtHalfPi * e1, h, th, smallT), d);
        }
        b = vega * d;
        bOverVega = d;
        if (Lanes.Any(plain))
        {
            var p = bMax * Lanes.Phi(a) - invBMax * Lanes.Phi(h - th);
            b = Lanes.Select(plain, p, b);
            bOverVega = Lanes.Select(plain, p / vega, bOverVega);
        }
        m = vega * d;
        mOverVega = d;
        var special = asymptotic | upperFallback;
        if (Lanes.Any(special))
            ScalarKernels(special, asymptotic, h, th, x, s, bMax, invBMax, vega, ref b, ref bOverVega, ref m, ref mOverVega);
    }

    /// <summary>
    /// The lanes of <paramref name="special"/> through the scalar kernels: the asymptotic expansion (h &lt; −10) for
    /// b and b/b′, <see cref="ImpliedVolatilityKernels.DistanceToMaximum(double, double, double, double)"/> for an upper lane
    /// a rounding error below s_c (h + t &lt; 0).
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ScalarKernels(Lanes special, Lanes asymptotic, Lanes h, Lanes th, Lanes x, Lanes s, Lanes bMax, Lanes invBMax, Lanes vega,
        ref Lanes b, ref Lanes bOverVega, ref Lanes m, ref Lanes mOverVega)
    {
        Span<double> v = stackalloc double[8 * 13];
        special.Store(v);
        asymptotic.Store(v[8..]);
        h.Store(v[16..]);
        th.Store(v[24..]);
        x.Store(v[32..]);
        s.Store(v[40..]);
        bMax.Store(v[48..]);
        invBMax.Store(v[56..]);
        vega.Store(v[64..]);
        b.Store(v[72..]);
        bOverVega.Store(v[80..]);
        m.Store(v[88..]);
        mOverVega.Store(v[96..]);
        for (int k = 0; k < 8; k++)
        {
            if (BitConverter.DoubleToInt64Bits(v[k]) == 0) continue;
            if (BitConverter.DoubleToInt64Bits(v[8 + k]) != 0)
            {
                double dk = ImpliedVolatilityKernels.AsymptoticD(v[16 + k], v[24 + k]);
                v[80 + k] = dk;
                v[72 + k] = v[64 + k] * dk;
            }
            else
            {
                double mk = ImpliedVolatilityKernels.DistanceToMaximum(v[32 + k], v[40 + k], v[48 + k], v[56 + k]);
                v[88 + k] = mk;
                v[96 + k] = mk / v[64 + k];
            }
        }
        b = Lanes.Load(v[72..]);
        bOverVega = Lanes.Load(v[80..]);
        m = Lanes.Load(v[88..]);
        mOverVega = Lanes.Load(v[96..]);
    }

    /// <summary>
    /// The small-t series of <c>ImpliedVolatilityKernels.SmallTD</c> on eight lanes: D = 2Σ_{k odd} Y⁽ᵏ⁾(h)tᵏ/k!, Y′ = 1 + hY,
    /// Y⁽ⁿ⁺¹⁾ = hY⁽ⁿ⁾ + nY⁽ⁿ⁻¹⁾, by the same fused multiply-adds; a lane stops adding terms where the scalar loop stops.
    /// </summary>
    private static Lanes SmallTSeries(Lanes y0, Lanes h, Lanes t, Lanes active)
    {
        var y1 = Lanes.FusedMultiplyAdd(h, y0, Lanes.Create(1));
        var sum = y1 * t;
        var power = t;
        var t2 = t * t;
        var inverse = ImpliedVolatilityKernels.InverseConsecutiveProducts;
        for (int n = 1; n < 40; n += 2)
        {
            var y2 = Lanes.FusedMultiplyAdd(h, y1, Lanes.Create(n) * y0);
            var y3 = Lanes.FusedMultiplyAdd(h, y2, Lanes.Create(n + 1) * y1);
            power *= t2 * Lanes.Create(inverse[n >> 1]);
            var term = y3 * power;
            sum += term & active;
            active &= Lanes.Greater(Lanes.Abs(term), Lanes.Create(1e-17) * sum);
            if (!Lanes.Any(active)) break;
            y0 = y2;
            y1 = y3;
        }
        return Lanes.Create(2.0) * sum;
    }

    /// <summary>
    /// Eight doubles as two <see cref="Vector256{T}"/> halves with element-wise operators, so that every operation of the
    /// batch step is issued for both halves back to back: two independent dependency chains the CPU runs side by side.
    /// </summary>
    private readonly struct Lanes(Vector256<double> a, Vector256<double> b)
    {
        public readonly Vector256<double> A = a, B = b;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Lanes Create(double v) => new(Vector256.Create(v), Vector256.Create(v));
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Lanes Load(ReadOnlySpan<double> v) => new(Vector256.Create(v), Vector256.Create(v[4..]));
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Lanes LoadMask(ReadOnlySpan<long> v) => new(Vector256.Create(v).AsDouble(), Vector256.Create(v[4..]).AsDouble());
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Store(Span<double> v)
        {
            A.CopyTo(v);
            B.CopyTo(v[4..]);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Lanes operator +(Lanes x, Lanes y) => new(x.A + y.A, x.B + y.B);
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Lanes operator -(Lanes x, Lanes y) => new(x.A - y.A, x.B - y.B);
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Lanes operator *(Lanes x, Lanes y) => new(x.A * y.A, x.B * y.B);
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Lanes operator /(Lanes x, Lanes y) => new(x.A / y.A, x.B / y.B);
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Lanes operator -(Lanes x) => new(-x.A, -x.B);
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Lanes operator &(Lanes x, Lanes y) => new(x.A & y.A, x.B & y.B);
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Lanes operator |(Lanes x, Lanes y) => new(x.A | y.A, x.B | y.B);
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Lanes operator ~(Lanes x) => new(~x.A, ~x.B);
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Lanes AndNot(Lanes x, Lanes y) => new(Vector256.AndNot(x.A, y.A), Vector256.AndNot(x.B, y.B));
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Lanes Select(Lanes mask, Lanes x, Lanes y) => new(Vector256.ConditionalSelect(mask.A, x.A, y.A), Vector256.ConditionalSelect(mask.B, x.B, y.B));
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Lanes Less(Lanes x, Lanes y) => new(Vector256.LessThan(x.A, y.A), Vector256.LessThan(x.B, y.B));
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Lanes LessOrEqual(Lanes x, Lanes y) => new(Vector256.LessThanOrEqual(x.A, y.A), Vector256.LessThanOrEqual(x.B, y.B));
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Lanes Greater(Lanes x, Lanes y) => new(Vector256.GreaterThan(x.A, y.A), Vector256.GreaterThan(x.B, y.B));
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Lanes GreaterOrEqual(Lanes x, Lanes y) => new(Vector256.GreaterThanOrEqual(x.A, y.A), Vector256.GreaterThanOrEqual(x.B, y.B));
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Lanes Equal(Lanes x, Lanes y) => new(Vector256.Equals(x.A, y.A), Vector256.Equals(x.B, y.B));
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Lanes Abs(Lanes x) => new(Vector256.Abs(x.A), Vector256.Abs(x.B));
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Lanes FusedMultiplyAdd(Lanes x, Lanes y, Lanes z) => new(Vector256.FusedMultiplyAdd(x.A, y.A, z.A), Vector256.FusedMultiplyAdd(x.B, y.B, z.B));
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static bool Any(Lanes mask) => (Vector256.ExtractMostSignificantBits(mask.A) | Vector256.ExtractMostSignificantBits(mask.B)) != 0;
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static bool All(Lanes mask) => (Vector256.ExtractMostSignificantBits(mask.A) & Vector256.ExtractMostSignificantBits(mask.B)) == 0xF;
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Lanes Sqrt(Lanes x) => new(Vector256.Sqrt(x.A), Vector256.Sqrt(x.B));
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Lanes Min(Lanes x, Lanes y) => new(Vector256.Min(x.A, y.A), Vector256.Min(x.B, y.B));
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Lanes Exp(Lanes x) => new(VectorMath.Exp(x.A), VectorMath.Exp(x.B));
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Lanes Log(Lanes x) => new(VectorMath.Log(x.A), VectorMath.Log(x.B));
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Lanes Erfcx(Lanes x) => new(VectorMath.Erfcx(x.A), VectorMath.Erfcx(x.B));
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Lanes Phi(Lanes x) => new(VectorMath.Phi(x.A), VectorMath.Phi(x.B));
    }
}
