namespace CryptoMargin.MarketData.Options;

/// <summary>
/// The output of <see cref="OptionChainCleaner.Clean"/>: the clean chain, every rejected quote with its reason (nothing is
/// dropped silently: <see cref="Rejections"/> + the clean quotes = the input quotes), and the put-call-parity forwards.
/// </summary>
public sealed record OptionCleaningResult(
    OptionChain Chain,
    OptionCleaningSettings Settings,
    int InputQuotes,
    IReadOnlyList<QuoteRejection> Rejections,
    IReadOnlyList<ImpliedForward> Forwards)
{
    /// <summary>How many quotes were rejected for <paramref name="reason"/>.</summary>
    public int Count(QuoteRejectionReason reason) => Rejections.Count(r => r.Reason == reason);

    /// <summary>Rejections per reason, only reasons that occurred, in the order of <see cref="QuoteRejectionReason"/>.</summary>
    public IReadOnlyDictionary<QuoteRejectionReason, int> Counts =>
        Rejections.GroupBy(r => r.Reason).OrderBy(g => g.Key).ToDictionary(g => g.Key, g => g.Count());
}
