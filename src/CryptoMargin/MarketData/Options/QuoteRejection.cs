namespace CryptoMargin.MarketData.Options;

/// <summary>Why <see cref="OptionChainCleaner"/> left a quote out. Each rejected quote has exactly one reason: the first rule it fails, in this order.</summary>
public enum QuoteRejectionReason
{
    /// <summary>Strike, forward or time to expiry not a positive finite number, or a negative/non-finite price.</summary>
    InvalidTerms,

    /// <summary>Expired: time to expiry ≤ 0 at the valuation time.</summary>
    Expired,

    /// <summary>Expires sooner than <see cref="OptionCleaningSettings.MinTimeToExpiry"/> after the valuation time.</summary>
    TooShortExpiry,

    /// <summary>The same instrument (or expiry, strike and type) already appeared earlier in the chain.</summary>
    Duplicate,

    /// <summary>The quote was taken more than <see cref="OptionCleaningSettings.MaxQuoteAge"/> before the valuation time.</summary>
    Stale,

    /// <summary>No bid (missing or zero).</summary>
    NoBid,

    /// <summary>No ask (missing or zero).</summary>
    NoAsk,

    /// <summary>Bid above ask.</summary>
    Crossed,

    /// <summary>Bid equal to ask.</summary>
    Locked,

    /// <summary>(ask − bid)/mid above <see cref="OptionCleaningSettings.MaxRelativeSpread"/>.</summary>
    WideSpread,

    /// <summary>Call price rising with strike or put price falling with strike (see <see cref="StaticArbitrage"/>).</summary>
    Monotonicity,

    /// <summary>Prices not convex in strike (see <see cref="StaticArbitrage"/>).</summary>
    Convexity,
}

/// <summary>A quote left out of the clean chain, with its reason and the numbers that decided it.</summary>
public sealed record QuoteRejection(OptionQuote Quote, QuoteRejectionReason Reason, string Detail);

public static class QuoteRejectionReasonExtensions
{
    /// <summary>The name used in reports and JSON (camelCase).</summary>
    public static string ToName(this QuoteRejectionReason reason) => reason switch
    {
        QuoteRejectionReason.InvalidTerms => "invalidTerms",
        QuoteRejectionReason.Expired => "expired",
        QuoteRejectionReason.TooShortExpiry => "tooShortExpiry",
        QuoteRejectionReason.Duplicate => "duplicate",
        QuoteRejectionReason.Stale => "stale",
        QuoteRejectionReason.NoBid => "noBid",
        QuoteRejectionReason.NoAsk => "noAsk",
        QuoteRejectionReason.Crossed => "crossed",
        QuoteRejectionReason.Locked => "locked",
        QuoteRejectionReason.WideSpread => "wideSpread",
        QuoteRejectionReason.Monotonicity => "monotonicity",
        QuoteRejectionReason.Convexity => "convexity",
        _ => throw new ArgumentOutOfRangeException(nameof(reason)),
    };
}
