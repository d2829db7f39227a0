using System.Globalization;
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
            if (i % 29 == 0) k[i] = f[i];   // at the money, also with σ√t = 0 (delta ½)
            type[i] = rng.Next(2) == 0 ? OptionType.Call : OptionType.Put;
        }
        return (f, k, t, s, type);
    }

    /// <summary>
    /// The stated batch-vs-scalar bound. Both evaluate the same formulas with different exp/ln/Φ (each within a few ulp),
    /// so a price agrees to 1e-14 relative times the cancellation factor 1 + |d₂|/σ√t that both share (Black76's docs)
    /// times 1 + d₂²/10 (the scalar Φ = erfc(−z/√2)/2 loses about z² ulp in the tail to the rounding of z/√2; the
    /// batch's does not: at d₂ = −28, σ√t = 0.012 the scalar is 2.6e-10 off mpmath, the batch 7.8e-11), and a Greek to 1e-14 relative times 1 + d₁² (a rounding δ in d₁ moves φ(d₁) by d₁·δ relative, and d₁ carries
    /// ln(F/K)/σ√t's rounding times |d₁|). Vanna and volga carry d₁ and d₂ as factors, which cancel (|x|/σ√t ≈ σ√t/2)
    /// near zero: their tolerance is relative to the size they would have with |d| replaced by m = |x|/σ√t + σ√t.
    /// </summary>
    private static void AssertClose(double scalar, double batch, double factor, string what, double scale = 0)
    {
        double tolerance = 1e-14 * factor * (Math.Abs(scalar) + scale) + 1e-300;
        Assert.True(Math.Abs(batch - scalar) <= tolerance, $"{what}: batch {batch:R} vs scalar {scalar:R} (tolerance {tolerance:R})");
    }

    private static (double Price, double Greek, double VannaScale, double VolgaScale) Factors(double f, double k, double t, double sigma)
    {
        double s = sigma * Math.Sqrt(t);
        if (!(s > 0)) return (0, 0, 0, 0);   // intrinsic: must be exact
        double x = Math.Log(f / k), d1 = x / s + 0.5 * s, d2 = d1 - s, m = Math.Abs(x) / s + s;
        double pdf = Math.Exp(-0.5 * d1 * d1) / Math.Sqrt(2 * Math.PI), vega = f * pdf * Math.Sqrt(t);
        return ((1 + Math.Abs(d2) / s) * (1 + d2 * d2 / 10), 1 + d1 * d1, pdf * m / sigma, vega * m * m / sigma);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(7)]
    [InlineData(1001)]
    public void BatchEqualsScalarWithinStatedBound(int n)
    {
        var (f, k, t, s, type) = Options(n, seed: 7 + n);
        var price = new double[n];
        var greeks = new OptionGreeks[n];
        Black76Batch.Price(f, k, t, s, type, price);
        Black76Batch.Greeks(f, k, t, s, type, greeks);
        var calls = new double[n];
        Black76Batch.Price(f, k, t, s, OptionType.Call, calls);
        var cols = new double[7][];
        for (int c = 0; c < 7; c++) cols[c] = new double[n];
        Black76Batch.Greeks(f, k, t, s, OptionType.Put, cols[0], cols[1], cols[2], cols[3], cols[4], cols[5], cols[6]);
        for (int i = 0; i < n; i++)
        {
            var (pf, gf, vannaScale, volgaScale) = Factors(f[i], k[i], t[i], s[i]);
            string at = $"[{i}] F={f[i]:R} K={k[i]:R} t={t[i]:R} σ={s[i]:R} {type[i]}";
            AssertClose(Black76.Price(f[i], k[i], t[i], s[i], type[i]), price[i], pf, "price" + at);
            AssertClose(Black76.Price(f[i], k[i], t[i], s[i], OptionType.Call), calls[i], pf, "call" + at);
            var g = Black76.Greeks(f[i], k[i], t[i], s[i], type[i]);
            AssertClose(g.Price, greeks[i].Price, pf, "greeks.Price" + at);
            AssertClose(g.Delta, greeks[i].Delta, gf, "delta" + at);
            AssertClose(g.Gamma, greeks[i].Gamma, gf, "gamma" + at);
            AssertClose(g.Vega, greeks[i].Vega, gf, "vega" + at);
            AssertClose(g.Theta, greeks[i].Theta, gf, "theta" + at);
            AssertClose(g.Vanna, greeks[i].Vanna, gf, "vanna" + at, vannaScale);
            AssertClose(g.Volga, greeks[i].Volga, gf, "volga" + at, volgaScale);
            var put = Black76.Greeks(f[i], k[i], t[i], s[i], OptionType.Put);
            double[] expected = [put.Price, put.Delta, put.Gamma, put.Vega, put.Theta, put.Vanna, put.Volga];
            double[] scales = [0, 0, 0, 0, 0, vannaScale, volgaScale];
            for (int c = 0; c < 7; c++) AssertClose(expected[c], cols[c][i], c == 0 ? pf : gf, $"put column {c}" + at, scales[c]);
        }
    }

    [Fact]
    public void ZeroVolatilityOrExpiryGivesTheScalarIntrinsicExactly()
    {
        // σ√t = 0 in every lane pattern (all four, some, the scalar tail): intrinsic value and the step delta, bit for bit.
        double[] f = [100, 100, 100, 90, 110, 100, 100, 80, 120];
        double[] k = [100, 90, 110, 100, 100, 100, 95, 100, 100];
        double[] t = [0, 0, 0.5, 0, 1, 0, 0.5, 0, 0];
        double[] s = [0.5, 0.4, 0, 0.3, 0, 0, 0.6, 0.2, 0.7];
        foreach (var type in new[] { OptionType.Call, OptionType.Put })
        {
            var cols = new double[7][];
            for (int c = 0; c < 7; c++) cols[c] = new double[f.Length];
            Black76Batch.Greeks(f, k, t, s, type, cols[0], cols[1], cols[2], cols[3], cols[4], cols[5], cols[6]);
            for (int i = 0; i < f.Length; i++)
            {
                if (s[i] * Math.Sqrt(t[i]) > 0) continue;
                var g = Black76.Greeks(f[i], k[i], t[i], s[i], type);
                Assert.Equal(Black76.Intrinsic(f[i], k[i], type), cols[0][i]);
                Assert.Equal((g.Price, g.Delta, 0.0, 0.0, 0.0, 0.0, 0.0), (cols[0][i], cols[1][i], cols[2][i], cols[3][i], cols[4][i], cols[5][i], cols[6][i]));
            }
            Assert.Equal(type == OptionType.Call ? 0.5 : -0.5, cols[1][0]);   // F = K at expiry
        }
    }

    [Fact]
    public void PutCallParity()
    {
        // C − P = F − K (undiscounted Black-76), on a random grid of 1,003 options (not a multiple of 4).
        var (f, k, t, s, _) = Options(1003, seed: 3);
        var call = new double[f.Length];
        var put = new double[f.Length];
        Black76Batch.Price(f, k, t, s, OptionType.Call, call);
        Black76Batch.Price(f, k, t, s, OptionType.Put, put);
        for (int i = 0; i < f.Length; i++)
            Assert.Equal(f[i] - k[i], call[i] - put[i], 4e-16 * Math.Max(f[i], k[i]));
        var deltaCall = new double[f.Length]; var deltaPut = new double[f.Length];
        var scratch = new double[6][];
        for (int c = 0; c < 6; c++) scratch[c] = new double[f.Length];
        Black76Batch.Greeks(f, k, t, s, OptionType.Call, scratch[0], deltaCall, scratch[1], scratch[2], scratch[3]);
        Black76Batch.Greeks(f, k, t, s, OptionType.Put, scratch[0], deltaPut, scratch[1], scratch[2], scratch[3]);
        for (int i = 0; i < f.Length; i++)
            Assert.Equal(1.0, deltaCall[i] - deltaPut[i], 4e-16);   // Δ_call − Δ_put = 1
    }

    [Fact]
    public void MatchesHighPrecisionPricesIncludingTheDeepTail()
    {
        // Prices at 50 digits by mpmath (scripts/iv-reference.py), down to 1e-25·F, σ√t from 5e-5: the batch must be
        // as accurate as Black76's documented bound, 1e-14·(1 + |d₂|/σ√t) relative (docs/options/pricing.md).
        string path = Path.Combine(AppContext.BaseDirectory, "Pricing", "data", "iv-reference.csv");
        var rows = File.ReadLines(path).Skip(1).Select(l => l.Split(',')).ToArray();
        double D(string v) => double.Parse(v, NumberStyles.Float, CultureInfo.InvariantCulture);
        var f = rows.Select(r => D(r[0])).ToArray(); var k = rows.Select(r => D(r[1])).ToArray();
        var t = rows.Select(r => D(r[2])).ToArray(); var s = rows.Select(r => D(r[3])).ToArray();
        var type = rows.Select(r => r[4] == "call" ? OptionType.Call : OptionType.Put).ToArray();
        var price = new double[f.Length];
        Black76Batch.Price(f, k, t, s, type, price);
        for (int i = 0; i < f.Length; i++)
        {
            double expected = D(rows[i][5]);
            double s2 = s[i] * Math.Sqrt(t[i]), d2 = Math.Log(f[i] / k[i]) / s2 - 0.5 * s2;
            // The scalar tail (and the no-AVX2 fallback) is Black76 itself, whose Φ loses ~d₂² ulp more in the tail.
            bool vectorLane = System.Runtime.Intrinsics.Vector256.IsHardwareAccelerated && i < f.Length - f.Length % 4;
            AssertClose(expected, price[i], (1 + Math.Abs(d2) / s2) * (vectorLane ? 1 : 1 + d2 * d2 / 10), $"[{i}] F={f[i]:R} K={k[i]:R} t={t[i]:R} σ={s[i]:R}");
        }
    }

    [Fact]
    public void LengthMismatchThrowsNamingTheSpan()
    {
        var (f, k, t, s, type) = Options(8, seed: 1);
        var e = Assert.Throws<ArgumentException>(() => Black76Batch.Price(f, k.AsSpan(0, 7), t, s, OptionType.Call, new double[8]));
        Assert.Equal("strike", e.ParamName);
        Assert.Equal("type", Assert.Throws<ArgumentException>(() => Black76Batch.Price(f, k, t, s, type.AsSpan(1), new double[8])).ParamName);
        Assert.Equal("volga", Assert.Throws<ArgumentException>(() => Black76Batch.Greeks(f, k, t, s, type,
            new double[8], new double[8], new double[8], new double[8], new double[8], new double[8], new double[7])).ParamName);
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
