using BenchmarkDotNet.Attributes;
using CryptoMargin.Pricing;

namespace CryptoMargin.Benchmarks;

/// <summary>
/// The vectorised Black-76 batch against a loop of scalar calls over the same 4,096 options (seeded: strikes 0.5F…2F,
/// expiries a day to two years, 20%…150% vol, mixed calls and puts; the shape of a portfolio-margin revaluation, one
/// option under one price × vol scenario per item): price only, and price with all six Greeks into seven columns.
/// OperationsPerInvoke = 4,096, so every figure is per option.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class Black76BatchBenchmarks
{
    private const int N = 4096;
    private readonly double[] _f = new double[N], _k = new double[N], _t = new double[N], _s = new double[N];
    private readonly double[] _price = new double[N], _delta = new double[N], _gamma = new double[N], _vega = new double[N],
        _theta = new double[N], _vanna = new double[N], _volga = new double[N];
    private readonly OptionType[] _type = new OptionType[N];

    [GlobalSetup]
    public void Setup() => OptionGrid.Fill(_f, _k, _t, _s, _type);

    [Benchmark(OperationsPerInvoke = N, Baseline = true)]
    public void ScalarPrice()
    {
        for (int i = 0; i < N; i++)
            _price[i] = Black76.Price(_f[i], _k[i], _t[i], _s[i], _type[i]);
    }

    [Benchmark(OperationsPerInvoke = N)]
    public void BatchPrice() => Black76Batch.Price(_f, _k, _t, _s, _type, _price);

    [Benchmark(OperationsPerInvoke = N)]
    public void ScalarGreeks()
    {
        for (int i = 0; i < N; i++)
        {
            var g = Black76.Greeks(_f[i], _k[i], _t[i], _s[i], _type[i]);
            _price[i] = g.Price; _delta[i] = g.Delta; _gamma[i] = g.Gamma; _vega[i] = g.Vega;
            _theta[i] = g.Theta; _vanna[i] = g.Vanna; _volga[i] = g.Volga;
        }
    }

    [Benchmark(OperationsPerInvoke = N)]
    public void BatchGreeks() =>
        Black76Batch.Greeks(_f, _k, _t, _s, _type, _price, _delta, _gamma, _vega, _theta, _vanna, _volga);
}
