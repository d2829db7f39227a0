extern alias cli;

using BenchmarkDotNet.Attributes;
using cli::CryptoMargin.Cli.Commands;
using CryptoMargin.MarketData.Options;
using CryptoMargin.Surfaces;

namespace CryptoMargin.Benchmarks;

/// <summary>
/// eSSVI on the shipped Deribit BTC snapshot (444 OTM mark vols, 11 expiries): the whole <c>fit-surface --model essvi</c>
/// computation (clean, select, slice-by-slice fit, model vols, arbitrage check), SSVI's as the baseline measured in the
/// same run, and the arbitrage check of the fitted eSSVI surface alone (11 slices × 1,001 points, analytic w', w'').
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class EssviBenchmarks
{
    private OptionChain _chain = null!;
    private string _source = "";
    private SmileSlice[] _fitted = [];

    [GlobalSetup]
    public void Setup()
    {
        (_chain, _source) = FitSurfaceCommand.Load(null, "BTC");
        var fit = FitSurfaceCommand.Run(_chain, _source, "essvi");
        _fitted = [.. fit.Slices.Select(s => new SmileSlice(s.T, new EssviSlice(
            s.Parameters.Single(p => p.Key == "theta").Value, s.Parameters.Single(p => p.Key == "rho").Value, s.Parameters.Single(p => p.Key == "psi").Value)))];
    }

    [Benchmark(Baseline = true)]
    public double SsviFitShippedBtcChain() => FitSurfaceCommand.Run(_chain, _source, "ssvi").RmseVol;

    [Benchmark]
    public double EssviFitShippedBtcChain() => FitSurfaceCommand.Run(_chain, _source, "essvi").RmseVol;

    [Benchmark]
    public int EssviArbitrageCheck() => SurfaceArbitrage.Check(_fitted).Butterfly.Count;
}
