namespace CryptoMargin.MarketData;

/// <summary>One change <see cref="PriceCleaner"/> made: the source line, the finding that caused it and what was done.</summary>
public sealed record CleaningAction(int Line, FindingKind Kind, string Action);
