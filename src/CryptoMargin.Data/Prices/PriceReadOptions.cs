namespace CryptoMargin.Data.Prices;

/// <summary>How <see cref="PriceHistoryReader"/> picks the columns of a price history.</summary>
public sealed record PriceReadOptions
{
    /// <summary>Recognise the columns from the header; prices, with a time column.</summary>
    public static PriceReadOptions Default { get; } = new();

    /// <summary>
    /// The value column (header name, case-insensitive, trimmed), overriding the recognised one
    /// (<c>close</c>, then <c>price</c>, <c>adj close</c>, <c>adj_close</c>). Null = recognise.
    /// </summary>
    public string? Column { get; init; }

    /// <summary>
    /// The values are returns: the time column becomes optional (without one, row order is time order), return-like
    /// headers (<c>return</c>, <c>returns</c>, <c>log_return</c>, <c>ret</c>) are recognised, and a file whose only
    /// numeric column besides an index (<c>obs</c>, <c>index</c>, <c>id</c>, <c>row</c>, <c>n</c>) and the time
    /// column is that column uses it.
    /// </summary>
    public bool ValuesAreReturns { get; init; }

    /// <summary>
    /// The time column, overriding the recognised one (<c>date</c>, then <c>timestamp</c>, <c>time</c>,
    /// <c>datetime</c>, <c>timestamp_utc</c>, <c>unix</c>). Null = recognise.
    /// </summary>
    public string? TimeColumn { get; init; }
}
