using BenchmarkDotNet.Attributes;
using CryptoMargin.Instruments;
using CryptoMargin.Margin.Span;
using CryptoMargin.MarketData;
using CryptoMargin.Portfolios;
using CryptoMargin.Surfaces;

namespace CryptoMargin.Benchmarks;

/// <summary>
/// SPAN-style margin: one instrument's 16-scenario risk array (16 Black-76 revaluations), one account's scanning risk
/// from per-instrument arrays (100 positions drawn with a fixed seed over 200 instruments), and the whole model on a
/// 10-position book (breakdown and the incremental margin of every position included).
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class SpanBenchmarks
{
    private readonly SpanScan _scan = new SpanParameters().Scan("BTC");
    private readonly Instrument _option = Instrument.Parse("BTC_USDC-26JUN26-95000-C");
    private double[] _unit = new double[16];
    private double[] _arrays = [];
    private int[] _instruments = [];
    private double[] _sizes = [];
    private double[] _book = new double[16];
    private SpanMarginModel _model = new();
    private Portfolio _portfolio = null!;
    private MarketSnapshot _market = null!;

    private sealed class Flat(double forward, double vol) : IVolSurface
    {
        public double Forward(double t) => forward;
        public double ImpliedVolatility(double strike, double t) => vol;
    }

    [GlobalSetup]
    public void Setup()
    {
        const int instruments = 200;
        _arrays = new double[instruments * 16];
        for (int i = 0; i < instruments; i++)
        {
            var o = Instrument.Parse($"BTC_USDC-26JUN26-{50_000 + 500 * i}-{(i % 2 == 0 ? "C" : "P")}");
            SpanRisk.UnitRiskArray(o, 90_000, 0.3, 0.55, _scan, _arrays.AsSpan(16 * i, 16));
        }
        var rng = new Random(5);
        _instruments = new int[100];
        _sizes = new double[100];
        for (int j = 0; j < 100; j++)
        {
            _instruments[j] = rng.Next(instruments);
            _sizes[j] = rng.NextDouble() * 20 - 10;
        }
        _market = new MarketSnapshot(new DateTimeOffset(2026, 3, 1, 8, 0, 0, TimeSpan.Zero),
            new Dictionary<string, double> { ["BTC"] = 90_000, ["ETH"] = 3_000 },
            new Dictionary<string, double> { ["BTC-PERPETUAL"] = 90_000, ["BTC-26JUN26"] = 91_500, ["ETH-PERPETUAL"] = 3_000 },
            new Dictionary<string, IVolSurface> { ["BTC"] = new Flat(90_000, 0.55), ["ETH"] = new Flat(3_000, 0.7) });
        string[] names =
        [
            "BTC_USDC-27MAR26-95000-C", "BTC_USDC-27MAR26-85000-P", "BTC_USDC-26JUN26-100000-C", "BTC_USDC-26JUN26-80000-P",
            "BTC_USDC-PERPETUAL", "BTC_USDC-26JUN26", "ETH_USDC-PERPETUAL", "ETH_USDC-27MAR26-2800-P", "ETH_USDC-27MAR26-3200-C", "ETH_USDC-26JUN26",
        ];
        _portfolio = new Portfolio("USDC", new Dictionary<string, double>(),
            names.Select((n, i) => new Position(Instrument.Parse(n), (i % 3 - 1) * 2.5 + 0.5)).ToList());
    }

    [Benchmark]
    public double OptionRiskArray()
    {
        SpanRisk.UnitRiskArray(_option, 90_000, 0.3, 0.55, _scan, _unit);
        return _unit[0];
    }

    [Benchmark]
    public double AccountScan100Positions() => SpanRisk.AccountScanningRisk(_arrays, _instruments, _sizes, _book, out _);

    [Benchmark]
    public double ModelTenPositions() => _model.Compute(_portfolio, _market)[0].InitialMargin;
}
