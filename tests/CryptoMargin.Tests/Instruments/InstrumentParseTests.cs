using CryptoMargin.Instruments;
using CryptoMargin.MarketData;
using CryptoMargin.Pricing;

namespace CryptoMargin.Tests.Instruments;

public class InstrumentParseTests
{
    [Theory]
    [InlineData("BTC-PERPETUAL", "BTC", null, InstrumentKind.Perpetual, "USD")]
    [InlineData("ETH_USDC-PERPETUAL", "ETH", "USDC", InstrumentKind.Perpetual, "ETH")]
    [InlineData("BTC-27MAR26", "BTC", null, InstrumentKind.Future, "USD")]
    [InlineData("BTC_USDC-27MAR26", "BTC", "USDC", InstrumentKind.Future, "BTC")]
    [InlineData("BTC-27MAR26-90000-C", "BTC", null, InstrumentKind.Option, "BTC")]
    [InlineData("XRP_USDC-30MAY25-0d625-C", "XRP", "USDC", InstrumentKind.Option, "XRP")]
    [InlineData("BTC_USDC", "BTC", "USDC", InstrumentKind.Spot, "BTC")]
    public void ParsesEveryDeribitKind(string name, string ccy, string? settle, InstrumentKind kind, string sizeUnit)
    {
        var i = Instrument.Parse(name);
        Assert.Equal(name, i.Name);
        Assert.Equal(ccy, i.Currency);
        Assert.Equal(settle, i.SettlementCurrency);
        Assert.Equal(kind, i.Kind);
        Assert.Equal(sizeUnit, i.SizeUnit);
        Assert.Equal(settle ?? ccy, i.MarginCurrency);
    }

    [Fact]
    public void FutureExpiryIsEightUtc()
    {
        var f = Assert.IsType<FutureInstrument>(Instrument.Parse("BTC-27MAR26"));
        Assert.Equal(new DateTimeOffset(2026, 3, 27, 8, 0, 0, TimeSpan.Zero), f.Expiry);
        var o = Assert.IsType<OptionInstrument>(Instrument.Parse("BTC-27MAR26-90000-P"));
        Assert.Equal(OptionType.Put, o.Type);
        Assert.Equal(90000, o.Strike);
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("BTC", "quote currency")]
    [InlineData("BTC-31FEB26", "neither PERPETUAL")]
    [InlineData("btc-PERPETUAL", "currency 'btc'")]
    [InlineData("BTC-27MAR26-90000", "parts")]
    [InlineData("BTC-27MAR26-90000-X", "option type")]
    [InlineData("BTC_usdc-PERPETUAL", "settlement currency")]
    public void MalformedNamesSayWhatIsWrong(string name, string expected)
    {
        var e = Assert.Throws<DataValidationException>(() => Instrument.Parse(name));
        Assert.Contains(expected, e.Reason);
        Assert.Equal("instrument", e.Field);
        Assert.False(Instrument.TryParse(name, out _, out var error));
        Assert.Contains(expected, error);
    }
}
