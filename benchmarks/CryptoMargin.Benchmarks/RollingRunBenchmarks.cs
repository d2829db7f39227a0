using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using CryptoMargin.Risk;

namespace CryptoMargin.Benchmarks;

/// <summary>
/// Whole rolling runs as <c>cryptomargin calibrate</c> makes them (daily re-estimation, 99% and 95% outputs for both
/// sides in one pass, FHS with the calibration's 5,000 paths): all 4,588 BTC-USD daily returns, figures from day 1,000
/// on (3,588 days), 1,000-day lookback. One thread each; a calibration runs about 120 of them per asset over 2 cores.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 5)]
public class RollingRunBenchmarks
{
    private const int FirstDay = 1000;
    private double[] _returns = [];
    private static readonly (double, PositionSide)[] Outputs =
        [(0.99, PositionSide.Long), (0.99, PositionSide.Short), (0.95, PositionSide.Long), (0.95, PositionSide.Short)];

    [GlobalSetup]
    public void Setup() => _returns = GarchFitBenchmarks.BtcLogReturns(4588);

    private RiskSeries[] Run(RiskMethod method, double? lambda = null) =>
        RollingRisk.Compute(_returns, new RiskSpec { Method = method, LookbackDays = 1000, Lambda = lambda, Paths = 5_000 }, Outputs, FirstDay, 1);

    [Benchmark(Description = "rolling fhs, GARCH(1,1)-t re-fitted daily, 5,000 paths, 4 outputs")]
    public RiskSeries[] Fhs() => Run(RiskMethod.FilteredHistorical);

    [Benchmark(Description = "rolling t, EWMA λ=0.99 with ν re-fitted daily, 4 outputs")]
    public RiskSeries[] EwmaT() => Run(RiskMethod.StudentT, 0.99);

    [Benchmark(Description = "rolling t, GARCH(1,1)-t re-fitted daily, 4 outputs")]
    public RiskSeries[] GarchT() => Run(RiskMethod.StudentT);

    [Benchmark(Description = "rolling evt (GPD by MLE each day), 4 outputs")]
    public RiskSeries[] Evt() => Run(RiskMethod.Evt);

    [Benchmark(Description = "rolling hs, 4 outputs")]
    public RiskSeries[] Hs() => Run(RiskMethod.Historical);
}
