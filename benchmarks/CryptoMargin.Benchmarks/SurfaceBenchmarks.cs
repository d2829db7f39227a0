using BenchmarkDotNet.Attributes;
using CryptoMargin.Surfaces;

namespace CryptoMargin.Benchmarks;

/// <summary>
/// Volatility-surface calibration on synthetic crypto-like data with seeded noise (0.3 vol points): one raw-SVI slice
/// of 30 quotes by the quasi-explicit method, one inner (a, d, c) solve of that method, and an SSVI fit of a whole
/// chain of 10 expiries × 30 quotes, plus the 1,001-point butterfly/calendar check of the fitted SSVI surface.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class SurfaceBenchmarks
{
    private static readonly double[] ExpiryDays = [7, 14, 30, 60, 91, 120, 182, 273, 365, 547];

    private VolSlice _slice = null!;
    private List<VolSlice> _chain = [];
    private double[] _k = [], _w = [], _omega = [];
    private SurfaceSlice[] _ssviSlices = [];

    [GlobalSetup]
    public void Setup()
    {
        var rng = new Random(2024);
        double Noise() => 0.003 * Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
        var svi = new SviParameters(0.02, 0.12, 0.25, -0.05, 0.15);
        const double t = 0.25;
        var k = new double[30];
        var vol = new double[30];
        for (int i = 0; i < 30; i++)
        {
            k[i] = -0.6 + 1.2 * i / 29;
            vol[i] = svi.ImpliedVolatility(k[i], t) + Noise();
        }
        _slice = new VolSlice(t, 90_000, k, vol);
        _k = k;
        _w = vol.Select(v => v * v * t).ToArray();
        _omega = vol.Select(v => 1 / (4 * v * v * t * t)).ToArray();

        var ssvi = new SsviParameters(-0.3, 1.1, 0.4);
        foreach (double days in ExpiryDays)
        {
            double tt = days / 365, atm = 0.5 + 0.1 * Math.Sqrt(tt), theta = atm * atm * tt, half = 3.5 * Math.Sqrt(theta);
            var kk = new double[30];
            var vv = new double[30];
            for (int i = 0; i < 30; i++)
            {
                kk[i] = -half + 2 * half * i / 29;
                vv[i] = Math.Sqrt(ssvi.TotalVariance(kk[i], theta) / tt) + Noise();
            }
            _chain.Add(new VolSlice(tt, 90_000, kk, vv));
        }
        _ssviSlices = SsviCalibration.Fit(_chain).Slices();
    }

    [Benchmark]
    public SviFit SviSlice30Quotes() => SviCalibration.Fit(_slice);

    [Benchmark]
    public double SviInnerSolve() => SviQuasiExplicit.Solve(_k, _w, _omega, 0.0, 0.2, out _, out _, out _);

    [Benchmark]
    public SsviFit SsviChain10x30() => SsviCalibration.Fit(_chain);

    [Benchmark]
    public ArbitrageReport ArbitrageCheck10Slices() => SurfaceArbitrage.Check(_ssviSlices);
}
