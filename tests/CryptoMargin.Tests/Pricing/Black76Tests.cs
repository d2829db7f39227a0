using CryptoMargin.Pricing;
using MathNet.Numerics;
using MathNet.Numerics.Distributions;

namespace CryptoMargin.Tests.Pricing;

public class Black76Tests
{
    /// <summary>Forward 100; strikes from deep ITM to deep OTM; a day to two years; 10% to 150% vol.</summary>
    public static TheoryData<double, double, double> Grid()
    {
        var data = new TheoryData<double, double, double>();
        foreach (double k in new[] { 40.0, 80, 95, 100, 105, 125, 250 })
            foreach (double t in new[] { 1 / 365.0, 0.1, 0.5, 2 })
                foreach (double sigma in new[] { 0.1, 0.6, 1.5 })
                    data.Add(k, t, sigma);
        return data;
    }

    [Theory]
    [MemberData(nameof(Grid))]
    public void PutCallParityHolds(double k, double t, double sigma)
    {
        const double f = 100;
        double call = Black76.Price(f, k, t, sigma, OptionType.Call);
        double put = Black76.Price(f, k, t, sigma, OptionType.Put);
        Assert.Equal(f - k, call - put, 1e-13 * Math.Max(call, put));
        // With a discount factor: D·(C − P) = D·(F − K).
        const double df = 0.97;
        double dc = Black76.Price(f, k, t, sigma, OptionType.Call, df), dp = Black76.Price(f, k, t, sigma, OptionType.Put, df);
        Assert.Equal(df * (f - k), dc - dp, 1e-13 * Math.Max(dc, dp));
    }

    [Theory]
    [InlineData(100, 1 / 365.0, 0.05)]
    [InlineData(100, 0.5, 0.8)]
    [InlineData(60000, 0.25, 0.55)]
    [InlineData(3000, 3, 2.5)]
    [InlineData(1, 1e-6, 0.01)]
    public void AtTheMoneyMatchesClosedForm(double f, double t, double sigma)
    {
        // ln(F/K) = 0: d₁ = −d₂ = s/2, so C = P = F(Φ(s/2) − Φ(−s/2)) = F·erf(s/(2√2)), with erf free of cancellation.
        double s = sigma * Math.Sqrt(t);
        double expected = f * SpecialFunctions.Erf(s / (2 * Math.Sqrt(2)));
        Assert.Equal(expected, Black76.Price(f, f, t, sigma, OptionType.Call), expected * 1e-14);
        Assert.Equal(expected, Black76.Price(f, f, t, sigma, OptionType.Put), expected * 1e-14);
    }

    [Theory]
    [InlineData(100, 200, 0.1, 0.5)]   // d₂ ≈ −4.5
    [InlineData(100, 300, 0.25, 0.4)]  // d₂ ≈ −5.6
    [InlineData(100, 40, 0.1, 0.5)]    // deep OTM put
    [InlineData(100, 150, 1 / 365.0, 0.9)] // one day, d₂ ≈ −8.6
    [InlineData(100, 1000, 1, 0.8)]    // d₂ ≈ −3.3 with a wide spread
    [InlineData(100, 100.1, 1 / 365.0, 0.1)] // σ√t = 0.005 near the money: d₂ ≈ −0.2 (the erf form)
    [InlineData(100, 99.9, 1 / 365.0, 0.1)]  // its mirror put
    [InlineData(100, 101, 1 / 365.0, 0.1)]   // σ√t = 0.005, d₂ ≈ −1.9 (the erfc form at its weakest)
    [InlineData(100, 102, 1 / 365.0, 0.1)]   // d₂ ≈ −3.8
    public void DeepOutOfTheMoneyKeepsRelativeAccuracy(double f, double k, double t, double sigma)
    {
        // Reference: E[(F e^{sZ − s²/2} − K)⁺] = ∫_{z*}^{∞} (F e^{sz − s²/2} − K) φ(z) dz (put: the mirror), z* = −d₂,
        // an integrand of one sign, so adaptive Gauss–Kronrod gives it to near full relative precision.
        double s = sigma * Math.Sqrt(t);
        double zStar = (Math.Log(k / f) + 0.5 * s * s) / s;
        bool call = k > f;
        double reference = call
            ? Integrate.GaussKronrod(z => (f * Math.Exp(s * z - 0.5 * s * s) - k) * Normal.PDF(0, 1, z), zStar, zStar + 12, 1e-13, 15, 61)
            : Integrate.GaussKronrod(z => (k - f * Math.Exp(s * z - 0.5 * s * s)) * Normal.PDF(0, 1, z), zStar - 12, zStar, 1e-13, 15, 61);
        double price = Black76.Price(f, k, t, sigma, call ? OptionType.Call : OptionType.Put);
        Assert.True(reference > 0 && reference < 2, $"reference {reference}");
        Assert.Equal(reference, price, reference * 1e-11);
    }

    [Fact]
    public void HullBlackModelFuturesOptionExample()
    {
        // Hull, Options, Futures, and Other Derivatives, chapter "Futures options", the worked example of Black's model:
        // a European put on crude-oil futures with F₀ = K = 20, r = 9%, T = 4 months, σ = 25%: p = 1.12 (c = p at the money).
        double df = Math.Exp(-0.09 * 4 / 12.0);
        Assert.Equal(1.12, Black76.Price(20, 20, 4 / 12.0, 0.25, OptionType.Put, df), 0.005);
        Assert.Equal(1.12, Black76.Price(20, 20, 4 / 12.0, 0.25, OptionType.Call, df), 0.005);
    }

    [Theory]
    [InlineData(100, 90)]
    [InlineData(100, 100)]
    [InlineData(100, 110)]
    public void ZeroVolatilityOrExpiryIsIntrinsic(double f, double k)
    {
        foreach (var type in new[] { OptionType.Call, OptionType.Put })
        {
            double intrinsic = type == OptionType.Call ? Math.Max(f - k, 0) : Math.Max(k - f, 0);
            Assert.Equal(intrinsic, Black76.Price(f, k, 0.5, 0, type));
            Assert.Equal(intrinsic, Black76.Price(f, k, 0, 0.8, type));
            Assert.Equal(intrinsic, Black76.Greeks(f, k, 0, 0.8, type).Price);
        }
    }

    [Theory]
    [MemberData(nameof(Grid))]
    public void GreeksMatchCentralFiniteDifferences(double k, double t, double sigma)
    {
        const double f = 100;
        foreach (var type in new[] { OptionType.Call, OptionType.Put })
        {
            var g = Black76.Greeks(f, k, t, sigma, type);
            Assert.Equal(Black76.Price(f, k, t, sigma, type), g.Price, 1e-15 * f);
            double sd = sigma * Math.Sqrt(t); // the forward's log-scale: steps in F scale with it
            double hf = 1e-4 * f * Math.Min(1, sd), hs = 1e-4 * sigma, ht = 1e-4 * t;
            double vegaScale = f * Math.Sqrt(t);
            FiniteDifference.AssertClose((Black76.Price(f + hf, k, t, sigma, type) - Black76.Price(f - hf, k, t, sigma, type)) / (2 * hf), g.Delta, 1e-6);
            FiniteDifference.AssertClose((Black76.Greeks(f + hf, k, t, sigma, type).Delta - Black76.Greeks(f - hf, k, t, sigma, type).Delta) / (2 * hf), g.Gamma, 1e-6 / f);
            FiniteDifference.AssertClose((Black76.Price(f, k, t, sigma + hs, type) - Black76.Price(f, k, t, sigma - hs, type)) / (2 * hs), g.Vega, 1e-6 * vegaScale);
            FiniteDifference.AssertClose(-(Black76.Price(f, k, t + ht, sigma, type) - Black76.Price(f, k, t - ht, sigma, type)) / (2 * ht), g.Theta, 1e-6 * vegaScale * sigma / t);
            // Vanna two ways: ∂Δ/∂σ and ∂vega/∂F.
            FiniteDifference.AssertClose((Black76.Greeks(f, k, t, sigma + hs, type).Delta - Black76.Greeks(f, k, t, sigma - hs, type).Delta) / (2 * hs), g.Vanna, 1e-6 / sigma);
            FiniteDifference.AssertClose((Black76.Greeks(f + hf, k, t, sigma, type).Vega - Black76.Greeks(f - hf, k, t, sigma, type).Vega) / (2 * hf), g.Vanna, 1e-6 / sigma);
            FiniteDifference.AssertClose((Black76.Greeks(f, k, t, sigma + hs, type).Vega - Black76.Greeks(f, k, t, sigma - hs, type).Vega) / (2 * hs), g.Volga, 1e-6 * vegaScale / sigma);
            // Gamma also as the second difference of the price (looser: it loses half the digits).
            double h2 = 1e-3 * f * Math.Min(1, sd);
            double second = (Black76.Price(f + h2, k, t, sigma, type) - 2 * g.Price + Black76.Price(f - h2, k, t, sigma, type)) / (h2 * h2);
            FiniteDifference.AssertClose(second, g.Gamma, 1e-4 / f);
        }
    }

    [Theory]
    [InlineData(100, 0.5, 0.6, 0.05)]
    [InlineData(60000, 0.1, 0.9, 0.12)]
    [InlineData(100, 2, 0.2, -0.01)]
    public void DiscountedThetaHoldsTheRateFixed(double k, double t, double sigma, double rate)
    {
        const double f = 100;
        foreach (var type in new[] { OptionType.Call, OptionType.Put })
        {
            var g = Black76.Greeks(f, k, t, sigma, type, Math.Exp(-rate * t));
            var u = Black76.Greeks(f, k, t, sigma, type);
            double df = Math.Exp(-rate * t);
            Assert.Equal(df * u.Delta, g.Delta, 1e-15);
            Assert.Equal(df * u.Vega, g.Vega, 1e-13 * u.Vega);
            double ht = 1e-4 * t;
            double V(double tt) => Black76.Price(f, k, tt, sigma, type, Math.Exp(-rate * tt));
            FiniteDifference.AssertClose(-(V(t + ht) - V(t - ht)) / (2 * ht), g.Theta, 1e-6 * f);
        }
    }

    [Fact]
    public void ExtremeInputsGiveFiniteBoundedFigures()
    {
        // No-arbitrage bounds that hold for any σ√t: max(F − K, 0) ≤ C ≤ F, max(K − F, 0) ≤ P ≤ K, 0 ≤ Δ_call ≤ 1,
        // Γ ≥ 0, vega ≥ 0, and every Greek finite, from σ√t = 1e-10 to 1e3 and F/K from 1e-6 to 1e6.
        foreach (double k in new[] { 1e-4, 0.5, 1, 2, 1e6 })
            foreach (double t in new[] { 1e-12, 1e-4, 1, 1e6 })
                foreach (double sigma in new[] { 1e-4, 1, 5 })
                    foreach (var type in new[] { OptionType.Call, OptionType.Put })
                    {
                        const double f = 1;
                        var g = Black76.Greeks(f, k, t, sigma, type);
                        Assert.True(double.IsFinite(g.Price) && double.IsFinite(g.Delta) && double.IsFinite(g.Gamma) && double.IsFinite(g.Vega)
                            && double.IsFinite(g.Theta) && double.IsFinite(g.Vanna) && double.IsFinite(g.Volga), $"{g} at K={k}, t={t}, σ={sigma}");
                        double intrinsic = Black76.Intrinsic(f, k, type);
                        Assert.InRange(g.Price, intrinsic * (1 - 1e-15), type == OptionType.Call ? f : k);
                        Assert.InRange(type == OptionType.Call ? g.Delta : g.Delta + 1, 0, 1);
                        Assert.True(g.Gamma >= 0 && g.Vega >= 0);
                    }
    }

    public static TheoryData<double, double, double, double, double, string> BadInputs() => new()
    {
        { -1, 100, 1, 0.5, 1, "forward" },
        { 0, 100, 1, 0.5, 1, "forward" },
        { double.NaN, 100, 1, 0.5, 1, "forward" },
        { double.PositiveInfinity, 100, 1, 0.5, 1, "forward" },
        { 100, -5, 1, 0.5, 1, "strike" },
        { 100, double.NaN, 1, 0.5, 1, "strike" },
        { 100, 100, -0.1, 0.5, 1, "t" },
        { 100, 100, double.NaN, 0.5, 1, "t" },
        { 100, 100, 1, -0.2, 1, "sigma" },
        { 100, 100, 1, double.NaN, 1, "sigma" },
        { 100, 100, 1, 0.5, 0, "discountFactor" },
        { 100, 100, 1, 0.5, double.NaN, "discountFactor" },
    };

    [Theory]
    [MemberData(nameof(BadInputs))]
    public void BadInputThrowsNamingTheParameter(double f, double k, double t, double sigma, double df, string name)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => Black76.Price(f, k, t, sigma, OptionType.Call, df));
        Assert.Equal(name, e.ParamName);
        Assert.Contains(name, e.Message);
        Assert.Equal(name, Assert.Throws<ArgumentOutOfRangeException>(() => Black76.Greeks(f, k, t, sigma, OptionType.Put, df)).ParamName);
        if (name != "discountFactor")
        {
            Assert.Equal(name, Assert.Throws<ArgumentOutOfRangeException>(() => Black76.Price(f, k, t, sigma, OptionType.Put)).ParamName);
            Assert.Equal(name, Assert.Throws<ArgumentOutOfRangeException>(() => Black76.Greeks(f, k, t, sigma, OptionType.Call)).ParamName);
        }
    }
}
