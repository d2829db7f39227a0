using CryptoMargin.MarketData;
using static CryptoMargin.Tests.MarketData.SeriesBuilder;

namespace CryptoMargin.Tests.MarketData;

public class LogReturnsTests
{
    [Fact]
    public void ReturnsAreLogPriceRelatives()
    {
        // ln(110/100) = ln 1.1 = 0.0953101798043249; ln(99/110) = ln 0.9 = −0.105360515657826.
        var r = LogReturns.From(Daily(100, 110, 99));
        Assert.Equal(2, r.Length);
        Assert.Equal(0.0953101798043249, r[0], 14);
        Assert.Equal(-0.105360515657826, r[1], 14);
    }

    [Fact]
    public void FewerThanTwoPricesThrow()
    {
        var e = Assert.Throws<DataValidationException>(() => LogReturns.From(Daily(100)));
        Assert.Equal("at least 2 prices are needed for log returns, got 1", e.Reason);
        Assert.Equal("close", e.Field);
    }

    [Fact]
    public void NonPositivePriceThrowsWithItsLine()
    {
        var e = Assert.Throws<DataValidationException>(() => LogReturns.From(Daily(100, 101, 0, 102)));
        Assert.Equal(4, e.Line);
    }
}
