namespace CryptoMargin.Instruments;

/// <summary>
/// A dated future (<c>BTC-27MAR26</c>, expiry 08:00 UTC) or, when <see cref="Expiry"/> is null, a perpetual
/// (<c>BTC-PERPETUAL</c>). Inverse contracts (<c>BTC-…</c>) are sized in USD and settle in coin; linear ones
/// (<c>BTC_USDC-…</c>) are sized in coin and settle in USDC.
/// </summary>
public sealed record FutureInstrument(string Name, string Currency, string? SettlementCurrency, DateTimeOffset? Expiry)
    : Instrument(Name, Currency, SettlementCurrency)
{
    public bool IsPerpetual => Expiry is null;

    public override InstrumentKind Kind => IsPerpetual ? InstrumentKind.Perpetual : InstrumentKind.Future;
}
