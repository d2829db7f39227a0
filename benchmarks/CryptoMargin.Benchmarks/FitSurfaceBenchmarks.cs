extern alias cli;

using BenchmarkDotNet.Attributes;
using cli::CryptoMargin.Cli.Commands;
using CryptoMargin.MarketData.Options;

namespace CryptoMargin.Benchmarks;

/// <summary>
/// <c>cryptomargin fit-surface</c> without I/O: clean the shipped Deribit BTC snapshot (1,038 quotes), select the 444
/// out-of-the-money mark vols of 11 expiries, fit the model, compute the per-quote model vols, errors and arbitrage
/// counts. One operation = one whole command's computation for one model.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class FitSurfaceBenchmarks
{
    private OptionChain _chain = null!;
    private string _source = "";

    [Params("svi", "ssvi", "essvi", "sabr", "heston")]
    public string Model { get; set; } = "svi";

    [GlobalSetup]
    public void Setup() => (_chain, _source) = FitSurfaceCommand.Load(null, "BTC");

    [Benchmark]
    public double FitShippedBtcChain() => FitSurfaceCommand.Run(_chain, _source, Model).RmseVol;
}
