using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using ScottPlot;
using SkiaSharp;

namespace CryptoMargin.Reporting;

/// <summary>
/// Charts of a fitted implied-volatility surface, as SVG and PNG, drawn by ScottPlot 5 onto one Skia canvas:
/// <list type="bullet">
/// <item><b>Smiles</b>: a grid of panels, one per expiry (3 columns up to 9 expiries, 4 above), each with the market
/// vols (dots), the bid–ask implied-vol range as error bars where both sides are known, and the fitted smile
/// σ(k) as a line; x = log-moneyness k = ln(K/F), y = implied vol in % (vol points).</item>
/// <item><b>Total variance</b>: w(k, T) = σ(k, T)² T (Gatheral 2004, <i>A parsimonious arbitrage-free implied volatility
/// parameterization</i>; Gatheral &amp; Jacquier 2014, <i>Arbitrage-free SVI volatility surfaces</i>, §2) as one curve per
/// expiry coloured by T (viridis, short = dark), market w as dots. Curves that cross mean calendar arbitrage
/// (w must not decrease in T at fixed k, Gatheral–Jacquier Lemma 2.1).</item>
/// </list>
/// Each curve is drawn over its own quotes' k-range widened by 10 % a side: a fit says nothing far beyond its quotes.
/// Deterministic: no clock is read, and Skia's process-wide clip-path ids are renumbered per file, so the same model
/// gives the same bytes.
/// </summary>
public static class SurfaceCharts
{
    /// <summary>Pixel size of one smile panel; the smile image is <see cref="Columns"/> panels wide, below a title band of <see cref="HeaderHeight"/>.</summary>
    public const int PanelWidth = 420;

    /// <inheritdoc cref="PanelWidth"/>
    public const int PanelHeight = 300;

    /// <summary>Height of the title band above the charts, pixels.</summary>
    public const int HeaderHeight = 36;

    /// <summary>Pixel size of the total-variance chart (below the title band).</summary>
    public const int VarianceWidth = 1000;

    /// <inheritdoc cref="VarianceWidth"/>
    public const int VarianceHeight = 560;
    const int CurvePoints = 161;
    const double Widen = 0.10;

    static readonly Color Blue = Color.FromHex("#1f5fa8");
    static readonly Color Red = Color.FromHex("#c0392b");
    static readonly Color Grey = Color.FromHex("#7f8c8d");
    static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>The smile grid as a standalone SVG document.</summary>
    public static string SmilesSvg(SurfaceChartModel model) => Svg(SmilesLayout(model));

    /// <summary>The smile grid as PNG bytes.</summary>
    public static byte[] SmilesPng(SurfaceChartModel model) => Png(SmilesLayout(model));

    /// <summary>The total-variance curves w(k) = σ²T, one per expiry, as a standalone SVG document.</summary>
    public static string TotalVarianceSvg(SurfaceChartModel model) => Svg(VarianceLayout(model));

    /// <summary>The total-variance curves as PNG bytes.</summary>
    public static byte[] TotalVariancePng(SurfaceChartModel model) => Png(VarianceLayout(model));

    /// <summary>Columns of the smile grid for <paramref name="panels"/> expiries: 1, 2 up to 4, 3 up to 9, else 4.</summary>
    public static int Columns(int panels) => panels <= 1 ? 1 : panels <= 4 ? 2 : panels <= 9 ? 3 : 4;

    sealed record Layout(int Width, int Height, string Title, IReadOnlyList<(Plot Plot, PixelRect Rect)> Panels);

    static void Check(SurfaceChartModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (model.Slices.Count == 0) throw new ArgumentException("the surface has no slices to chart", nameof(model));
        foreach (var s in model.Slices)
        {
            if (s.Quotes.Count == 0) throw new ArgumentException($"slice '{s.Label}' has no quotes to chart", nameof(model));
            if (!(s.T > 0) || !double.IsFinite(s.T)) throw new ArgumentException($"slice '{s.Label}' has t = {s.T}; t must be positive", nameof(model));
            if (s.Quotes.Any(q => !double.IsFinite(q.LogMoneyness) || !double.IsFinite(q.MarketVol)))
                throw new ArgumentException($"slice '{s.Label}' has a quote with a non-finite log-moneyness or market vol", nameof(model));
        }
    }

    static string Title(SurfaceChartModel m, string what) =>
        $"{m.Underlying} · {m.Model} · {what}" + (m.ValuationTime is { } v ? " · " + v.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", Inv) : "");

    static Layout SmilesLayout(SurfaceChartModel model)
    {
        Check(model);
        int n = model.Slices.Count, cols = Columns(n), rows = (n + cols - 1) / cols;
        bool exact = model.Slices.All(s => s.FittedVolIsExact);
        var panels = new List<(Plot, PixelRect)>();
        for (int i = 0; i < n; i++)
        {
            var plot = SmilePanel(model.Slices[i], model.Model, legend: i == 0);
            float left = (i % cols) * PanelWidth, top = HeaderHeight + (i / cols) * PanelHeight;
            panels.Add((plot, new PixelRect(left, left + PanelWidth, top + PanelHeight, top)));
        }
        string what = "fitted smiles (line) against market vols (dots; bars: bid–ask IV)" + (exact ? "" : "; dashed: model vols joined at the quotes");
        return new Layout(cols * PanelWidth, HeaderHeight + rows * PanelHeight, Title(model, what), panels);
    }

    static Plot SmilePanel(SmileChartSlice s, string model, bool legend)
    {
        var plot = NewPlot();
        // A slice known only by t (surface files) is labelled "t = …" already: no second t.
        string t = s.Label.StartsWith("t = ", StringComparison.Ordinal) ? "" : $"   t = {s.T.ToString("0.000", Inv)}";
        plot.Title($"{s.Label}{t}   F = {s.Forward.ToString("#,0", Inv)}", 11);
        plot.XLabel("log-moneyness k = ln(K/F)", 11);
        plot.YLabel("implied vol (%)", 11);

        var withSpread = s.Quotes.Where(q => q.BidVol is double b && q.AskVol is double a && double.IsFinite(b) && double.IsFinite(a)).ToArray();
        if (withSpread.Length > 0)
        {
            var xs = withSpread.Select(q => q.LogMoneyness).ToArray();
            var ys = withSpread.Select(q => 100 * q.MarketVol).ToArray();
            // Asymmetric bars from the market vol down to the bid IV and up to the ask IV (clipped at 0 where the mark lies outside).
            var up = withSpread.Select(q => Math.Max(0, 100 * (q.AskVol!.Value - q.MarketVol))).ToArray();
            var down = withSpread.Select(q => Math.Max(0, 100 * (q.MarketVol - q.BidVol!.Value))).ToArray();
            var bars = new ScottPlot.Plottables.ErrorBar(xs, ys, null, null, up, down) { LegendText = "bid–ask IV" };
            bars.LineStyle.Color = Grey.WithAlpha(0.7);
            bars.LineStyle.Width = 1;
            plot.Add.Plottable(bars);
        }

        var mid = plot.Add.ScatterPoints(s.Quotes.Select(q => q.LogMoneyness).ToArray(), s.Quotes.Select(q => 100 * q.MarketVol).ToArray(), Blue);
        mid.MarkerSize = 5;
        mid.LegendText = "market vol";

        var (kx, vy) = Curve(s, k => 100 * s.FittedVol(k));
        if (kx.Length > 1)
        {
            var fit = plot.Add.ScatterLine(kx, vy, Red);
            fit.LineWidth = 1.6f;
            fit.LegendText = s.FittedVolIsExact ? model + " fit" : model + " (at quotes)";
            if (!s.FittedVolIsExact) fit.LinePattern = LinePattern.Dashed;
        }
        if (legend) plot.ShowLegend(Alignment.UpperCenter);
        else plot.HideLegend(); // one legend for the grid: every panel draws the same three things
        return plot;
    }

    static Layout VarianceLayout(SurfaceChartModel model)
    {
        Check(model);
        var plot = NewPlot();
        plot.XLabel("log-moneyness k = ln(K/F)", 12);
        plot.YLabel("total variance w = σ²T", 12);
        var slices = model.Slices.OrderBy(s => s.T).ToArray();
        IColormap colormap = new ScottPlot.Colormaps.Viridis();
        double wMax = 0;
        for (int j = 0; j < slices.Length; j++)
        {
            var s = slices[j];
            // By rank of T, not T itself: crypto chains crowd many expiries into the first weeks, which a linear T scale
            // would paint one colour. 0 → dark purple (shortest), 0.9 → yellow-green (longest; viridis's last tenth is
            // too pale on white).
            double f = slices.Length > 1 ? 0.9 * j / (slices.Length - 1) : 0;
            var c = colormap.GetColor(f);
            var (kx, wy) = Curve(s, k => { double v = s.FittedVol(k); return v * v * s.T; });
            if (kx.Length > 1)
            {
                var line = plot.Add.ScatterLine(kx, wy, c);
                line.LineWidth = 1.6f;
                if (!s.FittedVolIsExact) line.LinePattern = LinePattern.Dashed;
                line.LegendText = $"{s.Label} (t = {s.T.ToString("0.000", Inv)})";
                wMax = Math.Max(wMax, wy.Max());
            }
            var pts = plot.Add.ScatterPoints(s.Quotes.Select(q => q.LogMoneyness).ToArray(), s.Quotes.Select(q => q.MarketVol * q.MarketVol * s.T).ToArray(), c.WithAlpha(0.55));
            pts.MarkerSize = 4;
            wMax = Math.Max(wMax, s.Quotes.Max(q => q.MarketVol * q.MarketVol * s.T));
        }
        plot.Axes.AutoScale();
        if (wMax > 0) plot.Axes.SetLimitsY(0, 1.05 * wMax); // w ≥ 0: the axis starts at 0
        plot.ShowLegend(Edge.Right);
        string what = "total variance w(k, T) = σ²T: fitted curves by expiry, market as dots";
        return new Layout(VarianceWidth, HeaderHeight + VarianceHeight, Title(model, what),
            [(plot, new PixelRect(0, VarianceWidth, HeaderHeight + VarianceHeight, HeaderHeight))]);
    }

    // The fitted curve on the quotes' k-range widened by 10 % a side; points where the model gives no finite vol are dropped.
    static (double[] K, double[] Y) Curve(SmileChartSlice s, Func<double, double> y)
    {
        double lo = s.Quotes.Min(q => q.LogMoneyness), hi = s.Quotes.Max(q => q.LogMoneyness);
        double pad = s.FittedVolIsExact ? Widen * Math.Max(hi - lo, 0.02) : 0;
        lo -= pad;
        hi += pad;
        var ks = new List<double>(CurvePoints);
        var ys = new List<double>(CurvePoints);
        for (int i = 0; i < CurvePoints; i++)
        {
            double k = lo + (hi - lo) * i / (CurvePoints - 1);
            double v = y(k);
            if (double.IsFinite(v)) { ks.Add(k); ys.Add(v); }
        }
        return (ks.ToArray(), ys.ToArray());
    }

    static Plot NewPlot()
    {
        var plot = new Plot();
        plot.Font.Set("DejaVu Sans"); // the sans face Debian ships; ScottPlot falls back if absent
        // ScottPlot's clear to transparent reaches an SVG as a black rectangle under the white figure background, whose
        // edges show as dark hairlines when a browser scales the chart; the figure background alone is enough.
        plot.RenderManager.ClearCanvasBeforeEachRender = false;
        return plot;
    }

    static void Draw(SKCanvas canvas, Layout layout)
    {
        canvas.Clear(SKColors.White);
        using var font = new SKFont(SKTypeface.FromFamilyName("DejaVu Sans", SKFontStyle.Bold), 15);
        using var paint = new SKPaint { Color = new SKColor(0x22, 0x22, 0x22), IsAntialias = true };
        canvas.DrawText(layout.Title, 12, HeaderHeight - 12, SKTextAlign.Left, font, paint);
        foreach (var (plot, rect) in layout.Panels)
        {
            // The clip keeps each panel (its figure background included) to its own rectangle.
            canvas.Save();
            canvas.ClipRect(new SKRect(rect.Left, rect.Top, rect.Right, rect.Bottom));
            // ScottPlot draws a plot a second time when its first render changes the axis limits (auto-scaling): a
            // throwaway render first settles them, so the file holds every element once.
            plot.RenderInMemory((int)rect.Width, (int)rect.Height);
            plot.Render(canvas, rect);
            canvas.Restore();
        }
    }

    static byte[] Png(Layout layout)
    {
        using var surface = SKSurface.Create(new SKImageInfo(layout.Width, layout.Height, SKColorType.Rgba8888, SKAlphaType.Premul))
            ?? throw new InvalidOperationException($"Skia could not create a {layout.Width}×{layout.Height} surface");
        Draw(surface.Canvas, layout);
        surface.Canvas.Flush();
        using var image = surface.Snapshot();
        using var data = image.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }

    static string Svg(Layout layout)
    {
        using var stream = new MemoryStream();
        using (var canvas = SKSvgCanvas.Create(SKRect.Create(layout.Width, layout.Height), stream))
            Draw(canvas, layout);
        var svg = Encoding.UTF8.GetString(stream.ToArray());
        // A viewBox lets a browser scale the chart to its container without cropping it.
        var open = $"<svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:xlink=\"http://www.w3.org/1999/xlink\" width=\"{layout.Width}\" height=\"{layout.Height}\"";
        int at = svg.IndexOf(open, StringComparison.Ordinal);
        if (at >= 0) svg = svg[..(at + open.Length)] + $" viewBox=\"0 0 {layout.Width} {layout.Height}\"" + svg[(at + open.Length)..];
        return RenumberClipIds(svg);
    }

    /// <summary>
    /// Skia's SVG writer names clip paths from a process-wide counter (<c>cl_8b</c>, …), so the same chart gets other ids
    /// on a second render; renumbering in order of appearance (<c>clip0</c>, <c>clip1</c>, …) keeps the bytes stable.
    /// </summary>
    internal static string RenumberClipIds(string svg)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        return Regex.Replace(svg, "\\bcl_[0-9a-f]+\\b", m =>
        {
            if (!map.TryGetValue(m.Value, out var id)) map[m.Value] = id = "clip" + map.Count.ToString(CultureInfo.InvariantCulture);
            return id;
        });
    }

    /// <summary>A standalone SVG document made fit to inline in HTML: no XML prolog, no namespace declarations.</summary>
    internal static string ForInlining(string svg)
    {
        int start = svg.IndexOf("<svg", StringComparison.Ordinal);
        if (start > 0) svg = svg[start..];
        return svg.Replace(" xmlns=\"http://www.w3.org/2000/svg\"", "", StringComparison.Ordinal)
                  .Replace(" xmlns:xlink=\"http://www.w3.org/1999/xlink\"", "", StringComparison.Ordinal);
    }
}
