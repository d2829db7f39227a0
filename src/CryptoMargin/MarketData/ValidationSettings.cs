namespace CryptoMargin.MarketData;

/// <summary>
/// Thresholds of <see cref="PriceValidator"/>. The defaults suit daily crypto closes, whose log returns are fat-tailed:
/// a 3σ Hampel filter flags hundreds of genuine BTC days, so an outlier here is a return more than
/// <see cref="OutlierZ"/> = 10 robust standard deviations from the median of its ±<see cref="OutlierWindow"/> = 10
/// neighbours, and a price repeated on <see cref="StalePeriods"/> = 5 or more consecutive rows is stale.
/// <para>What the defaults report on the shipped samples. The flagged days look like real market moves, not bad
/// prints (among them FTX's collapse and Black Thursday), so for margin calibration keep them
/// (<see cref="CleaningPolicy.Keep"/>) and treat the findings as a list to review:
/// BTC-USD (4,589 days): 5 outliers (2014-03-27, 2015-08-18, 2016-05-28, 2018-10-15, 2022-11-09 FTX), no stale run,
/// no gap; ETH-USD (3,758 days): 4 outliers (2018-09-05, 2020-03-12, 2023-07-13, 2025-05-08), no stale run, no gap.
/// For comparison, z = 3 flags 249 BTC and 167 ETH days, z = 5 flags 63 and 35, z = 8 flags 14 and 6.</para>
/// </summary>
public sealed record ValidationSettings
{
    /// <summary>The defaults: z = 10, window ±10, stale after 5 identical values, prices, period inferred.</summary>
    public static ValidationSettings Default { get; } = new();

    /// <summary>
    /// Robust z threshold of the Hampel filter: a log return r is an outlier when |r − median| &gt; z · 1.4826 · MAD
    /// over the centred window. Default 10. Must be &gt; 0.
    /// </summary>
    public double OutlierZ { get; init; } = 10.0;

    /// <summary>Half-width of the centred Hampel window, in returns (the window holds up to 2w + 1). Default 10. Must be ≥ 1.</summary>
    public int OutlierWindow { get; init; } = 10;

    /// <summary>A run of at least this many consecutive identical values is stale. Default 5. Must be ≥ 2.</summary>
    public int StalePeriods { get; init; } = 5;

    /// <summary>
    /// The values are returns, not prices: a value ≤ 0 is then not an error and outliers are tested on the values
    /// themselves instead of on log returns. Stale and gap checks apply as usual. Default false.
    /// </summary>
    public bool ValuesAreReturns { get; init; }

    /// <summary>
    /// The spacing between consecutive rows; null (default) infers it as the median spacing. Markets trade 24/7,
    /// so any missing period (weekends included) is a gap. Must be positive when given.
    /// </summary>
    public TimeSpan? ExpectedPeriod { get; init; }

    internal void Check()
    {
        if (!(OutlierZ > 0) || double.IsInfinity(OutlierZ))
            throw new DataValidationException($"the outlier threshold must be a positive number, got {OutlierZ.ToString(System.Globalization.CultureInfo.InvariantCulture)}", field: "outlierZ");
        if (OutlierWindow < 1)
            throw new DataValidationException($"the outlier window half-width must be at least 1, got {OutlierWindow}", field: "outlierWindow");
        if (StalePeriods < 2)
            throw new DataValidationException($"the stale run length must be at least 2, got {StalePeriods}", field: "stalePeriods");
        if (ExpectedPeriod is TimeSpan p && p <= TimeSpan.Zero)
            throw new DataValidationException($"the expected period must be positive, got {p}", field: "expectedPeriod");
    }
}
