using BenchmarkDotNet.Attributes;
using CryptoMargin.Instruments;
using CryptoMargin.Margin.DeribitPm;
using CryptoMargin.MarketData;
using CryptoMargin.Portfolios;
using CryptoMargin.Pricing;
using CryptoMargin.Surfaces;

namespace CryptoMargin.Benchmarks;

/// <summary>
/// Deribit-style portfolio margin (docs/margin/deribit-pm.md): the per-instrument revaluation over the 27 + 8 scenarios
/// (once per instrument per mark tick), the per-account sparse sum of size × vector over 100 positions drawn from
/// 1,000 instruments (the real-time kernel), and the full model on a 20-position account (vectors, books, add-ons,
/// contributions and incremental margins by recomputation).
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class DeribitPmBenchmarks
{
    private const int Width = 35, Instruments = 1_000, Positions = 100;
    private readonly DeribitPmParameters _p = DeribitPmParameters.Default;
    private readonly double[] _standard = new double[27], _extended = new double[8], _total = new double[Width];
    private double[] _table = [];
    private int[] _which = [];
    private double[] _sizes = [];
    private OptionInstrument _option = null!;
    private FutureInstrument _future = null!;
    private Portfolio _account = null!;
    private MarketSnapshot _market = null!;
    private readonly DeribitPortfolioMargin _model = new();

    private sealed class Flat(double spot, double vol) : IVolSurface
    {
        public double Forward(double t) => spot * Math.Exp(0.05 * t);
        public double ImpliedVolatility(double strike, double t) => vol * (1 + 0.2 * Math.Abs(Math.Log(strike / spot)));
    }

    [GlobalSetup]
    public void Setup()
    {
        var now = new DateTimeOffset(2026, 1, 15, 8, 0, 0, TimeSpan.Zero);
        _market = new MarketSnapshot(now, new Dictionary<string, double> { ["BTC"] = 90_000 }, new Dictionary<string, double>(),
            new Dictionary<string, IVolSurface> { ["BTC"] = new Flat(90_000, 0.5) });
        _option = (OptionInstrument)Instrument.Parse("BTC-27MAR26-95000-C");
        _future = (FutureInstrument)Instrument.Parse("BTC-27MAR26");
        var rng = new Random(42);
        _table = new double[Width * Instruments];
        for (int i = 0; i < _table.Length; i++) _table[i] = rng.NextDouble() - 0.5;
        _which = [.. Enumerable.Range(0, Positions).Select(_ => rng.Next(Instruments))];
        _sizes = [.. Enumerable.Range(0, Positions).Select(_ => (rng.NextDouble() - 0.5) * 20)];
        string[] names = ["BTC-27FEB26-80000-P", "BTC-27FEB26-90000-C", "BTC-27FEB26-90000-P", "BTC-27FEB26-100000-C", "BTC-27MAR26-70000-P",
            "BTC-27MAR26-95000-C", "BTC-27MAR26-110000-C", "BTC-26JUN26-60000-P", "BTC-26JUN26-90000-C", "BTC-26JUN26-120000-C",
            "BTC-25SEP26-80000-P", "BTC-25SEP26-100000-C", "BTC-30JAN26-85000-P", "BTC-30JAN26-95000-C", "BTC-23JAN26-90000-C",
            "BTC-23JAN26-88000-P", "BTC-PERPETUAL", "BTC-27MAR26", "BTC-26JUN26", "BTC-27FEB26"];
        _account = new Portfolio("BTC", new Dictionary<string, double>(),
            [.. names.Select(n => new Position(Instrument.Parse(n), n.Count(c => c == '-') == 3 ? Math.Round((rng.NextDouble() - 0.5) * 40, 1) : Math.Round((rng.NextDouble() - 0.5) * 4e6)))]);
    }

    /// <summary>One option's 27 standard + 8 extended per-unit P&amp;Ls (36 Black-76 prices through Revaluation.UnitValue).</summary>
    [Benchmark]
    public double RevalueOption()
    {
        DeribitPmRiskVectors.Fill(_option, 95_000, 0.2, 0.55, _p, _standard, _extended);
        return _standard[0];
    }

    /// <summary>Baseline in the same run: 36 scalar Black-76 prices, the pricing work RevalueOption cannot avoid.</summary>
    [Benchmark(Baseline = true)]
    public double Black76Prices36()
    {
        double sum = 0;
        for (int j = 0; j < 36; j++) sum += Black76.Price(95_000 * (0.84 + 0.01 * j), 95_000, 0.2, 0.55, OptionType.Call);
        return sum;
    }

    /// <summary>One inverse future's 35 per-unit P&amp;Ls.</summary>
    [Benchmark]
    public double RevalueFuture()
    {
        DeribitPmRiskVectors.Fill(_future, 95_000, 0, 0, _p, _standard, _extended);
        return _standard[0];
    }

    /// <summary>One account of 100 positions: Σ size × 35-entry vector from a 1,000-instrument table, and its minimum.</summary>
    [Benchmark]
    public double AccountOf100Positions() => DeribitPmRiskVectors.AccountScenarioPnl(_table, Width, _which, _sizes, _total);

    /// <summary>The full model on a 20-position BTC account (risk vectors, book, add-ons, contributions, 20 incremental recomputations).</summary>
    [Benchmark]
    public double FullModel20Positions() => _model.Compute(_account, _market)[0].InitialMargin;
}
