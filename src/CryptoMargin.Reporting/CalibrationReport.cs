using System.Globalization;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;

namespace CryptoMargin.Reporting;

/// <summary>
/// Renders a calibration as one self-contained HTML file: inline CSS, charts as inline SVG, no scripts and no
/// external references. Deterministic: the same model gives the same bytes (no clock is read).
/// </summary>
public static class CalibrationReport
{
    static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static string Render(CalibrationReportModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var h = new StringBuilder(256 * 1024);
        var ids = new SvgIds();
        h.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>")
         .Append(E(model.Title)).Append("</title>\n<style>").Append(Css).Append("</style>\n</head>\n<body>\n");
        h.Append("<header><h1>").Append(E(model.Title)).Append("</h1>\n");
        if (model.GeneratedFrom.Count > 0)
        {
            h.Append("<p class=\"prov\">Generated from:</p><ul class=\"prov\">");
            foreach (var f in model.GeneratedFrom)
                h.Append("<li><code>").Append(E(f.Path)).Append("</code> sha256 <code>").Append(E(f.Sha256)).Append("</code></li>");
            h.Append("</ul>\n");
        }
        h.Append("<nav>");
        for (int i = 0; i < model.Assets.Count; i++)
            h.Append("<a href=\"#asset-").Append(i).Append("\">").Append(E(model.Assets[i].Asset)).Append("</a> ");
        h.Append("</nav></header>\n");
        for (int i = 0; i < model.Assets.Count; i++) Asset(h, model.Assets[i], i, ids);
        h.Append("</body>\n</html>\n");
        return h.ToString();
    }

    static void Asset(StringBuilder h, AssetReport a, int i, SvgIds ids)
    {
        var p = a.Policy;
        h.Append("<section class=\"asset\" id=\"asset-").Append(i).Append("\">\n<h2>").Append(E(a.Asset)).Append("</h2>\n");

        // Summary card
        h.Append("<div class=\"card\" data-section=\"summary\">\n");
        if (p.Fallback)
            h.Append("<div class=\"banner\">Fallback policy: ").Append(E(p.FallbackReason ?? "no candidate passed")).Append("</div>\n");
        h.Append("<div class=\"kpis\"><div><span>Initial margin</span><b>").Append(Pct(p.InitialMarginRate)).Append("</b></div>")
         .Append("<div><span>Maintenance margin</span><b>").Append(Pct(p.MaintenanceMarginRate)).Append("</b></div>")
         .Append("<div><span>Method</span><b>").Append(E(p.Method)).Append("</b></div>")
         .Append("<div><span>Confidence · MPOR</span><b>").Append(Pct(p.Confidence)).Append(" · ").Append(p.MporDays).Append(" d</b></div>")
         .Append("<div><span>Lookback</span><b>").Append(p.LookbackDays).Append(" d</b></div>")
         .Append("<div><span>EWMA λ</span><b>").Append(p.Lambda is { } l ? l.ToString("0.###", Inv) : "–").Append("</b></div></div>\n")
         .Append("<p>APC: ").Append(E(p.Apc)).Append("</p>\n<p class=\"badges\">");
        foreach (var (label, tests) in new[] { ("whole history", a.WholeHistoryTests), ("holdout", a.HoldoutTests) })
            foreach (var t in tests)
                h.Append("<span class=\"badge ").Append(t.Passes ? "pass" : "fail").Append("\">")
                 .Append(E(t.Name)).Append(" (").Append(label).Append("): ").Append(t.Passes ? "pass" : "fail").Append("</span> ");
        h.Append("</p>\n</div>\n");

        Section(h, "prices", "Price and returns",
            $"Validation findings ({a.Findings.Count}) are circled on the price and dashed on the returns.");
        h.Append(Chart(ids, ReportCharts.Price(a))).Append(Chart(ids, ReportCharts.Returns(a)));
        if (a.Findings.Count > 0)
        {
            h.Append("<details><summary>Validation findings</summary><table><tr><th>Date</th><th>Index</th><th>Kind</th><th>Detail</th></tr>");
            foreach (var f in a.Findings)
                h.Append("<tr><td>").Append(D(f.Date)).Append("</td><td class=\"n\">").Append(f.Index).Append("</td><td>")
                 .Append(E(f.Kind)).Append("</td><td>").Append(E(f.Detail)).Append("</td></tr>");
            h.Append("</table></details>\n");
        }
        h.Append("</div>\n");

        int ex = a.Backtest.Exceedances.Count(e => e);
        Section(h, "margin", "Margin rate against realised losses",
            $"{ex} exceedances in {a.Backtest.Dates.Count} days (red). " +
            (a.Backtest.HoldoutStart is { } hs ? $"Holdout from {D(hs)} (shaded) played no part in the choice." : "No holdout."));
        h.Append(Chart(ids, ReportCharts.MarginVsLosses(a))).Append("</div>\n");

        Section(h, "frontier", "Candidate frontier",
            $"{a.Frontier.Count} candidates, {a.Frontier.Count(f => f.Passes)} pass. The chosen one is the red diamond; failing ones are grey.");
        h.Append(Chart(ids, ReportCharts.Frontier(a)));
        h.Append("<details><summary>All candidates</summary><table><tr><th>Candidate</th><th>Avg margin</th><th>Exc.</th><th>Exp.</th>" +
                 "<th>Kupiec p</th><th>Christoffersen p</th><th>CC p</th><th>ES p</th><th>Light</th><th>Peak/trough</th><th>Max 30d ↑</th><th>Result</th></tr>");
        foreach (var f in a.Frontier)
            h.Append("<tr").Append(f.Chosen ? " class=\"chosen\"" : f.Passes ? "" : " class=\"grey\"").Append("><td>").Append(E(f.Label))
             .Append("</td><td class=\"n\">").Append(Pct(f.AverageMargin)).Append("</td><td class=\"n\">").Append(f.Exceedances)
             .Append("</td><td class=\"n\">").Append(F(f.ExpectedExceedances, "0.0")).Append("</td><td class=\"n\">").Append(P(f.KupiecPValue))
             .Append("</td><td class=\"n\">").Append(P(f.ChristoffersenPValue)).Append("</td><td class=\"n\">").Append(P(f.ConditionalCoveragePValue))
             .Append("</td><td class=\"n\">").Append(P(f.EsBacktestPValue)).Append("</td><td>").Append(Light(f.TrafficLight))
             .Append("</td><td class=\"n\">").Append(F(f.PeakToTrough, "0.00")).Append("</td><td class=\"n\">").Append(Pct(f.Max30DayIncrease))
             .Append("</td><td>").Append(f.Chosen ? "chosen" : f.Passes ? "passes" : E(string.Join("; ", f.Failures))).Append("</td></tr>");
        h.Append("</table></details>\n</div>\n");

        Section(h, "model", "Return model diagnostics",
            $"QQ plot of standardised residuals against the fitted {ReportCharts.DistributionLabel(a.Residuals)}; points off the diagonal in the tails mean the distribution under- or over-states tail risk.");
        h.Append("<div class=\"row\">").Append(Chart(ids, ReportCharts.QQ(a), "qq")).Append(Chart(ids, ReportCharts.Volatility(a), "vol")).Append("</div>\n</div>\n");

        Section(h, "stress", "Procyclicality in stress windows", "How the margin rate moved inside each named stress window.");
        h.Append("<table><tr><th>Window</th><th>From</th><th>To</th><th>Peak/trough</th><th>Max 1d ↑</th><th>Max 30d ↑</th><th>Avg margin</th></tr>");
        foreach (var s in a.StressWindows)
            h.Append("<tr><td>").Append(E(s.Name)).Append("</td><td>").Append(D(s.Start)).Append("</td><td>").Append(D(s.End))
             .Append("</td><td class=\"n\">").Append(F(s.PeakToTrough, "0.00")).Append("</td><td class=\"n\">").Append(Pct(s.MaxOneDayIncrease))
             .Append("</td><td class=\"n\">").Append(Pct(s.Max30DayIncrease)).Append("</td><td class=\"n\">").Append(Pct(s.AverageMargin)).Append("</td></tr>");
        h.Append("</table>\n</div>\n");

        Section(h, "tiers", "Risk-limit tiers", "Rates rise with position size through the liquidation-cost add-on.");
        h.Append("<table><tr><th>Position up to (USD)</th><th>Initial margin</th><th>Maintenance margin</th></tr>");
        foreach (var t in a.Tiers)
            h.Append("<tr><td class=\"n\">").Append(t.MaxNotional is { } m ? m.ToString("#,0", Inv) : "no limit").Append("</td><td class=\"n\">")
             .Append(Pct(t.InitialMarginRate)).Append("</td><td class=\"n\">").Append(Pct(t.MaintenanceMarginRate)).Append("</td></tr>");
        h.Append("</table>\n</div>\n");

        Section(h, "tests", "Backtest results", "Every test with its p-value and what it means; a test passes at p ≥ 0.05.");
        TestTable(h, "Whole history", a.WholeHistoryTests);
        TestTable(h, "Holdout", a.HoldoutTests);
        h.Append("</div>\n");

        if (a.NormalVarComparison is { } c)
        {
            Section(h, "normal-var", "Compared with a plain Normal-VaR policy", "How a textbook policy would have fared over the same backtest, and what a speed limit on margin rises would cost.");
            h.Append("<table><tr><th>Policy</th><th>Avg margin</th><th>Exceedances</th><th>Expected</th><th>Kupiec p</th><th>Light</th><th>Peak/trough</th></tr>")
             .Append("<tr class=\"chosen\"><td>Chosen: ").Append(E(p.Method)).Append("</td><td class=\"n\">").Append(Pct(Average(a.Backtest.MarginRates)))
             .Append("</td><td class=\"n\">").Append(ex).Append("</td><td class=\"n\">").Append(F(c.ExpectedExceedances, "0.0"))
             .Append("</td><td class=\"n\">–</td><td>–</td><td class=\"n\">").Append(F(PeakToTrough(a.Backtest.MarginRates), "0.00")).Append("</td></tr>")
             .Append("<tr><td>").Append(E(c.Label)).Append("</td><td class=\"n\">").Append(Pct(c.AverageMargin)).Append("</td><td class=\"n\">").Append(c.Exceedances)
             .Append("</td><td class=\"n\">").Append(F(c.ExpectedExceedances, "0.0")).Append("</td><td class=\"n\">").Append(P(c.KupiecPValue))
             .Append("</td><td>").Append(Light(c.TrafficLight)).Append("</td><td class=\"n\">").Append(F(c.PeakToTrough, "0.00")).Append("</td></tr>");
            foreach (var o in a.OtherComparisons)
                h.Append("<tr><td>").Append(E(o.Label)).Append("</td><td class=\"n\">").Append(Pct(o.AverageMargin)).Append("</td><td class=\"n\">").Append(o.Exceedances)
                 .Append("</td><td class=\"n\">").Append(F(o.ExpectedExceedances, "0.0")).Append("</td><td class=\"n\">").Append(P(o.KupiecPValue))
                 .Append("</td><td>").Append(Light(o.TrafficLight)).Append("</td><td class=\"n\">").Append(F(o.PeakToTrough, "0.00")).Append("</td></tr>");
            h.Append("</table>\n").Append("<p>").Append(E(c.Reading)).Append("</p>\n");
            foreach (var o in a.OtherComparisons) h.Append("<p>").Append(E(o.Reading)).Append("</p>\n");
            h.Append("</div>\n");
        }
        h.Append("</section>\n");
    }

    static void TestTable(StringBuilder h, string caption, IReadOnlyList<TestRow> rows)
    {
        h.Append("<h4>").Append(caption).Append("</h4><table><tr><th>Test</th><th>Statistic</th><th>p-value</th><th>Result</th><th>Reading</th></tr>");
        foreach (var t in rows)
            h.Append("<tr><td>").Append(E(t.Name)).Append("</td><td class=\"n\">").Append(t.Statistic is { } s ? F(s, "0.000") : "–")
             .Append("</td><td class=\"n\">").Append(t.PValue is { } pv ? P(pv) : "–").Append("</td><td><span class=\"badge ")
             .Append(t.Passes ? "pass\">pass" : "fail\">fail").Append("</span></td><td>").Append(E(t.Reading)).Append("</td></tr>");
        h.Append("</table>\n");
    }

    static void Section(StringBuilder h, string id, string title, string lead) =>
        h.Append("<div class=\"section\" data-section=\"").Append(id).Append("\"><h3>").Append(E(title)).Append("</h3><p class=\"lead\">")
         .Append(E(lead)).Append("</p>\n");

    static string Chart(SvgIds ids, string svg, string cls = "") => "<figure class=\"chart " + cls + "\">" + ids.Renumber(svg) + "</figure>\n";

    // Skia's SVG writer names clip paths from a process-wide counter (cl_8b, …), so the same chart gets other ids
    // on a second render. Renumbering in order of appearance, per report, keeps the bytes stable and the ids unique.
    sealed class SvgIds
    {
        readonly Dictionary<string, string> _map = new(StringComparer.Ordinal);

        public string Renumber(string svg) =>
            Regex.Replace(svg, "\\bcl_[0-9a-f]+\\b", m =>
            {
                if (!_map.TryGetValue(m.Value, out var id)) _map[m.Value] = id = "clip" + _map.Count.ToString(CultureInfo.InvariantCulture);
                return id;
            });
    }

    static string Light(string zone)
    {
        var z = zone.ToLowerInvariant();
        var cls = z is "green" or "yellow" or "red" ? z : "unknown";
        return "<span class=\"light " + cls + "\">" + E(zone) + "</span>";
    }

    static double PeakToTrough(IReadOnlyList<double> xs) => xs.Count == 0 || xs.Min() <= 0 ? double.NaN : xs.Max() / xs.Min();
    static double Average(IReadOnlyList<double> xs) => xs.Count == 0 ? double.NaN : xs.Average();
    static string E(string s) => WebUtility.HtmlEncode(s);
    static string D(DateTimeOffset d) => d.UtcDateTime.ToString("yyyy-MM-dd", Inv);
    static string F(double x, string fmt) => double.IsFinite(x) ? x.ToString(fmt, Inv) : "–";
    static string Pct(double x) => double.IsFinite(x) ? (x * 100).ToString("0.00", Inv) + "%" : "–";
    static string P(double p) => !double.IsFinite(p) ? "–" : p < 0.0001 ? "&lt;0.0001" : p.ToString("0.0000", Inv);

    const string Css = """
body{font-family:-apple-system,"Segoe UI",Helvetica,Arial,sans-serif;margin:0 auto;max-width:1080px;padding:16px 24px;color:#222;background:#fff}
h1{font-size:24px;margin:8px 0}h2{font-size:22px;border-bottom:2px solid #1f5fa8;padding-bottom:4px;margin-top:32px}
h3{font-size:17px;margin:20px 0 4px}h4{margin:12px 0 4px;font-size:14px}
.prov{font-size:12px;color:#555;margin:2px 0}code{font-size:11px;word-break:break-all}
nav a{margin-right:12px}
.card{border:1px solid #ccd;border-radius:6px;padding:12px 16px;background:#f7f9fc}
.kpis{display:flex;flex-wrap:wrap;gap:12px}.kpis div{min-width:140px}.kpis span{display:block;font-size:12px;color:#666}.kpis b{font-size:20px}
.banner{background:#fdecea;border:1px solid #c0392b;color:#922;padding:8px 12px;border-radius:4px;margin-bottom:8px;font-weight:bold}
.badge{display:inline-block;font-size:12px;padding:2px 6px;border-radius:3px;margin:2px 0;color:#fff}
.badge.pass{background:#1e8449}.badge.fail{background:#c0392b}
.lead{font-size:13px;color:#555;margin:2px 0 8px}
figure.chart{margin:6px 0}figure.chart svg{max-width:100%;height:auto;display:block}
.row{display:flex;gap:8px;align-items:flex-start}.row figure{flex:1 1 0;min-width:0}
table{border-collapse:collapse;font-size:12.5px;margin:4px 0 8px}th,td{border:1px solid #d5d8dc;padding:3px 7px;text-align:left;vertical-align:top}
th{background:#eef1f5}td.n{text-align:right;font-variant-numeric:tabular-nums}
tr.chosen td{background:#fff4d6;font-weight:bold}tr.grey td{color:#999}
.light{padding:1px 6px;border-radius:3px;font-size:12px}.light.green{background:#d4efdf}.light.yellow{background:#fcf3cf}.light.red{background:#f5b7b1}
details summary{cursor:pointer;font-size:13px;color:#1f5fa8}
""";
}
