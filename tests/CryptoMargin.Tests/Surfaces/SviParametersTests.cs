using CryptoMargin.MarketData;
using CryptoMargin.Surfaces;

namespace CryptoMargin.Tests.Surfaces;

public class SviParametersTests
{
    private static readonly SviParameters Smile = new(0.02, 0.15, -0.3, 0.05, 0.2);

    // Axel Vogt's arbitrageable raw SVI smile, Gatheral & Jacquier (2014) Example 3.1, t = 1.
    internal static readonly SviParameters Vogt = new(-0.0410, 0.1331, 0.3060, 0.3586, 0.4153);

    [Theory]
    [InlineData(-1.2)]
    [InlineData(-0.3)]
    [InlineData(0)]
    [InlineData(0.05)]
    [InlineData(0.7)]
    public void DerivativesMatchFiniteDifferences(double k)
    {
        const double h = 1e-4;
        // Central differences: O(h²) truncation, ~1e-8 here.
        double slope = (Smile.TotalVariance(k + h) - Smile.TotalVariance(k - h)) / (2 * h);
        double curvature = (Smile.TotalVariance(k + h) - 2 * Smile.TotalVariance(k) + Smile.TotalVariance(k - h)) / (h * h);
        Assert.Equal(slope, Smile.Slope(k), 1e-8);
        Assert.Equal(curvature, Smile.Curvature(k), 1e-5);
    }

    [Theory]
    [InlineData(-1.0)]
    [InlineData(0)]
    [InlineData(0.5)]
    [InlineData(0.9)]
    public void DensityFunctionMatchesFiniteDifferenceFormula(double k)
    {
        foreach (var p in new[] { Smile, Vogt })
        {
            const double h = 1e-4;
            double w = p.TotalVariance(k);
            double w1 = (p.TotalVariance(k + h) - p.TotalVariance(k - h)) / (2 * h);
            double w2 = (p.TotalVariance(k + h) - 2 * w + p.TotalVariance(k - h)) / (h * h);
            double g = Math.Pow(1 - k * w1 / (2 * w), 2) - w1 * w1 / 4 * (1 / w + 0.25) + w2 / 2;
            Assert.Equal(g, p.ButterflyDensity(k), 1e-5);
        }
    }

    [Fact]
    public void DensityFunctionIsTheNormalisedRiskNeutralDensity()
    {
        // Gatheral–Jacquier (2014) eq. 2.2: p(k) = g(k)/√(2πw) exp(−d₋²/2), d₋ = −k/√w − √w/2, is the density of
        // ln(S_T/F); for an arbitrage-free smile it integrates to 1 (trapezoid over a wide range).
        double sum = 0, dk = 1e-3;
        for (double k = -6; k <= 6; k += dk)
        {
            double w = Smile.TotalVariance(k), dm = -k / Math.Sqrt(w) - Math.Sqrt(w) / 2;
            sum += Smile.ButterflyDensity(k) / Math.Sqrt(2 * Math.PI * w) * Math.Exp(-dm * dm / 2) * dk;
        }
        Assert.Equal(1, sum, 1e-4);
    }

    [Fact]
    public void VogtSmileHasNegativeDensityNearK08()
    {
        // Gatheral & Jacquier (2014), Figure 2: g(k) of Vogt's smile dips below zero for k a little below 1.
        double min = double.PositiveInfinity, argMin = 0;
        for (double k = -1.5; k <= 1.5; k += 1e-3)
        {
            double g = Vogt.ButterflyDensity(k);
            if (g < min) { min = g; argMin = k; }
        }
        Assert.True(min < -0.02, $"min g = {min}");
        Assert.InRange(argMin, 0.6, 1.3);
        Vogt.Validate(); // valid raw-SVI parameters nonetheless: the bounds check alone does not detect it
    }

    [Fact]
    public void ImpliedVolatilityIsRootOfTotalVariancePerYear()
    {
        double t = 0.25;
        Assert.Equal(Math.Sqrt(Smile.TotalVariance(0.1) / t), Smile.ImpliedVolatility(0.1, t), 1e-15);
        // Minimum of w is a + bσ√(1 − ρ²) at k = m − ρσ/√(1 − ρ²).
        double kStar = Smile.M - Smile.Rho * Smile.Sigma / Math.Sqrt(1 - Smile.Rho * Smile.Rho);
        Assert.Equal(Smile.TotalVariance(kStar), Smile.MinimumTotalVariance, 1e-15);
        Assert.True(Smile.TotalVariance(kStar + 1e-3) > Smile.MinimumTotalVariance);
        Assert.True(Smile.TotalVariance(kStar - 1e-3) > Smile.MinimumTotalVariance);
    }

    [Theory]
    [InlineData(0.02, -0.1, 0.0, 0.0, 0.2, "b")]
    [InlineData(0.02, 0.1, 1.0, 0.0, 0.2, "rho")]
    [InlineData(0.02, 0.1, 0.0, 0.0, 0.0, "sigma")]
    [InlineData(-0.05, 0.1, 0.0, 0.0, 0.2, "a")]
    public void InvalidParametersNameTheField(double a, double b, double rho, double m, double sigma, string field)
    {
        var ex = Assert.Throws<DataValidationException>(() => new SviParameters(a, b, rho, m, sigma).Validate());
        Assert.Equal(field, ex.Field);
    }
}
