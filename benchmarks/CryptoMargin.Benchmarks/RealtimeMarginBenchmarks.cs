using BenchmarkDotNet.Attributes;
using CryptoMargin.Data.Options;
using CryptoMargin.Margin.Engine;

namespace CryptoMargin.Benchmarks;

/// <summary>
/// The real-time re-margin engine (docs/margin/realtime-engine.md) on the shipped Deribit snapshot (samples/options,
/// 1,994 live BTC+ETH instruments: 1,968 options, 22 futures, 4 perpetuals) with a generated population of 100,000
/// accounts × 100 positions (10 M positions, seed 20261124): the per-instrument revaluation after a tick (all instruments
/// × 35 scenarios), the all-accounts margin (parallel), one account of 100 positions, and, to put the all-accounts figure
/// against the machine's memory bandwidth, a streaming sum and a copy over 256 MiB (one thread and Parallel.For).
/// Bytes touched per run are printed by the setup.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class RealtimeMarginBenchmarks
{
    private const int Accounts = 100_000, PositionsPerAccount = 100;
    private const int StreamLength = 32 * 1024 * 1024;  // doubles: 256 MiB
    private RealtimeMarginEngine _engine = null!;
    private LiveMarket _market = null!;
    private AccountBook _book = null!;
    private double[] _im = [];
    private int[] _binding = [];
    private readonly double[] _one = new double[3];
    private double[] _stream = [], _target = [];

    [GlobalSetup]
    public void Setup()
    {
        string root = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(root, "CryptoMargin.slnx"))) root = Path.GetDirectoryName(root) ?? throw new InvalidOperationException("repository root not found");
        string path = Path.Combine(root, "samples", "options", "deribit_options_snapshot_20260822T093536Z.csv.gz");
        _market = LiveMarket.FromChains([OptionChainReader.Read(path, "BTC"), OptionChainReader.Read(path, "ETH")]);
        _engine = new RealtimeMarginEngine(_market.Instruments, RealtimeScenarioGrid.DeribitStyle);
        _engine.Revalue(_market.Snapshot);
        _book = AccountPopulation.Generate(_engine.Instruments, Accounts, PositionsPerAccount, seed: 20261124);
        _im = new double[Accounts * _engine.Currencies.Count];
        _binding = new int[_im.Length];
        _stream = new double[StreamLength];
        _target = new double[StreamLength];
        for (int i = 0; i < StreamLength; i++) _stream[i] = i & 1023;
        long gathered = (long)_book.PositionCount * 8 * _engine.Stride;
        Console.WriteLine($"// instruments {_engine.Instruments.Count}, scenarios {_engine.Scenarios.Count} (stride {_engine.Stride}), matrix {_engine.MatrixBytes:N0} B");
        Console.WriteLine($"// all accounts: CSR streamed {_book.Bytes:N0} B, matrix rows gathered {gathered:N0} B, IM+binding written {_im.Length * 12L:N0} B");
        Console.WriteLine($"// stream: {StreamLength * 8L:N0} B read per sum, {StreamLength * 16L:N0} B read+written per copy");
    }

    [Benchmark]
    public void RevalueAllInstruments() => _engine.Revalue(_market.Snapshot);

    [Benchmark]
    public void MarginAllAccounts() => _engine.ComputeAll(_book, _im, _binding);

    [Benchmark]
    public double MarginOneAccount()
    {
        _engine.Compute(_book, 12_345, _one, default);
        return _one[0];
    }

    [Benchmark]
    public double StreamingSumOneThread() => Sum(_stream, 0, StreamLength);

    [Benchmark]
    public double StreamingSumParallel()
    {
        const int parts = 16, len = StreamLength / parts;
        var partial = new double[parts];
        Parallel.For(0, parts, p => partial[p] = Sum(_stream, p * len, len));
        return partial.Sum();
    }

    [Benchmark]
    public void CopyParallel()
    {
        const int parts = 16, len = StreamLength / parts;
        Parallel.For(0, parts, p => Array.Copy(_stream, p * len, _target, p * len, len));
    }

    private static double Sum(double[] a, int start, int length)
    {
        var span = a.AsSpan(start, length);
        var s0 = System.Runtime.Intrinsics.Vector256<double>.Zero;
        var s1 = s0; var s2 = s0; var s3 = s0;
        int i = 0;
        for (; i <= span.Length - 16; i += 16)
        {
            s0 += System.Runtime.Intrinsics.Vector256.Create(span.Slice(i, 4));
            s1 += System.Runtime.Intrinsics.Vector256.Create(span.Slice(i + 4, 4));
            s2 += System.Runtime.Intrinsics.Vector256.Create(span.Slice(i + 8, 4));
            s3 += System.Runtime.Intrinsics.Vector256.Create(span.Slice(i + 12, 4));
        }
        double total = System.Runtime.Intrinsics.Vector256.Sum(s0 + s1 + s2 + s3);
        for (; i < span.Length; i++) total += span[i];
        return total;
    }
}
