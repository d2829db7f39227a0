namespace CryptoMargin.MarketData.Options;

/// <summary>
/// An option chain at one valuation time: every quote of one underlying, grouped by expiry.
/// <para><see cref="ValuationTime"/> is the market data's own time (a Deribit snapshot's <c>timestamp</c>); null, like
/// <see cref="Underlying"/>, for a surface file that gives only times to expiry. <see cref="HasBook"/> is false when the
/// source has no bid/ask (a surface of marks or implied vols); bid/ask rules of the cleaner then do not apply.</para>
/// </summary>
public sealed record OptionChain
{
    public OptionChain(DateTimeOffset? valuationTime, string? underlying, IReadOnlyList<OptionQuote> quotes, bool hasBook)
    {
        ArgumentNullException.ThrowIfNull(quotes);
        ValuationTime = valuationTime;
        Underlying = underlying;
        Quotes = quotes;
        HasBook = hasBook;
        Expiries = Group(quotes);
    }

    public DateTimeOffset? ValuationTime { get; }

    /// <summary>The underlying currency (<c>BTC</c>, <c>ETH</c>); null when the source does not say.</summary>
    public string? Underlying { get; }

    /// <summary>All quotes in source order.</summary>
    public IReadOnlyList<OptionQuote> Quotes { get; }

    public bool HasBook { get; }

    /// <summary>The quotes grouped by expiry (by <see cref="OptionQuote.Expiry"/>, else by <see cref="OptionQuote.T"/>), nearest first.</summary>
    public IReadOnlyList<OptionExpiry> Expiries { get; }

    /// <summary>The same chain holding only <paramref name="quotes"/>.</summary>
    public OptionChain With(IReadOnlyList<OptionQuote> quotes) => new(ValuationTime, Underlying, quotes, HasBook);

    private static List<OptionExpiry> Group(IReadOnlyList<OptionQuote> quotes) =>
        [.. quotes.GroupBy(q => (q.Expiry, T: q.Expiry is null ? q.T : 0.0))
            .Select(g =>
            {
                var list = g.OrderBy(q => q.Type).ThenBy(q => q.Strike).ToList();
                var forwards = list.Select(q => q.Forward).ToArray();
                return new OptionExpiry(g.Key.Expiry, list.Max(q => q.T), PriceValidator.Median(forwards), list);
            })
            .OrderBy(e => e.T)];
}
