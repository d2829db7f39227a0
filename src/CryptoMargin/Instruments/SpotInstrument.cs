namespace CryptoMargin.Instruments;

/// <summary>A spot pair (<c>BTC_USDC</c>): a coin held against a stable coin, sized in coin, priced off the index.</summary>
public sealed record SpotInstrument(string Name, string Currency, string? SettlementCurrency)
    : Instrument(Name, Currency, SettlementCurrency)
{
    public override InstrumentKind Kind => InstrumentKind.Spot;
}
