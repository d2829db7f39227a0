namespace CryptoMargin.MarketData;

/// <summary>What a validation finding is. The first three are errors for every computing command.</summary>
public enum FindingKind
{
    Unparsable,
    NonFinite,
    NonPositive,
    Duplicate,
    OutOfOrder,
    Gap,
    Stale,
    Outlier,
}

public static class FindingKindExtensions
{
    /// <summary>Errors stop every computing command (exit 2); the rest are findings for the cleaning policy.</summary>
    public static bool IsError(this FindingKind kind) =>
        kind is FindingKind.Unparsable or FindingKind.NonFinite or FindingKind.NonPositive;

    /// <summary>The name used in reports and JSON (camelCase).</summary>
    public static string ToName(this FindingKind kind) => kind switch
    {
        FindingKind.Unparsable => "unparsable",
        FindingKind.NonFinite => "nonFinite",
        FindingKind.NonPositive => "nonPositive",
        FindingKind.Duplicate => "duplicate",
        FindingKind.OutOfOrder => "outOfOrder",
        FindingKind.Gap => "gap",
        FindingKind.Stale => "stale",
        FindingKind.Outlier => "outlier",
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };
}
