using CryptoMargin.Dynamics;

namespace CryptoMargin.Tests.Dynamics;

public class ReturnModelWarmStartTests
{
    [Fact]
    public void WarmStartFromYesterdaysFitReachesTheColdFitsMaximum()
    {
        var spec = new ReturnModelSpec(VolatilityModel.Garch, InnovationDistribution.StudentT);
        var r = SampleData.BtcLogReturns(2000);
        var yesterday = ReturnModel.Fit(r.AsSpan(0, 1999), spec);
        var cold = ReturnModel.Fit(r, spec);
        var warm = ReturnModel.Fit(r, spec, new ReturnModelFitOptions { InitialParameters = yesterday.Parameters });
        Assert.True(warm.Converged, warm.ExitCondition);
        Assert.Equal(cold.LogLikelihood, warm.LogLikelihood, 1e-6 * Math.Abs(cold.LogLikelihood));
        Assert.Equal(cold.Parameters.Alpha, warm.Parameters.Alpha, 1e-3);
        Assert.Equal(cold.Parameters.Beta, warm.Parameters.Beta, 1e-3);
        Assert.True(warm.Evaluations < cold.Evaluations, $"warm {warm.Evaluations} vs cold {cold.Evaluations} evaluations");
    }

    [Fact]
    public void WarmStartOnTheIntegratedBoundaryIsMovedInside()
    {
        // α + β = 1 exactly: the start is nudged into the open simplex instead of producing an infinite θ.
        var spec = new ReturnModelSpec(VolatilityModel.Garch, InnovationDistribution.Normal);
        var r = SampleData.BtcLogReturns(1000);
        var start = new ReturnModelParameters(0.001, 1e-5, 0.1, 0, 0.9, double.PositiveInfinity, 0);
        var fit = ReturnModel.Fit(r, spec, new ReturnModelFitOptions { InitialParameters = start });
        Assert.True(double.IsFinite(fit.LogLikelihood));
        Assert.True(fit.Parameters.Alpha + fit.Parameters.Beta < 1);
    }
}
