using BenchmarkDotNet.Attributes;
using CryptoMargin.Instruments;
using CryptoMargin.Margin.Tiered;
using CryptoMargin.MarketData;
using CryptoMargin.Portfolios;
using CryptoMargin.Surfaces;

namespace CryptoMargin.Benchmarks;

/// <summary>
/// Tiered margin: the allocation-free batch kernel over 4,096 futures positions of one coin (seeded sizes ±200 BTC,
/// prices 50k…150k; OperationsPerInvoke = 4,096, so figures are per position), with the size-linear MM and with a
/// bracket schedule; and the whole model on one account of 100 positions (40 futures/perpetuals, inverse and linear,
/// 60 BTC/ETH options on two expiries, seeded), per account, and its futures and its options alone.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class TieredMarginBenchmarks
{
    private const int N = 4096;
    private readonly double[] _sizes = new double[N], _prices = new double[N], _im = new double[N], _mm = new double[N];
    private readonly MaintenanceBrackets _brackets = new(
        [0, 50_000, 250_000, 1_000_000, 10_000_000], [0.004, 0.005, 0.01, 0.025, 0.05]);
    private readonly TieredMarginModel _model = new();
    private Portfolio _account = null!, _futuresOnly = null!, _optionsOnly = null!;
    private MarketSnapshot _market = null!;

    private sealed class FlatSurface(double forward, double vol) : IVolSurface
    {
        public double Forward(double t) => forward;
        public double ImpliedVolatility(double strike, double t) => vol;
    }

    [GlobalSetup]
    public void Setup()
    {
        var rng = new Random(20261124);
        for (int k = 0; k < N; k++)
        {
            _sizes[k] = (rng.NextDouble() - 0.5) * 400;
            _prices[k] = 50_000 + rng.NextDouble() * 100_000;
        }
        _market = new MarketSnapshot(new DateTimeOffset(2026, 3, 1, 8, 0, 0, TimeSpan.Zero),
            new Dictionary<string, double> { ["BTC"] = 100_000, ["ETH"] = 3_000 },
            new Dictionary<string, double> { ["BTC-PERPETUAL"] = 100_050, ["ETH-PERPETUAL"] = 3_001, ["BTC-27MAR26"] = 100_400, ["BTC-26JUN26"] = 101_500 },
            new Dictionary<string, IVolSurface> { ["BTC"] = new FlatSurface(100_300, 0.55), ["ETH"] = new FlatSurface(3_010, 0.7) });
        string[] futures = ["BTC-PERPETUAL", "BTC_USDC-PERPETUAL", "ETH-PERPETUAL", "ETH_USDC-PERPETUAL", "BTC-27MAR26", "BTC-26JUN26"];
        var positions = new List<Position>(100);
        for (int i = 0; i < 40; i++)
        {
            var f = Instrument.Parse(futures[rng.Next(futures.Length)]);
            double size = (rng.NextDouble() - 0.5) * (f.IsInverse ? 2e6 : 20);
            positions.Add(new Position(f, size));
        }
        for (int i = 0; i < 60; i++)
        {
            bool btc = rng.Next(2) == 0;
            string expiry = rng.Next(2) == 0 ? "27MAR26" : "26JUN26";
            double strike = btc ? 5_000 * (14 + rng.Next(9)) : 100 * (22 + rng.Next(17));
            string name = $"{(btc ? "BTC" : "ETH")}{(rng.Next(4) == 0 ? "_USDC" : "")}-{expiry}-{strike:0}-{(rng.Next(2) == 0 ? "C" : "P")}";
            positions.Add(new Position(Instrument.Parse(name), (rng.NextDouble() - 0.6) * 10));
        }
        _account = new Portfolio("USD", new Dictionary<string, double>(), positions);
        _futuresOnly = new Portfolio("USD", new Dictionary<string, double>(), positions.Take(40).ToList());
        _optionsOnly = new Portfolio("USD", new Dictionary<string, double>(), positions.Skip(40).ToList());
    }

    [Benchmark(OperationsPerInvoke = N, Baseline = true)]
    public void FuturesBatchSizeLinear() =>
        TieredMarginKernels.FuturesMargins(_sizes, _prices, FuturesMarginRates.DeribitBtc, null, _im, _mm);

    [Benchmark(OperationsPerInvoke = N)]
    public void FuturesBatchBrackets() =>
        TieredMarginKernels.FuturesMargins(_sizes, _prices, FuturesMarginRates.DeribitBtc, _brackets, _im, _mm);

    [Benchmark]
    public int ModelAccountOf100Positions() => _model.Compute(_account, _market).Count;

    [Benchmark]
    public int ModelItsFuturesOnly() => _model.Compute(_futuresOnly, _market).Count;

    [Benchmark]
    public int ModelItsOptionsOnly() => _model.Compute(_optionsOnly, _market).Count;
}
