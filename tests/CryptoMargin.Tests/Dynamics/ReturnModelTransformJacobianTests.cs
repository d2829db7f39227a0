using CryptoMargin.Dynamics;
using MathNet.Numerics.LinearAlgebra;

namespace CryptoMargin.Tests.Dynamics;

/// <summary>The θ ↔ natural map as the Bayesian fit uses it: round trip, support, log-Jacobian.</summary>
public class ReturnModelTransformJacobianTests
{
    private static readonly ReturnModelSpec GjrT = new(VolatilityModel.Gjr, InnovationDistribution.StudentT);

    [Fact]
    public void RoundTripsNaturalParameters()
    {
        var t = new ReturnModelTransform(GjrT, 0.03);
        var p = new ReturnModelParameters(4e-4, 2e-5, 0.04, 0.1, 0.87, 5.5, 0);
        var theta = new double[t.Dimension];
        t.FromNaturalInterior(p, theta);
        var back = t.ToNatural(theta, out _);
        Assert.Equal(p.Mu, back.Mu, 15);
        Assert.Equal(p.Omega, back.Omega, 15);
        Assert.Equal(p.Alpha, back.Alpha, 12);
        Assert.Equal(p.Gamma, back.Gamma, 12);
        Assert.Equal(p.Beta, back.Beta, 12);
        Assert.Equal(p.Nu, back.Nu, 10);
    }

    [Fact]
    public void AnyThetaGivesAStationaryModel()
    {
        var t = new ReturnModelTransform(GjrT, 1.0);
        var rng = new Random(8);
        var theta = new double[t.Dimension];
        for (int k = 0; k < 1000; k++)
        {
            for (int i = 0; i < theta.Length; i++) theta[i] = 10 * (rng.NextDouble() - 0.5);
            var p = t.ToNatural(theta, out double logJ);
            Assert.True(p.Omega > 0 && p.Alpha > 0 && p.Gamma > 0 && p.Beta > 0 && p.Nu > 2);
            Assert.True(p.Persistence(VolatilityModel.Gjr) < 1);
            Assert.False(double.IsNaN(logJ));
        }
    }

    [Fact]
    public void BoundaryPointsMapInsideTheSupport()
    {
        // An integrated maximum-likelihood fit (α + β = 1, γ = 0) must still start a chain at a finite θ.
        var t = new ReturnModelTransform(GjrT, 0.03);
        var theta = new double[t.Dimension];
        t.FromNaturalInterior(new ReturnModelParameters(1e-3, 2e-5, 0.12, 0, 0.88, 3.1, 0), theta);
        Assert.All(theta, x => Assert.True(double.IsFinite(x)));
        var back = t.ToNatural(theta);
        Assert.True(back.Persistence(VolatilityModel.Gjr) < 1);
        Assert.Equal(0.12, back.Alpha, 5);
        Assert.Equal(0.88, back.Beta, 5);
    }

    [Theory]
    [InlineData(VolatilityModel.Gjr, InnovationDistribution.StudentT, MeanModel.Constant)]
    [InlineData(VolatilityModel.Garch, InnovationDistribution.Normal, MeanModel.Zero)]
    public void LogJacobianMatchesFiniteDifferenceDeterminant(VolatilityModel vol, InnovationDistribution dist, MeanModel mean)
    {
        var spec = new ReturnModelSpec(vol, dist, mean);
        var t = new ReturnModelTransform(spec, 0.02);
        int d = t.Dimension;
        var theta = new double[d];
        var rng = new Random(5);
        for (int i = 0; i < d; i++) theta[i] = rng.NextDouble() - 0.5;
        t.ToNatural(theta, out double logJ);

        // Central differences of the natural parameters (those the model has, in Names order) with respect to θ.
        var jac = Matrix<double>.Build.Dense(d, d);
        const double h = 1e-6;
        for (int j = 0; j < d; j++)
        {
            var up = (double[])theta.Clone();
            var down = (double[])theta.Clone();
            up[j] += h;
            down[j] -= h;
            var pu = t.ToNatural(up, out _);
            var pd = t.ToNatural(down, out _);
            for (int i = 0; i < d; i++) jac[i, j] = (t.Value(pu, i) - t.Value(pd, i)) / (2 * h);
        }
        Assert.Equal(Math.Log(Math.Abs(jac.Determinant())), logJ, 5);
    }
}
