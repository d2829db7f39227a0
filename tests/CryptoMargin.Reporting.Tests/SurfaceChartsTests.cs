using System.Globalization;
using System.Xml.Linq;
using CryptoMargin.Surfaces;

namespace CryptoMargin.Reporting.Tests;

public class SurfaceChartsTests
{
    // Gatheral–Jacquier (2014) §5.1: raw SVI a = 0.04, b = 0.4, ρ = −0.4, m = 0, σ = 0.1 — a smile of known shape; each
    // expiry here scales a by t so that w rises with T (no calendar arbitrage).
    private static SurfaceChartModel Model(int expiries, bool withSpread = true)
    {
        var slices = new List<SmileChartSlice>();
        for (int j = 0; j < expiries; j++)
        {
            double t = 0.05 * (j + 1);
            var p = new SviParameters(0.04 * t, 0.4 * Math.Sqrt(t), -0.4, 0, 0.1);
            var quotes = new List<SmileQuote>();
            for (int i = -6; i <= 6; i++)
            {
                double k = 0.05 * i, vol = p.ImpliedVolatility(k, t) + 0.002 * Math.Sin(i);
                quotes.Add(new SmileQuote(k, 100 * Math.Exp(k), vol, withSpread ? vol - 0.01 : null, withSpread ? vol + 0.012 : null));
            }
            slices.Add(new SmileChartSlice($"2026-0{1 + j % 9}-15 #{j}", t, 100, quotes, k => p.ImpliedVolatility(k, t), true,
                [new("a", p.A), new("b", p.B), new("rho", p.Rho), new("m", p.M), new("sigma", p.Sigma)], 0.0012 * (j + 1), 0.003 * (j + 1)));
        }
        return new SurfaceChartModel("svi", "TEST", new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero), slices);
    }

    private static XDocument Xml(string svg) => XDocument.Parse(svg);

    private static string[] Texts(XDocument d) => [.. d.Descendants().Where(e => e.Name.LocalName == "text").Select(e => e.Value.Trim())];

    [Theory]
    [InlineData(1, 1)]
    [InlineData(4, 2)]
    [InlineData(5, 3)]
    [InlineData(9, 3)]
    [InlineData(12, 4)]
    public void Smile_grid_has_one_titled_panel_per_expiry(int expiries, int columns)
    {
        var model = Model(expiries);
        Assert.Equal(columns, SurfaceCharts.Columns(expiries));
        var texts = Texts(Xml(SurfaceCharts.SmilesSvg(model)));
        foreach (var s in model.Slices)
            Assert.Single(texts, t => t.StartsWith(s.Label + " t = ", StringComparison.Ordinal));
        Assert.Equal(expiries, texts.Count(t => t.Contains("log-moneyness", StringComparison.Ordinal)));
        var png = SurfaceCharts.SmilesPng(model);
        int rows = (expiries + columns - 1) / columns;
        Assert.Equal(columns * SurfaceCharts.PanelWidth, System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16, 4)));
        Assert.Equal(SurfaceCharts.HeaderHeight + rows * SurfaceCharts.PanelHeight, System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20, 4)));
    }

    [Fact]
    public void Legend_names_the_bid_ask_bars_only_where_there_are_some()
    {
        Assert.Contains("bid–ask IV", Texts(Xml(SurfaceCharts.SmilesSvg(Model(3)))));
        Assert.DoesNotContain("bid–ask IV", Texts(Xml(SurfaceCharts.SmilesSvg(Model(3, withSpread: false)))));
    }

    [Fact]
    public void Total_variance_chart_lists_every_expiry_and_starts_at_zero()
    {
        var model = Model(6);
        var texts = Texts(Xml(SurfaceCharts.TotalVarianceSvg(model)));
        foreach (var s in model.Slices)
            Assert.Contains($"{s.Label} (t = {s.T.ToString("0.000", CultureInfo.InvariantCulture)})", texts);
        Assert.Contains("total variance w = σ²T", texts);
        Assert.Contains("0", texts); // the y axis starts at w = 0
    }

    [Fact]
    public void Same_model_gives_the_same_bytes_though_skia_numbers_clip_paths_per_process()
    {
        var model = Model(5);
        Assert.Equal(SurfaceCharts.SmilesSvg(model), SurfaceCharts.SmilesSvg(model));
        Assert.Equal(SurfaceCharts.TotalVarianceSvg(model), SurfaceCharts.TotalVarianceSvg(model));
        Assert.Equal(SurfaceCharts.SmilesPng(model), SurfaceCharts.SmilesPng(model));
        var report = new SurfaceReportModel(model, "test.csv", 200, 65, 10, [new("crossed", 10)], 0.004, 0.02, null, true, 0, 1, "grid note");
        Assert.Equal(SurfaceReport.Render(report), SurfaceReport.Render(report));
        // From charts drawn beforehand (as the CLI does when it also writes them): the same page.
        Assert.Equal(SurfaceReport.Render(report), SurfaceReport.Render(report, SurfaceCharts.SmilesSvg(model), SurfaceCharts.TotalVarianceSvg(model)));
        Assert.DoesNotContain("cl_", SurfaceCharts.SmilesSvg(model), StringComparison.Ordinal);
    }

    [Fact]
    public void Report_has_summary_table_findings_and_unique_clip_ids()
    {
        var model = Model(4);
        var html = SurfaceReport.Render(new SurfaceReportModel(model, "chain.csv.gz", 300, 52, 7, [new("crossed", 4), new("wide_spread", 3)],
            0.00456, 0.0234, [new("rho", -0.25)], false, 3, 0, "grid points with g(k) < 0"));
        Assert.Contains("0.46 vol pts", html, StringComparison.Ordinal);
        Assert.Contains("2.34 vol pts", html, StringComparison.Ordinal);
        Assert.Contains("52 used of 300", html, StringComparison.Ordinal);
        Assert.Contains("crossed 4, wide_spread 3", html, StringComparison.Ordinal);
        Assert.Contains("rho = -0.25", html, StringComparison.Ordinal);
        Assert.Contains("did not converge", html, StringComparison.Ordinal);
        Assert.Contains("Butterfly violations: <b>3</b>; calendar violations: <b>0</b>", html, StringComparison.Ordinal);
        Assert.Contains("2026-01-02 03:04:05 UTC", html, StringComparison.Ordinal);
        foreach (var s in model.Slices)
            Assert.Contains($"<tr><td>{s.Label}</td><td class=\"n\">{s.T.ToString("0.0000", CultureInfo.InvariantCulture)}</td>", html, StringComparison.Ordinal);
        // Two inline SVGs in one page: their clip-path ids must not collide.
        var ids = System.Text.RegularExpressions.Regex.Matches(html, "<clipPath\\s+id=\"([^\"]+)\"").Select(m => m.Groups[1].Value).ToArray();
        Assert.NotEmpty(ids);
        Assert.Equal(ids.Length, ids.Distinct().Count());
    }

    [Fact]
    public void Svg_draws_no_black_clear_rectangle_under_the_panels()
    {
        // ScottPlot's clear-to-transparent reached the SVG as an unfilled (= black) rectangle whose edges showed as dark
        // hairlines once a browser scaled the chart. Every drawn rectangle (not a clip region) must say its fill.
        foreach (var svg in new[] { SurfaceCharts.SmilesSvg(Model(5)), SurfaceCharts.TotalVarianceSvg(Model(5)) })
        {
            var drawn = Xml(svg).Descendants().Where(e => e.Name.LocalName == "rect" && e.Parent!.Name.LocalName != "clipPath").ToArray();
            Assert.NotEmpty(drawn);
            Assert.All(drawn, r => Assert.NotNull(r.Attribute("fill")));
        }
    }

    [Fact]
    public void Chromium_renders_the_surface_report_with_its_charts()
    {
        // The report as a person sees it (needs Debian's chromium; skips where absent): fitted curves (red) and market
        // dots (blue) must show, and the page must not be blank.
        string? chromium = new[] { "/usr/bin/chromium", "/usr/bin/chromium-browser" }.FirstOrDefault(File.Exists);
        Assert.SkipWhen(chromium is null, "chromium is not installed (apt-get install chromium)");
        var dir = Directory.CreateTempSubdirectory("cm-surface-render-").FullName;
        try
        {
            var html = Path.Combine(dir, "surface.html");
            var png = Path.Combine(dir, "surface.png");
            File.WriteAllText(html, SurfaceReport.Render(new SurfaceReportModel(Model(6), "chain.csv", 100, 78, 2, [], 0.003, 0.01, null, true, 0, 0, "grid")));
            var start = new System.Diagnostics.ProcessStartInfo(chromium!)
            {
                ArgumentList =
                {
                    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                    "--disable-sync", "--no-first-run", "--hide-scrollbars", $"--user-data-dir={Path.Combine(dir, "profile")}",
                    "--window-size=1320,2400", $"--screenshot={png}", "file://" + html,
                },
                RedirectStandardError = true,
                RedirectStandardOutput = true,
            };
            using (var process = System.Diagnostics.Process.Start(start)!)
            {
                _ = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
                _ = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
                Assert.True(process.WaitForExit(60_000), "chromium did not finish in 60 s");
            }
            using var bitmap = SkiaSharp.SKBitmap.Decode(png);
            int red = 0, blue = 0, ink = 0, total = 0;
            for (int y = 0; y < bitmap.Height; y += 2)
                for (int x = 0; x < bitmap.Width; x += 2)
                {
                    var c = bitmap.GetPixel(x, y);
                    total++;
                    if (c.Red < 200 || c.Green < 200 || c.Blue < 200) ink++;
                    if (c.Red > 150 && c.Green < 100 && c.Blue < 90) red++;                  // fitted smiles (#c0392b)
                    if (c.Blue > 120 && c.Red < 100 && c.Blue > c.Red + 60) blue++;          // market dots (#1f5fa8)
                }
            Assert.InRange(ink / (double)total, 0.02, 0.8);
            Assert.True(red > 300, $"only {red} red pixels sampled");
            Assert.True(blue > 100, $"only {blue} blue pixels sampled");
        }
        finally
        {
            try { Directory.Delete(dir, true); } catch (IOException) { }
        }
    }

    [Fact]
    public void Bad_models_are_refused_with_the_reason()
    {
        var empty = new SurfaceChartModel("svi", "X", null, []);
        Assert.Contains("no slices", Assert.Throws<ArgumentException>(() => SurfaceCharts.SmilesSvg(empty)).Message, StringComparison.Ordinal);
        var good = Model(2);
        var noQuotes = good with { Slices = [good.Slices[0] with { Quotes = [] }] };
        Assert.Contains(good.Slices[0].Label, Assert.Throws<ArgumentException>(() => SurfaceCharts.TotalVariancePng(noQuotes)).Message, StringComparison.Ordinal);
        var badT = good with { Slices = [good.Slices[0] with { T = 0 }] };
        Assert.Contains("t must be positive", Assert.Throws<ArgumentException>(() => SurfaceCharts.SmilesPng(badT)).Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentNullException>(() => SurfaceReport.Render(null!));
    }
}
