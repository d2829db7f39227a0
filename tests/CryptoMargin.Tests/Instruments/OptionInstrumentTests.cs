using CryptoMargin.Instruments;
using CryptoMargin.MarketData;
using CryptoMargin.Pricing;

namespace CryptoMargin.Tests.Instruments;

public class OptionInstrumentTests
{
    [Theory]
    // Names as Deribit lists them (public/get_instruments); expiry at 08:00 UTC.
    [InlineData("BTC-27DEC24-60000-C", "BTC", null, "2024-12-27", 60000.0, OptionType.Call)]
    [InlineData("ETH-28MAR25-2500-P", "ETH", null, "2025-03-28", 2500.0, OptionType.Put)]
    [InlineData("BTC-8JAN26-94000-C", "BTC", null, "2026-01-08", 94000.0, OptionType.Call)]
    [InlineData("XRP_USDC-30MAY25-0d625-C", "XRP", "USDC", "2025-05-30", 0.625, OptionType.Call)]
    [InlineData("SOL_USDC-29FEB28-132d5-P", "SOL", "USDC", "2028-02-29", 132.5, OptionType.Put)]
    [InlineData("  BTC-25JUN27-150000-P ", "BTC", null, "2027-06-25", 150000.0, OptionType.Put)]
    public void ParsesDeribitNames(string name, string ccy, string? settlement, string day, double strike, OptionType type)
    {
        var i = OptionInstrument.Parse(name);
        Assert.Equal(name.Trim(), i.Name);
        Assert.Equal(ccy, i.Currency);
        Assert.Equal(settlement, i.SettlementCurrency);
        Assert.Equal(settlement is null, i.IsInverse);
        Assert.Equal(DateTimeOffset.Parse(day + "T08:00:00Z", System.Globalization.CultureInfo.InvariantCulture), i.Expiry);
        Assert.Equal(TimeSpan.Zero, i.Expiry.Offset);
        Assert.Equal(strike, i.Strike);
        Assert.Equal(type, i.Type);
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("BTC-PERPETUAL", "2 dash-separated parts")]
    [InlineData("BTC-27DEC24", "2 dash-separated parts")]
    [InlineData("BTC-27DEC24-60000-C-X", "5 dash-separated parts")]
    [InlineData("btc-27DEC24-60000-C", "currency 'btc'")]
    [InlineData("BTC-27DEX24-60000-C", "expiry '27DEX24'")]
    [InlineData("BTC-32DEC24-60000-C", "expiry '32DEC24'")]
    [InlineData("BTC-29FEB25-60000-C", "expiry '29FEB25'")]
    [InlineData("BTC-127DEC24-60000-C", "expiry '127DEC24'")]
    [InlineData("BTC-27DEC24-6e4-C", "strike '6e4'")]
    [InlineData("BTC-27DEC24-0-C", "strike '0'")]
    [InlineData("BTC-27DEC24--C", "strike ''")]
    [InlineData("XRP_USDC-30MAY25-d625-C", "strike 'd625'")]
    [InlineData("XRP_USDC-30MAY25-0d6d25-C", "strike '0d6d25'")]
    [InlineData("XRP_usdc-30MAY25-0d625-C", "settlement currency 'usdc'")]
    [InlineData("BTC-27DEC24-60000-X", "option type 'X'")]
    [InlineData("BTC-27DEC24-60000-c", "option type 'c'")]
    public void MalformedNamesSayWhichPartIsWrong(string name, string expected)
    {
        Assert.False(OptionInstrument.TryParse(name, out var instrument, out var error));
        Assert.Null(instrument);
        Assert.Contains(expected, error);
        var e = Assert.Throws<DataValidationException>(() => OptionInstrument.Parse(name));
        Assert.Equal("instrument_name", e.Field);
        Assert.Equal(error, e.Reason);
    }

    [Fact]
    public void NullIsAnErrorNotACrash()
    {
        Assert.False(OptionInstrument.TryParse(null, out _, out var error));
        Assert.Equal("empty instrument name", error);
    }

    [Fact]
    public void RandomGarbageNeverThrowsFromTryParse()
    {
        // Seeded fuzz over the characters names are made of: TryParse must answer, never throw.
        var random = new Random(20261124);
        const string alphabet = "BTCEHXRPUSD_-0123456789dJANFEBMARDECPC ";
        for (int n = 0; n < 20000; n++)
        {
            var chars = new char[random.Next(0, 30)];
            for (int i = 0; i < chars.Length; i++) chars[i] = alphabet[random.Next(alphabet.Length)];
            var s = new string(chars);
            if (OptionInstrument.TryParse(s, out var i2, out var error))
                Assert.True(i2.Strike > 0 && i2.Type is OptionType.Call or OptionType.Put);
            else Assert.False(string.IsNullOrEmpty(error));
        }
        // Also mutate a valid name one character at a time.
        const string valid = "BTC-27DEC24-60000-C";
        for (int pos = 0; pos < valid.Length; pos++)
            foreach (var c in alphabet)
            {
                var s = valid[..pos] + c + valid[(pos + 1)..];
                _ = OptionInstrument.TryParse(s, out _, out _);
            }
    }
}
