using CryptoMargin.Pricing;

namespace CryptoMargin.Tests.Pricing;

public class Black76BatchTests
{
    private static (double[] F, double[] K, double[] T, double[] Sigma, OptionType[] Type) Options(int n, int seed)
    {
        var rng = new Random(seed);
        var f = new double[n]; var k = new double[n]; var t = new double[n]; var s = new double[n]; var type = new OptionType[n];
        for (int i = 0; i < n; i++)
        {
            f[i] = 1000 * Math.Exp(rng.NextDouble() - 0.5);
            k[i] = f[i] * Math.Exp(3 * (rng.NextDouble() - 0.5));
            t[i] = i % 17 == 0 ? 0 : 2 * rng.NextDouble();
            s[i] = i % 23 == 0 ? 0 : 2 * rng.NextDouble();
            type[i] = rng.Next(2) == 0 ? OptionType.Call : OptionType.Put;
        }
        return (f, k, t, s, type);
    }

    [Fact]
    public void BatchEqualsScalar()
    {
        var (f, k, t, s, type) = Options(1000, seed: 7);
        var price = new double[f.Length];
        var greeks = new OptionGreeks[f.Length];
        Black76Batch.Price(f, k, t, s, type, price);
        Black76Batch.Greeks(f, k, t, s, type, greeks);
        for (int i = 0; i < f.Length; i++)
        {
            Assert.Equal(Black76.Price(f[i], k[i], t[i], s[i], type[i]), price[i]);
            Assert.Equal(Black76.Greeks(f[i], k[i], t[i], s[i], type[i]), greeks[i]);
        }
        var calls = new double[f.Length];
        var cols = new double[5][];
        for (int c = 0; c < 5; c++) cols[c] = new double[f.Length];
        Black76Batch.Price(f, k, t, s, OptionType.Call, calls);
        Black76Batch.Greeks(f, k, t, s, OptionType.Put, cols[0], cols[1], cols[2], cols[3], cols[4]);
        for (int i = 0; i < f.Length; i++)
        {
            Assert.Equal(Black76.Price(f[i], k[i], t[i], s[i], OptionType.Call), calls[i]);
            var g = Black76.Greeks(f[i], k[i], t[i], s[i], OptionType.Put);
            Assert.Equal((g.Price, g.Delta, g.Gamma, g.Vega, g.Theta), (cols[0][i], cols[1][i], cols[2][i], cols[3][i], cols[4][i]));
        }
    }

    [Fact]
    public void LengthMismatchThrowsNamingTheSpan()
    {
        var (f, k, t, s, type) = Options(8, seed: 1);
        var e = Assert.Throws<ArgumentException>(() => Black76Batch.Price(f, k.AsSpan(0, 7), t, s, OptionType.Call, new double[8]));
        Assert.Equal("strike", e.ParamName);
        Assert.Equal("type", Assert.Throws<ArgumentException>(() => Black76Batch.Price(f, k, t, s, type.AsSpan(1), new double[8])).ParamName);
    }

    [Fact]
    public void BadItemThrowsNamingSpanAndIndexBeforeWriting()
    {
        var (f, k, t, s, type) = Options(8, seed: 2);
        s[5] = double.NaN;
        var price = new double[8];
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => Black76Batch.Price(f, k, t, s, type, price));
        Assert.Equal("sigma[5]", e.ParamName);
        Assert.All(price, p => Assert.Equal(0, p));
        s[5] = 0.5; f[3] = -1;
        Assert.Equal("forward[3]", Assert.Throws<ArgumentOutOfRangeException>(() => Black76Batch.Greeks(f, k, t, s, type, new OptionGreeks[8])).ParamName);
    }
}
