using BenchmarkDotNet.Attributes;
using CryptoMargin.Calibration.Grid;
using CryptoMargin.MarketData.Options;
using CryptoMargin.Pricing;

namespace CryptoMargin.Benchmarks;

/// <summary>
/// The grid calibration's kernels (calibrate-grid): sampling one chain on the 8-tenor × 5-moneyness grid (a seeded
/// synthetic chain the size of a Deribit BTC snapshot: 24 expiries × 45 strikes × call/put = 2,160 quotes), the
/// vol-shock quantiles and fits of a 236-day history over 2 days, and one k·(30/DTE)^p fit on the 8 tenors (stackalloc only).
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class GridCalibrationBenchmarks
{
    private OptionChain _chain = null!;
    private List<TenorVols> _history = null!;
    private readonly double[] _days = [.. TenorGrid.StandardDays];
    private double[] _shocks = null!;

    [GlobalSetup]
    public void Setup()
    {
        var now = new DateTimeOffset(2026, 3, 2, 9, 10, 0, TimeSpan.Zero);
        var rng = new Random(20261124);
        var quotes = new List<OptionQuote>();
        double[] expiries = [0.95, 1.95, 2.95, 3.95, 4.95, 5.95, 6.95, 11.95, 18.95, 25.95, 32.95, 46.95, 60.95, 88.95, 116.95, 151.95, 207.95, 270.95, 298.95, 389.95, 480.95, 571.95, 662.95, 753.95];
        foreach (double d in expiries)
        {
            double t = d / 365, f = 90_000 * Math.Exp(0.05 * t);
            for (int j = -22; j <= 22; j++)
            {
                double k = j * 0.04 * Math.Sqrt(Math.Max(t, 0.02) / 0.25);
                double vol = 0.45 + 0.1 * k * k - 0.05 * k + 0.01 * rng.NextDouble();
                foreach (var type in new[] { OptionType.Call, OptionType.Put })
                    quotes.Add(new OptionQuote { Instrument = $"X-{d}-{j}-{type}", Expiry = now.AddDays(d), T = t, Strike = f * Math.Exp(k), Type = type, Forward = f, MarkIv = vol });
            }
        }
        _chain = new OptionChain(now, "BTC", quotes, hasBook: false);
        _history = [];
        var logVol = new double[40];
        for (int day = 0; day < 236; day++)
        {
            _history.Add(new TenorVols(now.AddDays(day), "BTC", TenorGrid.StandardDays, TenorGrid.StandardMoneyness, [.. logVol.Select(v => 0.5 * Math.Exp(v))]));
            for (int c = 0; c < logVol.Length; c++) logVol[c] += 0.05 * (rng.NextDouble() - 0.5);
        }
        _shocks = [.. _days.Select(new TermShockLaw(0.23, 0.52, 0.68).Shock)];
    }

    [Benchmark]
    public TenorVols SampleChain() => TenorVolSampler.Sample(_chain, TenorGrid.StandardDays, TenorGrid.StandardMoneyness);

    [Benchmark]
    public VolShockCalibration CalibrateHistory() => VolShockCalibration.From(_history, 2, 0.99);

    [Benchmark]
    public double FitTermLaw() => TermShockFit.Fit(_days, _shocks).Law.K;
}
