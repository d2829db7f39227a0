using CryptoMargin.Pricing;

namespace CryptoMargin.Tests.Pricing;

public class LinearOptionTests
{
    [Fact]
    public void PerContractFiguresScaleTheUsdBlackFigures()
    {
        // A USDC-settled contract on 0.1 coin: every figure is 0.1 × the one-coin Black-76 figure, no coin adjustment.
        var one = Black76.Greeks(60000, 70000, 0.25, 0.55, OptionType.Call);
        var g = LinearOption.Greeks(60000, 70000, 0.25, 0.55, OptionType.Call, 0.1);
        Assert.Equal(0.1 * one.Price, g.Price, 1e-12 * one.Price);
        Assert.Equal(0.1 * one.Delta, g.Delta, 1e-15);
        Assert.Equal(0.1 * one.Vega, g.Vega, 1e-12 * one.Vega);
        Assert.Equal(0.1 * one.Price, LinearOption.Price(60000, 70000, 0.25, 0.55, OptionType.Call, 0.1), 1e-12 * one.Price);
        // Linear and inverse: the same USD value, one in USDC and one in coin × forward.
        Assert.Equal(LinearOption.Price(60000, 70000, 0.25, 0.55, OptionType.Put), 60000 * InverseOption.PriceCoin(60000, 70000, 0.25, 0.55, OptionType.Put), 1e-9);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(double.NaN)]
    public void BadContractSizeThrows(double size) =>
        Assert.Equal("contractSize", Assert.Throws<ArgumentOutOfRangeException>(() => LinearOption.Price(1, 1, 1, 1, OptionType.Call, size)).ParamName);
}
