namespace CryptoMargin.Backtesting;

/// <summary>
/// Christoffersen (1998) interval-forecast tests on a 0/1 exceedance sequence: independence against a
/// first-order Markov alternative, and conditional coverage (correct rate and independence jointly).
/// Christoffersen, P. F. (1998), "Evaluating interval forecasts", International Economic Review 39(4), 841–862.
/// </summary>
/// <remarks>
/// With n_ij the number of days in state j following a day in state i (1 = exceedance), over the T − 1 pairs:
/// π01 = n01/(n00+n01), π11 = n11/(n10+n11), π = (n01+n11)/(T−1), and
/// LR_ind = −2 ln[(1−π)^(n00+n10) π^(n01+n11)] + 2 ln[(1−π01)^n00 π01^n01 (1−π11)^n10 π11^n11] ~ χ²(1).
/// Empty transition counts contribute 0 (0·ln 0 = 0), so a sequence with no exceedances, all exceedances,
/// or fewer than two days gives statistic 0 and p 1: it carries no evidence of clustering. Overlapping
/// h-day losses (h &gt; 1) are autocorrelated by construction and inflate LR_ind; test a non-overlapping
/// subsample (<see cref="MarginBacktest"/> does so by default).
/// </remarks>
public static class Christoffersen
{
    /// <summary>LR_ind and its χ²(1) p-value.</summary>
    public static TestResult Independence(ReadOnlySpan<bool> exceedances)
    {
        var statistic = IndependenceStatistic(exceedances);
        return new TestResult(statistic, LikelihoodRatio.ChiSquared1Tail(statistic));
    }

    /// <summary>
    /// LR_cc = LR_POF + LR_ind ~ χ²(2), with LR_POF the Kupiec statistic of the whole sequence (T days, x
    /// exceedances) at <paramref name="expectedRate"/>. (Christoffersen's exact decomposition drops the first
    /// day from LR_POF; the difference is one observation and this form is the one in common use.)
    /// </summary>
    public static TestResult ConditionalCoverage(ReadOnlySpan<bool> exceedances, double expectedRate)
    {
        LikelihoodRatio.CheckRate(expectedRate, nameof(expectedRate));
        if (exceedances.IsEmpty) return new TestResult(0, 1);
        var hits = 0;
        foreach (var e in exceedances) if (e) hits++;
        var statistic = Kupiec.Statistic(exceedances.Length, hits, expectedRate) + IndependenceStatistic(exceedances);
        return new TestResult(statistic, LikelihoodRatio.ChiSquared2Tail(statistic));
    }

    internal static double IndependenceStatistic(ReadOnlySpan<bool> exceedances)
    {
        if (exceedances.Length < 2) return 0;
        int n00 = 0, n01 = 0, n10 = 0, n11 = 0;
        for (var t = 1; t < exceedances.Length; t++)
        {
            if (exceedances[t - 1]) { if (exceedances[t]) n11++; else n10++; }
            else { if (exceedances[t]) n01++; else n00++; }
        }
        return TransitionStatistic(n00, n01, n10, n11);
    }

    internal static double TransitionStatistic(int n00, int n01, int n10, int n11)
    {
        double pairs = n00 + n01 + n10 + n11;
        var pi = (n01 + n11) / pairs;
        var pi01 = n00 + n01 == 0 ? 0 : (double)n01 / (n00 + n01);
        var pi11 = n10 + n11 == 0 ? 0 : (double)n11 / (n10 + n11);
        var logNull = LikelihoodRatio.CountLog(n00 + n10, 1 - pi) + LikelihoodRatio.CountLog(n01 + n11, pi);
        var logMarkov = LikelihoodRatio.CountLog(n00, 1 - pi01) + LikelihoodRatio.CountLog(n01, pi01)
                      + LikelihoodRatio.CountLog(n10, 1 - pi11) + LikelihoodRatio.CountLog(n11, pi11);
        return Math.Max(0, -2 * (logNull - logMarkov));
    }
}
