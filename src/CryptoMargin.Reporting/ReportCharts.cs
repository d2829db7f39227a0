using MathNet.Numerics.Distributions;
using ScottPlot;

namespace CryptoMargin.Reporting;

// Each chart is rendered by ScottPlot 5 to SVG and inlined. Long series are reduced by min/max bucketing
// (keeps every spike visible) so one chart stays a few tens of kilobytes.
internal static class ReportCharts
{
    internal const int Width = 1000;
    internal const int Height = 320;
    const int MaxLinePoints = 1200;
    const int SideWidth = 520;
    const int SideHeight = 420;

    static readonly Color Blue = Color.FromHex("#1f5fa8");
    static readonly Color Red = Color.FromHex("#c0392b");
    static readonly Color Grey = Color.FromHex("#9aa0a6");
    static readonly Color Green = Color.FromHex("#1e8449");
    static readonly Color Orange = Color.FromHex("#d68910");

    static double X(DateTimeOffset d) => d.UtcDateTime.ToOADate();
    static double[] X(IReadOnlyList<DateTimeOffset> ds) => ds.Select(X).ToArray();

    internal static string Price(AssetReport a)
    {
        var plot = NewPlot($"{a.Asset} price", "USD");
        var (xs, ys) = Downsample(X(a.Dates), a.Prices.ToArray(), MaxLinePoints);
        var line = plot.Add.ScatterLine(xs, ys, Blue);
        line.LineWidth = 1.2f;
        line.LegendText = "Close";
        var marked = a.Findings.Where(f => f.Index >= 0 && f.Index < a.Prices.Count).ToArray();
        if (marked.Length > 0)
        {
            var m = plot.Add.ScatterPoints(marked.Select(f => X(a.Dates[f.Index])).ToArray(),
                marked.Select(f => a.Prices[f.Index]).ToArray(), Red);
            m.MarkerSize = 7;
            m.MarkerShape = MarkerShape.OpenCircle;
            m.LegendText = "Validation finding";
        }
        DateAxis(plot);
        return Svg(plot, legend: true);
    }

    internal static string Returns(AssetReport a)
    {
        var plot = NewPlot($"{a.Asset} daily log returns", "log return");
        var dates = X(a.Dates).Skip(1).Take(a.Returns.Count).ToArray();
        var (xs, ys) = Downsample(dates, a.Returns.ToArray(), MaxLinePoints);
        var line = plot.Add.ScatterLine(xs, ys, Blue);
        line.LineWidth = 0.8f;
        line.LegendText = "Return";
        foreach (var f in a.Findings.Where(f => f.Index >= 0 && f.Index < a.Dates.Count))
        {
            var v = plot.Add.VerticalLine(X(a.Dates[f.Index]), 1, Red.WithAlpha(0.5));
            v.LinePattern = LinePattern.Dashed;
        }
        DateAxis(plot);
        return Svg(plot, legend: false);
    }

    internal static string MarginVsLosses(AssetReport a)
    {
        var b = a.Backtest;
        var plot = NewPlot($"{a.Asset} margin rate vs realised {a.Policy.MporDays}-day loss", "fraction of position");
        var x = X(b.Dates);
        if (b.HoldoutStart is { } h && x.Length > 0)
        {
            // In ScottPlot 5 a HorizontalSpan covers a range of x (here: dates).
            var span = plot.Add.HorizontalSpan(X(h), x[^1]);
            span.FillStyle.Color = Orange.WithAlpha(0.12);
            span.LineStyle.Width = 0;
            span.LegendText = "Holdout";
        }
        var (lx, ly) = Downsample(x, b.RealisedLosses.ToArray(), MaxLinePoints);
        var losses = plot.Add.ScatterLine(lx, ly, Grey);
        losses.LineWidth = 0.8f;
        losses.LegendText = "Realised loss";
        var (mx, my) = Downsample(x, b.MarginRates.ToArray(), MaxLinePoints);
        var margin = plot.Add.ScatterLine(mx, my, Blue);
        margin.LineWidth = 1.6f;
        margin.LegendText = "Margin rate";
        var ex = Enumerable.Range(0, b.Exceedances.Count).Where(i => b.Exceedances[i]).ToArray();
        if (ex.Length > 0)
        {
            var pts = plot.Add.ScatterPoints(ex.Select(i => x[i]).ToArray(), ex.Select(i => b.RealisedLosses[i]).ToArray(), Red);
            pts.MarkerSize = 6;
            pts.LegendText = "Exceedance";
        }
        DateAxis(plot);
        return Svg(plot, legend: true);
    }

    internal static string Frontier(AssetReport a)
    {
        var plot = NewPlot($"{a.Asset} candidate frontier: cost vs exceedances", "exceedances");
        plot.XLabel("average margin rate");
        void Add(IEnumerable<FrontierRow> rows, Color c, float size, string label, MarkerShape shape)
        {
            var r = rows.ToArray();
            if (r.Length == 0) return;
            var p = plot.Add.ScatterPoints(r.Select(f => f.AverageMargin).ToArray(), r.Select(f => (double)f.Exceedances).ToArray(), c);
            p.MarkerSize = size;
            p.MarkerShape = shape;
            p.LegendText = label;
        }
        Add(a.Frontier.Where(f => !f.Passes && !f.Chosen), Grey.WithAlpha(0.6), 6, "Fails", MarkerShape.OpenCircle);
        Add(a.Frontier.Where(f => f.Passes && !f.Chosen), Green, 7, "Passes", MarkerShape.FilledCircle);
        Add(a.Frontier.Where(f => f.Chosen), Red, 13, "Chosen", MarkerShape.FilledDiamond);
        if (a.Frontier.Count > 0)
        {
            var e = plot.Add.HorizontalLine(a.Frontier[0].ExpectedExceedances, 1, Grey);
            e.LinePattern = LinePattern.Dashed;
            e.LegendText = "Expected";
        }
        return Svg(plot, legend: true);
    }

    internal static string QQ(AssetReport a)
    {
        var r = a.Residuals;
        var plot = NewPlot($"{a.Asset} QQ plot of standardised residuals", "sample quantile");
        plot.XLabel($"theoretical quantile, {ShortDistributionLabel(r)}");
        var sorted = r.StandardizedResiduals.Where(double.IsFinite).OrderBy(v => v).ToArray();
        int n = sorted.Length;
        if (n > 0)
        {
            var idx = QqIndices(n, 600);
            var theo = idx.Select(i => TheoreticalQuantile(r, (i + 0.5) / n)).ToArray();
            var pts = plot.Add.ScatterPoints(theo, idx.Select(i => sorted[i]).ToArray(), Blue);
            pts.MarkerSize = 4;
            pts.LegendText = "Residuals";
            double lo = Math.Min(theo[0], sorted[0]), hi = Math.Max(theo[^1], sorted[^1]);
            var diag = plot.Add.ScatterLine(new[] { lo, hi }, new[] { lo, hi }, Red);
            diag.LinePattern = LinePattern.Dashed;
            diag.LegendText = "y = x";
        }
        return Svg(plot, legend: true, width: SideWidth, height: SideHeight);
    }

    internal static string Volatility(AssetReport a)
    {
        var plot = NewPlot($"{a.Asset} conditional volatility (daily)", "σ");
        var (xs, ys) = Downsample(X(a.VolatilityDates), a.ConditionalVolatility.ToArray(), MaxLinePoints);
        var line = plot.Add.ScatterLine(xs, ys, Blue);
        line.LineWidth = 1.2f;
        DateAxis(plot);
        return Svg(plot, legend: false, width: SideWidth, height: SideHeight);
    }

    static string ShortDistributionLabel(ResidualDiagnostics r) =>
        r.DegreesOfFreedom is { } nu ? $"t(ν = {nu.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture)})" : "N(0,1)";

    internal static string DistributionLabel(ResidualDiagnostics r) =>
        r.DegreesOfFreedom is { } nu ? $"Student-t (ν = {nu.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture)}, unit variance)" : "standard Normal";

    // Quantile of the fitted unit-variance distribution: t(ν) scaled by √((ν−2)/ν), or N(0,1).
    internal static double TheoreticalQuantile(ResidualDiagnostics r, double p) =>
        r.DegreesOfFreedom is { } nu && nu > 2
            ? StudentT.InvCDF(0, 1, nu, p) * Math.Sqrt((nu - 2) / nu)
            : Normal.InvCDF(0, 1, p);

    // All points in the tails (where a QQ plot says something), evenly spaced ones in the body.
    static int[] QqIndices(int n, int max)
    {
        if (n <= max) return Enumerable.Range(0, n).ToArray();
        int tail = max / 6;
        var set = new SortedSet<int>();
        for (int i = 0; i < tail; i++) { set.Add(i); set.Add(n - 1 - i); }
        int body = max - 2 * tail;
        for (int k = 0; k < body; k++) set.Add(tail + (int)((long)k * (n - 2 * tail) / body));
        return set.ToArray();
    }

    // Min/max per bucket, in time order: a reduced line that still shows every peak and trough.
    internal static (double[] Xs, double[] Ys) Downsample(double[] xs, double[] ys, int maxPoints)
    {
        int n = Math.Min(xs.Length, ys.Length);
        if (n <= maxPoints) return (xs[..n], ys[..n]);
        int buckets = maxPoints / 2;
        var ox = new List<double>(maxPoints);
        var oy = new List<double>(maxPoints);
        for (int b = 0; b < buckets; b++)
        {
            int from = (int)((long)b * n / buckets), to = (int)((long)(b + 1) * n / buckets);
            int iMin = from, iMax = from;
            for (int i = from; i < to; i++)
            {
                if (ys[i] < ys[iMin]) iMin = i;
                if (ys[i] > ys[iMax]) iMax = i;
            }
            int first = Math.Min(iMin, iMax), second = Math.Max(iMin, iMax);
            ox.Add(xs[first]); oy.Add(ys[first]);
            if (second != first) { ox.Add(xs[second]); oy.Add(ys[second]); }
        }
        return (ox.ToArray(), oy.ToArray());
    }

    // ISO-style dates: "01/07/2024" reads differently either side of the Atlantic.
    static void DateAxis(Plot plot)
    {
        var axis = plot.Axes.DateTimeTicksBottom();
        if (axis.TickGenerator is ScottPlot.TickGenerators.DateTimeAutomatic auto)
            auto.LabelFormatter = d => d.ToString(d.Month == 1 && d.Day == 1 ? "yyyy" : "yyyy-MM", System.Globalization.CultureInfo.InvariantCulture);
    }

    static Plot NewPlot(string title, string yLabel)
    {
        var plot = new Plot();
        plot.Font.Set("DejaVu Sans"); // the sans face Debian ships; ScottPlot falls back if absent
        plot.Title(title, 14);
        plot.YLabel(yLabel, 12);
        return plot;
    }

    static string Svg(Plot plot, bool legend, int width = Width, int height = Height)
    {
        if (legend)
        {
            plot.ShowLegend(Alignment.UpperLeft);
        }
        var svg = plot.GetSvgXml(width, height);
        // Inline SVG in HTML needs no XML prolog or namespace declarations; dropping them keeps the file free of URLs.
        int start = svg.IndexOf("<svg", StringComparison.Ordinal);
        if (start > 0) svg = svg[start..];
        svg = svg.Replace(" xmlns=\"http://www.w3.org/2000/svg\"", "", StringComparison.Ordinal)
                 .Replace(" xmlns:xlink=\"http://www.w3.org/1999/xlink\"", "", StringComparison.Ordinal);
        // A viewBox lets CSS scale the chart down (side-by-side charts) without cropping it.
        var open = $"<svg width=\"{width}\" height=\"{height}\"";
        if (!svg.StartsWith(open, StringComparison.Ordinal))
            throw new InvalidOperationException("Unexpected SVG header from ScottPlot: " + svg[..Math.Min(80, svg.Length)]);
        return open + $" viewBox=\"0 0 {width} {height}\"" + svg[open.Length..];
    }
}
