using CryptoMargin.Dynamics;
using CryptoMargin.Risk;
using MathNet.Numerics.Distributions;

namespace CryptoMargin.Tests.Risk;

public class FilteredHistoricalSimulationTests
{
    private static readonly ReturnModelSpec Garch = new(VolatilityModel.Garch, InnovationDistribution.StudentT, MeanModel.Constant);

    private static double[] Residuals(int n, int seed)
    {
        var z = new double[n];
        StudentT.Samples(new Random(seed), z, 0, Math.Sqrt(3.0 / 5.0), 5); // unit variance
        return z;
    }

    [Theory]
    [InlineData(PositionSide.Long)]
    [InlineData(PositionSide.Short)]
    public void OneDayIidModelEqualsHistoricalSimulationOfRescaledResiduals(PositionSide side)
    {
        var z = Residuals(1500, 1);
        const double mu = 0.0005, sigma2 = 0.0016;
        var p = new ReturnModelParameters(mu, sigma2, 0, 0, 0, 5, 0); // α = β = 0: i.i.d., h = ω
        var fhs = FilteredHistoricalSimulation.Estimate(z, Garch, p, sigma2, 1, 0.99, side, paths: 10, seed: 1);
        var hs = HistoricalSimulation.Estimate(z.Select(x => mu + Math.Sqrt(sigma2) * x).ToArray(), 1, 0.99, side);
        Assert.Equal(hs.ValueAtRisk, fhs.ValueAtRisk, 14);
        Assert.Equal(hs.ExpectedShortfall, fhs.ExpectedShortfall, 14);
    }

    [Fact]
    public void TwoDayIidModelConvergesToTheExactBootstrapDistribution()
    {
        // With α = β = 0 a 2-day path is μ·2 + σ(z_i + z_j), (i, j) uniform: enumerate all n² pairs for the truth.
        var z = Residuals(300, 2);
        const double mu = 0.0, sigma2 = 0.0025, c = 0.99;
        var p = new ReturnModelParameters(mu, sigma2, 0, 0, 0, 5, 0);
        var pairs = new List<double>(z.Length * z.Length);
        foreach (var a in z) foreach (var b in z) pairs.Add(1 - Math.Exp(0.05 * (a + b)));
        pairs.Sort();
        int k = (int)Math.Ceiling(c * pairs.Count);
        double var = pairs[k - 1], es = pairs.Skip(k - 1).Average();
        var fhs = FilteredHistoricalSimulation.Estimate(z, Garch, p, sigma2, 2, c, PositionSide.Long, paths: 400_000, seed: 7);
        Assert.Equal(var, fhs.ValueAtRisk, var * 0.02);
        Assert.Equal(es, fhs.ExpectedShortfall, es * 0.02);
    }

    [Fact]
    public void VolatilityFeedbackRaisesMultiDayRisk()
    {
        // Same h_{n+1} and persistence-0 vs GARCH feedback with α = 0.2: shocks on day 1 raise day 2's variance.
        var z = Residuals(2000, 3);
        var iid = new ReturnModelParameters(0, 0.0004, 0, 0, 0, 5, 0);
        var feedback = new ReturnModelParameters(0, 0.0004 * 0.2, 0.2, 0, 0.6, 5, 0); // same unconditional variance
        var a = FilteredHistoricalSimulation.Estimate(z, Garch, iid, 0.0004, 5, 0.99, PositionSide.Long, 50_000, 1);
        var b = FilteredHistoricalSimulation.Estimate(z, Garch, feedback, 0.0004, 5, 0.99, PositionSide.Long, 50_000, 1);
        Assert.True(b.ExpectedShortfall > a.ExpectedShortfall, $"{b.ExpectedShortfall} vs {a.ExpectedShortfall}");
    }

    [Fact]
    public void SameSeedSameBitsOtherSeedOtherDraws()
    {
        var z = Residuals(1000, 4);
        var p = new ReturnModelParameters(0.001, 2e-5, 0.1, 0, 0.85, 5, 0);
        var a = FilteredHistoricalSimulation.Estimate(z, Garch, p, 0.001, 2, 0.99, PositionSide.Long, 10_000, 42);
        var b = FilteredHistoricalSimulation.Estimate(z, Garch, p, 0.001, 2, 0.99, PositionSide.Long, 10_000, 42);
        var c = FilteredHistoricalSimulation.Estimate(z, Garch, p, 0.001, 2, 0.99, PositionSide.Long, 10_000, 43);
        Assert.Equal(BitConverter.DoubleToInt64Bits(a.ValueAtRisk), BitConverter.DoubleToInt64Bits(b.ValueAtRisk));
        Assert.Equal(BitConverter.DoubleToInt64Bits(a.ExpectedShortfall), BitConverter.DoubleToInt64Bits(b.ExpectedShortfall));
        Assert.NotEqual(a.ExpectedShortfall, c.ExpectedShortfall);
    }
}
