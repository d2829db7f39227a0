using MathNet.Numerics;

namespace CryptoMargin.Backtesting;

/// <summary>Shared pieces of the likelihood-ratio backtests: x·ln y with 0·ln 0 = 0, and χ² upper tails.</summary>
internal static class LikelihoodRatio
{
    /// <summary>count·ln(probability), taking 0·ln 0 = 0 (a term with no observations contributes nothing).</summary>
    public static double CountLog(double count, double probability) => count == 0 ? 0 : count * Math.Log(probability);

    /// <summary>P(χ²(1) ≥ x) = erfc(√(x/2)); exact in the far tail, unlike 1 − CDF.</summary>
    public static double ChiSquared1Tail(double x) => x <= 0 ? 1 : SpecialFunctions.Erfc(Math.Sqrt(x / 2));

    /// <summary>P(χ²(2) ≥ x) = exp(−x/2).</summary>
    public static double ChiSquared2Tail(double x) => x <= 0 ? 1 : Math.Exp(-x / 2);

    public static void CheckRate(double expectedRate, string name)
    {
        if (!(expectedRate > 0 && expectedRate < 1))
            throw new ArgumentOutOfRangeException(name, expectedRate, "expected exceedance rate must lie strictly between 0 and 1");
    }
}
