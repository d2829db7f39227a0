using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace CryptoMargin.Pricing;

/// <summary>
/// Black-76 implied volatility to machine precision, after Jäckel, "Let's Be Rational", Wilmott magazine (January 2015), and
/// its 2017 revision. The price is reduced to the out-of-the-money option (put–call parity: subtract the intrinsic
/// value) and normalised, β = price/√(FK), x = −|ln(F/K)|, so that β = b(x, s) with s = σ√t and b the normalised Black
/// call (<see cref="ImpliedVolatilityKernels"/>), increasing in s from 0 to b_max = e^{x/2}. Below the inflection
/// point s_c = √(2|x|) the solver works on g(s) = 1/ln b(s) − 1/ln β, for β ≥ b_max/2 on
/// g(s) = ln((b_max − β)/(b_max − b(s))) (Jäckel's lower and upper objective functions, which make the iteration
/// nearly linear in each region), and on g(s) = b(s) − β in between, with Householder's third-order step
/// s ← s + ν(1 + ν h₂/2)/(1 + ν(h₂ + ν h₃/6)), ν = −g/g′, h₂ = g″/g′, h₃ = g‴/g′, kept inside a bracket that every
/// evaluation narrows (from a fitted table's guess the lower region too works on b − β). Starting point
/// (<see cref="InitialGuess"/>): where they apply, fitted tables (scripts/iv-guess-tables.py) that put it within ~6e-6 of s,
/// so that one step finishes (97% of the stress grid, 99.5% of a real Deribit chain; <see cref="TryOneStep"/> runs that case
/// straight through); else
/// Jäckel's (2015) four-branch rational cubic (<see cref="RationalGuess"/>: Delbourgo–Gregory interpolation of s(β) between
/// the tangent points s_l, s_c, s_u, and of the lower map cΦ(x/(√3 s))³ and the upper map Φ(−s/2) in the outer branches),
/// which leaves two steps except at σ√t ≳ 8 (three), or the direct lower-map inversion below s_l; the older asymptotic
/// guesses remain as fallbacks where no branch applies (docs/options/implied-volatility.md).
/// </summary>
public static partial class ImpliedVolatility
{
    /// <summary>Iteration cap; the round-trip grid never needs more than a handful.</summary>
    public const int MaxIterations = 40;

    /// <summary>
    /// σ from a Black-76 price: <paramref name="price"/> is the present value when <paramref name="discount"/> D is
    /// given (the undiscounted price is price/D), <paramref name="forward"/> F &gt; 0, <paramref name="strike"/> K &gt; 0,
    /// <paramref name="t"/> years &gt; 0. Never throws: a price outside the no-arbitrage bounds
    /// (intrinsic, F for a call / K for a put) or a bad input returns NaN with the reason. Allocation-free.
    /// </summary>
    public static ImpliedVolatilityResult Solve(double price, double forward, double strike, double t, OptionType type, double discount = 1)
        => Solve(price, forward, strike, t, type, discount, useGuessTables: true);

    /// <summary>
    /// <see cref="Solve(double, double, double, double, OptionType, double)"/>; with <paramref name="useGuessTables"/> false, from
    /// the starting points used before the fitted guess tables (the uncorrected direct lower guess and its linear fallback):
    /// for the benchmarks' and tests' before/after comparisons in one process.
    /// </summary>
    internal static ImpliedVolatilityResult Solve(double price, double forward, double strike, double t, OptionType type, double discount, bool useGuessTables)
    {
        // 1/√t first: it runs alongside the solve instead of adding a square root and a division after it
        double invSqrtT = 1 / Math.Sqrt(t);
        var reason = Reduce(price, forward, strike, t, type, discount, out double beta, out double x);
        if (reason != ImpliedVolatilityReason.Solved)
            return new(reason == ImpliedVolatilityReason.AtIntrinsic ? 0 : double.NaN, reason, 0);
        if (useGuessTables && TryOneStep(beta, x, out double one)) return new(one * invSqrtT, ImpliedVolatilityReason.Solved, 1);
        var (s, r, iterations) = SolveNormalised(beta, x, useGuessTables);
        return new(r == ImpliedVolatilityReason.Solved ? s / Math.Sqrt(t) : r == ImpliedVolatilityReason.AtIntrinsic ? 0 : double.NaN, r, iterations);
    }

    /// <summary>
    /// Checks the inputs and the no-arbitrage bounds and reduces the price to the out-of-the-money normalised problem
    /// β = (price/D − intrinsic)/√(FK), x = −|ln(F/K)|; <see cref="ImpliedVolatilityReason.Solved"/> when a solve is needed.
    /// </summary>
    internal static ImpliedVolatilityReason Reduce(double price, double forward, double strike, double t, OptionType type, double discount,
        out double beta, out double x)
    {
        beta = x = 0;
        // one test (no branch per input) for the usual case: F, K, t, D positive and finite, price finite and ≥ 0; else the
        // detailed checks name the reason
        if (!(PositiveFinite(forward) & PositiveFinite(strike) & PositiveFinite(t) & PositiveFinite(discount)
            & (ulong)BitConverter.DoubleToInt64Bits(price) < 0x7FF0000000000000UL))
        {
            var reason = Check(price, forward, strike, t, discount);
            if (reason != ImpliedVolatilityReason.Solved) return reason;
        }
        double p = discount == 1 ? price : price / discount;
        // calls and puts without a branch on the type (a random mix of both would mispredict): ±(F − K) by an exact sign
        // flip, and the upper bound F or K picked bitwise
        long put = -(long)(type == OptionType.Put ? 1 : 0);
        double intrinsic = Math.Max(BitConverter.Int64BitsToDouble(BitConverter.DoubleToInt64Bits(forward - strike) ^ (put & long.MinValue)), 0);
        double cap = BitConverter.Int64BitsToDouble((BitConverter.DoubleToInt64Bits(forward) & ~put) | (BitConverter.DoubleToInt64Bits(strike) & put));
        if (p < intrinsic) return ImpliedVolatilityReason.BelowIntrinsic;
        if (p == intrinsic) return ImpliedVolatilityReason.AtIntrinsic;
        if (p >= cap) return ImpliedVolatilityReason.AboveMaximum;
        x = -Math.Abs(LogMoneyness(forward, strike));
        beta = (p - intrinsic) / (Math.Sqrt(forward) * Math.Sqrt(strike));
        return ImpliedVolatilityReason.Solved;
    }

    /// <summary>
    /// <see cref="Solve"/> over spans (all the same length): volatilities into <paramref name="vols"/> (NaN where none,
    /// 0 at the intrinsic value), reasons into <paramref name="reasons"/>. <paramref name="discounts"/> may be empty
    /// (undiscounted prices). Throws <see cref="ArgumentException"/> naming the span whose length differs.
    /// </summary>
    public static void SolveBatch(ReadOnlySpan<double> prices, ReadOnlySpan<double> forwards, ReadOnlySpan<double> strikes,
        ReadOnlySpan<double> times, ReadOnlySpan<OptionType> types, ReadOnlySpan<double> discounts,
        Span<double> vols, Span<ImpliedVolatilityReason> reasons)
    {
        int n = prices.Length;
        Require(forwards.Length, n, nameof(forwards));
        Require(strikes.Length, n, nameof(strikes));
        Require(times.Length, n, nameof(times));
        Require(types.Length, n, nameof(types));
        if (!discounts.IsEmpty) Require(discounts.Length, n, nameof(discounts));
        Require(vols.Length, n, nameof(vols));
        Require(reasons.Length, n, nameof(reasons));
        // With AVX2: the one-step fitted-table solves four at a time in vector lanes, the others by the scalar solver
        // (ImpliedVolatilityBatch.cs). Without it the software Vector256 would be slow: a loop of whole scalar solves.
        if (Vector256.IsHardwareAccelerated)
        {
            SolveBatchVector(prices, forwards, strikes, times, types, discounts, vols, reasons);
            return;
        }
        for (int i = 0; i < n; i++)
        {
            var r = Solve(prices[i], forwards[i], strikes[i], times[i], types[i], discounts.IsEmpty ? 1 : discounts[i]);
            vols[i] = r.Volatility;
            reasons[i] = r.Reason;
        }
    }

    private static void Require(int length, int expected, string name)
    {
        if (length != expected)
            throw new ArgumentException($"{name} has {length} elements but prices has {expected}; all spans must have the same length", name);
    }

    /// <summary>0 &lt; <paramref name="v"/> &lt; ∞ from the bits: +0, negatives, ∞ and NaN all fall outside [1, 0x7FEFFFFFFFFFFFFF].</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool PositiveFinite(double v) => (ulong)(BitConverter.DoubleToInt64Bits(v) - 1) < 0x7FEFFFFFFFFFFFFFUL;

    private static ImpliedVolatilityReason Check(double price, double forward, double strike, double t, double discount)
    {
        if (!(double.IsFinite(price) && double.IsFinite(forward) && double.IsFinite(strike) && double.IsFinite(t) && double.IsFinite(discount)))
            return ImpliedVolatilityReason.NonFiniteInput;
        if (!(forward > 0)) return ImpliedVolatilityReason.NonPositiveForward;
        if (!(strike > 0)) return ImpliedVolatilityReason.NonPositiveStrike;
        if (!(t > 0)) return ImpliedVolatilityReason.NonPositiveTime;
        if (!(discount > 0)) return ImpliedVolatilityReason.NonPositiveDiscount;
        if (price < 0) return ImpliedVolatilityReason.NegativePrice;
        return ImpliedVolatilityReason.Solved;
    }

    /// <summary>ln(F/K), with the ratio's rounding error put back so that x keeps full relative accuracy near the money.</summary>
    internal static double LogMoneyness(double forward, double strike)
    {
        double ratio = forward / strike;
        // ln u of the rounded ratio u plus (F − uK)/F, the division's remainder (exact by a fused multiply-add) over F, i.e.
        // ln(F/K) = ln u + ln(1 + (F − uK)/(uK)) to first order (the next term is below ε²); the remainder's division runs
        // alongside the logarithm instead of after it, as ln(1 + y)'s y/(u − 1) would. Added everywhere (far from the money it is
        // below an ulp of x), so that a mix of strikes near and far from the money costs no mispredicted branch; the inline
        // logarithm likewise has no branch on its argument and agrees with the library's to within an ulp (on the 50-digit
        // grid the worst σ error is unchanged, 9.65e-14).
        double log = ImpliedVolatilityKernels.LogInline(ratio);
        return log + Math.FusedMultiplyAdd(-ratio, strike, forward) / forward;
    }

    /// <summary>s = σ√t with b(x, s) = β for x ≤ 0 and 0 &lt; β &lt; e^{x/2}.</summary>
    internal static (double S, ImpliedVolatilityReason Reason, int Iterations) SolveNormalised(double beta, double x, bool useGuessTables = true)
    {
        var reason = Start(beta, x, out var state, useGuessTables);
        if (reason != ImpliedVolatilityReason.Solved) return (reason == ImpliedVolatilityReason.AtIntrinsic ? 0 : double.NaN, reason, 0);
        while (!Step(ref state)) { }
        return (state.S, ImpliedVolatilityReason.Solved, state.Iterations);
    }

    /// <summary>
    /// The common case straight through (<see cref="SolveBatch"/>'s vector lanes do the same four at a time): a lower-region
    /// price (β &lt; b_c) whose starting point comes from a fitted table (<see cref="InitialGuess"/>'s central, small-s_c, corrected
    /// lower-map or mid branch: 96% of the stress grid, 95% of a real Deribit chain) and whose one Householder step on g = b − β
    /// (<see cref="Start"/>'s objective there) ends the iteration, without <see cref="NormalisedSolve"/>'s state or the quantities
    /// only other branches need. Every test is <see cref="Start"/>'s and <see cref="Step"/>'s; false (nothing decided) where any
    /// fails, and the caller runs the general solver.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool TryOneStep(double beta, double x, out double s)
    {
        s = 0;
        // ln(β/|x|) first, for the lower map's ln p (most lower-region prices): its logarithm then runs beside b_c's pieces
        double logBetaOverX = ImpliedVolatilityKernels.LogInline(beta / -x);
        double bMax = ImpliedVolatilityKernels.ExpInline(0.5 * x);
        if (!(beta > 1e-250 && beta < bMax)) return false;
        double sc = Math.Sqrt(-2 * x);
        double bcOverBMax = InflectionRatio(sc), bc = bMax * bcOverBMax;
        if (!(beta < bc)) return false;
        double guess = LowerTableGuess(beta, x, sc, bc, bcOverBMax, logBetaOverX, out var kind);
        if (kind is not (LowerGuessKind.Table or LowerGuessKind.Map) || !(guess > 0 && guess < sc)) return false;

        // Step's middle objective with the kernel's small-t or erfcx branch (h + t < 0 below s_c: never the plain difference)
        double invS = 1 / guess, h = x * invS, th = 0.5 * guess;
        if (h < ImpliedVolatilityKernels.AsymptoticH && h + th < ImpliedVolatilityKernels.AsymptoticH + ImpliedVolatilityKernels.SmallT) return false;
        // 1/b′ = e^{(h² + t²)/2 + ln√(2π)} is formed while D = b/b′ is computed, so that ν = (β − b)/b′ = β/b′ − D costs a
        // multiply-add after D, not a division (β > 1e-250 keeps the exponent far below overflow: b′ = b/D)
        double invVega = ImpliedVolatilityKernels.ExpInline(0.5 * (h * h + th * th) + ImpliedVolatilityKernels.LogSqrtTwoPi);
        double d = th < ImpliedVolatilityKernels.SmallT ? ImpliedVolatilityKernels.SmallTD(h, th)
            : ImpliedVolatilityKernels.SqrtHalfPi * (ImpliedVolatilityKernels.Erfcx(-(h + th) * ImpliedVolatilityKernels.InvSqrt2)
                - ImpliedVolatilityKernels.Erfcx(-(h - th) * ImpliedVolatilityKernels.InvSqrt2));
        double nu = Math.FusedMultiplyAdd(beta, invVega, -d);
        double xs2 = x * x * invS * invS;
        double r2 = xs2 * invS - 0.25 * guess;
        double r3 = r2 * r2 - 3 * xs2 * invS * invS - 0.25;
        double step = nu * (1 + 0.5 * r2 * nu) / (1 + nu * (r2 + r3 * nu * (1.0 / 6)));
        double next = guess + step;
        // the bracket after this evaluation is (s, s_c) where b < β (ν > 0), (0, s) where b > β: the step must keep ν's sign and
        // land inside (0, s_c). Tested without a branch on ν's sign (random from one solve to the next: half mispredicted)
        bool inside = (step * nu > 0 | nu == 0) & next > 0 & next < sc;
        if (!(Math.Abs(step) <= 1e-5 * guess & inside)) return false;
        s = next;
        return true;
    }

    /// <summary>
    /// b(x, s_c)/b_max = ½(1 − erfcx(s_c/√2)) (the normalised call at the inflection point over its maximum) for
    /// <see cref="TryOneStep"/>: s_c·G(s_c) from a piecewise polynomial for s_c &lt; 5.875 (scripts/iv-bc-table.py: 24 pieces
    /// of width ¼, degree 7; within 5.2e-13 relative), Cody's erfcx beyond. No division, no call and no branch between Cody's
    /// ranges (a random mix of |ln F/K| falls on both sides of s_c = 0.66 at random). Its uses there, the region tests
    /// β &lt; b_c and β ≥ 0.2·b_c and the tables' coordinates q and β/b_c, need it to about 1e-8 (a guess within 6e-6 of s); a
    /// test decided the other way by its rounding sends the solve to the general solver, whose <see cref="Start"/> keeps the
    /// erfcx form.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static double InflectionRatio(double sc)
    {
        if (!(sc < (InflectionPieces - 0.5) * 0.25)) return 0.5 * (1 - ImpliedVolatilityKernels.Erfcx(sc * ImpliedVolatilityKernels.InvSqrt2));
        double rounded = ImpliedVolatilityKernels.RoundToInteger(4 * sc, out int i); // i = round(4 s_c) ∈ [0, 23]
        double y = Math.FusedMultiplyAdd(sc, 8, -2 * rounded), y2 = y * y, y4 = y2 * y2;
        ref double c = ref Unsafe.Add(ref MemoryMarshal.GetReference(InflectionTable), 8 * i);
        return sc * ImpliedVolatilityKernels.Estrin7(y, y2, y4, c, Unsafe.Add(ref c, 1), Unsafe.Add(ref c, 2), Unsafe.Add(ref c, 3),
            Unsafe.Add(ref c, 4), Unsafe.Add(ref c, 5), Unsafe.Add(ref c, 6), Unsafe.Add(ref c, 7));
    }

    /// <summary>
    /// The general solver's state between Householder steps (unmanaged; <see cref="TryOneStep"/> finishes the common case
    /// without it).
    /// </summary>
    internal struct NormalisedSolve
    {
        public double Beta, X, X2, BMax, InvBMax, Lo, Hi, S, LogBeta, Distance, LogDistance;
        public bool Lower, Upper;
        public int Iterations;
    }

    /// <summary>
    /// Reduction-independent set-up of a normalised solve: b_max, s_c, b(s_c), the objective's region, the initial guess and
    /// its bracket. <see cref="ImpliedVolatilityReason.AtIntrinsic"/> for β ≤ 0, <see cref="ImpliedVolatilityReason.AboveMaximum"/>
    /// for β ≥ b_max, else <see cref="ImpliedVolatilityReason.Solved"/> with <paramref name="state"/> ready for <see cref="Step"/>.
    /// </summary>
    internal static ImpliedVolatilityReason Start(double beta, double x, out NormalisedSolve state, bool useGuessTables = true)
    {
        state = default;
        double bMax = Math.Exp(0.5 * x);
        if (!(beta > 0)) return ImpliedVolatilityReason.AtIntrinsic;
        if (beta >= bMax) return ImpliedVolatilityReason.AboveMaximum;

        double invBMax = 1 / bMax; // e^{−x/2}, hoisted: the kernels would otherwise recompute both exponentials per step
        double sc = Math.Sqrt(-2 * x);
        // b(s_c) = e^{x/2}/2 − e^{−x/2}Φ(−s_c) (h + t = 0 there): only picks the objective and a fallback guess, so
        // the cancellation of this direct form for tiny |x| costs nothing but a less suited (still convergent) branch.
        // With e^{−s_c²/2} = e^{x}: e^{−x/2}Φ(−s_c) = ½e^{x/2}erfcx(s_c/√2), so b_c = ½b_max(1 − erfcx(s_c/√2)), one exponential fewer.
        double bc = sc > 0 ? Math.Max(0.5 * bMax * (1 - ImpliedVolatilityKernels.Erfcx(sc * 0.70710678118654752440)), 0) : 0;
        bool lower = beta < bc;
        // Upper objective only where β ≥ b_max/2: there b_max − β is exact (Sterbenz) and carries β's information;
        // below, b_max − β would round away the digits of a small β, so the plain g = b − β is used.
        bool upper = !lower && beta >= 0.5 * bMax;
        double lo = lower ? 0 : sc, hi = lower ? sc : double.PositiveInfinity;
        double logBeta = Math.Log(beta); // once: the lower objective and the direct lower guess both need it
        double s = InitialGuess(beta, x, bMax, invBMax, sc, bc, lower, logBeta, out _, out bool fitted, useGuessTables);
        // a central guess a rounding error past s_c (β ≈ b_c) is clamped onto s_c rather than discarded
        if (s > hi && s <= hi * (1 + 1e-12)) s = hi;
        else if (s < lo && s >= lo * (1 - 1e-12)) s = lo;
        if (!(s >= lo && s <= hi && s > 0)) s = lower ? LowerGuess(beta, x, sc, bc) : UpperGuess(beta, bMax, invBMax, sc);
        double distance = bMax - beta;
        // From a fitted table's guess (within ~6e-6 of s) the lower region's last step works on the plain g = b − β: one
        // third-order step from there leaves ~K·e⁴ with K ~ h⁶ (b ~ e^{−h²/2}), below 1e-16 for |h| ≲ 12, and needs neither
        // ln b nor the two divisions of the lower objective. A second step (rare) stays on it, inside the bracket.
        // Not where b could underflow (β ≤ 1e-250), nor in the upper region (b − β there would round away b_max − β's digits).
        bool lowerObjective = lower && !(fitted && beta > 1e-250);
        state = new NormalisedSolve
        {
            Beta = beta, X = x, X2 = x * x, BMax = bMax, InvBMax = invBMax, Lo = lo, Hi = hi, S = s, LogBeta = logBeta,
            Distance = distance, LogDistance = upper ? Math.Log(distance) : 0, Lower = lowerObjective, Upper = upper,
        };
        return ImpliedVolatilityReason.Solved;
    }

    /// <summary>
    /// One Householder step of <paramref name="state"/> (kept inside its bracket, bisection where it would leave it); true when
    /// the solve is finished, <c>state.S</c> then being the solution (also after <see cref="MaxIterations"/> steps).
    /// </summary>
    internal static bool Step(ref NormalisedSolve state)
    {
        double s = state.S, x = state.X, x2 = state.X2, beta = state.Beta, bMax = state.BMax, invBMax = state.InvBMax;
        double logBeta = state.LogBeta, distance = state.Distance, logDistance = state.LogDistance;
        bool lower = state.Lower, upper = state.Upper;
        int iteration = ++state.Iterations;

        // Upper region: b_max − b is what the objective needs; b follows from it without loss there (b ≥ b_max/2).
        double b, bOverVega, logVega, vega, m = 0, mOverVega = 0;
        if (upper)
        {
            // b_max − b = b′·√(π/2)[erfcx((h + t)/√2) + erfcx((t − h)/√2)]: one exponential (b′) instead of three
            double h = x / s, th = 0.5 * s;
            logVega = -0.5 * (h * h + th * th) - ImpliedVolatilityKernels.LogSqrtTwoPi;
            vega = Math.Exp(logVega);
            mOverVega = ImpliedVolatilityKernels.DistanceToMaximumOverVega(x, s);
            if (double.IsNaN(mOverVega))
            {
                m = ImpliedVolatilityKernels.DistanceToMaximum(x, s, bMax, invBMax);
                mOverVega = m / vega;
            }
            else m = vega * mOverVega;
            b = bMax - m;
            bOverVega = 0;
        }
        else b = ImpliedVolatilityKernels.NormalisedOtmCall(x, s, bMax, invBMax, out bOverVega, out logVega, out vega);
        int side = upper ? distance.CompareTo(m) : b.CompareTo(beta); // > 0: s is above the root
        if (side > 0) state.Hi = s;
        else if (side < 0) state.Lo = s;
        else { state.S = s; return true; }
        double lo = state.Lo, hi = state.Hi;

        // b″/b′ and b‴/b′ from ln b′ = −(x²/s² + s²/4)/2 − ln√(2π)
        double invS = 1 / s, xs2 = x2 * invS * invS;
        double r2 = xs2 * invS - 0.25 * s;
        double r3 = r2 * r2 - 3 * xs2 * invS * invS - 0.25;
        double nu, h2, h3;
        if (lower)
        {
            double lnB = b > 1e-290 ? Math.Log(b) : logVega + Math.Log(bOverVega);
            // one division for 1/(ln b)′ = b/b′ (given) and one for 1/ln b; ν = ln b (ln β − ln b)/(ln β · (ln b)′)
            double u = 1 / bOverVega, invLnB = 1 / lnB; // (ln b)′
            nu = (logBeta - lnB) * bOverVega * (lnB / logBeta);
            double ul = u * invLnB;
            h2 = r2 - u - 2 * ul;
            h3 = r3 - 3 * r2 * u + 2 * u * u - 6 * ul * (r2 - u) + 6 * ul * ul;
        }
        else if (upper)
        {
            double w = 1 / mOverVega; // b′/(b_max − b)
            // ln m from ln b′ where m underflows (then b′ does too, but ln b′ and m/b′ stay finite)
            double logM = m > 1e-290 ? Math.Log(m) : logVega + Math.Log(mOverVega);
            nu = (logM - logDistance) * mOverVega;
            h2 = r2 + w;
            h3 = r3 + 3 * r2 * w + 2 * w * w;
        }
        else
        {
            nu = (beta - b) / vega;
            h2 = r2;
            h3 = r3;
        }
        double step = nu * (1 + 0.5 * h2 * nu) / (1 + nu * (h2 + h3 * nu * (1.0 / 6)));
        double next = s + step;
        // Third order: a step of relative size δ leaves an error ≈ Cδ³; on the grid C ≈ 1e-3 (and 1e-4 already gave the
        // same errors), so δ ≤ 1e-5 leaves ≲ 1e-15 even for C ~ 1.
        if (Math.Abs(step) <= 1e-5 * s) { state.S = next; return true; }
        if (!(next > lo && next < hi) || !double.IsFinite(next))
        {
            next = double.IsPositiveInfinity(hi) ? 2 * s : lo > 0 ? 0.5 * (lo + hi) : 0.5 * hi;
            if (next == s) { state.S = s; return true; }
            state.S = next;
            return iteration >= MaxIterations;
        }
        state.S = next;
        return iteration >= MaxIterations;
    }

    /// <summary>
    /// The solver's starting point, from fitted tables where they apply (scripts/iv-guess-tables.py; each within ~6e-6 of
    /// s, so one Householder step finishes): in the lower region s itself for 0.2·b_c ≤ β &lt; b_c at s_c ≤ 4
    /// (<see cref="CentralTableValue"/>) and for small s_c below that (<see cref="SmallTableValue"/>); else, below
    /// s_l = s_c − b_c/b′(s_c), the direct inversion of the lower map at β (<see cref="LowerMapInversion"/>) corrected by
    /// <see cref="LowerTableCorrection"/>; above b_c the upper-map guess corrected by <see cref="UpperTableCorrection"/>.
    /// Everywhere else (also where the lower map cannot be inverted) Jäckel's rational guess (<see cref="RationalGuess"/>).
    /// <paramref name="rational"/> tells which was taken (NaN from it falls back to the asymptotic guesses in the caller).
    /// <paramref name="useGuessTables"/> false: the starting points before the tables (for before/after comparisons).
    /// </summary>
    internal static double InitialGuess(double beta, double x, double bMax, double invBMax, double sc, double bc, bool lower, out bool rational,
        bool useGuessTables = true)
        => InitialGuess(beta, x, bMax, invBMax, sc, bc, lower, Math.Log(beta), out rational, out _, useGuessTables);

    /// <summary>... <paramref name="fitted"/>: the guess is a fitted table's (within ~6e-6 of s in the lower region).</summary>
    private static double InitialGuess(double beta, double x, double bMax, double invBMax, double sc, double bc, bool lower, double logBeta,
        out bool rational, out bool fitted, bool useGuessTables)
    {
        rational = true;
        fitted = false;
        if (lower && !useGuessTables)
        {
            double s = LowerGuess(beta, x, sc, bc);
            if (s < sc - bc * ImpliedVolatilityKernels.SqrtTwoPi / bMax)
            {
                rational = false;
                return s;
            }
        }
        else if (lower)
        {
            double s = LowerTableGuess(beta, x, sc, bc, bc * invBMax, logBeta - Math.Log(-x), out var kind);
            if (kind != LowerGuessKind.None)
            {
                // (rational stays true for the tables of s itself, as it always has: it marks the direct lower-map guess)
                rational = kind is LowerGuessKind.Table;
                fitted = kind is LowerGuessKind.Table or LowerGuessKind.Map;
                return s;
            }
        }
        else if (useGuessTables && sc <= UpperScMax)
        {
            // β ≥ b_c: the direct upper-map guess, corrected by the upper table away from the inflection point
            double s = -2 * ImpliedVolatilityKernels.InversePhi((bMax - beta) / (bMax + invBMax));
            double e = UpperTableCorrection(sc, s);
            if (!double.IsNaN(e)) return s * (1 + e);
        }
        return RationalGuess(beta, x, bMax, invBMax, sc, bc);
    }

    /// <summary>Which of <see cref="LowerTableGuess"/>'s branches gave the starting point.</summary>
    private enum LowerGuessKind
    {
        /// <summary>No branch applies (the caller falls back to Jäckel's rational guess or the general solver).</summary>
        None,
        /// <summary>s itself from the central, small-s_c or mid table.</summary>
        Table,
        /// <summary>The direct lower-map guess corrected by its table.</summary>
        Map,
        /// <summary>The direct lower-map guess outside its tables' rectangles (uncorrected: not one-step).</summary>
        UncorrectedMap,
    }

    /// <summary>
    /// The lower region's (β &lt; b_c) fitted starting points in their order, shared by <see cref="InitialGuess"/> and
    /// <see cref="TryOneStep"/> (the batch's <c>Solve4</c> mirrors it on lanes): the central table (s_c ≤ 4, β ≥ 0.2·b_c), the
    /// small-s_c table where it applies, the direct lower-map guess s₀ = q·s_l where it inverts below s_l (corrected by its
    /// table inside the tables' rectangles), else the mid table where it applies; NaN with <see cref="LowerGuessKind.None"/>
    /// where none does. The lower map's ln p = (ln(β/|x|) + ln(3√3/(2π)))/3 comes from <paramref name="logBetaOverX"/>;
    /// q = x/(√3 z s_l) with z = num/den left undivided: q = x·den/(√3 s_l·num), one division after Φ⁻¹'s parts.
    /// </summary>
    private static double LowerTableGuess(double beta, double x, double sc, double bc, double bcOverBMax, double logBetaOverX, out LowerGuessKind kind)
    {
        kind = LowerGuessKind.Table;
        if (sc <= CentralScMax && beta >= CentralVMin * bc) return sc * CentralTableValue(sc, beta / bc);
        if (sc <= SmallScMax && SmallTableValue(sc, -x, beta) is var small && !double.IsNaN(small)) return small;
        double sl = sc - ImpliedVolatilityKernels.SqrtTwoPi * bcOverBMax;
        ImpliedVolatilityKernels.InversePhiOfLogGuessParts((logBetaOverX + LogLowerMapScale) * (1.0 / 3), out double num, out double den);
        double q = x * den / (Sqrt3 * sl * num);
        if (q > 0 && q < 1)
        {
            // inside a table's rectangle the corrected guess is within ~2e-6 of s, so one third-order step lands at ≲ 1e-17
            // and its size (≤ 1e-5 s) ends the iteration; outside, LowerTableCorrection is 0 (the uncorrected map)
            kind = (sc <= LowerNearScMax ? q <= LowerNearQMax : sc <= LowerFarScMax && q <= LowerFarQMax) ? LowerGuessKind.Map : LowerGuessKind.UncorrectedMap;
            return q * sl * (1 + LowerTableCorrection(sc, q));
        }
        // the map lands past s_l (or cannot be inverted): s itself from the mid table where it applies
        if (sc >= MidScMin && sc <= MidScMax && MidTableValue(sc, ImpliedVolatilityKernels.LogInline(beta / bc)) is var mid && !double.IsNaN(mid))
            return sc * mid;
        kind = LowerGuessKind.None;
        return double.NaN;
    }

    /// <summary>
    /// u = s/s_c for 0.2·b_c ≤ β &lt; b_c and s_c ≤ 4 (the lower region's last stretch before the inflection point, where the
    /// lower map is poor and the rational guess needs a kernel call and leaves two steps) as a 2-D polynomial in
    /// ζ = 2g(s_c)/g(4) − 1, g(s_c) = s_c/(s_c + 5), and η = 2(v − 0.2)/0.8 − 1, v = β/b_c: the Chebyshev interpolant on
    /// 16 × 12 nodes of mpmath solves (scripts/iv-guess-tables.py), within 2.2e-6 of s on the script's check grid.
    /// </summary>
    internal static double CentralTableValue(double sc, double v)
        => PatchedUnits(CentralTable, CentralColumns, CentralPatchesZeta, CentralPatchesEta, ZetaUnits(sc, 0, CentralScMax, CentralK, CentralPatchesZeta),
            (v - CentralVMin) * (CentralPatchesEta * InsideUnits / (1 - CentralVMin)));

    /// <summary>
    /// u = s/s_c for 0.001·b_c ≤ β &lt; 0.2·b_c and 0.2 ≤ s_c ≤ 4 where the direct lower-map guess lands past s_l or cannot be inverted
    /// (near-the-money short-dated quotes: on a real Deribit chain an eighth of all prices, which the rational guess served with
    /// two steps), as a 2-D polynomial in ζ = 2(g(s_c) − g(0.2))/(g(4) − g(0.2)) − 1, g(s_c) = s_c/(s_c + 5), and η = 2 ln(v/0.001)/ln(200) − 1,
    /// v = β/b_c, given as <paramref name="logV"/> = ln v (u bends like 1/√ln(1/v), smooth in ln v on this range): 8 × 8
    /// patches fitted to mpmath solves (scripts/iv-guess-tables.py). NaN outside v ∈ [0.001, 0.2].
    /// </summary>
    internal static double MidTableValue(double sc, double logV)
    {
        double w = (logV - LogMidVMin) * (MidPatchesEta * InsideUnits / LogMidVRange); // η in patch units
        return w >= 0 && w <= MidPatchesEta * InsideUnits
            ? PatchedUnits(MidTable, MidColumns, MidPatchesZeta, MidPatchesEta, ZetaUnits(sc, MidScMin, MidScMax, MidK, MidPatchesZeta), w) : double.NaN;
    }

    /// <summary>ln 0.001 and ln(0.2/0.001), the mid table's η range (<see cref="MidVMin"/>, <see cref="MidVMax"/>).</summary>
    private const double LogMidVMin = -6.907755278982137, LogMidVRange = 5.298317366548036;

    /// <summary>
    /// s for β &lt; 0.2·b_c at s_c ≤ 1 where h = x/s lies between about −1.2 and 0 (s not small against |x|: the lower map fails
    /// or is poor there, and the central table's v = β/b_c coordinate bends like 1/√ln(1/v)). As s_c → 0, β/|x| tends to a
    /// function of h alone, (φ(h) + hΦ(h))/|h| (the normalised Bachelier price), so the table holds H = |x|/(τs) = −h/τ
    /// (finite as τ → 0) in ζ = 2s_c − 1 and τ = |x|/(|x| + β) ∈ [τ_lo, 0.95], τ_lo = 0.95 s_c/(s_c + 0.16) (just inside v = 0.2),
    /// η = 2(τ − τ_lo)/(0.95 − τ_lo) − 1: 6 × 16 patches fitted to mpmath solves (scripts/iv-guess-tables.py), within 6.4e-6 of s
    /// on the script's check grid. NaN outside τ ∈ [τ_lo, 0.95].
    /// </summary>
    internal static double SmallTableValue(double sc, double absX, double beta)
    {
        // τ_lo = 0.95 s_c/(s_c + 0.16), so 0.95 − τ_lo = 0.95·0.16/(s_c + 0.16) and η = 2(τ(s_c + 0.16) − 0.95 s_c)/(0.95·0.16) − 1,
        // and s = |x|/(τH) = (|x| + β)/H: two divisions instead of four
        if (!(absX <= 19 * beta)) return double.NaN; // τ > 0.95 (most lower-map prices): rejected before the division
        double sum = absX + beta, tau = absX / sum;
        double w = (tau * (sc + SmallTauK) - SmallTauMax * sc) * (SmallPatchesEta * InsideUnits / (SmallTauMax * SmallTauK)); // η in patch units
        if (!(w >= 0 && w <= SmallPatchesEta * InsideUnits)) return double.NaN;
        return sum / PatchedUnits(SmallTable, SmallColumns, SmallPatchesZeta, SmallPatchesEta, sc * (SmallPatchesZeta * InsideUnits / SmallScMax), w);
    }

    /// <summary>
    /// The relative error e = s/s₀ − 1 of the direct upper-map guess s₀ = −2Φ⁻¹((b_max − β)/(b_max + 1/b_max)) (b_max − b ≈
    /// (e^{x/2} + e^{−x/2})Φ(−s/2), exact at x = 0 and as s → ∞) for β ≥ b_c, as a 2-D polynomial in ζ = 2g(s_c)/g(4) − 1,
    /// g(s_c) = s_c/(s_c + 5), and η = 2w/(0.8 w_c(ζ)) − 1, w = s_c/s₀, w_c = the guess's w at the inflection point (a 1-D
    /// polynomial in ζ): fitted offline against mpmath solves like the lower tables (scripts/iv-guess-tables.py), 16 × 10
    /// Chebyshev nodes, within 8.4e-7 on the script's check grid. NaN outside s_c ≤ 4, 0 ≤ w ≤ 0.8 w_c (the last stretch before
    /// the inflection point, where the guess is 15–45% off, is left to the rational guess).
    /// </summary>
    internal static double UpperTableCorrection(double sc, double s0)
    {
        if (!(sc <= UpperScMax && s0 > 0 && s0 < double.PositiveInfinity)) return double.NaN;
        double zeta = Zeta(sc, 0, UpperScMax, UpperK);
        var wcTable = UpperWcTable;
        double wc = wcTable[^1];
        for (int i = wcTable.Length - 2; i >= 0; i--) wc = Math.FusedMultiplyAdd(wc, zeta, wcTable[i]);
        double eta = 2 * sc / (s0 * UpperWFraction * wc) - 1;
        return eta <= 1 ? Patched(UpperTable, UpperColumns, UpperPatchesZeta, UpperPatchesEta, zeta, eta) : double.NaN;
    }

    /// <summary>
    /// The direct lower-map guess s₀ = x/(√3 Φ⁻¹((3√3β/(2π|x|))^{1/3})) (Jäckel 2015's lower map b ≈ cΦ(x/(√3 s))³ inverted at β);
    /// NaN where Φ⁻¹'s argument is ≥ 0.45 or s₀ falls outside (0, s_c). Computed from ln β without a cube root (<see cref="LowerMapZ"/>); the
    /// solver (<see cref="LowerTableGuess"/>) forms the same s₀ from ln(β/|x|) with Φ⁻¹ left as a quotient (equal to rounding).
    /// </summary>
    internal static double LowerMapInversion(double beta, double x, double sc)
    {
        double s = x / (Sqrt3 * LowerMapZ(Math.Log(beta), x));
        return s > 0 && s < sc ? s : double.NaN;
    }

    private const double Sqrt3 = 1.7320508075688772935;

    /// <summary>The small table's τ_lo = 0.95 s_c/(s_c + 0.16) constant (scripts/iv-guess-tables.py).</summary>
    private const double SmallTauK = 0.16;

    /// <summary>
    /// z = Φ⁻¹(p), p = (3√3β/(2π|x|))^{1/3}, of the direct lower-map guess s₀ = x/(√3 z), from ln β: ln p = (ln β − ln|x| +
    /// ln(3√3/(2π)))/3 and <see cref="ImpliedVolatilityKernels.InversePhiOfLog"/> (no cube root; AS 241's tail needs only
    /// √(−ln p)). NaN where p ≥ 0.45 (also x = 0).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double LowerMapZ(double logBeta, double x)
        => ImpliedVolatilityKernels.InversePhiOfLog((logBeta - Math.Log(-x) + LogLowerMapScale) * (1.0 / 3));

    /// <summary>ln(3√3/(2π)).</summary>
    private const double LogLowerMapScale = -0.18995863340718090;

    /// <summary>
    /// The relative error e = s/s₀ − 1 of the direct lower-map guess s₀ (<see cref="LowerMapInversion"/>) as a 2-D polynomial in
    /// s_c = √(2|x|) and q = s₀/s_l, fitted offline against mpmath solves (scripts/iv-guess-tables.py; tables in
    /// ImpliedVolatilityGuessTable.cs): Chebyshev interpolants on s_c ∈ [0, 4] × q ∈ [0, 1] (10 × 14 nodes) and
    /// s_c ∈ (4, 16] × q ∈ [0, 0.7] (8 × 14 nodes; beyond q ≈ 0.8 the lower map there overshoots every lower-region price),
    /// in ζ = 2(g(s_c) − g(lo))/(g(hi) − g(lo)) − 1, g(s_c) = s_c/(s_c + K), and η = 2q/q_max − 1. The corrected guess
    /// s₀(1 + e) is within 2.3e-6 of s on the script's check grids. 0 outside both rectangles (no correction).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static double LowerTableCorrection(double sc, double q)
    {
        if (sc <= LowerNearScMax)
            return q <= LowerNearQMax ? PatchedUnits(LowerNearTable, LowerNearColumns, LowerNearPatchesZeta, LowerNearPatchesEta,
                ZetaUnits(sc, LowerNearScMin, LowerNearScMax, LowerNearK, LowerNearPatchesZeta), q * (LowerNearPatchesEta * InsideUnits / LowerNearQMax)) : 0;
        return sc <= LowerFarScMax && q <= LowerFarQMax
            ? PatchedUnits(LowerFarTable, LowerFarColumns, LowerFarPatchesZeta, LowerFarPatchesEta,
                ZetaUnits(sc, LowerFarScMin, LowerFarScMax, LowerFarK, LowerFarPatchesZeta), q * (LowerFarPatchesEta * InsideUnits / LowerFarQMax)) : 0;
    }

    /// <summary><see cref="Zeta"/> in patch units of a table with <paramref name="n"/> patches along ζ (<see cref="PatchedUnits"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double ZetaUnits(double sc, double lo, double hi, double k, int n) => ZetaScaled(sc, lo, hi, k, n * InsideUnits);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double Zeta(double sc, double lo, double hi, double k) => ZetaScaled(sc, lo, hi, k, 2) - 1;

    /// <summary>(g(s_c) − g(lo))/(g(hi) − g(lo))·<paramref name="scale"/>, g(s_c) = s_c/(s_c + k): ζ + 1 at scale 2.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double ZetaScaled(double sc, double lo, double hi, double k, double scale)
    {
        double gLo = lo / (lo + k), gHi = hi / (hi + k);
        return (sc / (sc + k) - gLo) * (scale / (gHi - gLo));
    }

    /// <summary>
    /// A patched table at (ζ, η) ∈ [−1, 1]²: the square is cut into <paramref name="na"/> × <paramref name="nb"/> equal patches,
    /// each holding 6 × 6 power-basis coefficients a_ij of ζ_l^i η_l^j in its local coordinates ζ_l, η_l ∈ [−1, 1] (degree-5
    /// Chebyshev interpolants, scripts/iv-guess-tables.py). Evaluated by Estrin's scheme in both variables (dependency depth
    /// six multiply-adds instead of the 35 of a Horner sweep; the 36 terms are independent work the core overlaps).
    /// With AVX2 the same sum is read from <paramref name="columns"/> (<see cref="Columns"/>) in vector lanes: rows 0–3 of the
    /// patch in one <see cref="Vector256{T}"/> and rows 4–5 in a <see cref="Vector128{T}"/>, each by Estrin's scheme in η_l, then a
    /// dot product with the powers of ζ_l (a third of the scalar sweep's instructions; the rounding differs in the last bits of
    /// a correction that only has to be good to ~1e-6).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double Patched(ReadOnlySpan<double> table, double[] columns, int na, int nb, double zeta, double eta)
        => PatchedUnits(table, columns, na, nb, (zeta + 1) * (0.5 * InsideUnits) * na, (eta + 1) * (0.5 * InsideUnits) * nb);

    /// <summary>
    /// 1 − 2⁻⁴⁰: patch-unit coordinates are scaled by it (in the callers' constants) so that the table's far edge (ζ or η = 1,
    /// u = n) stays inside the last patch (its floor is n − 1) without a clamp on the coordinate's critical path; it moves the
    /// evaluation point by 1e-12 of a patch, nothing against a guess good to ~1e-6.
    /// </summary>
    private const double InsideUnits = 1 - 1.0 / (1L << 40);

    /// <summary>
    /// <see cref="Patched"/> at patch-unit coordinates u = (ζ + 1)·n_a/2 ∈ [0, n_a), w = (η + 1)·n_b/2 ∈ [0, n_b) (scaled by
    /// <see cref="InsideUnits"/>), which the callers form with one multiply-add from their own coordinate: patch ⌊u⌋, ⌊w⌋ and
    /// local ζ_l = 2(u − ⌊u⌋) − 1, η_l likewise (the floor in floating point, read off as an integer from its bits: no
    /// conversion on the way to η_l). The integer indices are clamped for safety only (NaN or out-of-range input reads an
    /// edge patch, never outside).
    /// </summary>
    private static double PatchedUnits(ReadOnlySpan<double> table, double[] columns, int na, int nb, double u, double w)
    {
        // ⌊u⌋ as round(u − ½) by adding 1.5·2^52 (the integer lands in the low mantissa bits; a tie at an integer u may give
        // u − 1, whose patch then reads u at its right edge η_l = 1): two additions and a move, no saturating conversion
        double fu = ImpliedVolatilityKernels.RoundToInteger(u - 0.5, out int ia), fw = ImpliedVolatilityKernels.RoundToInteger(w - 0.5, out int ib);
        double z = Math.FusedMultiplyAdd(2, u - fu, -1), e = Math.FusedMultiplyAdd(2, w - fw, -1);
        if ((uint)ia >= (uint)na) ia = ia < 0 ? 0 : na - 1;
        if ((uint)ib >= (uint)nb) ib = ib < 0 ? 0 : nb - 1;
        int offset = (ia * nb + ib) * 36;
        if (Vector256.IsHardwareAccelerated)
        {
            var k = columns.AsSpan(offset, 36);
            // Estrin in η_l: (c₀ + c₁η) + η²(c₂ + c₃η) + η⁴(c₄ + c₅η), three multiply-adds deep
            double eSquared = e * e, eFourth = eSquared * eSquared;
            var ev = Vector256.Create(e);
            var ev2 = Vector256.Create(eSquared);
            var ev4 = Vector256.Create(eFourth);
            var rows = Vector256.FusedMultiplyAdd(Vector256.FusedMultiplyAdd(Vector256.Create(k.Slice(20, 4)), ev, Vector256.Create(k.Slice(16, 4))), ev4,
                Vector256.FusedMultiplyAdd(Vector256.FusedMultiplyAdd(Vector256.Create(k.Slice(12, 4)), ev, Vector256.Create(k.Slice(8, 4))), ev2,
                    Vector256.FusedMultiplyAdd(Vector256.Create(k.Slice(4, 4)), ev, Vector256.Create(k.Slice(0, 4)))));
            var ew = Vector128.Create(e);
            var ew2 = Vector128.Create(eSquared);
            var ew4 = Vector128.Create(eFourth);
            var last = Vector128.FusedMultiplyAdd(Vector128.FusedMultiplyAdd(Vector128.Create(k.Slice(34, 2)), ew, Vector128.Create(k.Slice(32, 2))), ew4,
                Vector128.FusedMultiplyAdd(Vector128.FusedMultiplyAdd(Vector128.Create(k.Slice(30, 2)), ew, Vector128.Create(k.Slice(28, 2))), ew2,
                    Vector128.FusedMultiplyAdd(Vector128.Create(k.Slice(26, 2)), ew, Vector128.Create(k.Slice(24, 2)))));
            double zz = z * z, zzzz = zz * zz;
            // Σᵢ rowᵢ·ζ_lⁱ: the four-lane products folded onto two lanes with rows 4–5's, then one two-lane sum
            var products = rows * Vector256.Create(1, z, zz, zz * z);
            return Vector128.Sum(products.GetLower() + products.GetUpper() + last * Vector128.Create(zzzz, zzzz * z));
        }
        var c = table.Slice(offset, 36);
        double e2 = e * e, e4 = e2 * e2, z2 = z * z, z4 = z2 * z2;
        double r0 = Row(c[0], c[1], c[2], c[3], c[4], c[5], e, e2, e4);
        double r1 = Row(c[6], c[7], c[8], c[9], c[10], c[11], e, e2, e4);
        double r2 = Row(c[12], c[13], c[14], c[15], c[16], c[17], e, e2, e4);
        double r3 = Row(c[18], c[19], c[20], c[21], c[22], c[23], e, e2, e4);
        double r4 = Row(c[24], c[25], c[26], c[27], c[28], c[29], e, e2, e4);
        double r5 = Row(c[30], c[31], c[32], c[33], c[34], c[35], e, e2, e4);
        return Row(r0, r1, r2, r3, r4, r5, z, z2, z4);
    }

    /// <summary>
    /// A patched table's coefficients regrouped for <see cref="Patched"/>'s vector sweep: per patch, for each power j of η_l the
    /// coefficients of rows (powers of ζ_l) 0–3 side by side (24 values), then those of rows 4–5 (12 values).
    /// </summary>
    private static double[] Columns(ReadOnlySpan<double> table)
    {
        var columns = new double[table.Length];
        for (int patch = 0; patch < table.Length; patch += 36)
            for (int i = 0; i < 6; i++)
                for (int j = 0; j < 6; j++)
                    columns[patch + (i < 4 ? 4 * j + i : 24 + 2 * j + (i - 4))] = table[patch + 6 * i + j];
        return columns;
    }

    private static readonly double[] LowerNearColumns = Columns(LowerNearTable), LowerFarColumns = Columns(LowerFarTable),
        UpperColumns = Columns(UpperTable), CentralColumns = Columns(CentralTable), SmallColumns = Columns(SmallTable),
        MidColumns = Columns(MidTable);

    /// <summary>a₀ + a₁y + … + a₅y⁵ by Estrin's scheme, given y² and y⁴.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double Row(double a0, double a1, double a2, double a3, double a4, double a5, double y, double y2, double y4)
        => Math.FusedMultiplyAdd(Math.FusedMultiplyAdd(a5, y, a4), y4,
            Math.FusedMultiplyAdd(Math.FusedMultiplyAdd(a3, y, a2), y2, Math.FusedMultiplyAdd(a1, y, a0)));


    /// <summary>
    /// Jäckel's (2015) four initial-guess branches (the two outer ones in <see cref="LowerMapGuess"/> and
    /// <see cref="UpperMapGuess"/>): with b′(s_c) = e^{x/2}/√(2π) the tangent at the inflection
    /// point meets b = 0 at s_l = s_c − b_c/b′(s_c) and b = b_max at s_u = s_c + (b_max − b_c)/b′(s_c); for b_l ≤ β ≤ b_c
    /// (b_l = b(s_l)) and b_c &lt; β ≤ b_u (b_u = b(s_u)), s(β) is interpolated by a Delbourgo–Gregory (1985) rational cubic
    /// through the end values with slopes 1/b′ and s″(b_c) = 0 (b″(s_c) = 0); below b_l and above b_u the lower and upper
    /// maps are interpolated instead. NaN where no branch applies (x = 0, a map value outside Φ⁻¹'s range: the caller
    /// then uses the asymptotic guesses).
    /// </summary>
    internal static double RationalGuess(double beta, double x, double bMax, double invBMax, double sc, double bc)
    {
        if (!(sc > 0 && bc > 0)) return double.NaN;
        double vc = bMax * ImpliedVolatilityKernels.InvSqrtTwoPi, dc = 1 / vc;
        if (beta < bc)
        {
            double sl = sc - bc * dc;
            if (!(sl > 0)) return double.NaN;
            double bl = ImpliedVolatilityKernels.NormalisedOtmCall(x, sl, bMax, invBMax, out _, out _, out double vl);
            if (beta < bl) return LowerMapGuess(beta, x, sl, bl, vl);
            if (!(vl > 0 && bl < bc)) return double.NaN;
            double dl = 1 / vl, slope = (sc - sl) / (bc - bl);
            // right end: r = (½Δ·s″_r + d_r − d_l)/(d_r − Δs/Δb) with s″_r = 0
            double r = (dc - dl) / (dc - slope);
            return RationalCubic(beta, bl, bc, sl, sc, dl, dc, r, slope);
        }
        else
        {
            double su = sc + (bMax - bc) * dc;
            double h = x / su, th = 0.5 * su;
            double vu = ImpliedVolatilityKernels.InvSqrtTwoPi * Math.Exp(-0.5 * (h * h + th * th));
            double bu = bMax - vu * ImpliedVolatilityKernels.DistanceToMaximumOverVega(x, su);
            if (beta > bu) return UpperMapGuess(beta, x, bMax, invBMax, su, bu, vu);
            if (!(vu > 0 && bu > bc)) return double.NaN;
            double du = 1 / vu, slope = (su - sc) / (bu - bc);
            // left end: r = (½Δ·s″_l + d_r − d_l)/(Δs/Δb − d_l) with s″_l = 0
            double r = (du - dc) / (slope - dc);
            return RationalCubic(beta, bc, bu, sc, su, dc, du, r, slope);
        }
    }

    /// <summary>
    /// Jäckel's (2015) lower branch, β &lt; b_l: the lower map f(s) = c·Φ(z)³, c = 2π|x|/(3√3), z = x/(√3 s) (the small-s
    /// asymptote of b, so f ≈ b and df/db → 1 as s → 0) is interpolated in β by a rational cubic from (0, 0) with slope 1 to
    /// (b_l, f(s_l)) with slope f′/b′ and second derivative (f″ − f′·b″/b′)/b′² (b″/b′ = x²/s³ − s/4), then inverted in
    /// closed form: s = x/(√3 Φ⁻¹((f/c)^{1/3})).
    /// </summary>
    private static double LowerMapGuess(double beta, double x, double sl, double bl, double vl)
    {
        if (!(vl > 0 && bl > 0)) return double.NaN;
        const double Sqrt3 = 1.7320508075688772935;
        double c = 2 * Math.PI * -x / (3 * Sqrt3);
        double z = x / (Sqrt3 * sl), g = ImpliedVolatilityKernels.Phi(z), gp = ImpliedVolatilityKernels.InvSqrtTwoPi * Math.Exp(-0.5 * z * z);
        double zs = -z / sl, zss = 2 * z / (sl * sl);
        double f = c * g * g * g;
        double fs = 3 * c * g * g * gp * zs;
        double fss = 3 * c * (2 * g * gp * gp * zs * zs - g * g * z * gp * zs * zs + g * g * gp * zss);
        double bRatio = x * x / (sl * sl * sl) - 0.25 * sl;
        double d1 = fs / vl, second = (fss - fs * bRatio) / (vl * vl);
        if (!(f > 0 && d1 > 0)) return double.NaN;
        double slope = f / bl;
        // right end: r = (½Δ·f″_r + d_r − d_l)/(d_r − Δf/Δb)
        double r = (0.5 * bl * second + d1 - 1) / (d1 - slope);
        double fb = RationalCubic(beta, 0, bl, 0, f, 1, d1, r, slope);
        double p = Math.Cbrt(fb / c);
        if (!(p > 0 && p < 0.5)) return double.NaN;
        return x / (Sqrt3 * ImpliedVolatilityKernels.InversePhi(p));
    }

    /// <summary>
    /// Jäckel's (2015) upper branch, β &gt; b_u: the upper map f(s) = Φ(−s/2) is interpolated in β by a rational cubic from
    /// (b_u, f(s_u)) with slope f′/b′ and second derivative (f″ − f′·b″/b′)/b′² (f′ = −φ(s/2)/2, f″ = (s/8)φ(s/2)) to
    /// (b_max, 0) with slope −1/(e^{x/2} + e^{−x/2}) (b_max − b ≈ (e^{x/2} + e^{−x/2})Φ(−s/2) as s → ∞), then
    /// s = −2Φ⁻¹(f).
    /// </summary>
    private static double UpperMapGuess(double beta, double x, double bMax, double invBMax, double su, double bu, double vu)
    {
        if (!(vu > 0 && bu < bMax)) return double.NaN;
        double f = ImpliedVolatilityKernels.Phi(-0.5 * su), phi = ImpliedVolatilityKernels.InvSqrtTwoPi * Math.Exp(-0.125 * su * su);
        double fs = -0.5 * phi, fss = 0.125 * su * phi;
        double bRatio = x * x / (su * su * su) - 0.25 * su;
        double d0 = fs / vu, second = (fss - fs * bRatio) / (vu * vu), d1 = -1 / (bMax + invBMax);
        double delta = bMax - bu, slope = -f / delta;
        // left end: r = (½Δ·f″_l + d_r − d_l)/(Δf/Δb − d_l)
        double r = (0.5 * delta * second + d1 - d0) / (slope - d0);
        double fb = RationalCubic(beta, bu, bMax, f, 0, d0, d1, r, slope);
        if (!(fb > 0 && fb < 0.5)) return double.NaN;
        return -2 * ImpliedVolatilityKernels.InversePhi(fb);
    }

    /// <summary>
    /// Delbourgo &amp; Gregory (1985) rational cubic on [b₀, b₁] with values s₀, s₁, slopes d₀, d₁ and control parameter r
    /// (r = 3: the cubic Hermite), τ = (β − b₀)/Δ, Δ = b₁ − b₀:
    /// s = [s₁τ³ + (r s₁ − Δd₁)τ²(1 − τ) + (r s₀ + Δd₀)τ(1 − τ)² + s₀(1 − τ)³]/[1 + (r − 3)τ(1 − τ)].
    /// r is raised to at least (d₀ + d₁)/(Δs/Δb), Delbourgo and Gregory's sufficient condition for a monotone interpolant.
    /// </summary>
    internal static double RationalCubic(double beta, double b0, double b1, double s0, double s1, double d0, double d1, double r, double slope)
    {
        double delta = b1 - b0, tau = (beta - b0) / delta, w = 1 - tau;
        double rMin = (d0 + d1) / slope;
        if (!(r >= rMin)) r = rMin;
        double num = s1 * tau * tau * tau + (r * s1 - delta * d1) * tau * tau * w + (r * s0 + delta * d0) * tau * w * w + s0 * w * w * w;
        return num / (1 + (r - 3) * tau * w);
    }

    private static double LowerGuess(double beta, double x, double sc, double bc)
    {
        // b ≈ (2π|x|/(3√3))Φ(z)³, z = x/(√3 s)  ⇒  z = Φ⁻¹((3√3β/(2π|x|))^{1/3}), s = x/(√3 z)
        double p = Math.Cbrt(beta * 3 * 1.7320508075688772935 / (2 * Math.PI * -x));
        if (p < 0.45)
        {
            double z = ImpliedVolatilityKernels.InversePhi(p);
            double s = x / (1.7320508075688772935 * z);
            if (s > 0 && s < sc) return s;
        }
        return sc * beta / bc;
    }

    private static double UpperGuess(double beta, double bMax, double invBMax, double sc)
    {
        // b_max − b ≈ (e^{x/2} + e^{−x/2})Φ(−s/2)
        double s = -2 * ImpliedVolatilityKernels.InversePhi((bMax - beta) / (bMax + invBMax));
        return s > sc && double.IsFinite(s) ? s : sc > 0 ? 1.5 * sc : beta * 2.5066282746310005024;
    }
}
