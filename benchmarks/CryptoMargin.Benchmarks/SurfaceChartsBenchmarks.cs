extern alias cli;

using BenchmarkDotNet.Attributes;
using cli::CryptoMargin.Cli;
using cli::CryptoMargin.Cli.Commands;
using CryptoMargin.MarketData.Options;
using CryptoMargin.Reporting;

namespace CryptoMargin.Benchmarks;

/// <summary>
/// <c>fit-surface --chart/--report</c> without I/O, on the shipped BTC snapshot fitted by raw SVI (11 expiries, 444
/// quotes): building the chart model (a second cleaning with bid/ask IVs solved), each chart as SVG and PNG, and the
/// HTML report (which renders both SVGs). One operation = one file's content. Not a hot path: the figures say what
/// charting adds to a <c>fit-surface</c> run (compare <see cref="FitSurfaceBenchmarks"/>).
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class SurfaceChartsBenchmarks
{
    private OptionChain _chain = null!;
    private FitSurfaceCommand.FitResult _fit = null!;
    private SurfaceReportModel _model = null!;

    [GlobalSetup]
    public void Setup()
    {
        var (chain, source) = FitSurfaceCommand.Load(null, "BTC");
        _chain = chain;
        _fit = FitSurfaceCommand.Run(chain, source, "svi");
        _model = SurfaceChartWriter.Model(_fit, chain);
    }

    [Benchmark]
    public int BuildChartModel() => SurfaceChartWriter.Model(_fit, _chain).Charts.Slices.Count;

    [Benchmark]
    public int SmilesSvg() => SurfaceCharts.SmilesSvg(_model.Charts).Length;

    [Benchmark]
    public int SmilesPng() => SurfaceCharts.SmilesPng(_model.Charts).Length;

    [Benchmark]
    public int TotalVarianceSvg() => SurfaceCharts.TotalVarianceSvg(_model.Charts).Length;

    [Benchmark]
    public int TotalVariancePng() => SurfaceCharts.TotalVariancePng(_model.Charts).Length;

    [Benchmark]
    public int ReportHtml() => SurfaceReport.Render(_model).Length;
}
