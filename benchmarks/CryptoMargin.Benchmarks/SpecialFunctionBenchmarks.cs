using BenchmarkDotNet.Attributes;
using CryptoMargin.Pricing;

namespace CryptoMargin.Benchmarks;

/// <summary>
/// The primitives of the implied-volatility solver, each over 4,096 arguments (seed 20251124) so that the loop overhead
/// is shared and ns per item is reported (OperationsPerInvoke = N): erfc and erfcx on [0, 8], Φ on [−10, 3], Φ⁻¹ on
/// (0, 1) log-uniform down to 1e-12, Math.Log and Math.Exp as the yardsticks, and one normalised Black evaluation over the
/// s and x the implied-volatility benchmark produces. The baseline is Math.Exp.
/// </summary>
[MemoryDiagnoser]
public class SpecialFunctionBenchmarks
{
    private const int N = 4096;
    private readonly double[] _z = new double[N], _zPhi = new double[N], _p = new double[N], _x = new double[N], _s = new double[N];

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(20251124);
        for (int i = 0; i < N; i++)
        {
            _z[i] = 8 * random.NextDouble();
            _zPhi[i] = -10 + 13 * random.NextDouble();
            double p = Math.Pow(10, -12 * random.NextDouble());
            _p[i] = random.NextDouble() < 0.5 ? p : 1 - 0.5 * p;
            double sigma = 0.005 * Math.Pow(1000, random.NextDouble()), t = 1e-4 * Math.Pow(5e4, random.NextDouble());
            _s[i] = sigma * Math.Sqrt(t);
            _x[i] = -6 * random.NextDouble() * _s[i];
        }
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = N)]
    public double Exp()
    {
        double sum = 0;
        for (int i = 0; i < N; i++) sum += Math.Exp(-_z[i]);
        return sum;
    }

    [Benchmark(OperationsPerInvoke = N)]
    public double Log()
    {
        double sum = 0;
        for (int i = 0; i < N; i++) sum += Math.Log(_p[i]);
        return sum;
    }

    [Benchmark(OperationsPerInvoke = N)]
    public double Erfc()
    {
        double sum = 0;
        for (int i = 0; i < N; i++) sum += ImpliedVolatilityKernels.Erfc(_z[i]);
        return sum;
    }

    [Benchmark(OperationsPerInvoke = N)]
    public double Erfcx()
    {
        double sum = 0;
        for (int i = 0; i < N; i++) sum += ImpliedVolatilityKernels.Erfcx(_z[i]);
        return sum;
    }

    [Benchmark(OperationsPerInvoke = N)]
    public double Phi()
    {
        double sum = 0;
        for (int i = 0; i < N; i++) sum += ImpliedVolatilityKernels.Phi(_zPhi[i]);
        return sum;
    }

    [Benchmark(OperationsPerInvoke = N)]
    public double InversePhi()
    {
        double sum = 0;
        for (int i = 0; i < N; i++) sum += ImpliedVolatilityKernels.InversePhi(_p[i]);
        return sum;
    }

    [Benchmark(OperationsPerInvoke = N)]
    public double NormalisedBlack()
    {
        double sum = 0;
        for (int i = 0; i < N; i++) sum += ImpliedVolatilityKernels.NormalisedOtmCall(_x[i], _s[i], out _, out _);
        return sum;
    }
}
