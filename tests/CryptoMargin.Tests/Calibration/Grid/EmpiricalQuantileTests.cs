using CryptoMargin.Calibration.Grid;
using MathNet.Numerics.Distributions;
using MathNet.Numerics.Statistics;

namespace CryptoMargin.Tests.Calibration.Grid;

public class EmpiricalQuantileTests
{
    [Theory]
    [InlineData(0.0)]
    [InlineData(0.01)]
    [InlineData(0.25)]
    [InlineData(0.5)]
    [InlineData(0.9)]
    [InlineData(0.99)]
    [InlineData(1.0)]
    public void EqualsMathNetsR7Definition(double p)
    {
        var rng = new Random(7);
        foreach (int n in new[] { 1, 2, 5, 17, 234 })
        {
            var x = Enumerable.Range(0, n).Select(_ => rng.NextDouble() * 3 - 1).ToArray();
            Assert.Equal(Statistics.QuantileCustom(x, p, QuantileDefinition.R7), EmpiricalQuantile.Of(x, p), 1e-14);
        }
    }

    [Theory]
    [InlineData(0.99)]
    [InlineData(0.01)]
    [InlineData(0.95)]
    public void ConvergesToTheQuantileOfAKnownDistribution(double p)
    {
        // Student-t(4) sample: the sample quantile's standard error is √(p(1−p)/n)/f(q) (e.g. Serfling 1980, §2.3.3).
        const int n = 200_000;
        var rng = new Random(11);
        var x = new double[n];
        for (int i = 0; i < n; i++) x[i] = StudentT.Sample(rng, 0, 1, 4);
        double q = StudentT.InvCDF(0, 1, 4, p);
        double se = Math.Sqrt(p * (1 - p) / n) / StudentT.PDF(0, 1, 4, q);
        Assert.InRange(EmpiricalQuantile.Of(x, p), q - 4 * se, q + 4 * se);
    }

    [Fact]
    public void RejectsNaNAndBadProbabilities()
    {
        Assert.Throws<ArgumentException>(() => EmpiricalQuantile.Of([1, double.NaN], 0.5));
        Assert.Throws<ArgumentOutOfRangeException>(() => EmpiricalQuantile.Of([1, 2], 1.5));
        Assert.True(double.IsNaN(EmpiricalQuantile.OfSorted([], 0.5)));
    }
}
