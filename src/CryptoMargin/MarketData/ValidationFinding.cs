namespace CryptoMargin.MarketData;

/// <summary>One problem found in market data: where (1-based physical line, header = line 1; field) and what.</summary>
public sealed record ValidationFinding(int Line, string Field, FindingKind Kind, string Detail)
{
    /// <summary>
    /// For an <see cref="FindingKind.Outlier"/>: the accepted range median ± z·MAD of the tested quantity (the log
    /// return into this row, or the value itself when the values are returns); what winsorizing clips to. Null otherwise.
    /// </summary>
    public double? LowerBound { get; init; }

    /// <inheritdoc cref="LowerBound"/>
    public double? UpperBound { get; init; }

    /// <summary>
    /// For an outlier: true when <see cref="LowerBound"/>/<see cref="UpperBound"/> bound the value itself (the values
    /// are returns); false when they bound the log return from the previous usable row into this one.
    /// </summary>
    public bool BoundsApplyToValue { get; init; }
}
