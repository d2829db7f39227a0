using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace CryptoMargin.Pricing;

/// <summary>
/// Black-76 over many options at once: spans of forwards, strikes, times to expiry (years) and volatilities, and
/// either one option type for all or a span of types, writing undiscounted prices (or prices and Greeks) into
/// caller-owned spans. Allocation-free. Every item is checked like the scalar call; a bad one throws
/// <see cref="ArgumentOutOfRangeException"/> naming the span and index (e.g. "sigma[17]"), before anything is written.
/// <para>
/// Vectorised: four options at a time in <see cref="Vector256{T}"/> lanes with <see cref="VectorMath"/>'s exp, ln, erf and Φ
/// (Cody's 1969 erfc: full relative accuracy in the deep tail), the same formulas and branches as
/// <see cref="Black76"/> (out-of-the-money side directly, the other by put-call parity, the near-the-money erf form;
/// σ√t = 0 gives the intrinsic value and its step delta), the last length mod 4 options by the scalar kernel. Where
/// AVX2 is absent (<see cref="Vector256.IsHardwareAccelerated"/> false) every option goes through the scalar kernel.
/// The results are not bit-identical to <see cref="Black76"/>. Tested bounds: a price is within 1e-14·(1 + |d₂|/σ√t)
/// relative of mpmath (Black76's own bound), and within 1e-14·(1 + |d₂|/σ√t)·(1 + d₂²/10) of the scalar price (the
/// scalar Φ loses ~d₂² ulp in the tail, the vector one does not); a Greek within 1e-14·(1 + d₁²) relative of the scalar
/// one; σ√t = 0 gives the scalar's intrinsic value and step delta bit for bit. See docs/options/pricing-batch.md.
/// </para>
/// </summary>
public static class Black76Batch
{
    private const double InvSqrt2 = 0.70710678118654752440;
    private const double InvSqrt2Pi = 0.39894228040143267794;

    /// <summary>Undiscounted prices of options that all have the same type.</summary>
    /// <exception cref="ArgumentException">The spans' lengths differ.</exception>
    public static void Price(ReadOnlySpan<double> forward, ReadOnlySpan<double> strike, ReadOnlySpan<double> t,
        ReadOnlySpan<double> sigma, OptionType type, Span<double> price)
    {
        CheckLengths(forward, strike, t, sigma, price.Length, nameof(price));
        Validate(forward, strike, t, sigma);
        PriceCore(forward, strike, t, sigma, default, type, price);
    }

    /// <summary>Undiscounted prices, each option with its own type.</summary>
    public static void Price(ReadOnlySpan<double> forward, ReadOnlySpan<double> strike, ReadOnlySpan<double> t,
        ReadOnlySpan<double> sigma, ReadOnlySpan<OptionType> type, Span<double> price)
    {
        CheckLengths(forward, strike, t, sigma, price.Length, nameof(price));
        if (type.Length != price.Length) ThrowLength(nameof(type), type.Length, price.Length);
        Validate(forward, strike, t, sigma);
        PriceCore(forward, strike, t, sigma, type, default, price);
    }

    /// <summary>Undiscounted prices and Greeks, each option with its own type.</summary>
    public static void Greeks(ReadOnlySpan<double> forward, ReadOnlySpan<double> strike, ReadOnlySpan<double> t,
        ReadOnlySpan<double> sigma, ReadOnlySpan<OptionType> type, Span<OptionGreeks> greeks)
    {
        CheckLengths(forward, strike, t, sigma, greeks.Length, nameof(greeks));
        if (type.Length != greeks.Length) ThrowLength(nameof(type), type.Length, greeks.Length);
        Validate(forward, strike, t, sigma);
        int n = greeks.Length, i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            Span<double> lanes = stackalloc double[7 * 4];
            for (; i <= n - 4; i += 4)
            {
                GreeksLanes(Load(forward, i), Load(strike, i), Load(t, i), Load(sigma, i), CallMask(type, i),
                    out var p, out var d, out var g, out var v, out var th, out var va, out var vo);
                p.CopyTo(lanes); d.CopyTo(lanes[4..]); g.CopyTo(lanes[8..]); v.CopyTo(lanes[12..]);
                th.CopyTo(lanes[16..]); va.CopyTo(lanes[20..]); vo.CopyTo(lanes[24..]);
                for (int j = 0; j < 4; j++)
                    greeks[i + j] = new OptionGreeks(lanes[j], lanes[4 + j], lanes[8 + j], lanes[12 + j], lanes[16 + j], lanes[20 + j], lanes[24 + j]);
            }
        }
        for (; i < n; i++)
            greeks[i] = Black76.UndiscountedGreeks(forward[i], strike[i], t[i], sigma[i], type[i]);
    }

    /// <summary>Undiscounted prices and Greeks, written column-wise into one span per figure (each of the items' length).</summary>
    public static void Greeks(ReadOnlySpan<double> forward, ReadOnlySpan<double> strike, ReadOnlySpan<double> t,
        ReadOnlySpan<double> sigma, OptionType type, Span<double> price, Span<double> delta, Span<double> gamma,
        Span<double> vega, Span<double> theta)
    {
        CheckLengths(forward, strike, t, sigma, price.Length, nameof(price));
        CheckOutputs(price.Length, delta, gamma, vega, theta, price, price);
        Validate(forward, strike, t, sigma);
        GreeksCore(forward, strike, t, sigma, default, type, price, delta, gamma, vega, theta, default, default);
    }

    /// <summary>
    /// Undiscounted prices and all six Greeks of options that all have the same type, written column-wise into one span
    /// per figure (each of the items' length); the figures are those of <see cref="Black76.Greeks(double, double, double, double, OptionType)"/>.
    /// </summary>
    /// <exception cref="ArgumentException">The spans' lengths differ.</exception>
    public static void Greeks(ReadOnlySpan<double> forward, ReadOnlySpan<double> strike, ReadOnlySpan<double> t,
        ReadOnlySpan<double> sigma, OptionType type, Span<double> price, Span<double> delta, Span<double> gamma,
        Span<double> vega, Span<double> theta, Span<double> vanna, Span<double> volga)
    {
        CheckLengths(forward, strike, t, sigma, price.Length, nameof(price));
        CheckOutputs(price.Length, delta, gamma, vega, theta, vanna, volga);
        Validate(forward, strike, t, sigma);
        GreeksCore(forward, strike, t, sigma, default, type, price, delta, gamma, vega, theta, vanna, volga);
    }

    /// <summary>Undiscounted prices and all six Greeks, each option with its own type, one span per figure.</summary>
    /// <exception cref="ArgumentException">The spans' lengths differ.</exception>
    public static void Greeks(ReadOnlySpan<double> forward, ReadOnlySpan<double> strike, ReadOnlySpan<double> t,
        ReadOnlySpan<double> sigma, ReadOnlySpan<OptionType> type, Span<double> price, Span<double> delta, Span<double> gamma,
        Span<double> vega, Span<double> theta, Span<double> vanna, Span<double> volga)
    {
        CheckLengths(forward, strike, t, sigma, price.Length, nameof(price));
        if (type.Length != price.Length) ThrowLength(nameof(type), type.Length, price.Length);
        CheckOutputs(price.Length, delta, gamma, vega, theta, vanna, volga);
        Validate(forward, strike, t, sigma);
        GreeksCore(forward, strike, t, sigma, type, default, price, delta, gamma, vega, theta, vanna, volga);
    }

    /// <summary>Prices; <paramref name="types"/> empty means every option has <paramref name="uniform"/>'s type.</summary>
    private static void PriceCore(ReadOnlySpan<double> forward, ReadOnlySpan<double> strike, ReadOnlySpan<double> t,
        ReadOnlySpan<double> sigma, ReadOnlySpan<OptionType> types, OptionType uniform, Span<double> price)
    {
        int n = price.Length, i = 0;
        bool perItem = !types.IsEmpty;
        if (Vector256.IsHardwareAccelerated)
        {
            var uniformMask = uniform == OptionType.Call ? Vector256<double>.AllBitsSet : Vector256<double>.Zero;
            for (; i <= n - 4; i += 4)
            {
                var isCall = perItem ? CallMask(types, i) : uniformMask;
                Store(PriceLanes(Load(forward, i), Load(strike, i), Load(t, i), Load(sigma, i), isCall), price, i);
            }
        }
        for (; i < n; i++)
            price[i] = Black76.Undiscounted(forward[i], strike[i], t[i], sigma[i], perItem ? types[i] : uniform);
    }

    /// <summary>Prices and Greeks column-wise; empty vanna/volga spans are skipped.</summary>
    private static void GreeksCore(ReadOnlySpan<double> forward, ReadOnlySpan<double> strike, ReadOnlySpan<double> t,
        ReadOnlySpan<double> sigma, ReadOnlySpan<OptionType> types, OptionType uniform, Span<double> price, Span<double> delta,
        Span<double> gamma, Span<double> vega, Span<double> theta, Span<double> vanna, Span<double> volga)
    {
        int n = price.Length, i = 0;
        bool perItem = !types.IsEmpty, second = !vanna.IsEmpty;
        if (Vector256.IsHardwareAccelerated)
        {
            var uniformMask = uniform == OptionType.Call ? Vector256<double>.AllBitsSet : Vector256<double>.Zero;
            for (; i <= n - 4; i += 4)
            {
                var isCall = perItem ? CallMask(types, i) : uniformMask;
                GreeksLanes(Load(forward, i), Load(strike, i), Load(t, i), Load(sigma, i), isCall,
                    out var p, out var d, out var g, out var v, out var th, out var va, out var vo);
                Store(p, price, i); Store(d, delta, i); Store(g, gamma, i); Store(v, vega, i); Store(th, theta, i);
                if (second) { Store(va, vanna, i); Store(vo, volga, i); }
            }
        }
        for (; i < n; i++)
        {
            var g = Black76.UndiscountedGreeks(forward[i], strike[i], t[i], sigma[i], perItem ? types[i] : uniform);
            price[i] = g.Price; delta[i] = g.Delta; gamma[i] = g.Gamma; vega[i] = g.Vega; theta[i] = g.Theta;
            if (second) { vanna[i] = g.Vanna; volga[i] = g.Volga; }
        }
    }

    /// <summary>
    /// Four prices, branch for branch as <see cref="Black76.Undiscounted"/>. With x = ln(F/K): for x ≤ 0 the call is
    /// out of the money, OTM = F·Φ(d₁) − K·Φ(d₂); for x &gt; 0 the put, OTM = K·Φ(−d₂) − F·Φ(−d₁). Both read
    /// A·Φ(a) − B·Φ(b) with (A, B, a, b) = (F, K, d₁, d₂) or (K, F, −d₂, −d₁), and near the money (b &gt; −1) as
    /// A·(Φ(a) − Φ(b)) − (B − A)·Φ(b) with Φ(a) − Φ(b) = (erf(a/√2) − erf(b/√2))/2. The other type adds B − A (parity).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> PriceLanes(Vector256<double> f, Vector256<double> k, Vector256<double> t,
        Vector256<double> sigma, Vector256<double> isCall)
    {
        var s = sigma * Vector256.Sqrt(t);
        var valid = Vector256.GreaterThan(s, Vector256<double>.Zero);
        var intrinsic = Vector256.Max(Vector256.ConditionalSelect(isCall, f - k, k - f), Vector256<double>.Zero);
        if (Vector256.ExtractMostSignificantBits(valid) == 0) return intrinsic;
        var x = VectorMath.Log(f / k);
        var d1 = x / s + Vector256.Create(0.5) * s;
        var d2 = d1 - s;
        var price = FromD(f, k, x, d1, d2, isCall, valid);
        return Vector256.ConditionalSelect(valid, price, intrinsic);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> FromD(Vector256<double> f, Vector256<double> k, Vector256<double> x,
        Vector256<double> d1, Vector256<double> d2, Vector256<double> isCall, Vector256<double> valid) =>
        FromD(f, k, x, d1, d2, isCall, valid, out _, out _);

    /// <summary>The price, and Φ(d₁), Φ(−d₁) (for delta) from the same two evaluations of <see cref="VectorMath.Normal"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> FromD(Vector256<double> f, Vector256<double> k, Vector256<double> x,
        Vector256<double> d1, Vector256<double> d2, Vector256<double> isCall, Vector256<double> valid,
        out Vector256<double> phiD1, out Vector256<double> phiMinusD1)
    {
        var callOtm = Vector256.LessThanOrEqual(x, Vector256<double>.Zero);
        var a = Vector256.ConditionalSelect(callOtm, d1, -d2);
        var b = Vector256.ConditionalSelect(callOtm, d2, -d1);
        var bigA = Vector256.ConditionalSelect(callOtm, f, k);
        var bigB = Vector256.ConditionalSelect(callOtm, k, f);
        VectorMath.Normal(a, out var phiA, out var phiMinusA, out var erfA);
        VectorMath.Normal(b, out var phiB, out var phiMinusB, out var erfB);
        var near = Vector256.GreaterThan(b, Vector256.Create(-1.0)) & valid;
        var far = bigA * phiA - bigB * phiB;
        var band = Vector256.Create(0.5) * (erfA - erfB);
        var otm = Vector256.ConditionalSelect(near, bigA * band - (bigB - bigA) * phiB, far);
        otm = Vector256.Max(otm, Vector256<double>.Zero);
        // a = d₁ when x ≤ 0, b = −d₁ when x > 0.
        phiD1 = Vector256.ConditionalSelect(callOtm, phiA, phiMinusB);
        phiMinusD1 = Vector256.ConditionalSelect(callOtm, phiMinusA, phiB);
        // The in-the-money type (call when x > 0, put when x ≤ 0) adds B − A by put-call parity.
        var itm = Vector256.Xor(callOtm, isCall);
        return otm + (itm & (bigB - bigA));
    }

    /// <summary>Four prices and Greeks, formula for formula as <see cref="Black76.UndiscountedGreeks"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void GreeksLanes(Vector256<double> f, Vector256<double> k, Vector256<double> t, Vector256<double> sigma,
        Vector256<double> isCall, out Vector256<double> price, out Vector256<double> delta, out Vector256<double> gamma,
        out Vector256<double> vega, out Vector256<double> theta, out Vector256<double> vanna, out Vector256<double> volga)
    {
        var sqrtT = Vector256.Sqrt(t);
        var s = sigma * sqrtT;
        var valid = Vector256.GreaterThan(s, Vector256<double>.Zero);
        var intrinsic = Vector256.Max(Vector256.ConditionalSelect(isCall, f - k, k - f), Vector256<double>.Zero);
        // σ√t = 0: step delta (½ at the money), zero for the rest.
        var step = Vector256.ConditionalSelect(Vector256.GreaterThan(f, k), Vector256<double>.One,
            Vector256.ConditionalSelect(Vector256.LessThan(f, k), Vector256<double>.Zero, Vector256.Create(0.5)));
        var stepDelta = Vector256.ConditionalSelect(isCall, step, step - Vector256<double>.One);
        if (Vector256.ExtractMostSignificantBits(valid) == 0)
        {
            price = intrinsic; delta = stepDelta;
            gamma = vega = theta = vanna = volga = Vector256<double>.Zero;
            return;
        }
        var x = VectorMath.Log(f / k);
        var d1 = x / s + Vector256.Create(0.5) * s;
        var d2 = d1 - s;
        price = Vector256.ConditionalSelect(valid, FromD(f, k, x, d1, d2, isCall, valid, out var phiD1, out var phiMinusD1), intrinsic);
        var pdf = Vector256.Create(InvSqrt2Pi) * VectorMath.Exp(Vector256.Create(-0.5) * d1 * d1);
        var phi = Vector256.ConditionalSelect(isCall, phiD1, phiMinusD1);
        var v = f * pdf * sqrtT;
        delta = Vector256.ConditionalSelect(valid, Vector256.ConditionalSelect(isCall, phi, -phi), stepDelta);
        gamma = Vector256.ConditionalSelect(valid, pdf / (f * s), Vector256<double>.Zero);
        vega = Vector256.ConditionalSelect(valid, v, Vector256<double>.Zero);
        theta = Vector256.ConditionalSelect(valid, -f * pdf * sigma / (Vector256.Create(2.0) * sqrtT), Vector256<double>.Zero);
        vanna = Vector256.ConditionalSelect(valid, -pdf * d2 / sigma, Vector256<double>.Zero);
        volga = Vector256.ConditionalSelect(valid, v * d1 * d2 / sigma, Vector256<double>.Zero);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> Load(ReadOnlySpan<double> span, int i) =>
        Vector256.LoadUnsafe(ref MemoryMarshal.GetReference(span), (nuint)i);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(Vector256<double> value, Span<double> span, int i) =>
        value.StoreUnsafe(ref MemoryMarshal.GetReference(span), (nuint)i);

    /// <summary>All bits set in the lanes whose option is a call.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> CallMask(ReadOnlySpan<OptionType> types, int i) =>
        Vector256.Equals(Vector256.Create((double)types[i], (double)types[i + 1], (double)types[i + 2], (double)types[i + 3]),
            Vector256.Create((double)OptionType.Call));

    private static void CheckOutputs(int n, Span<double> delta, Span<double> gamma, Span<double> vega, Span<double> theta,
        Span<double> vanna, Span<double> volga)
    {
        if (delta.Length != n) ThrowLength(nameof(delta), delta.Length, n, "price");
        if (gamma.Length != n) ThrowLength(nameof(gamma), gamma.Length, n, "price");
        if (vega.Length != n) ThrowLength(nameof(vega), vega.Length, n, "price");
        if (theta.Length != n) ThrowLength(nameof(theta), theta.Length, n, "price");
        if (vanna.Length != n) ThrowLength(nameof(vanna), vanna.Length, n, "price");
        if (volga.Length != n) ThrowLength(nameof(volga), volga.Length, n, "price");
    }

    private static void CheckLengths(ReadOnlySpan<double> forward, ReadOnlySpan<double> strike, ReadOnlySpan<double> t,
        ReadOnlySpan<double> sigma, int n, string outputName)
    {
        if (forward.Length != n) ThrowLength(nameof(forward), forward.Length, n, outputName);
        if (strike.Length != n) ThrowLength(nameof(strike), strike.Length, n, outputName);
        if (t.Length != n) ThrowLength(nameof(t), t.Length, n, outputName);
        if (sigma.Length != n) ThrowLength(nameof(sigma), sigma.Length, n, outputName);
    }

    private static void Validate(ReadOnlySpan<double> forward, ReadOnlySpan<double> strike, ReadOnlySpan<double> t, ReadOnlySpan<double> sigma)
    {
        for (int i = 0; i < forward.Length; i++)
        {
            if (!(forward[i] > 0 && double.IsFinite(forward[i]))) ThrowItem(nameof(forward), i, forward[i], "must be positive and finite");
            if (!(strike[i] > 0 && double.IsFinite(strike[i]))) ThrowItem(nameof(strike), i, strike[i], "must be positive and finite");
            if (!(t[i] >= 0 && double.IsFinite(t[i]))) ThrowItem(nameof(t), i, t[i], "the time to expiry in years must be non-negative and finite");
            if (!(sigma[i] >= 0 && double.IsFinite(sigma[i]))) ThrowItem(nameof(sigma), i, sigma[i], "the volatility must be non-negative and finite");
        }
    }

    private static void ThrowItem(string name, int index, double value, string what) =>
        Black76.ThrowOutOfRange($"{name}[{index}]", value, what);

    private static void ThrowLength(string name, int length, int expected, string? outputName = null) =>
        throw new ArgumentException(
            $"{name} has {length} items but {outputName ?? "the output"} has {expected}: every input and output span must have the same length.", name);
}
