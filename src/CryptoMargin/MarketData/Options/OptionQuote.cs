using CryptoMargin.Pricing;

namespace CryptoMargin.MarketData.Options;

/// <summary>
/// One option's quote in a chain at the chain's valuation time: contract terms, the forward it is marked against, and
/// bid/ask/mark prices.
/// <para>Units. <c>*Coin</c> prices are what an inverse (coin-settled) Deribit option trades at: coin (BTC, ETH) per
/// option on one coin; null for other sources. <c>*Usd</c> prices are <b>undiscounted USD in forward terms</b>, the
/// units of <see cref="Black76.Price"/>: for an inverse option coin × <see cref="Forward"/> (Deribit marks an option at
/// its Black-76 USD value divided by the underlying price, so coin × F recovers the Black-76 value); for a USD-quoted
/// source price ÷ <see cref="Discount"/>. Volatilities are decimals (0.45, not 45). <see cref="T"/> is ACT/365 from the
/// chain's valuation time to <see cref="Expiry"/> (or as given by a surface file). A missing price is null, never 0.</para>
/// <para>Not validated: a quote may be crossed, expired or arbitrageable; <see cref="OptionChainCleaner"/> judges that.</para>
/// </summary>
public sealed record OptionQuote
{
    /// <summary>The instrument name (Deribit) or a synthetic name <c>T0.25-K60000-C</c> for surface files.</summary>
    public required string Instrument { get; init; }

    /// <summary>Expiry (UTC); null when the source gives only <see cref="T"/>.</summary>
    public DateTimeOffset? Expiry { get; init; }

    /// <summary>Time to expiry in years, ACT/365 from the valuation time (may be ≤ 0 for an expired quote).</summary>
    public required double T { get; init; }

    /// <summary>Strike, USD.</summary>
    public required double Strike { get; init; }

    public required OptionType Type { get; init; }

    /// <summary>The forward (Deribit <c>underlying_price</c>: the future or synthetic forward the option is marked against), USD.</summary>
    public required double Forward { get; init; }

    /// <summary>Discount factor to expiry (1 for Deribit, whose coin prices are settled undiscounted in forward terms).</summary>
    public double Discount { get; init; } = 1.0;

    /// <summary>True when prices are quoted in coin (inverse, coin-settled contract).</summary>
    public bool IsInverse { get; init; }

    public double? BidCoin { get; init; }
    public double? AskCoin { get; init; }
    public double? MarkCoin { get; init; }

    /// <summary>Best bid, undiscounted USD (forward terms).</summary>
    public double? BidUsd { get; init; }

    /// <summary>Best ask, undiscounted USD (forward terms).</summary>
    public double? AskUsd { get; init; }

    /// <summary>Mark price, undiscounted USD (forward terms).</summary>
    public double? MarkUsd { get; init; }

    /// <summary>Mark implied volatility (decimal).</summary>
    public double? MarkIv { get; init; }

    /// <summary>Implied volatility of the bid (decimal), when the source or a solver provides it.</summary>
    public double? BidIv { get; init; }

    /// <summary>Implied volatility of the ask (decimal), when the source or a solver provides it.</summary>
    public double? AskIv { get; init; }

    /// <summary>Spot index (Deribit <c>index_price</c>), USD.</summary>
    public double? IndexPrice { get; init; }

    /// <summary>The instrument the forward comes from (<c>BTC-25SEP26</c>, <c>SYN.BTC-8JAN26</c>), when given.</summary>
    public string? UnderlyingInstrument { get; init; }

    /// <summary>When this quote was taken (Deribit <c>creation_timestamp</c>); null when the source has one time for all.</summary>
    public DateTimeOffset? QuoteTime { get; init; }

    /// <summary>Source line (1-based, header = line 1), or 1-based position in a JSON array; 0 when built in code.</summary>
    public int Line { get; init; }

    /// <summary>(bid + ask)/2 in undiscounted USD when both sides exist; otherwise null.</summary>
    public double? MidUsd => BidUsd is double b && AskUsd is double a ? 0.5 * (b + a) : null;

    /// <summary>(ask − bid)/mid when both sides exist and the mid is positive; otherwise null.</summary>
    public double? RelativeSpread => BidUsd is double b && AskUsd is double a && a + b > 0 ? (a - b) / (0.5 * (a + b)) : null;
}
