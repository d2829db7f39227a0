using CryptoMargin.Instruments;
using CryptoMargin.MarketData.Options;

namespace CryptoMargin.Data.Options;

/// <summary>
/// The part of a Deribit quote both Deribit formats share: the contract terms from the instrument name, and bid/ask/mark
/// as the venue quotes them (coin for inverse options) and in undiscounted USD forward terms (coin × forward).
/// </summary>
internal static class DeribitQuote
{
    public static OptionQuote Of(OptionInstrument instrument, double forward, double t, double? bid, double? ask, double? mark)
    {
        bool inverse = instrument.IsInverse;
        double? Usd(double? p) => p is double v ? (inverse ? v * forward : v) : null;
        return new OptionQuote
        {
            Instrument = instrument.Name,
            Expiry = instrument.Expiry,
            T = t,
            Strike = instrument.Strike,
            Type = instrument.Type,
            Forward = forward,
            IsInverse = inverse,
            BidCoin = inverse ? bid : null,
            AskCoin = inverse ? ask : null,
            MarkCoin = inverse ? mark : null,
            BidUsd = Usd(bid),
            AskUsd = Usd(ask),
            MarkUsd = Usd(mark),
        };
    }
}
