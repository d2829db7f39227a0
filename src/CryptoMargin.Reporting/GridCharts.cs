using System.Globalization;
using CryptoMargin.Calibration.Grid;
using ScottPlot;

namespace CryptoMargin.Reporting;

/// <summary>
/// Charts of the grid calibration (ScottPlot 5, SVG, in the style of the calibration report): the empirical ATM
/// vol-shock quantiles per tenor against the fitted k·(30/DTE)^p laws, on a log-DTE axis. Deterministic bytes.
/// </summary>
public static class GridCharts
{
    private const int Width = 900;
    private const int Height = 420;
    private static readonly Color Blue = Color.FromHex("#1f5fa8");
    private static readonly Color Red = Color.FromHex("#c0392b");

    /// <summary>A standalone SVG document (with its XML namespace) of the ATM fit of <paramref name="calibration"/>.</summary>
    public static string VolShockFit(VolShockCalibration calibration)
    {
        ArgumentNullException.ThrowIfNull(calibration);
        var plot = new Plot();
        plot.Font.Set("DejaVu Sans");
        string c = calibration.Confidence.ToString("0.###", CultureInfo.InvariantCulture);
        plot.Title($"{calibration.Underlying} ATM implied-vol shocks over {calibration.HorizonDays} day(s): quantiles {c} / {(1 - calibration.Confidence).ToString("0.###", CultureInfo.InvariantCulture)} vs k·(30/DTE)^p", 13);
        plot.YLabel("relative vol change (magnitude)", 12);
        plot.XLabel("days to expiry (log scale)", 12);

        var atm = calibration.Quantiles.Where(q => q.Moneyness == 0 && double.IsFinite(q.Up) && double.IsFinite(q.Down)).ToArray();
        var xs = atm.Select(q => Math.Log10(q.Days)).ToArray();
        Points(plot, xs, atm.Select(q => q.Up).ToArray(), Red, "empirical up quantile");
        Points(plot, xs, atm.Select(q => -q.Down).ToArray(), Blue, "empirical down quantile (|·|)");
        var fit = calibration.Atm;
        if (atm.Length > 0)
        {
            double lo = atm.Min(q => q.Days), hi = atm.Max(q => q.Days);
            var dense = Enumerable.Range(0, 121).Select(i => lo * Math.Pow(hi / lo, i / 120.0)).ToArray();
            var dx = dense.Select(Math.Log10).ToArray();
            if (fit.Up is { } up) Curve(plot, dx, dense.Select(up.Law.Shock).ToArray(), Red, Label("up", up));
            if (fit.Down is { } down) Curve(plot, dx, dense.Select(down.Law.Shock).ToArray(), Blue, Label("down", down));
            var ticks = atm.Select(q => q.Days).ToArray();
            plot.Axes.Bottom.SetTicks(ticks.Select(Math.Log10).ToArray(), ticks.Select(d => d.ToString("0.##", CultureInfo.InvariantCulture)).ToArray());
        }
        var line = plot.Add.VerticalLine(Math.Log10(TenorGrid.ReferenceDays), 1, Colors.Gray.WithAlpha(0.6));
        line.LinePattern = LinePattern.Dashed;
        plot.ShowLegend(Alignment.UpperRight);
        // Skia numbers clip paths from a process-wide counter: renumbered so the same chart has the same bytes.
        return SurfaceCharts.RenumberClipIds(plot.GetSvgXml(Width, Height));
    }

    /// <summary>
    /// The cost-coverage frontier of a margin backtest (issue 5 §3): per model its mean margin as a fraction of gross
    /// notional (x) against its exceedance rate (y), the reference grid's points at several price ranges joined by a
    /// line, and the target rate 1 − c as a dashed horizontal line. A standalone SVG document, deterministic bytes.
    /// </summary>
    public static string CostCoverageFrontier(string title, IReadOnlyList<FrontierPoint> models, IReadOnlyList<FrontierPoint> referenceGrid, double expectedRate)
    {
        ArgumentNullException.ThrowIfNull(title);
        ArgumentNullException.ThrowIfNull(models);
        ArgumentNullException.ThrowIfNull(referenceGrid);
        var plot = new Plot();
        plot.Font.Set("DejaVu Sans");
        plot.Title(title, 13);
        plot.XLabel("mean margin / gross notional", 12);
        plot.YLabel("exceedance rate", 12);
        var grid = referenceGrid.Where(p => double.IsFinite(p.Cost) && double.IsFinite(p.ExceedanceRate)).OrderBy(p => p.Cost).ToArray();
        if (grid.Length > 0)
        {
            Curve(plot, grid.Select(p => p.Cost).ToArray(), grid.Select(p => p.ExceedanceRate).ToArray(), Colors.Gray, "reference grid (price range × factor)");
            foreach (var p in grid)
            {
                var t = plot.Add.Text(p.Label, p.Cost, p.ExceedanceRate);
                t.LabelFontSize = 10;
                t.LabelFontColor = Colors.Gray;
            }
        }
        var palette = new ScottPlot.Palettes.Category10();
        int i = 0;
        foreach (var p in models.Where(p => double.IsFinite(p.Cost) && double.IsFinite(p.ExceedanceRate)))
        {
            var color = palette.GetColor(i++);
            Points(plot, [p.Cost], [p.ExceedanceRate], color, p.Label);
        }
        var target = plot.Add.HorizontalLine(expectedRate, 1, Red.WithAlpha(0.7));
        target.LinePattern = LinePattern.Dashed;
        target.LegendText = $"target rate {expectedRate.ToString("0.###", CultureInfo.InvariantCulture)}";
        plot.ShowLegend(Alignment.UpperRight);
        return SurfaceCharts.RenumberClipIds(plot.GetSvgXml(Width, Height));
    }

    private static string Label(string side, TermShockFitResult f) => string.Create(CultureInfo.InvariantCulture,
        $"fit {side}: k = {f.Law.K:0.###}, p_short = {f.Law.PShort:0.###}, p_long = {f.Law.PLong:0.###}, R² = {f.RSquared:0.###}");

    private static void Points(Plot plot, double[] xs, double[] ys, Color color, string label)
    {
        var p = plot.Add.ScatterPoints(xs, ys, color);
        p.MarkerSize = 8;
        p.LegendText = label;
    }

    private static void Curve(Plot plot, double[] xs, double[] ys, Color color, string label)
    {
        var l = plot.Add.ScatterLine(xs, ys, color);
        l.LineWidth = 1.6f;
        l.LegendText = label;
    }
}

/// <summary>One point of a cost-coverage frontier: a model's mean margin / gross notional and its exceedance rate.</summary>
public sealed record FrontierPoint(string Label, double Cost, double ExceedanceRate);
