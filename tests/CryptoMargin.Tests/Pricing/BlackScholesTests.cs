using CryptoMargin.Pricing;
using MathNet.Numerics.Distributions;

namespace CryptoMargin.Tests.Pricing;

public class BlackScholesTests
{
    [Fact]
    public void HullNonDividendExample()
    {
        // Hull, Options, Futures, and Other Derivatives, chapter "The Black–Scholes–Merton model", worked example:
        // S₀ = 42, K = 40, r = 10%, σ = 20%, T = 0.5: c = 4.76, p = 0.81.
        Assert.Equal(4.76, BlackScholes.Price(42, 40, 0.5, 0.1, 0, 0.2, OptionType.Call), 0.005);
        Assert.Equal(0.81, BlackScholes.Price(42, 40, 0.5, 0.1, 0, 0.2, OptionType.Put), 0.005);
    }

    [Fact]
    public void HullGreekLettersExample()
    {
        // Hull, chapter "The Greek letters": a call with S₀ = 49, K = 50, r = 5%, σ = 20%, T = 20 weeks (0.3846 y):
        // price 2.40, Δ = 0.522, Γ = 0.066, vega = 12.1 (per unit σ), Θ = −4.31 per year.
        var g = BlackScholes.Greeks(49, 50, 0.3846, 0.05, 0, 0.2, OptionType.Call);
        Assert.Equal(2.40, g.Price, 0.005);
        Assert.Equal(0.522, g.Delta, 0.0005);
        Assert.Equal(0.066, g.Gamma, 0.0005);
        Assert.Equal(12.1, g.Vega, 0.05);
        Assert.Equal(-4.31, g.Theta, 0.005);
    }

    [Theory]
    [InlineData(100, 80, 0.5, 0.05, 0.02, 0.3)]
    [InlineData(100, 100, 1, 0.0, 0.08, 0.7)]
    [InlineData(100, 130, 0.1, 0.1, -0.05, 1.2)]
    [InlineData(60000, 90000, 2, 0.04, 0.0, 0.6)]
    public void PutCallParityWithCarry(double s, double k, double t, double r, double q, double sigma)
    {
        // C − P = S e^{−qt} − K e^{−rt}.
        double c = BlackScholes.Price(s, k, t, r, q, sigma, OptionType.Call);
        double p = BlackScholes.Price(s, k, t, r, q, sigma, OptionType.Put);
        Assert.Equal(s * Math.Exp(-q * t) - k * Math.Exp(-r * t), c - p, 1e-13 * Math.Max(c, p));
    }

    [Theory]
    [InlineData(100, 80, 0.5, 0.05, 0.02, 0.3)]
    [InlineData(100, 100, 1, 0.0, 0.08, 0.7)]
    [InlineData(100, 130, 0.1, 0.1, -0.05, 1.2)]
    public void PriceMatchesMertonFormulaDirectly(double s, double k, double t, double r, double q, double sigma)
    {
        // Merton (1973) written out with MathNet's normal CDF, for a price well away from the tails.
        double d1 = (Math.Log(s / k) + (r - q + 0.5 * sigma * sigma) * t) / (sigma * Math.Sqrt(t));
        double d2 = d1 - sigma * Math.Sqrt(t);
        double call = s * Math.Exp(-q * t) * Normal.CDF(0, 1, d1) - k * Math.Exp(-r * t) * Normal.CDF(0, 1, d2);
        Assert.Equal(call, BlackScholes.Price(s, k, t, r, q, sigma, OptionType.Call), call * 1e-13);
    }

    [Theory]
    [InlineData(100, 80, 0.5, 0.05, 0.02, 0.3)]
    [InlineData(100, 100, 1, 0.0, 0.08, 0.7)]
    [InlineData(100, 130, 0.1, 0.1, -0.05, 1.2)]
    [InlineData(100, 105, 1 / 365.0, 0.03, 0.01, 0.5)]
    public void GreeksMatchCentralFiniteDifferences(double s, double k, double t, double r, double q, double sigma)
    {
        foreach (var type in new[] { OptionType.Call, OptionType.Put })
        {
            var g = BlackScholes.Greeks(s, k, t, r, q, sigma, type);
            double sd = sigma * Math.Sqrt(t);
            double hs = 1e-4 * s * Math.Min(1, sd), hv = 1e-4 * sigma, ht = 1e-4 * t;
            double vegaScale = s * Math.Sqrt(t);
            double P(double ss, double tt, double vol) => BlackScholes.Price(ss, k, tt, r, q, vol, type);
            OptionGreeks G(double ss, double vol) => BlackScholes.Greeks(ss, k, t, r, q, vol, type);
            FiniteDifference.AssertClose((P(s + hs, t, sigma) - P(s - hs, t, sigma)) / (2 * hs), g.Delta, 1e-6);
            FiniteDifference.AssertClose((G(s + hs, sigma).Delta - G(s - hs, sigma).Delta) / (2 * hs), g.Gamma, 1e-6 / s);
            FiniteDifference.AssertClose((P(s, t, sigma + hv) - P(s, t, sigma - hv)) / (2 * hv), g.Vega, 1e-6 * vegaScale);
            FiniteDifference.AssertClose(-(P(s, t + ht, sigma) - P(s, t - ht, sigma)) / (2 * ht), g.Theta, 1e-6 * vegaScale * sigma / t);
            FiniteDifference.AssertClose((G(s, sigma + hv).Delta - G(s, sigma - hv).Delta) / (2 * hv), g.Vanna, 1e-6 / sigma);
            FiniteDifference.AssertClose((G(s, sigma + hv).Vega - G(s, sigma - hv).Vega) / (2 * hv), g.Volga, 1e-6 * vegaScale / sigma);
        }
    }

    [Theory]
    [InlineData(-1, 0.05, 0.0, "spot")]
    [InlineData(double.NaN, 0.05, 0.0, "spot")]
    [InlineData(100, double.NaN, 0.0, "rate")]
    [InlineData(100, 0.05, double.PositiveInfinity, "carry")]
    public void BadInputThrowsNamingTheParameter(double s, double r, double q, string name)
    {
        Assert.Equal(name, Assert.Throws<ArgumentOutOfRangeException>(() => BlackScholes.Price(s, 100, 1, r, q, 0.5, OptionType.Call)).ParamName);
        Assert.Equal(name, Assert.Throws<ArgumentOutOfRangeException>(() => BlackScholes.Greeks(s, 100, 1, r, q, 0.5, OptionType.Put)).ParamName);
        Assert.Equal("sigma", Assert.Throws<ArgumentOutOfRangeException>(() => BlackScholes.Price(100, 100, 1, 0.05, 0, -1, OptionType.Put)).ParamName);
    }
}
