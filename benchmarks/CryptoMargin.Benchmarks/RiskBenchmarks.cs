using BenchmarkDotNet.Attributes;
using CryptoMargin.Dynamics;
using CryptoMargin.Risk;

namespace CryptoMargin.Benchmarks;

/// <summary>
/// The kernels of a rolling margin backtest on all 4,588 daily BTC-USD log returns (samples/data/btc-usd-daily.csv):
/// one day's FHS VaR (GARCH(1,1)-t residuals, h = 2, 10,000 paths) and one rolling GARCH update (the daily variance
/// step, and a re-fit warm-started from the previous day's parameters, against a cold fit).
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class RiskBenchmarks
{
    private static readonly ReturnModelSpec GarchT = new(VolatilityModel.Garch, InnovationDistribution.StudentT);

    private double[] _returns = [];
    private double[] _residuals = [];
    private ReturnModelParameters _p;
    private double _next;
    private ReturnModelFitOptions _warm = new();
    private readonly ReturnModelFitOptions _options = new();
    private ReturnModelParameters _yesterday1000, _yesterday4588;
    private double[] _curvature1000 = [], _curvature4588 = [], _work = [];

    [GlobalSetup]
    public void Setup()
    {
        _returns = GarchFitBenchmarks.BtcLogReturns(4588);
        // Yesterday's fit (all but the last return) warm-starts today's.
        var yesterday = ReturnModel.Fit(_returns.AsSpan(0, _returns.Length - 1), GarchT);
        _warm = new ReturnModelFitOptions { InitialParameters = yesterday.Parameters };
        (_yesterday1000, _curvature1000) = Yesterday(1000);
        (_yesterday4588, _curvature4588) = Yesterday(_returns.Length - 2);
        _work = new double[_curvature1000.Length];
        var fit = ReturnModel.Fit(_returns, GarchT);
        _p = fit.Parameters;
        _next = fit.NextVariance;
        var h = ReturnModel.ConditionalVariances(_returns, GarchT, _p);
        _residuals = new double[_returns.Length];
        for (int t = 0; t < _returns.Length; t++) _residuals[t] = (_returns[t] - _p.Mu) / Math.Sqrt(h[t]);
    }

    /// <summary>The rolling engine's state after yesterday's re-fit of a window of <paramref name="length"/> days ending yesterday.</summary>
    private (ReturnModelParameters, double[]) Yesterday(int length)
    {
        int end = _returns.Length - 1; // today's window is the last `length` returns; yesterday's ends one day earlier
        var before = ReturnModel.Fit(_returns.AsSpan(end - length - 1, length), GarchT);
        var curvature = new double[ReturnModel.InverseHessianLength(GarchT)];
        if (!ReturnModel.TryRefit(_returns.AsSpan(end - length, length), GarchT, before.Parameters, curvature, _options, out var p, out _))
            throw new InvalidOperationException("setup re-fit did not converge");
        return (p, curvature);
    }

    private double LeanRefit(int length, in ReturnModelParameters yesterday, double[] curvature)
    {
        curvature.CopyTo(_work, 0);
        ReturnModel.TryRefit(_returns.AsSpan(_returns.Length - length), GarchT, yesterday, _work, _options, out _, out double next);
        return next;
    }

    [Benchmark(Description = "rolling GARCH: lean daily re-fit GARCH(1,1)-t, 1,000-day window (yesterday's estimate and curvature)")]
    public double LeanRefit1000() => LeanRefit(1000, _yesterday1000, _curvature1000);

    [Benchmark(Description = "rolling GARCH: lean daily re-fit GARCH(1,1)-t, 4,586-day window (yesterday's estimate and curvature)")]
    public double LeanRefit4586() => LeanRefit(_returns.Length - 2, _yesterday4588, _curvature4588);

    [Benchmark(Description = "FHS VaR/ES one day: h=2, 10,000 paths, 4,588 residuals")]
    public RiskEstimate FhsOneDay() =>
        FilteredHistoricalSimulation.Estimate(_residuals, GarchT, _p, _next, 2, 0.99, PositionSide.Long, 10_000, 1);

    [Benchmark(Description = "rolling GARCH: daily variance update (one recursion step)")]
    public double DailyVarianceUpdate()
    {
        double e = _returns[^1] - _p.Mu;
        return _p.Omega + _p.Alpha * e * e + _p.Beta * _next;
    }

    [Benchmark(Description = "rolling GARCH: re-fit GARCH(1,1)-t n=4588, warm start from yesterday")]
    public ReturnModelFit WarmRefit() => ReturnModel.Fit(_returns, GarchT, _warm);

    [Benchmark(Description = "rolling GARCH: re-fit GARCH(1,1)-t n=4588, cold (default 2 starts)")]
    public ReturnModelFit ColdRefit() => ReturnModel.Fit(_returns, GarchT);

    [Benchmark(Description = "parametric t VaR/ES one day (Newton quantile + tanh-sinh ES)")]
    public RiskEstimate StudentTOneDay() => ParametricRisk.StudentT(0.002, 0.05, 3.5, 0.99, PositionSide.Long);
}
