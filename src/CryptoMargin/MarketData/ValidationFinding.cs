namespace CryptoMargin.MarketData;

/// <summary>One problem found in market data: where (1-based physical line, header = line 1; field) and what.</summary>
public sealed record ValidationFinding(int Line, string Field, FindingKind Kind, string Detail);
