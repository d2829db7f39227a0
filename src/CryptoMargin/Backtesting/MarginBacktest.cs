using CryptoMargin.MarketData;

namespace CryptoMargin.Backtesting;

/// <summary>
/// Out-of-sample backtest of a margin-rate series: day t's margin (set at the end of day t from data up to t)
/// against the loss realised over t+1..t+h. The caller aligns the arrays: index t of each holds that pairing.
/// An exceedance is realisedLoss &gt; marginRate. All tests use the expected rate 1 − confidence; the ES test
/// takes the margin rate as the VaR. See <see cref="BacktestOptions"/> for how overlapping h-day losses are handled.
/// </summary>
public static class MarginBacktest
{
    /// <summary>The backtest for a 1-day horizon (or with the caller having already thinned overlapping days).</summary>
    public static BacktestResult Run(ReadOnlySpan<double> marginRate, ReadOnlySpan<double> expectedShortfall, ReadOnlySpan<double> realizedLoss,
        double confidence, int seed = 1) =>
        Run(marginRate, expectedShortfall, realizedLoss, confidence, BacktestOptions.Default, seed);

    /// <summary>The backtest with explicit options (horizon and sampling of the coverage tests).</summary>
    public static BacktestResult Run(ReadOnlySpan<double> marginRate, ReadOnlySpan<double> expectedShortfall, ReadOnlySpan<double> realizedLoss,
        double confidence, BacktestOptions options, int seed = 1)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (expectedShortfall.Length != marginRate.Length || realizedLoss.Length != marginRate.Length)
            throw new ArgumentException($"margin, ES and realised loss must have the same length (got {marginRate.Length}, {expectedShortfall.Length}, {realizedLoss.Length})");
        if (marginRate.IsEmpty) throw new DataValidationException("no days to backtest", field: "marginRate");
        LikelihoodRatio.CheckRate(confidence, nameof(confidence));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.HorizonDays, 1);
        for (var t = 0; t < realizedLoss.Length; t++)
            if (!double.IsFinite(realizedLoss[t]))
                throw new DataValidationException($"realised loss on day {t} is not finite", field: "realizedLoss");

        var rate = 1 - confidence;
        var n = marginRate.Length;
        var stride = options.NonOverlappingCoverageTests ? options.HorizonDays : 1;
        var tested = (n + stride - 1) / stride;

        var exceedances = 0;
        for (var t = 0; t < n; t++)
            if (realizedLoss[t] > marginRate[t]) exceedances++;

        // The tested sample: the inputs themselves when every day is tested, else every stride-th day copied out.
        ReadOnlySpan<double> losses = realizedLoss, margins = marginRate, es = expectedShortfall;
        if (stride > 1)
        {
            var l = new double[tested];
            var m = new double[tested];
            var e = new double[tested];
            for (int i = 0, t = 0; i < tested; i++, t += stride)
            {
                l[i] = realizedLoss[t];
                m[i] = marginRate[t];
                e[i] = expectedShortfall[t];
            }
            losses = l;
            margins = m;
            es = e;
        }
        var hits = new bool[tested];
        var testedExceedances = 0;
        for (var i = 0; i < tested; i++)
            if (hits[i] = losses[i] > margins[i]) testedExceedances++;

        var procyclicality = Procyclicality.Measure(marginRate);
        return new BacktestResult(
            n,
            exceedances,
            n * rate,
            Kupiec.ProportionOfFailures(tested, testedExceedances, rate),
            Christoffersen.Independence(hits),
            Christoffersen.ConditionalCoverage(hits, rate),
            TrafficLight.Zone(n, exceedances, rate),
            EsBacktest.Test(losses, margins, es, confidence, options.EsBootstrapSamples, seed),
            procyclicality)
        {
            TestedObservations = tested,
            TestedExceedances = testedExceedances,
            TestStrideDays = stride,
        };
    }
}
