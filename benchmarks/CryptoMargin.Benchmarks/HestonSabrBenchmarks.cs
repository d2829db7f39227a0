using BenchmarkDotNet.Attributes;
using CryptoMargin.Pricing;

namespace CryptoMargin.Benchmarks;

/// <summary>
/// Option-model kernels on a crypto-like Heston model (v₀ = 0.36, κ = 3, θ = 0.49, σ = 2, ρ = −0.25, F = 90,000):
/// one 30-day option; a 30-strike slice of one expiry (one characteristic-function pass shared by the strikes), with
/// and without the analytic gradient; a surface calibration to 100 synthetic quotes (5 expiries × 20 strikes, target
/// under 100 ms); and a SABR slice fit to 21 strikes (β = 1). Pricing must not allocate.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class HestonSabrBenchmarks
{
    private static readonly HestonParameters Model = new(0.36, 3, 0.49, 2, -0.25);
    private const double Forward = 90_000, Expiry = 30.0 / 365;

    private readonly double[] _strikes = new double[30];
    private readonly OptionType[] _types = new OptionType[30];
    private readonly double[] _prices = new double[30];
    private readonly double[] _gradient = new double[30 * Heston.ParameterCount];
    private List<HestonQuote> _surface = [];
    private readonly double[] _sabrStrikes = new double[21];
    private readonly double[] _sabrVols = new double[21];

    [GlobalSetup]
    public void Setup()
    {
        for (int i = 0; i < 30; i++)
        {
            _strikes[i] = Forward * Math.Exp((i - 14.5) / 14.5 * 2 * 0.6 * Math.Sqrt(Expiry));
            _types[i] = _strikes[i] >= Forward ? OptionType.Call : OptionType.Put;
        }
        _surface = [];
        foreach (double days in new[] { 7.0, 30, 90, 180, 365 })
        {
            double t = days / 365;
            for (int i = 0; i < 20; i++)
            {
                double strike = Forward * Math.Exp((2.0 * i / 19 - 1) * 2 * 0.6 * Math.Sqrt(t));
                var type = strike >= Forward ? OptionType.Call : OptionType.Put;
                double price = Heston.Price(Model, Forward, strike, t, type);
                _surface.Add(new HestonQuote(t, Forward, strike, HestonImpliedVolatility.FromPrice(price, Forward, strike, t, type)));
            }
        }
        var sabr = new SabrParameters(0.62, 1, 0.15, 1.8);
        for (int i = 0; i < 21; i++)
        {
            _sabrStrikes[i] = Forward * Math.Exp((i - 10) * 0.04);
            _sabrVols[i] = Sabr.ImpliedVolatility(sabr, Forward, _sabrStrikes[i], Expiry);
        }
    }

    [Benchmark(Description = "Heston price, one option")]
    public double PriceOne() => Heston.Price(Model, Forward, 95_000, Expiry, OptionType.Call);

    [Benchmark(Description = "Heston prices, 30-strike slice")]
    public double PriceSlice()
    {
        Heston.Prices(Model, Forward, Expiry, _strikes, _types, _prices);
        return _prices[0];
    }

    [Benchmark(Description = "Heston prices + 5-parameter gradient, 30-strike slice")]
    public double PriceSliceWithGradient()
    {
        Heston.PricesWithGradient(Model, Forward, Expiry, _strikes, _types, _prices, _gradient);
        return _gradient[0];
    }

    [Benchmark(Description = "Heston calibration, 100 quotes (5 expiries x 20 strikes)")]
    public HestonCalibrationResult Calibrate() => HestonCalibration.Calibrate(_surface);

    [Benchmark(Description = "SABR slice fit, 21 strikes (beta = 1)")]
    public SabrFit SabrFit() => SabrCalibration.Fit(Forward, Expiry, _sabrStrikes, _sabrVols);
}
