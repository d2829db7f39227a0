using CryptoMargin.Pricing;

namespace CryptoMargin.MarketData.Options;

/// <summary>Which no-arbitrage condition in strike a set of quotes breaks.</summary>
public enum ArbitrageKind
{
    /// <summary>Call prices must not increase with strike, put prices must not decrease.</summary>
    Monotonicity,

    /// <summary>Prices must be convex in strike (a butterfly must not have a negative price).</summary>
    Convexity,
}

/// <summary>
/// One violation among strike-sorted prices: <see cref="First"/> is the index of the lowest strike involved; a
/// monotonicity violation involves <see cref="First"/> and <see cref="First"/>+1, a convexity violation also
/// <see cref="First"/>+2. <see cref="Amount"/> is by how much the condition fails, in the prices' units (&gt; tolerance).
/// </summary>
public readonly record struct ArbitrageViolation(ArbitrageKind Kind, int First, double Amount)
{
    /// <summary>How many consecutive strikes the violation involves (2 or 3).</summary>
    public int Width => Kind == ArbitrageKind.Monotonicity ? 2 : 3;
}

/// <summary>
/// Static-arbitrage conditions on undiscounted option prices along strike for one expiry and type (Merton 1973,
/// "Theory of rational option pricing", Bell J. Econ. 4, theorems 5–6 on monotonicity and convexity in strike; also
/// Carr &amp; Madan 2005, "A note on sufficient conditions for no arbitrage", Finance Research Letters 2, 125–130):
/// <list type="bullet">
/// <item>calls non-increasing: C(Kᵢ₊₁) ≤ C(Kᵢ); puts non-decreasing: P(Kᵢ₊₁) ≥ P(Kᵢ);</item>
/// <item>convex: V(Kᵢ) ≤ w·V(Kᵢ₋₁) + (1 − w)·V(Kᵢ₊₁) with w = (Kᵢ₊₁ − Kᵢ)/(Kᵢ₊₁ − Kᵢ₋₁), i.e. the butterfly
/// Kᵢ₋₁/Kᵢ/Kᵢ₊₁ has a non-negative price.</item>
/// </list>
/// A condition counts as broken only when it fails by more than <c>tolerance</c> (same units as the prices).
/// Allocation-free.
/// </summary>
public static class StaticArbitrage
{
    /// <summary>
    /// Writes the violations among consecutive strikes into <paramref name="violations"/> (monotonicity pairs first, then
    /// convexity triples, each in strike order) and returns how many there are; at most 2n − 3 for n strikes.
    /// </summary>
    /// <param name="strikes">Strictly increasing strikes.</param>
    /// <param name="prices">Undiscounted prices at those strikes.</param>
    /// <exception cref="ArgumentException">Lengths differ, strikes not strictly increasing, or the output span is too short.</exception>
    public static int FindViolations(ReadOnlySpan<double> strikes, ReadOnlySpan<double> prices, OptionType type,
        double tolerance, Span<ArbitrageViolation> violations) =>
        FindViolations(strikes, prices, prices, type, tolerance, violations);

    /// <summary>
    /// The same conditions on executable prices: an arbitrage must be tradable, selling at the bid and buying at the ask.
    /// Calls: bid(Kᵢ₊₁) − ask(Kᵢ) &gt; tolerance; puts: bid(Kᵢ) − ask(Kᵢ₊₁) &gt; tolerance; butterfly:
    /// bid(Kᵢ) − [w·ask(Kᵢ₋₁) + (1 − w)·ask(Kᵢ₊₁)] &gt; tolerance. With bids = asks = mids this is the mid-price check.
    /// </summary>
    public static int FindViolations(ReadOnlySpan<double> strikes, ReadOnlySpan<double> bids, ReadOnlySpan<double> asks,
        OptionType type, double tolerance, Span<ArbitrageViolation> violations)
    {
        int n = strikes.Length;
        if (bids.Length != n) throw new ArgumentException($"{bids.Length} prices for {n} strikes", "prices");
        if (asks.Length != n) throw new ArgumentException($"{asks.Length} prices for {n} strikes", "prices");
        if (n >= 2 && violations.Length < 2 * n - 3)
            throw new ArgumentException($"room for {violations.Length} violations, need up to {2 * n - 3}", nameof(violations));
        for (int i = 1; i < n; i++)
            if (!(strikes[i] > strikes[i - 1]))
                throw new ArgumentException($"strikes must be strictly increasing: {strikes[i - 1]} then {strikes[i]} at index {i}", nameof(strikes));
        int count = 0;
        for (int i = 0; i + 1 < n; i++)
        {
            double rise = type == OptionType.Call ? bids[i + 1] - asks[i] : bids[i] - asks[i + 1];
            if (rise > tolerance) violations[count++] = new(ArbitrageKind.Monotonicity, i, rise);
        }
        for (int i = 1; i + 1 < n; i++)
        {
            double w = (strikes[i + 1] - strikes[i]) / (strikes[i + 1] - strikes[i - 1]);
            double excess = bids[i] - (w * asks[i - 1] + (1 - w) * asks[i + 1]);
            if (excess > tolerance) violations[count++] = new(ArbitrageKind.Convexity, i - 1, excess);
        }
        return count;
    }
}
