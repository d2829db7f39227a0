namespace CryptoMargin.MarketData;

/// <summary>What <see cref="PriceCleaner"/> does with validation findings. Gaps are never filled, only reported.</summary>
public enum CleaningPolicy
{
    /// <summary>Change nothing.</summary>
    Keep,

    /// <summary>
    /// Drop duplicate and out-of-order rows (the first occurrence stays); clip outlier log returns to the accepted
    /// range median ± z·MAD and rebuild the price path from the clipped returns; keep stale rows.
    /// </summary>
    Winsorize,

    /// <summary>
    /// Drop duplicate and out-of-order rows, every stale row after the first of its run, and outlier rows (the row a
    /// flagged return goes into: a one-row spike flags the spike and the row after it, and both go).
    /// </summary>
    Drop,
}
