using BenchmarkDotNet.Attributes;
using CryptoMargin.Pricing;

namespace CryptoMargin.Benchmarks;

/// <summary>
/// Implied volatility over a mixed grid of 4,096 Black-76 prices (seed 20251124): σ log-uniform in [0.005, 5],
/// t log-uniform in [1e-4, 5] years, log-moneyness uniform in ±6σ√t, calls and puts, the out-of-the-money side
/// half of the time. Every benchmark reports ns per item (OperationsPerInvoke = N). The baseline is one Black-76 price
/// per item (<see cref="Black76.Price"/>), so the ratio column reads "an implied volatility costs this many prices"
/// and stays meaningful on a shared, loaded machine.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class ImpliedVolatilityBenchmarks
{
    private const int N = 4096;
    private readonly double[] _price = new double[N], _forward = new double[N], _strike = new double[N], _t = new double[N], _vols = new double[N];
    private readonly OptionType[] _type = new OptionType[N];
    private readonly ImpliedVolatilityReason[] _reasons = new ImpliedVolatilityReason[N];

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(20251124);
        for (int i = 0; i < N; i++)
        {
            double sigma = 0.005 * Math.Pow(1000, random.NextDouble());
            double t = 1e-4 * Math.Pow(5e4, random.NextDouble());
            double z = -6 + 12 * random.NextDouble();
            _forward[i] = 50_000;
            _strike[i] = 50_000 * Math.Exp(z * sigma * Math.Sqrt(t));
            _t[i] = t;
            _type[i] = random.NextDouble() < 0.5 ? OptionType.Call : OptionType.Put;
            _sigma[i] = sigma;
            _price[i] = Black76.Price(_forward[i], _strike[i], t, sigma, _type[i]);
        }
    }

    private readonly double[] _sigma = new double[N];

    [Benchmark(Baseline = true, OperationsPerInvoke = N)]
    public double Black76Price()
    {
        double sum = 0;
        for (int i = 0; i < N; i++) sum += Black76.Price(_forward[i], _strike[i], _t[i], _sigma[i], _type[i]);
        return sum;
    }

    [Benchmark(OperationsPerInvoke = N)]
    public double Scalar()
    {
        double sum = 0;
        for (int i = 0; i < N; i++) sum += ImpliedVolatility.Solve(_price[i], _forward[i], _strike[i], _t[i], _type[i]).Volatility;
        return sum;
    }

    [Benchmark(OperationsPerInvoke = N)]
    public void Batch() => ImpliedVolatility.SolveBatch(_price, _forward, _strike, _t, _type, default, _vols, _reasons);
}
