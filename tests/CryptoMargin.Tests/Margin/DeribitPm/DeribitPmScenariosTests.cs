using CryptoMargin.Margin.DeribitPm;

namespace CryptoMargin.Tests.Margin.DeribitPm;

public class DeribitPmScenariosTests
{
    private static readonly DeribitPmParameters P = DeribitPmParameters.Default;

    [Fact]
    public void NinePricePointsEvenlySpacedAndSymmetricAroundZero()
    {
        // Deribit support, "Portfolio Margin": ±16% "broken down into 9 evenly spaced buckets … including a bucket for zero".
        Assert.Equal(27, P.StandardScenarioCount);
        double[] expected = [-0.16, -0.12, -0.08, -0.04, 0, 0.04, 0.08, 0.12, 0.16];
        for (int b = 0; b < 9; b++)
        {
            Assert.Equal(expected[b], DeribitPmScenarios.PriceShock(b, P), 1e-15);
            Assert.Equal(-DeribitPmScenarios.PriceShock(8 - b, P), DeribitPmScenarios.PriceShock(b, P), 1e-15);
        }
        for (int j = 0; j < 27; j++)
        {
            Assert.Equal(expected[j / 3], DeribitPmScenarios.StandardPriceShock(j, P), 1e-15);
            Assert.Equal((VolScenario)(j % 3), DeribitPmScenarios.StandardVolScenario(j, P));
        }
        var five = P with { BucketsCount = 5, PriceRange = 0.2 };
        Assert.Equal(33, five.StandardScenarioCount);
        Assert.Equal(-0.2, DeribitPmScenarios.PriceShock(0, five), 1e-15);
        Assert.Equal(0.04, DeribitPmScenarios.PriceShock(6, five), 1e-15);
    }

    [Theory]
    [InlineData(2.0)]
    [InlineData(7.0)]
    [InlineData(15.0)]
    [InlineData(60.0)]
    [InlineData(180.0)]
    [InlineData(365.0)]
    public void VolShocksScaleWithDaysToExpiryAsTheLawSays(double dte)
    {
        // IV·(1 + k·(30/DTE)^p), p = 0.3 below 30 days and 0.13 above (Deribit simulate example parameters). Recover k and
        // p from the shocks at DTE and 30 days: (shock(DTE)/shock(30)) = (30/DTE)^p.
        double sigma = 0.8; // above min_volatility_for_shock_up so the floor does not bind
        double up = DeribitPmScenarios.ShockedVolatility(sigma, dte, VolScenario.Up, P) / sigma - 1;
        double down = 1 - DeribitPmScenarios.ShockedVolatility(sigma, dte, VolScenario.Down, P) / sigma;
        double up30 = DeribitPmScenarios.ShockedVolatility(sigma, 30, VolScenario.Up, P) / sigma - 1;
        double down30 = 1 - DeribitPmScenarios.ShockedVolatility(sigma, 30, VolScenario.Down, P) / sigma;
        Assert.Equal(0.5, up30, 1e-14);
        Assert.Equal(0.25, down30, 1e-14);
        double p = dte < 30 ? 0.3 : 0.13;
        Assert.Equal(p, Math.Log(up / up30) / Math.Log(30 / dte), 1e-12);
        Assert.Equal(p, Math.Log(down / down30) / Math.Log(30 / dte), 1e-12);
        Assert.Equal(sigma, DeribitPmScenarios.ShockedVolatility(sigma, dte, VolScenario.None, P));
        // Shorter expiries get larger shocks.
        Assert.True(dte < 30 ? up > up30 : up < up30);
    }

    [Fact]
    public void UpShockIsFlooredAtMinVolatilityAndDownShockAtZero()
    {
        // A 20% vol at one year shocks up to 0.2·(1 + 0.5·(30/365)^0.13) ≈ 0.272 < 0.5: the floor min_volatility_for_shock_up binds.
        Assert.Equal(0.5, DeribitPmScenarios.ShockedVolatility(0.2, 365, VolScenario.Up, P));
        // At the 1-day floor of DTE the down factor is 0.25·30^0.3 ≈ 0.69 < 1; with k_down = 0.5 it exceeds 1 and the vol floors at 0.
        var steep = P with { VolatilityRangeDown = 0.5 };
        Assert.Equal(0, DeribitPmScenarios.ShockedVolatility(0.6, 0.01, VolScenario.Down, steep));
        // DTE below min_days_to_expiry is treated as min_days_to_expiry.
        Assert.Equal(DeribitPmScenarios.TermFactor(1, P), DeribitPmScenarios.TermFactor(0.1, P));
        Assert.Equal(Math.Pow(30, 0.3), DeribitPmScenarios.TermFactor(1, P), 1e-12);
    }

    [Fact]
    public void ExtendedWeightMakesALinearTailLossEqualTheEdgeOfTheTable()
    {
        // weight·|m| = price_range·extended_table_factor for every move: a linear position's weighted tail loss equals its
        // loss at ±price_range.
        foreach (var m in P.ExtendedMoves)
            Assert.Equal(P.PriceRange, DeribitPmScenarios.ExtendedWeight(m, P) * Math.Abs(m), 1e-15);
        Assert.Equal(2 * DeribitPmScenarios.ExtendedWeight(5, P), DeribitPmScenarios.ExtendedWeight(5, P with { ExtendedTableFactor = 2 }), 1e-15);
    }

    [Fact]
    public void ScenarioNamesSayTheMoveAndTheVol()
    {
        Assert.Equal("price -16% vol down", DeribitPmScenarios.StandardName(0, P));
        Assert.Equal("price 0% vol none", DeribitPmScenarios.StandardName(13, P));
        Assert.Equal("price +16% vol up", DeribitPmScenarios.StandardName(26, P));
        Assert.Equal("extended -66% vol up", DeribitPmScenarios.ExtendedName(0, P));
        Assert.Equal("extended +500% vol up", DeribitPmScenarios.ExtendedName(7, P));
    }
}
