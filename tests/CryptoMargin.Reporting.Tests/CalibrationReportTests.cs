using System.Text;
using System.Text.RegularExpressions;
using CryptoMargin.Reporting;

namespace CryptoMargin.Reporting.Tests;

public class CalibrationReportTests
{
    const int ChartsPerAsset = 6; // price, returns, margin vs losses, frontier, QQ, volatility

    static int Count(string s, string sub) => Regex.Matches(s, Regex.Escape(sub)).Count;

    [Fact]
    public void Html_is_one_document_with_every_section_and_chart()
    {
        var html = CalibrationReport.Render(SampleReportModel.Build());
        Assert.StartsWith("<!DOCTYPE html>", html);
        Assert.Equal(1, Count(html, "<html"));
        Assert.Equal(1, Count(html, "</html>"));
        Assert.Equal(1, Count(html, "<body>"));
        foreach (var s in new[] { "summary", "prices", "margin", "frontier", "model", "stress", "tiers", "tests", "normal-var" })
            Assert.Equal(1, Count(html, $"data-section=\"{s}\""));
        Assert.Equal(ChartsPerAsset, Count(html, "<svg"));
        Assert.Equal(ChartsPerAsset, Count(html, "</svg>"));
        Assert.Contains("Fallback policy", html);
        Assert.Contains("9.12%", html); // IM
        Assert.Contains("4.56%", html); // MM
        Assert.Contains("exceedance rate consistent with 99%", html);
    }

    [Fact]
    public void Charts_per_asset_scale_with_the_number_of_assets()
    {
        var one = SampleReportModel.Build();
        var two = one with { Assets = [one.Assets[0], SampleReportModel.Build(seed: 8, asset: "ETH").Assets[0]] };
        var html = CalibrationReport.Render(two);
        Assert.Equal(2 * ChartsPerAsset, Count(html, "<svg"));
        Assert.Equal(2, Count(html, "class=\"asset\""));
    }

    [Fact]
    public void Html_is_self_contained()
    {
        var html = CalibrationReport.Render(SampleReportModel.Build());
        Assert.DoesNotContain("http", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<link", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("@import", html, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Text_from_the_model_is_escaped()
    {
        var m = SampleReportModel.Build(asset: "<script>alert(1)</script>");
        m = m with { Title = "A & B <b>" };
        var html = CalibrationReport.Render(m);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", html);
        Assert.Contains("A &amp; B &lt;b&gt;", html);
        Assert.DoesNotContain("<b>A", html);
    }

    [Fact]
    public void Same_model_gives_same_bytes()
    {
        var a = Encoding.UTF8.GetBytes(CalibrationReport.Render(SampleReportModel.Build()));
        var b = Encoding.UTF8.GetBytes(CalibrationReport.Render(SampleReportModel.Build()));
        Assert.Equal(a, b);
        var c = Encoding.UTF8.GetBytes(CalibrationReport.Render(SampleReportModel.Build(seed: 99)));
        Assert.NotEqual(a, c);
    }

    [Fact]
    public void Long_history_stays_small()
    {
        var html = CalibrationReport.Render(SampleReportModel.Build(days: 4600));
        Assert.True(html.Length < 1_500_000, $"report is {html.Length} chars");
        foreach (Match svg in Regex.Matches(html, "<svg.*?</svg>", RegexOptions.Singleline))
            Assert.True(svg.Length < 250_000, $"one chart is {svg.Length} chars");
    }

    [Fact]
    public void Exceedances_and_findings_are_counted_in_the_text()
    {
        var m = SampleReportModel.Build();
        var a = m.Assets[0];
        var html = CalibrationReport.Render(m);
        Assert.Contains($"{a.Backtest.Exceedances.Count(e => e)} exceedances in {a.Backtest.Dates.Count} days", html);
        Assert.Contains($"Validation findings ({a.Findings.Count})", html);
        Assert.Contains("no limit", html); // uncapped top tier
    }

    [Fact]
    public void Downsample_keeps_extremes_and_bounds_points()
    {
        int n = 5000;
        var xs = Enumerable.Range(0, n).Select(i => (double)i).ToArray();
        var ys = xs.Select(x => Math.Sin(x / 50)).ToArray();
        ys[1234] = 10; ys[4321] = -10;
        var (dx, dy) = ReportCharts.Downsample(xs, ys, 1000);
        Assert.True(dx.Length <= 1000);
        Assert.Contains(10.0, dy);
        Assert.Contains(-10.0, dy);
        Assert.Equal(dx.OrderBy(x => x).ToArray(), dx);
    }

    [Fact]
    public void Student_t_quantile_has_unit_variance_scaling()
    {
        var t = new ResidualDiagnostics([], "t", 5);
        // t5 0.99 quantile 3.3649 (tables) × √(3/5)
        Assert.Equal(3.3649 * Math.Sqrt(0.6), ReportCharts.TheoreticalQuantile(t, 0.99), 3);
        Assert.Equal(2.3263, ReportCharts.TheoreticalQuantile(new ResidualDiagnostics([], "normal", null), 0.99), 3);
    }

    // The render-check script (scripts/render-report.sh) needs a report: set CRYPTOMARGIN_REPORT_SAMPLE=PATH.
    [Fact]
    public void Writes_sample_report()
    {
        var path = Environment.GetEnvironmentVariable("CRYPTOMARGIN_REPORT_SAMPLE");
        bool keep = !string.IsNullOrEmpty(path);
        if (!keep) path = Path.Combine(Path.GetTempPath(), $"cryptomargin-sample-{Environment.ProcessId}.html");
        var html = CalibrationReport.Render(SampleReportModel.Build(days: 1500));
        File.WriteAllText(path!, html, new UTF8Encoding(false));
        Assert.Equal(html, File.ReadAllText(path!));
        if (!keep) File.Delete(path!);
    }
}

public class CalibrationReportEdgeTests
{
    [Fact]
    public void Clip_ids_are_unique_across_charts_and_assets()
    {
        var one = SampleReportModel.Build();
        var html = CalibrationReport.Render(one with { Assets = [one.Assets[0], SampleReportModel.Build(seed: 3, asset: "ETH").Assets[0]] });
        var ids = Regex.Matches(html, "<clipPath id=\"([^\"]+)\"").Select(m => m.Groups[1].Value).ToArray();
        Assert.NotEmpty(ids);
        Assert.Equal(ids.Length, ids.Distinct().Count());
        Assert.DoesNotContain("cl_", html);
    }

    [Fact]
    public void No_fallback_no_banner_and_failing_test_shows_fail()
    {
        var m = SampleReportModel.Build();
        var a = m.Assets[0];
        var html = CalibrationReport.Render(m with { Assets = [a with { Policy = a.Policy with { Fallback = false, FallbackReason = null } }] });
        Assert.DoesNotContain("class=\"banner\"", html);
        Assert.Contains("<span class=\"badge fail\">ES backtest (Acerbi–Szekely Z2) (holdout): fail</span>", html);
    }

    [Fact]
    public void Sparse_model_still_renders()
    {
        var m = SampleReportModel.Build(days: 60);
        var a = m.Assets[0] with
        {
            Findings = [], Frontier = [], Residuals = new ResidualDiagnostics([], "normal", null), StressWindows = [], Tiers = [],
            HoldoutTests = [], NormalVarComparison = null,
            Backtest = m.Assets[0].Backtest with { HoldoutStart = null },
        };
        var html = CalibrationReport.Render(m with { Assets = [a] });
        Assert.Equal(6, Regex.Matches(html, "<svg").Count);
        Assert.DoesNotContain("data-section=\"normal-var\"", html);
        Assert.Contains("No holdout.", html);
    }
}
