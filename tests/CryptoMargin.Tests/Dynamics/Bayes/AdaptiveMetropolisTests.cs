using CryptoMargin.Dynamics.Bayes;
using MathNet.Numerics.LinearAlgebra;

namespace CryptoMargin.Tests.Dynamics.Bayes;

public class AdaptiveMetropolisTests
{
    // A correlated 3-D Gaussian target: means, standard deviations and correlations chosen by hand.
    private static readonly double[] Mean = [1.0, -2.0, 0.5];
    private static readonly double[] Sd = [1.0, 2.0, 0.5];
    private static readonly double[,] Correlation = { { 1, 0.8, -0.3 }, { 0.8, 1, -0.5 }, { -0.3, -0.5, 1 } };

    private static LogDensity GaussianTarget()
    {
        var cov = Matrix<double>.Build.Dense(3, 3, (i, j) => Correlation[i, j] * Sd[i] * Sd[j]);
        var precision = cov.Inverse().ToArray();
        return theta =>
        {
            double q = 0;
            for (int i = 0; i < 3; i++)
                for (int j = 0; j < 3; j++) q += (theta[i] - Mean[i]) * precision[i, j] * (theta[j] - Mean[j]);
            return -0.5 * q;
        };
    }

    // Over-dispersed starts, a few standard deviations from the mean in different directions.
    private static double[][] Starts() => [[4, 4, 2], [-2, -8, -1], [4, -8, 2], [-2, 4, -1]];

    [Fact]
    public void RecoversMomentsOfACorrelatedGaussian()
    {
        var chains = AdaptiveMetropolis.Sample(GaussianTarget(), Starts(),
            new AdaptiveMetropolisOptions { Warmup = 2000, Draws = 5000, Seed = 2024 });

        var pooled = new double[3][];
        for (int k = 0; k < 3; k++)
        {
            var traces = chains.Traces(k);
            pooled[k] = traces.SelectMany(t => t).ToArray();
            double ess = McmcDiagnostics.EffectiveSampleSize(traces);
            Assert.True(McmcDiagnostics.RankNormalizedSplitRhat(traces) < 1.05);
            Assert.True(ess > 500, $"ESS {ess} of coordinate {k}");
            double mean = pooled[k].Average();
            double sd = Math.Sqrt(pooled[k].Select(x => (x - mean) * (x - mean)).Average());
            // Monte Carlo standard error of the mean is sd/√ESS: allow 4 of them.
            Assert.InRange(mean, Mean[k] - 4 * Sd[k] / Math.Sqrt(ess), Mean[k] + 4 * Sd[k] / Math.Sqrt(ess));
            Assert.InRange(sd, 0.9 * Sd[k], 1.1 * Sd[k]);
        }
        for (int i = 0; i < 3; i++)
            for (int j = i + 1; j < 3; j++)
                Assert.InRange(MathNet.Numerics.Statistics.Correlation.Pearson(pooled[i], pooled[j]),
                    Correlation[i, j] - 0.08, Correlation[i, j] + 0.08);
        // The adapted proposal should land the acceptance rate near the 0.234 target, far from 0 or 1.
        Assert.InRange(chains.AcceptanceRate, 0.15, 0.40);
    }

    [Fact]
    public void SameSeedGivesIdenticalDrawsAndAnotherSeedDifferentOnes()
    {
        var options = new AdaptiveMetropolisOptions { Warmup = 300, Draws = 300, Seed = 5 };
        var a = AdaptiveMetropolis.Sample(GaussianTarget(), Starts(), options);
        var b = AdaptiveMetropolis.Sample(GaussianTarget(), Starts(), options);
        var c = AdaptiveMetropolis.Sample(GaussianTarget(), Starts(), options with { Seed = 6 });
        var parallel = AdaptiveMetropolis.Sample(GaussianTarget(), Starts(), options with { MaxDegreeOfParallelism = 4 });
        for (int chain = 0; chain < 4; chain++)
            for (int k = 0; k < 3; k++)
            {
                Assert.Equal(a.Trace(chain, k), b.Trace(chain, k));
                Assert.Equal(a.Trace(chain, k), parallel.Trace(chain, k));
                Assert.NotEqual(a.Trace(chain, k), c.Trace(chain, k));
            }
        // Chains get different streams, not one stream each.
        Assert.NotEqual(a.Trace(0, 0)[^1], a.Trace(1, 0)[^1]);
    }

    [Fact]
    public void KeptDrawsStayInsideASupportTheDensityDefines()
    {
        // Uniform on the unit square: every kept draw must lie inside; proposals outside are rejected.
        LogDensity square = t => t[0] is > 0 and < 1 && t[1] is > 0 and < 1 ? 0 : double.NegativeInfinity;
        var chains = AdaptiveMetropolis.Sample(square, [[0.5, 0.5], [0.2, 0.8]],
            new AdaptiveMetropolisOptions { Chains = 2, Warmup = 500, Draws = 2000, Seed = 1 });
        for (int c = 0; c < 2; c++)
            for (int i = 0; i < chains.DrawsPerChain; i++)
            {
                var x = chains.Draw(c, i);
                Assert.InRange(x[0], 0, 1);
                Assert.InRange(x[1], 0, 1);
            }
        // Uniform marginal: mean 1/2.
        Assert.InRange(chains.Traces(0).SelectMany(t => t).Average(), 0.45, 0.55);
    }

    [Fact]
    public void IterationsDoNotAllocateBeyondTheStoredDraws()
    {
        // 10,000 extra kept iterations may allocate only their storage, 10,000 × 3 doubles = 240,000 bytes.
        var target = GaussianTarget();
        var options = new AdaptiveMetropolisOptions { Warmup = 500, Draws = 1000, Seed = 3 };
        AdaptiveMetropolis.Sample(target, Starts(), options); // JIT warm-up
        long before = GC.GetAllocatedBytesForCurrentThread();
        AdaptiveMetropolis.Sample(target, Starts(), options);
        long small = GC.GetAllocatedBytesForCurrentThread() - before;
        before = GC.GetAllocatedBytesForCurrentThread();
        AdaptiveMetropolis.Sample(target, Starts(), options with { Draws = 11_000 });
        long large = GC.GetAllocatedBytesForCurrentThread() - before;
        // Slack of 16 KB for one-off runtime allocations on this thread (seen up to ~8 KB when many test classes run
        // side by side); any per-iteration allocation would add at least 40,000 × 24 bytes (the smallest object), ≈ 1 MB.
        Assert.InRange(large - small, 4 * 240_000, 4 * 240_000 + 16_000);
    }

    [Fact]
    public void RejectsBadStarts()
    {
        var target = GaussianTarget();
        Assert.Throws<ArgumentException>(() => AdaptiveMetropolis.Sample(target, [[0, 0, 0]]));
        LogDensity zero = _ => double.NegativeInfinity;
        Assert.Throws<ArgumentException>(() => AdaptiveMetropolis.Sample(zero, Starts()));
    }
}
