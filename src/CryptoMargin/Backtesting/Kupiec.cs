namespace CryptoMargin.Backtesting;

/// <summary>
/// Kupiec (1995) proportion-of-failures test: are x exceedances in n observations consistent with the
/// expected rate p? LR_POF = −2 ln[(1−p)^(n−x) p^x] + 2 ln[(1−x/n)^(n−x) (x/n)^x] ~ χ²(1) under H0, two-sided
/// (too many and too few exceedances both count against the model). Kupiec, P. (1995), "Techniques for
/// verifying the accuracy of risk measurement models", Journal of Derivatives 3(2), 73–84.
/// </summary>
public static class Kupiec
{
    /// <summary>LR_POF and its χ²(1) p-value. x = 0 and x = n are exact (0·ln 0 = 0). n = 0 gives statistic 0, p 1.</summary>
    public static TestResult ProportionOfFailures(int observations, int exceedances, double expectedRate)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(observations);
        if (exceedances < 0 || exceedances > observations)
            throw new ArgumentOutOfRangeException(nameof(exceedances), exceedances, $"must lie in [0, {observations}]");
        LikelihoodRatio.CheckRate(expectedRate, nameof(expectedRate));
        if (observations == 0) return new TestResult(0, 1);

        var statistic = Statistic(observations, exceedances, expectedRate);
        return new TestResult(statistic, LikelihoodRatio.ChiSquared1Tail(statistic));
    }

    internal static double Statistic(int n, int x, double p)
    {
        double misses = n - x, hits = x, observed = hits / n;
        var logNull = LikelihoodRatio.CountLog(misses, 1 - p) + LikelihoodRatio.CountLog(hits, p);
        var logAlternative = LikelihoodRatio.CountLog(misses, 1 - observed) + LikelihoodRatio.CountLog(hits, observed);
        return Math.Max(0, -2 * (logNull - logAlternative));
    }
}
