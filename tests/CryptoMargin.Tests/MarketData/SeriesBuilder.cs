using CryptoMargin.MarketData;

namespace CryptoMargin.Tests.MarketData;

/// <summary>Hand-made series as if read from a CSV file: row i (0-based) is on line i + 2, the header on line 1.</summary>
internal static class SeriesBuilder
{
    internal static readonly DateTimeOffset Day0 = new(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Daily prices starting 2024-01-01, one day apart.</summary>
    internal static PriceSeries Daily(params double[] prices) =>
        new(prices.Select((_, i) => Day0.AddDays(i)).ToArray(), prices, Lines(prices.Length), "close", "date");

    /// <summary>Prices on the given day offsets from 2024-01-01.</summary>
    internal static PriceSeries OnDays(int[] days, double[] prices) =>
        new(days.Select(d => Day0.AddDays(d)).ToArray(), prices, Lines(prices.Length), "close", "date");

    internal static PriceSeries Returns(params double[] values) => new(null, values, Lines(values.Length), "ret");

    internal static int[] Lines(int n) => Enumerable.Range(2, n).ToArray();

    /// <summary>
    /// A calm daily path: log returns cycle through −1%, −0.5%, 0, +0.5%, +1% (median 0, MAD 0.5%, so the largest
    /// robust z is 0.01 / (1.4826 · 0.005) ≈ 1.35), starting at 100.
    /// </summary>
    internal static double[] CalmPrices(int n)
    {
        var p = new double[n];
        p[0] = 100;
        for (int i = 1; i < n; i++) p[i] = p[i - 1] * Math.Exp(0.005 * ((i * 3) % 5 - 2));
        return p;
    }
}
