using BenchmarkDotNet.Attributes;
using CryptoMargin.Instruments;
using CryptoMargin.Margin.Greeks;
using CryptoMargin.Margin.Hybrid;
using CryptoMargin.MarketData;
using CryptoMargin.Portfolios;
using CryptoMargin.Pricing;
using CryptoMargin.Surfaces;

namespace CryptoMargin.Benchmarks;

/// <summary>
/// Greeks-based margin of one account of 100 positions (seeded: BTC inverse options over 8 expiries of 1 to 300 days,
/// strikes 0.6F…1.6F, sizes ±0.1…10, plus an inverse perpetual; a smile σ(k) = 0.5 + 0.3k²): the per-position unit
/// sensitivities (the kernel, per position), the whole <see cref="GreeksMarginModel.Compute"/> with Euler contributions
/// and all 100 incremental margins, and a hybrid max(greeks, greeks with a 15% range) whose incremental margins
/// recompute both parts once per position.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class GreeksMarginBenchmarks
{
    private const int N = 100;
    private static readonly DateTimeOffset Now = new(2026, 8, 22, 8, 0, 0, TimeSpan.Zero);
    private readonly Instrument[] _instruments = new Instrument[N];
    private readonly double[] _t = new double[N], _vol = new double[N];
    private readonly UnitSensitivity[] _units = new UnitSensitivity[N];
    private MarketSnapshot _market = null!;
    private Portfolio _portfolio = null!;
    private readonly GreeksMarginModel _greeks = new();
    private HybridMarginModel _hybrid = null!;
    private const double Forward = 80_000;

    private sealed class SmileSurface : IVolSurface
    {
        public double Forward(double t) => GreeksMarginBenchmarks.Forward;
        public double ImpliedVolatility(double strike, double t)
        {
            double k = Math.Log(strike / GreeksMarginBenchmarks.Forward);
            return 0.5 + 0.3 * k * k;
        }
    }

    [GlobalSetup]
    public void Setup()
    {
        var rng = new Random(20261124);
        int[] days = [1, 3, 7, 14, 35, 63, 126, 300];
        var positions = new Position[N];
        var surface = new SmileSurface();
        for (int i = 0; i < N; i++)
        {
            Instrument instrument;
            if (i == 0) instrument = Instrument.Parse("BTC-PERPETUAL");
            else
            {
                var expiry = Now.AddDays(days[rng.Next(days.Length)]);
                int strike = (int)Math.Round(Forward * (0.6 + rng.NextDouble()) / 1000) * 1000;
                instrument = new OptionInstrument($"BTC-{expiry:dMMMyy}-{strike}-{(i % 2 == 0 ? 'C' : 'P')}".ToUpperInvariant(), "BTC", null, expiry, strike,
                    i % 2 == 0 ? OptionType.Call : OptionType.Put);
            }
            _instruments[i] = instrument;
            if (instrument is OptionInstrument o)
            {
                _t[i] = (o.Expiry - Now).TotalDays / 365;
                _vol[i] = surface.ImpliedVolatility(o.Strike, _t[i]);
            }
            double size = (rng.Next(2) == 0 ? -1 : 1) * (0.1 + 9.9 * rng.NextDouble());
            positions[i] = new Position(instrument, i == 0 ? 10_000 * size : size);
        }
        _market = new MarketSnapshot(Now, new Dictionary<string, double> { ["BTC"] = Forward }, new Dictionary<string, double>(),
            new Dictionary<string, IVolSurface> { ["BTC"] = surface });
        _portfolio = new Portfolio("BTC", new Dictionary<string, double>(), positions);
        _hybrid = HybridMarginModel.Max(_greeks, new GreeksMarginModelNamed(new GreeksMarginModel(new() { PriceRange = 0.15 })));
    }

    /// <summary>The same model under another name (hybrid parts need distinct names).</summary>
    private sealed class GreeksMarginModelNamed(Margin.IMarginModel inner) : Margin.IMarginModel
    {
        public string Name => "greeks-15%";
        public IReadOnlyList<Margin.MarginResult> Compute(Portfolio portfolio, MarketSnapshot market) => inner.Compute(portfolio, market);
    }

    [Benchmark(OperationsPerInvoke = N)]
    public void UnitSensitivities()
    {
        var p = _greeks.Parameters;
        for (int i = 0; i < N; i++)
            _units[i] = GreeksApproximation.Sensitivity(_instruments[i], Forward, _t[i], _vol[i], _t[i] > 0 ? p.TermScale(_t[i]) : 0);
    }

    [Benchmark]
    public double GreeksMarginOfOneAccount() => _greeks.Compute(_portfolio, _market)[0].InitialMargin;

    [Benchmark]
    public double HybridMaxOfOneAccount() => _hybrid.Compute(_portfolio, _market)[0].InitialMargin;
}
