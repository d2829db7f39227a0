namespace CryptoMargin.Pricing;

/// <summary>
/// Black-76 over many options at once: spans of forwards, strikes, times to expiry (years) and volatilities, and
/// either one option type for all or a span of types, writing undiscounted prices (or prices and Greeks) into
/// caller-owned spans. Allocation-free. Every item is checked like the scalar call; a bad one throws
/// <see cref="ArgumentOutOfRangeException"/> naming the span and index (e.g. "sigma[17]"), before anything is written.
/// <para>
/// The loop calls the scalar kernel, so each result equals <see cref="Black76.Price(double, double, double, double, OptionType)"/>
/// bit for bit. It is not SIMD-vectorised: a vectorised erfc with full relative accuracy in the deep tail (what keeps
/// deep out-of-the-money prices accurate) was not built; see docs/options/pricing.md.
/// </para>
/// </summary>
public static class Black76Batch
{
    /// <summary>Undiscounted prices of options that all have the same type.</summary>
    /// <exception cref="ArgumentException">The spans' lengths differ.</exception>
    public static void Price(ReadOnlySpan<double> forward, ReadOnlySpan<double> strike, ReadOnlySpan<double> t,
        ReadOnlySpan<double> sigma, OptionType type, Span<double> price)
    {
        CheckLengths(forward, strike, t, sigma, price.Length, nameof(price));
        Validate(forward, strike, t, sigma);
        for (int i = 0; i < price.Length; i++)
            price[i] = Black76.Undiscounted(forward[i], strike[i], t[i], sigma[i], type);
    }

    /// <summary>Undiscounted prices, each option with its own type.</summary>
    public static void Price(ReadOnlySpan<double> forward, ReadOnlySpan<double> strike, ReadOnlySpan<double> t,
        ReadOnlySpan<double> sigma, ReadOnlySpan<OptionType> type, Span<double> price)
    {
        CheckLengths(forward, strike, t, sigma, price.Length, nameof(price));
        if (type.Length != price.Length) ThrowLength(nameof(type), type.Length, price.Length);
        Validate(forward, strike, t, sigma);
        for (int i = 0; i < price.Length; i++)
            price[i] = Black76.Undiscounted(forward[i], strike[i], t[i], sigma[i], type[i]);
    }

    /// <summary>Undiscounted prices and Greeks, each option with its own type.</summary>
    public static void Greeks(ReadOnlySpan<double> forward, ReadOnlySpan<double> strike, ReadOnlySpan<double> t,
        ReadOnlySpan<double> sigma, ReadOnlySpan<OptionType> type, Span<OptionGreeks> greeks)
    {
        CheckLengths(forward, strike, t, sigma, greeks.Length, nameof(greeks));
        if (type.Length != greeks.Length) ThrowLength(nameof(type), type.Length, greeks.Length);
        Validate(forward, strike, t, sigma);
        for (int i = 0; i < greeks.Length; i++)
            greeks[i] = Black76.UndiscountedGreeks(forward[i], strike[i], t[i], sigma[i], type[i]);
    }

    /// <summary>Undiscounted prices and Greeks, written column-wise into one span per figure (each of the items' length).</summary>
    public static void Greeks(ReadOnlySpan<double> forward, ReadOnlySpan<double> strike, ReadOnlySpan<double> t,
        ReadOnlySpan<double> sigma, OptionType type, Span<double> price, Span<double> delta, Span<double> gamma,
        Span<double> vega, Span<double> theta)
    {
        CheckLengths(forward, strike, t, sigma, price.Length, nameof(price));
        if (delta.Length != price.Length) ThrowLength(nameof(delta), delta.Length, price.Length);
        if (gamma.Length != price.Length) ThrowLength(nameof(gamma), gamma.Length, price.Length);
        if (vega.Length != price.Length) ThrowLength(nameof(vega), vega.Length, price.Length);
        if (theta.Length != price.Length) ThrowLength(nameof(theta), theta.Length, price.Length);
        Validate(forward, strike, t, sigma);
        for (int i = 0; i < price.Length; i++)
        {
            var g = Black76.UndiscountedGreeks(forward[i], strike[i], t[i], sigma[i], type);
            price[i] = g.Price;
            delta[i] = g.Delta;
            gamma[i] = g.Gamma;
            vega[i] = g.Vega;
            theta[i] = g.Theta;
        }
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
