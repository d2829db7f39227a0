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
