namespace CryptoMargin.MarketData.Options;

/// <summary>
/// The quotes of one expiry of an <see cref="OptionChain"/>, sorted by type (calls first) then strike.
/// <see cref="Forward"/> is the median of the quotes' forwards (on Deribit they are one future's price, which may tick
/// between the reads of a snapshot).
/// </summary>
public sealed record OptionExpiry(DateTimeOffset? Expiry, double T, double Forward, IReadOnlyList<OptionQuote> Quotes);
