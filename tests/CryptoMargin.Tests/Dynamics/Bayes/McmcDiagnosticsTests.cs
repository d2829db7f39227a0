using CryptoMargin.Dynamics.Bayes;

namespace CryptoMargin.Tests.Dynamics.Bayes;

public class McmcDiagnosticsTests
{
    private static double[] Ar1(int n, double rho, double mean, Random rng)
    {
        // x_t = ρ x_{t−1} + √(1−ρ²) e_t has unit stationary variance; start in the stationary distribution.
        var x = new double[n];
        double v = Gaussian(rng), c = Math.Sqrt(1 - rho * rho);
        for (int t = 0; t < n; t++)
        {
            v = t == 0 ? v : rho * v + c * Gaussian(rng);
            x[t] = mean + v;
        }
        return x;
    }

    private static double Gaussian(Random rng) => MathNet.Numerics.Distributions.Normal.Sample(rng, 0, 1);

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.5)]
    [InlineData(0.9)]
    public void EssOfAr1MatchesItsIntegratedAutocorrelationTime(double rho)
    {
        // For AR(1), τ = 1 + 2 Σ ρ^t = (1+ρ)/(1−ρ), so ESS/N = (1−ρ)/(1+ρ).
        var rng = new Random(42);
        var chains = Enumerable.Range(0, 4).Select(_ => Ar1(50_000, rho, 0, rng)).ToArray();
        double expected = (1 - rho) / (1 + rho);
        double ratio = McmcDiagnostics.EffectiveSampleSize(chains) / 200_000;
        double bulkRatio = McmcDiagnostics.BulkEffectiveSampleSize(chains) / 200_000;
        Assert.InRange(ratio, expected * 0.9, expected * 1.1);
        Assert.InRange(bulkRatio, expected * 0.9, expected * 1.1);
        Assert.InRange(McmcDiagnostics.SplitRhat(chains), 0.99, 1.01);
        Assert.InRange(McmcDiagnostics.RankNormalizedSplitRhat(chains), 0.99, 1.01);
    }

    [Fact]
    public void RhatFlagsChainsStuckAtDifferentMeans()
    {
        var rng = new Random(7);
        double[][] chains = [Ar1(1000, 0.5, 0, rng), Ar1(1000, 0.5, 0, rng), Ar1(1000, 0.5, 2, rng), Ar1(1000, 0.5, 2, rng)];
        Assert.True(McmcDiagnostics.SplitRhat(chains) > 1.1);
        Assert.True(McmcDiagnostics.RankNormalizedSplitRhat(chains) > 1.1);
    }

    [Fact]
    public void SplittingFlagsADriftWithinOneChain()
    {
        // One chain drifting from 0 to 3: its two halves disagree although there is no second chain.
        var rng = new Random(3);
        var chain = Enumerable.Range(0, 2000).Select(i => 3.0 * i / 2000 + 0.3 * Gaussian(rng)).ToArray();
        Assert.True(McmcDiagnostics.SplitRhat([chain]) > 1.1);
    }

    [Fact]
    public void RankNormalizedRhatFlagsChainsThatDifferOnlyInScale()
    {
        // Same mean, different spread: the means agree so plain split-R̂ misses it; the folded (tail) R̂ does not.
        var rng = new Random(11);
        var chains = Enumerable.Range(0, 4)
            .Select(j => Enumerable.Range(0, 2000).Select(_ => (j < 2 ? 1.0 : 3.0) * Gaussian(rng)).ToArray())
            .ToArray();
        Assert.True(McmcDiagnostics.SplitRhat(chains) < 1.02);
        Assert.True(McmcDiagnostics.RankNormalizedSplitRhat(chains) > 1.05);
    }

    [Fact]
    public void SplitRhatMatchesBda3FormulaWorkedByHand()
    {
        // Split halves [1,2] [3,4] [2,3] [4,5]: n = 2, m = 4, means 1.5, 3.5, 2.5, 4.5, grand mean 3;
        // B = n/(m−1)·Σ(mean−3)² = 2/3·5 = 10/3; each s² = 1/2 so W = 1/2;
        // var⁺ = (n−1)/n·W + B/n = 1/4 + 5/3 = 23/12; R̂ = √(var⁺/W) = √(23/6).
        double[][] chains = [[1, 2, 3, 4], [2, 3, 4, 5]];
        Assert.Equal(Math.Sqrt(23.0 / 6), McmcDiagnostics.SplitRhat(chains), 12);
    }

    [Fact]
    public void RejectsChainsOfUnequalLengthOrTooShort()
    {
        Assert.Throws<ArgumentException>(() => McmcDiagnostics.SplitRhat([[1, 2, 3, 4], [1, 2, 3, 4, 5]]));
        Assert.Throws<ArgumentException>(() => McmcDiagnostics.EffectiveSampleSize([[1, 2, 3]]));
        Assert.Throws<ArgumentException>(() => McmcDiagnostics.EffectiveSampleSize([[1, 2, double.NaN, 4]]));
    }
}
