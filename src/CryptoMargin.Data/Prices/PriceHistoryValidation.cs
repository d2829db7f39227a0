using CryptoMargin.MarketData;

namespace CryptoMargin.Data.Prices;

/// <summary>Validates a price history read from a file: its parse findings plus <see cref="PriceValidator"/>'s.</summary>
public static class PriceHistoryValidation
{
    public static ValidationReport Validate(PriceHistory history, ValidationSettings settings)
    {
        ArgumentNullException.ThrowIfNull(history);
        ArgumentNullException.ThrowIfNull(settings);
        var findings = history.ParseFindings
            .Concat(PriceValidator.Validate(history.Series, settings))
            .Select((f, k) => (f, k))
            .OrderBy(p => p.f.Line).ThenBy(p => p.k)
            .Select(p => p.f)
            .ToList();
        DateTimeOffset? start = null, end = null;
        if (history.Series.Times is { Count: > 0 } times)
        {
            start = times.Min();
            end = times.Max();
        }
        return new ValidationReport(history.Source, history.Rows, start, end, findings);
    }
}
