using CryptoMargin.MarketData;

namespace CryptoMargin.Data.Prices;

/// <summary>
/// A price history as read from one file: the parsed series, the rows that could not be parsed (kind
/// <see cref="FindingKind.Unparsable"/>, excluded from <see cref="Series"/>) and where it came from. Not yet validated:
/// see <see cref="PriceHistoryValidation"/>.
/// </summary>
/// <param name="Source">The path, or the display name of a stream (used as the file of error messages).</param>
/// <param name="Series">The rows that parsed.</param>
/// <param name="ParseFindings">One finding per unparsable cell, sorted by line.</param>
/// <param name="Rows">Data rows read, unparsable ones included (the header and a banner line excluded).</param>
public sealed record PriceHistory(string Source, PriceSeries Series, IReadOnlyList<ValidationFinding> ParseFindings, int Rows);
