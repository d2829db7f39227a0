using System.Globalization;
using System.Net;
using System.Text;

namespace CryptoMargin.Reporting;

/// <summary>
/// Renders a fitted volatility surface as one self-contained HTML page: a summary (model, underlying, valuation time,
/// source, quotes used and rejected, RMSE and max |error| in vol points, surface parameters, convergence), the arbitrage
/// findings, a table per expiry (expiry, t, forward, n, RMSE, max |error|, parameters) and the two charts of
/// <see cref="SurfaceCharts"/> as inline SVG. No scripts, no external references; deterministic (no clock is read):
/// the same model gives the same bytes.
/// </summary>
public static class SurfaceReport
{
    static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static string Render(SurfaceReportModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return Render(model, SurfaceCharts.SmilesSvg(model.Charts), SurfaceCharts.TotalVarianceSvg(model.Charts));
    }

    /// <summary>
    /// The same page from charts already drawn by <see cref="SurfaceCharts.SmilesSvg"/> and
    /// <see cref="SurfaceCharts.TotalVarianceSvg"/> for <paramref name="model"/> (saves drawing them twice when they are
    /// also written as files); gives the same bytes as <see cref="Render(SurfaceReportModel)"/>.
    /// </summary>
    public static string Render(SurfaceReportModel model, string smilesSvg, string totalVarianceSvg)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentException.ThrowIfNullOrEmpty(smilesSvg);
        ArgumentException.ThrowIfNullOrEmpty(totalVarianceSvg);
        var c = model.Charts;
        // Each standalone SVG numbers its clip paths from clip0: prefixed per chart, the ids stay unique in the page.
        string smiles = Prefix(SurfaceCharts.ForInlining(smilesSvg), "s");
        string variance = Prefix(SurfaceCharts.ForInlining(totalVarianceSvg), "w");
        string title = $"CryptoMargin volatility surface — {c.Underlying}, {c.Model}";

        var h = new StringBuilder(512 * 1024);
        h.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>").Append(E(title))
         .Append("</title>\n<style>").Append(Css).Append("</style>\n</head>\n<body>\n<h1>").Append(E(title)).Append("</h1>\n");

        h.Append("<div class=\"card\" data-section=\"summary\">\n<div class=\"kpis\">")
         .Append("<div><span>Model</span><b>").Append(E(c.Model)).Append("</b></div>")
         .Append("<div><span>Underlying</span><b>").Append(E(c.Underlying)).Append("</b></div>")
         .Append("<div><span>Valuation time</span><b>").Append(c.ValuationTime is { } v ? E(v.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", Inv)) : "–").Append("</b></div>")
         .Append("<div><span>RMSE</span><b>").Append(Pts(model.RmseVol)).Append("</b></div>")
         .Append("<div><span>Max |error|</span><b>").Append(Pts(model.MaxAbsErrorVol)).Append("</b></div>")
         .Append("<div><span>Expiries</span><b>").Append(c.Slices.Count).Append("</b></div></div>\n");
        h.Append("<p>Chain: <code>").Append(E(model.Source)).Append("</code></p>\n<p>Quotes: ").Append(model.QuotesUsed)
         .Append(" used of ").Append(model.QuotesInput).Append(" in the chain; ").Append(model.QuotesRejected).Append(" rejected by the cleaner");
        if (model.RejectedByReason.Count > 0)
            h.Append(" (").Append(E(string.Join(", ", model.RejectedByReason.Select(r => $"{r.Key} {r.Value}")))).Append(')');
        h.Append(".</p>\n");
        if (model.Parameters is { Count: > 0 } ps)
            h.Append("<p>Surface parameters: ").Append(E(Params(ps))).Append("</p>\n");
        if (!model.Converged) h.Append("<div class=\"banner\">The fit did not converge on at least one slice or the surface.</div>\n");
        h.Append("</div>\n");

        h.Append("<div class=\"section\" data-section=\"arbitrage\"><h2>Arbitrage findings</h2>\n<p>");
        if (model.ButterflyViolations is null && model.CalendarViolations is null) h.Append("Not checked: ").Append(E(model.ArbitrageNote)).Append('.');
        else
            h.Append("Butterfly violations: <b>").Append(Count(model.ButterflyViolations)).Append("</b>; calendar violations: <b>")
             .Append(Count(model.CalendarViolations)).Append("</b> (").Append(E(model.ArbitrageNote)).Append(").");
        h.Append("</p>\n</div>\n");

        h.Append("<div class=\"section\" data-section=\"expiries\"><h2>Per expiry</h2>\n<table><tr><th>Expiry</th><th>t (years)</th><th>Forward</th><th>n</th>")
         .Append("<th>RMSE (vol pts)</th><th>Max |error| (vol pts)</th><th>Parameters</th></tr>\n");
        foreach (var s in c.Slices)
            h.Append("<tr><td>").Append(E(s.Label)).Append("</td><td class=\"n\">").Append(F(s.T, "0.0000")).Append("</td><td class=\"n\">")
             .Append(F(s.Forward, "#,0.00")).Append("</td><td class=\"n\">").Append(s.Quotes.Count).Append("</td><td class=\"n\">")
             .Append(F(100 * s.RmseVol, "0.00")).Append("</td><td class=\"n\">").Append(F(100 * s.MaxAbsErrorVol, "0.00")).Append("</td><td>")
             .Append(E(Params(s.Parameters))).Append("</td></tr>\n");
        h.Append("</table>\n</div>\n");

        h.Append("<div class=\"section\" data-section=\"smiles\"><h2>Smiles</h2>\n<p class=\"lead\">One panel per expiry: market implied vols ")
         .Append("(dots), bid–ask implied-vol range (grey bars, where both sides are known), fitted smile (red line). x: log-moneyness ")
         .Append("k = ln(K/F); y: implied vol in %.</p>\n<figure class=\"chart\">").Append(smiles).Append("</figure>\n</div>\n");
        h.Append("<div class=\"section\" data-section=\"total-variance\"><h2>Total variance</h2>\n<p class=\"lead\">w(k, T) = σ²T per expiry, ")
         .Append("coloured by T (dark = short). At each k, w must rise with T: crossing curves mean calendar arbitrage.</p>\n<figure class=\"chart\">")
         .Append(variance).Append("</figure>\n</div>\n");
        h.Append("</body>\n</html>\n");
        return h.ToString();
    }

    static string Prefix(string svg, string prefix) =>
        System.Text.RegularExpressions.Regex.Replace(svg, "(id=\"|url\\(#)(clip[0-9]+)", m => m.Groups[1].Value + prefix + m.Groups[2].Value);

    static string Params(IReadOnlyList<KeyValuePair<string, double>> ps) =>
        ps.Count == 0 ? "–" : string.Join(", ", ps.Select(p => p.Key + " = " + p.Value.ToString("G5", Inv)));

    static string Count(int? n) => n is int c ? c.ToString(Inv) : "not checked";
    static string E(string s) => WebUtility.HtmlEncode(s);
    static string F(double x, string fmt) => double.IsFinite(x) ? x.ToString(fmt, Inv) : "–";

    /// <summary>A vol decimal in vol points, as the CLI's table prints it (0.0123 → "1.23 vol pts").</summary>
    internal static string Pts(double vol) => double.IsFinite(vol) ? (100 * vol).ToString("F2", Inv) + " vol pts" : "–";

    const string Css = """
body{font-family:-apple-system,"Segoe UI",Helvetica,Arial,sans-serif;margin:0 auto;max-width:1320px;padding:16px 24px;color:#222;background:#fff}
h1{font-size:24px;margin:8px 0}h2{font-size:18px;border-bottom:2px solid #1f5fa8;padding-bottom:4px;margin-top:28px}
code{font-size:12px;word-break:break-all}
.card{border:1px solid #ccd;border-radius:6px;padding:12px 16px;background:#f7f9fc}
.kpis{display:flex;flex-wrap:wrap;gap:12px}.kpis div{min-width:140px}.kpis span{display:block;font-size:12px;color:#666}.kpis b{font-size:20px}
.banner{background:#fdecea;border:1px solid #c0392b;color:#922;padding:8px 12px;border-radius:4px;margin-top:8px;font-weight:bold}
.lead{font-size:13px;color:#555;margin:2px 0 8px}
figure.chart{margin:6px 0}figure.chart svg{max-width:100%;height:auto;display:block}
table{border-collapse:collapse;font-size:12.5px;margin:4px 0 8px}th,td{border:1px solid #d5d8dc;padding:3px 7px;text-align:left;vertical-align:top}
th{background:#eef1f5}td.n{text-align:right;font-variant-numeric:tabular-nums}
""";
}
