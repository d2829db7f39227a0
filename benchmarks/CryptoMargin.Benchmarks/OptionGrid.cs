using CryptoMargin.Pricing;

namespace CryptoMargin.Benchmarks;

/// <summary>
/// The pricing benchmarks' option set (seed 20261124): F = 60,000, K log-uniform within a factor 2 of F, t uniform in
/// [1 day, 2 years + 1 day], σ uniform in [0.2, 1.5], calls and puts at random.
/// </summary>
internal static class OptionGrid
{
    public static void Fill(Span<double> forward, Span<double> strike, Span<double> t, Span<double> sigma, Span<OptionType> type)
    {
        var rng = new Random(20261124);
        for (int i = 0; i < forward.Length; i++)
        {
            forward[i] = 60000;
            strike[i] = 60000 * Math.Exp(Math.Log(4) * (rng.NextDouble() - 0.5));
            t[i] = 1 / 365.0 + 2 * rng.NextDouble();
            sigma[i] = 0.2 + 1.3 * rng.NextDouble();
            type[i] = rng.Next(2) == 0 ? OptionType.Call : OptionType.Put;
        }
    }
}
