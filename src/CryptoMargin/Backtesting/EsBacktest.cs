using CryptoMargin.MarketData;

namespace CryptoMargin.Backtesting;

/// <summary>
/// Expected-Shortfall backtest by the exceedance-residual bootstrap test of McNeil &amp; Frey (2000): on the
/// days where the loss exceeds VaR, the residuals r_t = (L_t − ES_t)/ES_t have mean 0 if ES is right and a
/// positive mean if ES understates the tail. One-sided test of H0: E[r] = 0 against E[r] &gt; 0 with the
/// studentised mean t = r̄/(s/√k) as statistic and a bootstrap p-value from the residuals re-centred to mean 0
/// (Efron &amp; Tibshirani 1993, §16.4). McNeil, A. J. and Frey, R. (2000), "Estimation of tail-related risk
/// measures for heteroscedastic financial time series: an extreme value approach", Journal of Empirical
/// Finance 7, 271–300, §5.
/// </summary>
/// <remarks>
/// Model-free in the tail shape (no distribution is assumed for the size of exceedances), which matters for
/// crypto where the tail index is itself uncertain. It tests ES given the exceedance set; the frequency of
/// exceedances is Kupiec's job. Residuals are scaled by ES_t rather than by McNeil–Frey's σ_t because a margin
/// series has no volatility attached; both make residuals comparable across days.
/// With fewer than <see cref="MinimumExceedances"/> exceedances the test returns statistic NaN and p-value 1:
/// there is no evidence against ES (and the bootstrap of so few points is meaningless); the coverage tests
/// still judge the exceedance count. When all residuals are equal (s = 0) the statistic is ±∞ by the sign of r̄
/// (0 if r̄ = 0), and so are bootstrap replicates with s* = 0.
/// </remarks>
public static class EsBacktest
{
    /// <summary>Below this many exceedances the test is not run (p-value 1, statistic NaN).</summary>
    public const int MinimumExceedances = 5;

    /// <summary>Bootstrap replicates used when none are given; p-values resolve to 1/(B + 1) = 0.0005.</summary>
    public const int DefaultBootstrapSamples = 1999;

    /// <summary>The test with <see cref="DefaultBootstrapSamples"/> replicates; deterministic for a given seed.</summary>
    public static TestResult Test(ReadOnlySpan<double> losses, ReadOnlySpan<double> valueAtRisk, ReadOnlySpan<double> expectedShortfall,
        double confidence, int seed = 1) =>
        Test(losses, valueAtRisk, expectedShortfall, confidence, DefaultBootstrapSamples, seed);

    /// <summary>
    /// The test with <paramref name="bootstrapSamples"/> replicates. An exceedance is L_t &gt; VaR_t.
    /// <paramref name="confidence"/> is the VaR/ES level the series claim (validated; the test conditions on the
    /// observed exceedances, so it does not enter the statistic).
    /// </summary>
    public static TestResult Test(ReadOnlySpan<double> losses, ReadOnlySpan<double> valueAtRisk, ReadOnlySpan<double> expectedShortfall,
        double confidence, int bootstrapSamples, int seed)
    {
        if (valueAtRisk.Length != losses.Length || expectedShortfall.Length != losses.Length)
            throw new ArgumentException($"losses, VaR and ES must have the same length (got {losses.Length}, {valueAtRisk.Length}, {expectedShortfall.Length})");
        LikelihoodRatio.CheckRate(confidence, nameof(confidence));
        ArgumentOutOfRangeException.ThrowIfLessThan(bootstrapSamples, 1);

        var k = 0;
        for (var t = 0; t < losses.Length; t++)
        {
            double loss = losses[t], var = valueAtRisk[t], es = expectedShortfall[t];
            if (!double.IsFinite(loss)) throw new DataValidationException($"loss on day {t} is not finite", field: "loss");
            if (!double.IsFinite(var)) throw new DataValidationException($"VaR on day {t} is not finite", field: "valueAtRisk");
            if (!(es > 0) || !double.IsFinite(es)) throw new DataValidationException($"ES on day {t} must be positive and finite, got {es}", field: "expectedShortfall");
            if (loss > var) k++;
        }
        if (k < MinimumExceedances) return new TestResult(double.NaN, 1);

        var r = new double[k];
        for (int t = 0, i = 0; t < losses.Length; t++)
            if (losses[t] > valueAtRisk[t]) r[i++] = (losses[t] - expectedShortfall[t]) / expectedShortfall[t];
        var (mean, sd) = MeanAndDeviation(r);
        var observed = Studentised(mean, sd, k);
        for (var i = 0; i < k; i++) r[i] -= mean;

        var rng = new Random(seed);
        var atLeast = 0;
        for (var b = 0; b < bootstrapSamples; b++)
        {
            double sum = 0, sumSquares = 0;
            for (var i = 0; i < k; i++)
            {
                var draw = r[rng.Next(k)];
                sum += draw;
                sumSquares += draw * draw;
            }
            var bMean = sum / k;
            var bVariance = Math.Max(0, (sumSquares - k * bMean * bMean) / (k - 1));
            if (Studentised(bMean, Math.Sqrt(bVariance), k) >= observed) atLeast++;
        }
        return new TestResult(observed, (1.0 + atLeast) / (bootstrapSamples + 1.0));
    }

    private static double Studentised(double mean, double sd, int k) =>
        sd > 0 ? mean / (sd / Math.Sqrt(k)) : mean > 0 ? double.PositiveInfinity : mean < 0 ? double.NegativeInfinity : 0;

    private static (double Mean, double Deviation) MeanAndDeviation(ReadOnlySpan<double> x)
    {
        double mean = 0;
        foreach (var v in x) mean += v;
        mean /= x.Length;
        double squares = 0;
        foreach (var v in x) squares += (v - mean) * (v - mean);
        return (mean, Math.Sqrt(squares / (x.Length - 1)));
    }
}
