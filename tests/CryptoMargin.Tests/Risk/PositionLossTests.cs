using CryptoMargin.Risk;

namespace CryptoMargin.Tests.Risk;

public class PositionLossTests
{
    [Theory]
    [InlineData(1e-12)]
    [InlineData(-3e-9)]
    [InlineData(1e-5)]
    [InlineData(-2e-5)]
    [InlineData(4e-4)]
    [InlineData(-0.01)]
    [InlineData(0.03)]
    public void ExpMinusOneIsAccurateWhereExpMinusOneCancels(double x)
    {
        // Independent reference: the Taylor series Σ_{k≥1} x^k/k!, whose terms shrink by |x|/k; 20 terms are far
        // beyond double precision for |x| ≤ 0.03. The naive exp(x) − 1 loses about −log10|x| digits here.
        double term = x, sum = 0;
        for (int k = 1; k <= 20; k++) { sum += term; term *= x / (k + 1); }
        Assert.True(Math.Abs(PositionLoss.ExpMinusOne(x) - sum) <= 4e-16 * Math.Abs(sum), $"x = {x}: {PositionLoss.ExpMinusOne(x):R} vs {sum:R}");
    }

    [Theory]
    [InlineData(0.7)]
    [InlineData(-1.5)]
    [InlineData(-40)]
    [InlineData(5)]
    public void LargeArgumentsMatchExpMinusOneDirectly(double x) =>
        Assert.Equal(Math.Exp(x) - 1, PositionLoss.ExpMinusOne(x), 1e-15 * Math.Max(1, Math.Abs(Math.Exp(x) - 1)));

    [Theory]
    [InlineData(0.05)]
    [InlineData(-0.2)]
    public void LongAndShortLossesAreExactNegatives(double r) =>
        Assert.Equal(-PositionLoss.Of(r, PositionSide.Long), PositionLoss.Of(r, PositionSide.Short));
}
