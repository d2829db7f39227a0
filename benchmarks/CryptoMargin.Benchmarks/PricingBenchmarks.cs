using BenchmarkDotNet.Attributes;
using CryptoMargin.Pricing;

namespace CryptoMargin.Benchmarks;

/// <summary>
/// Black-76 kernels: one price, one price with all Greeks, a coin-settled (Deribit inverse) evaluation, and a batch of
/// 1,024 options (seeded strikes from 0.5F to 2F, expiries a day to two years, 20% to 150% vol, mixed calls and puts)
/// priced and priced with Greeks; the batch benchmarks declare OperationsPerInvoke = 1,024, so their figures are per option.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class PricingBenchmarks
{
    private const int N = 1024;
    private readonly double[] _f = new double[N], _k = new double[N], _t = new double[N], _s = new double[N], _price = new double[N];
    private readonly OptionType[] _type = new OptionType[N];
    private readonly OptionGreeks[] _greeks = new OptionGreeks[N];
    private int _i;

    [GlobalSetup]
    public void Setup() => OptionGrid.Fill(_f, _k, _t, _s, _type);

    private int Next() => _i = (_i + 1) & (N - 1);

    [Benchmark]
    public double Price()
    {
        int i = Next();
        return Black76.Price(_f[i], _k[i], _t[i], _s[i], _type[i]);
    }

    [Benchmark]
    public OptionGreeks PriceAndGreeks()
    {
        int i = Next();
        return Black76.Greeks(_f[i], _k[i], _t[i], _s[i], _type[i]);
    }

    [Benchmark]
    public InverseOptionGreeks InverseGreeks()
    {
        int i = Next();
        return InverseOption.Greeks(_f[i], _k[i], _t[i], _s[i], _type[i]);
    }

    [Benchmark(OperationsPerInvoke = N)]
    public void BatchPrice() => Black76Batch.Price(_f, _k, _t, _s, _type, _price);

    [Benchmark(OperationsPerInvoke = N)]
    public void BatchGreeks() => Black76Batch.Greeks(_f, _k, _t, _s, _type, _greeks);
}
