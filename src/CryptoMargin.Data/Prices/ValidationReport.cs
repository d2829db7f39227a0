using CryptoMargin.MarketData;

namespace CryptoMargin.Data.Prices;

/// <summary>
/// Everything found in one price history: parse findings and validator findings together, sorted by line.
/// </summary>
/// <param name="Source">The file or display name.</param>
/// <param name="Rows">Data rows read, unparsable ones included.</param>
/// <param name="Start">Earliest parsed timestamp; null without a time column or without parsed rows.</param>
/// <param name="End">Latest parsed timestamp; null without a time column or without parsed rows.</param>
/// <param name="Findings">All findings, sorted by line.</param>
public sealed record ValidationReport(
    string Source,
    int Rows,
    DateTimeOffset? Start,
    DateTimeOffset? End,
    IReadOnlyList<ValidationFinding> Findings)
{
    /// <summary>Whether any finding is an error (unparsable, nonFinite, nonPositive): computing commands must stop.</summary>
    public bool HasErrors => Findings.Any(f => f.Kind.IsError());

    /// <summary>How many findings are of <paramref name="kind"/>.</summary>
    public int Count(FindingKind kind) => Findings.Count(f => f.Kind == kind);

    /// <summary>Throws for the first error finding (lowest line), located in <see cref="Source"/>.</summary>
    /// <exception cref="DataValidationException">There is an error finding; its message is
    /// <c>FILE:LINE: field 'NAME': detail</c>.</exception>
    public void ThrowIfErrors()
    {
        var first = Findings.FirstOrDefault(f => f.Kind.IsError());
        if (first is not null)
            throw new DataValidationException(first.Detail, file: Source, line: first.Line, field: first.Field);
    }
}
