using System.Globalization;
using BenchmarkDotNet.Attributes;
using CryptoMargin.Dynamics;

namespace CryptoMargin.Benchmarks;

/// <summary>
/// GARCH(1,1)-t with constant mean on 3,000 daily BTC-USD log returns: the last 3,001 closes of
/// samples/data/btc-usd-daily.csv (2017-09-03 … 2025-11-20). Target: a whole fit under 10 ms on one core;
/// the likelihood-and-gradient evaluation allocation-free.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class GarchFitBenchmarks
{
    private static readonly ReturnModelSpec GarchT = new(VolatilityModel.Garch, InnovationDistribution.StudentT);
    private static readonly ReturnModelFitOptions OneStart = new() { OptimizedStarts = 1 };

    private static readonly ReturnModelSpec FGarchStart = new() { Start = VarianceStart.FGarch };

    private double[] _returns = [];
    private double[] _demGbp = [];
    private double[] _gradient = new double[ReturnModelLikelihood.Count];
    private ReturnModelParameters _point;

    [GlobalSetup]
    public void Setup()
    {
        _returns = BtcLogReturns(3000);
        _demGbp = Column("dem2gbp.csv", "dem2gbp_pct_return");
        _point = new ReturnModelParameters(0.0008, 1.35e-5, 0.075, 0, 0.92, 3.2, 0);
    }

    [Benchmark(Description = "Fit GARCH(1,1)-t, n=3000 (2 optimized starts, default)")]
    public ReturnModelFit Fit() => ReturnModel.Fit(_returns, GarchT);

    [Benchmark(Description = "Fit GARCH(1,1)-t, n=3000 (1 optimized start)")]
    public ReturnModelFit FitOneStart() => ReturnModel.Fit(_returns, GarchT, OneStart);

    [Benchmark(Description = "Fit GARCH(1,1)-t, n=3000, fGarch start (peer comparison)")]
    public ReturnModelFit FitFGarchStart() => ReturnModel.Fit(_returns, GarchT with { Start = VarianceStart.FGarch });

    [Benchmark(Description = "Fit GARCH(1,1)-Normal DEM/GBP n=1974, fGarch start (peer comparison)")]
    public ReturnModelFit FitDemGbpNormal() => ReturnModel.Fit(_demGbp, FGarchStart);

    [Benchmark(Description = "Fit GARCH(1,1)-Normal, n=3000, fGarch start (peer comparison)")]
    public ReturnModelFit FitNormalFGarchStart() => ReturnModel.Fit(_returns, FGarchStart);

    [Benchmark(Description = "Fit GARCH(1,1)-t DEM/GBP n=1974, fGarch start (peer comparison)")]
    public ReturnModelFit FitDemGbpT() => ReturnModel.Fit(_demGbp, GarchT with { Start = VarianceStart.FGarch });

    [Benchmark(Description = "log-likelihood + analytic gradient, n=3000")]
    public double LogLikelihoodAndGradient() => ReturnModelLikelihood.Evaluate(_returns, GarchT, _point, _gradient);

    [Benchmark(Description = "log-likelihood only, n=3000")]
    public double LogLikelihoodOnly() => ReturnModelLikelihood.Evaluate(_returns, GarchT, _point, default);

    internal static double[] Column(string file, string name)
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "CryptoMargin.slnx"))) dir = dir.Parent;
        string root = dir?.FullName ?? Directory.GetCurrentDirectory();
        var lines = File.ReadAllLines(Path.Combine(root, "samples", "data", file));
        int column = Array.IndexOf(lines[0].Split(','), name);
        return lines.Skip(1).Where(l => l.Length > 0)
            .Select(l => double.Parse(l.Split(',')[column], CultureInfo.InvariantCulture)).ToArray();
    }

    internal static double[] BtcLogReturns(int count)
    {
        var close = Column("btc-usd-daily.csv", "close");
        var last = close[^(count + 1)..];
        var r = new double[count];
        for (int i = 0; i < count; i++) r[i] = Math.Log(last[i + 1] / last[i]);
        return r;
    }
}
