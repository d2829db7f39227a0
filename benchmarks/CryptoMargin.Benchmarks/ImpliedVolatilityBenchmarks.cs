using System.Globalization;
using System.IO.Compression;
using BenchmarkDotNet.Attributes;
using CryptoMargin.Pricing;

namespace CryptoMargin.Benchmarks;

/// <summary>
/// Implied volatility, ns per item (OperationsPerInvoke = N = 4,096), on two input sets:
/// <list type="bullet">
/// <item><b>stress grid</b> (the headline; seed 20251124): σ log-uniform in [0.005, 5], t log-uniform in [1e-4, 5] years,
/// log-moneyness uniform in ±6σ√t, calls and puts, the out-of-the-money side half of the time;</item>
/// <item><b>real chain</b> ("RealChain…"): every quote of the shipped Deribit snapshot
/// (samples/options/deribit_options_snapshot_20260822T093536Z.csv.gz, BTC and ETH) with t &gt; 0, its mark price and, where
/// it has both a bid and an ask, its mid, in USD forward terms (coin price × the <c>underlying</c> forward, as
/// <c>fit-surface</c>'s reader converts them), the solvable ones cycled in file order to N items.</item>
/// </list>
/// The baseline is one Black-76 price per item (<see cref="Black76.Price"/>), so the ratio column reads "an implied
/// volatility costs this many prices". "…Before" cases run the same code from the starting points used before the fitted
/// guess tables (<c>useGuessTables: false</c>), so before and after share one run. The split
/// (<c>Reduce</c>, <c>Start</c>, <c>FirstStep</c>) times the general solver's parts on the stress grid's prepared inputs:
/// the reduction to (β, x), the set-up and initial guess from (β, x), and one Householder step from the initial guess
/// (since the third speed pass <c>Solve</c> runs most solves through <c>TryOneStep</c> instead, so the parts no longer add
/// up to it; "…Before" cases skip <c>TryOneStep</c> too).
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class ImpliedVolatilityBenchmarks
{
    private const int N = 4096;
    private readonly double[] _price = new double[N], _forward = new double[N], _strike = new double[N], _t = new double[N], _vols = new double[N];
    private readonly double[] _sigma = new double[N];
    private readonly OptionType[] _type = new OptionType[N];
    private readonly ImpliedVolatilityReason[] _reasons = new ImpliedVolatilityReason[N];
    private readonly double[] _rPrice = new double[N], _rForward = new double[N], _rStrike = new double[N], _rT = new double[N], _rSigma = new double[N];
    private readonly OptionType[] _rType = new OptionType[N];
    private readonly double[] _beta = new double[N], _x = new double[N];
    private readonly ImpliedVolatility.NormalisedSolve[] _states = new ImpliedVolatility.NormalisedSolve[N];

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

        // the split's inputs: the stress grid's solvable items, cycled to N
        var solvable = new List<int>();
        for (int i = 0; i < N; i++)
            if (ImpliedVolatility.Reduce(_price[i], _forward[i], _strike[i], _t[i], _type[i], 1, out double beta, out double x) == ImpliedVolatilityReason.Solved
                && ImpliedVolatility.Start(beta, x, out _) == ImpliedVolatilityReason.Solved)
                solvable.Add(i);
        for (int k = 0; k < N; k++)
        {
            int i = solvable[k % solvable.Count];
            ImpliedVolatility.Reduce(_price[i], _forward[i], _strike[i], _t[i], _type[i], 1, out _beta[k], out _x[k]);
            ImpliedVolatility.Start(_beta[k], _x[k], out _states[k]);
        }

        var quotes = RealChainQuotes();
        for (int k = 0; k < N; k++)
        {
            var q = quotes[k % quotes.Count];
            (_rPrice[k], _rForward[k], _rStrike[k], _rT[k], _rType[k]) = q;
            _rSigma[k] = ImpliedVolatility.Solve(q.Price, q.Forward, q.Strike, q.T, q.Type).Volatility;
        }
    }

    /// <summary>Mark and mid prices (USD, forward terms) of the shipped snapshot's quotes that have an implied volatility.</summary>
    private static List<(double Price, double Forward, double Strike, double T, OptionType Type)> RealChainQuotes()
    {
        string path = Path.Combine(RepositoryRoot(), "samples", "options", "deribit_options_snapshot_20260822T093536Z.csv.gz");
        using var reader = new StreamReader(new GZipStream(File.OpenRead(path), CompressionMode.Decompress));
        var header = reader.ReadLine()!.Split(',');
        int Col(string name) => Array.IndexOf(header, name) is var c and >= 0 ? c : throw new InvalidDataException($"{path}: no column '{name}'");
        int typeCol = Col("option_type"), strikeCol = Col("strike"), tCol = Col("time_to_maturity"), fwdCol = Col("underlying"),
            bidCol = Col("bid_price"), askCol = Col("ask_price"), markCol = Col("mark_price");
        var result = new List<(double, double, double, double, OptionType)>();
        for (string? line = reader.ReadLine(); line is not null; line = reader.ReadLine())
        {
            var f = line.Split(',');
            static double? D(string s) => double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) ? v : null;
            double forward = D(f[fwdCol]) ?? double.NaN, strike = D(f[strikeCol]) ?? double.NaN, t = D(f[tCol]) ?? double.NaN;
            var type = f[typeCol] == "call" ? OptionType.Call : OptionType.Put;
            void Add(double? coin)
            {
                if (coin is not double c) return;
                double price = c * forward;
                if (t > 0 && ImpliedVolatility.Solve(price, forward, strike, t, type).IsSolved) result.Add((price, forward, strike, t, type));
            }
            Add(D(f[markCol]));
            if (D(f[bidCol]) is double bid && D(f[askCol]) is double ask && bid > 0 && ask > 0) Add(0.5 * (bid + ask));
        }
        if (result.Count == 0) throw new InvalidDataException($"{path}: no solvable quote");
        return result;
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (Directory.Exists(Path.Combine(dir.FullName, "samples", "options"))) return dir.FullName;
        throw new DirectoryNotFoundException("samples/options not found above " + AppContext.BaseDirectory);
    }

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
    public double ScalarBefore()
    {
        double sum = 0;
        for (int i = 0; i < N; i++) sum += ImpliedVolatility.Solve(_price[i], _forward[i], _strike[i], _t[i], _type[i], 1, useGuessTables: false).Volatility;
        return sum;
    }

    [Benchmark(OperationsPerInvoke = N)]
    public void Batch()
    {
        ImpliedVolatility.SolveBatch(_price, _forward, _strike, _t, _type, default, _vols, _reasons);
    }

    [Benchmark(OperationsPerInvoke = N)]
    public double RealChainBlack76Price()
    {
        double sum = 0;
        for (int i = 0; i < N; i++) sum += Black76.Price(_rForward[i], _rStrike[i], _rT[i], _rSigma[i], _rType[i]);
        return sum;
    }

    [Benchmark(OperationsPerInvoke = N)]
    public double RealChainScalar()
    {
        double sum = 0;
        for (int i = 0; i < N; i++) sum += ImpliedVolatility.Solve(_rPrice[i], _rForward[i], _rStrike[i], _rT[i], _rType[i]).Volatility;
        return sum;
    }

    [Benchmark(OperationsPerInvoke = N)]
    public void RealChainBatch()
    {
        ImpliedVolatility.SolveBatch(_rPrice, _rForward, _rStrike, _rT, _rType, default, _vols, _reasons);
    }

    [Benchmark(OperationsPerInvoke = N)]
    public double RealChainScalarBefore()
    {
        double sum = 0;
        for (int i = 0; i < N; i++) sum += ImpliedVolatility.Solve(_rPrice[i], _rForward[i], _rStrike[i], _rT[i], _rType[i], 1, useGuessTables: false).Volatility;
        return sum;
    }

    [Benchmark(OperationsPerInvoke = N)]
    public double Reduce()
    {
        double sum = 0;
        for (int i = 0; i < N; i++)
        {
            ImpliedVolatility.Reduce(_price[i], _forward[i], _strike[i], _t[i], _type[i], 1, out double beta, out double x);
            sum += beta + x;
        }
        return sum;
    }

    [Benchmark(OperationsPerInvoke = N)]
    public double Start()
    {
        double sum = 0;
        for (int i = 0; i < N; i++)
        {
            ImpliedVolatility.Start(_beta[i], _x[i], out var state);
            sum += state.S;
        }
        return sum;
    }

    [Benchmark(OperationsPerInvoke = N)]
    public double StartBefore()
    {
        double sum = 0;
        for (int i = 0; i < N; i++)
        {
            ImpliedVolatility.Start(_beta[i], _x[i], out var state, useGuessTables: false);
            sum += state.S;
        }
        return sum;
    }

    [Benchmark(OperationsPerInvoke = N)]
    public double FirstStep()
    {
        double sum = 0;
        for (int i = 0; i < N; i++)
        {
            var state = _states[i];
            ImpliedVolatility.Step(ref state);
            sum += state.S;
        }
        return sum;
    }
}
