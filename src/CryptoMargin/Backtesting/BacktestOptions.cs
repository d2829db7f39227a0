namespace CryptoMargin.Backtesting;

/// <summary>
/// How <see cref="MarginBacktest"/> samples the days it tests.
/// </summary>
/// <remarks>
/// With an h-day margin period of risk the realised losses over t+1..t+h overlap for consecutive t, so
/// exceedances cluster by construction (one large move counts on up to h days): Christoffersen's independence
/// statistic is inflated and Kupiec / ES p-values overstate the evidence. By default the coverage tests
/// (Kupiec, Christoffersen, ES) therefore run on the non-overlapping subsample t = 0, h, 2h, …, while the
/// traffic light counts exceedances over every day (the regulatory count; note that its binomial thresholds
/// assume independence and so are slightly strict for h &gt; 1). With h = 1 both samples are the full series.
/// </remarks>
public sealed record BacktestOptions
{
    /// <summary>The loss horizon h in days (the margin period of risk), ≥ 1.</summary>
    public int HorizonDays { get; init; } = 1;

    /// <summary>Run Kupiec, Christoffersen and the ES test on every h-th day (default true). False tests every day.</summary>
    public bool NonOverlappingCoverageTests { get; init; } = true;

    /// <summary>Bootstrap replicates of the ES test.</summary>
    public int EsBootstrapSamples { get; init; } = EsBacktest.DefaultBootstrapSamples;

    public static BacktestOptions Default { get; } = new();
}
