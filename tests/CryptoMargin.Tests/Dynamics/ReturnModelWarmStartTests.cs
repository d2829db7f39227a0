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

    [Theory]
    [InlineData(VolatilityModel.Garch, 1000)]
    [InlineData(VolatilityModel.Garch, 250)]
    [InlineData(VolatilityModel.Gjr, 1000)]
    public void LeanRefitCarryingTheCurvatureMatchesTheFullFitDayAfterDay(VolatilityModel volatility, int window)
    {
        // A rolling window moved one day at a time, as the risk engine re-estimates: each lean re-fit starts from the
        // previous day's estimate and curvature and must land on the full fit's maximum of that day's window.
        var spec = new ReturnModelSpec(volatility, InnovationDistribution.StudentT);
        var r = SampleData.BtcLogReturns(window + 10);
        var first = ReturnModel.Fit(r.AsSpan(0, window), spec);
        var warm = first.Parameters;
        var curvature = new double[ReturnModel.InverseHessianLength(spec)];
        for (int day = 1; day <= 10; day++)
        {
            var slice = r.AsSpan(day, window);
            Assert.True(ReturnModel.TryRefit(slice, spec, warm, curvature, new ReturnModelFitOptions(), out var p, out double next), $"day {day}");
            var full = ReturnModel.Fit(slice, spec);
            double llLean = ReturnModel.LogLikelihood(slice, spec, p);
            // The lean re-fit is a maximum at least as good as the multi-start fit's, to optimizer tolerance.
            Assert.True(llLean >= full.LogLikelihood - 1e-6 * window, $"day {day}: lean {llLean} < full {full.LogLikelihood}");
            Assert.Equal(full.NextVariance, next, 1e-3 * full.NextVariance);
            warm = p;
        }
        Assert.Contains(curvature, c => c != 0);
    }

    [Fact]
    public void LeanRefitReportsFailureInsteadOfReturningAnUnconvergedPoint()
    {
        // One iteration allowed: the optimizer cannot meet the tolerance, and the caller must be told to fall back.
        var spec = new ReturnModelSpec(VolatilityModel.Garch, InnovationDistribution.StudentT);
        var r = SampleData.BtcLogReturns(1000);
        var far = new ReturnModelParameters(0, 1e-4, 0.3, 0, 0.3, 30, 0);
        Assert.False(ReturnModel.TryRefit(r, spec, far, new double[ReturnModel.InverseHessianLength(spec)],
            new ReturnModelFitOptions { MaxIterations = 1 }, out _, out _));
    }
}
