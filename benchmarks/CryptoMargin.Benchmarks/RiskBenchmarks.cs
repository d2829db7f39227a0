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

    [GlobalSetup]
    public void Setup()
    {
        _returns = GarchFitBenchmarks.BtcLogReturns(4588);
        // Yesterday's fit (all but the last return) warm-starts today's.
        var yesterday = ReturnModel.Fit(_returns.AsSpan(0, _returns.Length - 1), GarchT);
        _warm = new ReturnModelFitOptions { InitialParameters = yesterday.Parameters };
        var fit = ReturnModel.Fit(_returns, GarchT);
        _p = fit.Parameters;
        _next = fit.NextVariance;
        var h = ReturnModel.ConditionalVariances(_returns, GarchT, _p);
        _residuals = new double[_returns.Length];
        for (int t = 0; t < _returns.Length; t++) _residuals[t] = (_returns[t] - _p.Mu) / Math.Sqrt(h[t]);
    }

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

    [Benchmark(Description = "parametric t VaR/ES one day (quantile + Gauss–Kronrod ES)")]
    public RiskEstimate StudentTOneDay() => ParametricRisk.StudentT(0.002, 0.05, 3.5, 0.99, PositionSide.Long);
}
