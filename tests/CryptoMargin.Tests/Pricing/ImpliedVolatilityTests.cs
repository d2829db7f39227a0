using CryptoMargin.Pricing;

namespace CryptoMargin.Tests.Pricing;

public class ImpliedVolatilityTests
{
    [Theory]
    [InlineData(double.NaN, 100, 100, 1, 1)]
    [InlineData(1, double.PositiveInfinity, 100, 1, 1)]
    [InlineData(1, 100, double.NaN, 1, 1)]
    [InlineData(1, 100, 100, double.NaN, 1)]
    [InlineData(1, 100, 100, 1, double.NegativeInfinity)]
    public void NonFiniteInputsGiveNaNAndTheReason(double price, double forward, double strike, double t, double discount)
    {
        var r = ImpliedVolatility.Solve(price, forward, strike, t, OptionType.Call, discount);
        Assert.True(double.IsNaN(r.Volatility));
        Assert.Equal(ImpliedVolatilityReason.NonFiniteInput, r.Reason);
        Assert.False(r.IsSolved);
    }

    [Theory]
    [InlineData(1, 0, 100, 1, 1, ImpliedVolatilityReason.NonPositiveForward)]
    [InlineData(1, -5, 100, 1, 1, ImpliedVolatilityReason.NonPositiveForward)]
    [InlineData(1, 100, 0, 1, 1, ImpliedVolatilityReason.NonPositiveStrike)]
    [InlineData(1, 100, 100, 0, 1, ImpliedVolatilityReason.NonPositiveTime)]
    [InlineData(1, 100, 100, -1, 1, ImpliedVolatilityReason.NonPositiveTime)]
    [InlineData(1, 100, 100, 1, 0, ImpliedVolatilityReason.NonPositiveDiscount)]
    [InlineData(-1e-9, 100, 100, 1, 1, ImpliedVolatilityReason.NegativePrice)]
    public void BadInputsGiveNaNAndTheReason(double price, double forward, double strike, double t, double discount, ImpliedVolatilityReason reason)
    {
        var r = ImpliedVolatility.Solve(price, forward, strike, t, OptionType.Put, discount);
        Assert.True(double.IsNaN(r.Volatility));
        Assert.Equal(reason, r.Reason);
    }

    [Theory]
    [InlineData(OptionType.Call, 110, 100)] // in the money: intrinsic 10
    [InlineData(OptionType.Put, 90, 100)]
    [InlineData(OptionType.Call, 100, 120)] // out of the money: intrinsic 0
    public void NoArbitrageBoundsAreReported(OptionType type, double forward, double strike)
    {
        double intrinsic = Black76.Intrinsic(forward, strike, type);
        double max = type == OptionType.Call ? forward : strike;
        double below = intrinsic - Math.Max(1e-9, 1e-12 * max);
        if (below >= 0) Assert.Equal(ImpliedVolatilityReason.BelowIntrinsic, ImpliedVolatility.Solve(below, forward, strike, 1, type).Reason);
        var at = ImpliedVolatility.Solve(intrinsic, forward, strike, 1, type);
        Assert.Equal(ImpliedVolatilityReason.AtIntrinsic, at.Reason);
        Assert.Equal(0, at.Volatility);
        Assert.Equal(ImpliedVolatilityReason.AboveMaximum, ImpliedVolatility.Solve(max, forward, strike, 1, type).Reason);
        Assert.Equal(ImpliedVolatilityReason.AboveMaximum, ImpliedVolatility.Solve(1.5 * max, forward, strike, 1, type).Reason);
        Assert.True(double.IsNaN(ImpliedVolatility.Solve(max, forward, strike, 1, type).Volatility));
        // Just inside both bounds a σ exists and reprices (Black76 as the independent forward map).
        foreach (double price in new[] { intrinsic + 1e-6 * max, max * (1 - 1e-6) })
        {
            var r = ImpliedVolatility.Solve(price, forward, strike, 1, type);
            Assert.True(r.IsSolved, $"{price}: {r.Reason}");
            Assert.Equal(price, Black76.Price(forward, strike, 1, r.Volatility, type), 1e-9 * price);
        }
    }

    [Fact]
    public void DiscountedPriceBelowTheDiscountedIntrinsicIsBelowIntrinsic()
    {
        // PV 9.6 with D = 0.95 is an undiscounted 10.105…, above the intrinsic 10: solvable; PV 9.4 is not.
        Assert.True(ImpliedVolatility.Solve(9.6, 110, 100, 1, OptionType.Call, 0.95).IsSolved);
        Assert.Equal(ImpliedVolatilityReason.BelowIntrinsic, ImpliedVolatility.Solve(9.4, 110, 100, 1, OptionType.Call, 0.95).Reason);
    }

    [Theory]
    [InlineData(0.65, 1.0)]
    [InlineData(0.05, 0.02)]
    [InlineData(2.5, 3.0)]
    public void PutCallParityPricesGiveOneSigma(double sigma, double t)
    {
        // C − P = F − K (undiscounted): a put priced from the call through parity gives the call's σ.
        foreach (double z in new[] { -2.0, -0.5, 0, 0.5, 2 })
        {
            double strike = 100 * Math.Exp(z * sigma * Math.Sqrt(t));
            double call = Black76.Price(100, strike, t, sigma, OptionType.Call);
            double put = call - (100 - strike);
            var c = ImpliedVolatility.Solve(call, 100, strike, t, OptionType.Call);
            var p = ImpliedVolatility.Solve(put, 100, strike, t, OptionType.Put);
            Assert.True(c.IsSolved && p.IsSolved, $"{strike}: {c.Reason}, {p.Reason}");
            Assert.Equal(c.Volatility, p.Volatility, 1e-9 * sigma);
            Assert.Equal(sigma, c.Volatility, 1e-9 * sigma);
        }
    }

    [Fact]
    public void BatchRejectsMismatchedSpansByName()
    {
        var ex = Assert.Throws<ArgumentException>(() => ImpliedVolatility.SolveBatch(
            new double[2], new double[2], new double[1], new double[2], new OptionType[2], default, new double[2], new ImpliedVolatilityReason[2]));
        Assert.Contains("strikes", ex.Message);
    }

    [Fact]
    public void BatchReportsReasonsPerItem()
    {
        double[] prices = [5, -1, 20, double.NaN], vols = new double[4];
        var reasons = new ImpliedVolatilityReason[4];
        ImpliedVolatility.SolveBatch(prices, [100, 100, 10, 100], [100, 100, 100, 100], [1, 1, 1, 1],
            [OptionType.Call, OptionType.Call, OptionType.Call, OptionType.Put], [1, 1, 1, 1], vols, reasons);
        Assert.Equal([ImpliedVolatilityReason.Solved, ImpliedVolatilityReason.NegativePrice, ImpliedVolatilityReason.AboveMaximum, ImpliedVolatilityReason.NonFiniteInput], reasons);
        Assert.Equal(5, Black76.Price(100, 100, 1, vols[0], OptionType.Call), 1e-12);
        Assert.True(double.IsNaN(vols[1]) && double.IsNaN(vols[2]) && double.IsNaN(vols[3]));
    }

    [Fact]
    public void RandomPricesFarBeyondTheGridNeverFail()
    {
        // Seeded fuzz beyond the domain: |ln K/F| up to 30σ√t, σ√t from 1e-6 to 40. Every price that keeps a
        // time value of at least 1e-6 of itself and 1e-280 absolute must give back σ (tolerance scaled by how far the
        // price is from its bounds, which is where a double price loses the information).
        var random = new Random(7);
        for (int i = 0; i < 20_000; i++)
        {
            double s = 1e-6 * Math.Pow(4e7, random.NextDouble());
            double t = 1e-4 * Math.Pow(5e4, random.NextDouble()), sigma = s / Math.Sqrt(t);
            double forward = Math.Pow(10, -3 + 9 * random.NextDouble());
            double strike = forward * Math.Exp((-30 + 60 * random.NextDouble()) * s);
            var type = random.NextDouble() < 0.5 ? OptionType.Call : OptionType.Put;
            // exp(±30σ√t) overflows or underflows for σ√t above ~24: no option to price there.
            if (!(strike > 0 && strike < 1e300)) continue;
            double price = Black76.Price(forward, strike, t, sigma, type);
            double timeValue = price - Black76.Intrinsic(forward, strike, type);
            var r = ImpliedVolatility.Solve(price, forward, strike, t, type);
            Assert.True(r.Iterations <= ImpliedVolatility.MaxIterations);
            if (!(timeValue > 1e-6 * price && timeValue > 1e-280 && price < 0.999 * (type == OptionType.Call ? forward : strike))) continue;
            // Beyond |d| ≈ 37, Φ(d) underflows in Black76 and drops a term of the same size as the price: no reference there.
            double dd1 = Math.Log(forward / strike) / s + 0.5 * s;
            if (Math.Abs(dd1) > 37 || Math.Abs(dd1 - s) > 37) continue;
            Assert.True(r.IsSolved, $"F {forward:R} K {strike:R} t {t:R} σ {sigma:R} {type}: {r.Reason}");
            // The reference price is Black76's F·Φ(d₁) − K·Φ(d₂) in doubles: each term carries a relative error
            // ~ε(1 + d²) (d rounded, Φ′/Φ ≈ |d|), the difference that times the larger term, which moves σ by that
            // over vega (vega = Fφ(d₁)√t); allow 16× that on top of 1e-9.
            double d1 = Math.Log(forward / strike) / s + 0.5 * s;
            double larger = type == OptionType.Call ? forward * Black76.NormalCdf(d1) : strike * Black76.NormalCdf(-(d1 - s));
            double vega = forward * Math.Exp(-0.5 * d1 * d1) * 0.3989422804014327 * Math.Sqrt(t);
            double tolerance = 1e-9 * sigma + 16 * 1.1e-16 * (1 + d1 * d1) * Math.Max(larger, price) / vega;
            Assert.True(Math.Abs(r.Volatility - sigma) <= tolerance, $"F {forward:R} K {strike:R} t {t:R} σ {sigma:R} {type}: {r.Volatility:R}");
        }
    }
}
