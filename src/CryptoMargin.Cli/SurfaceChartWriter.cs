using System.Globalization;
using System.Text.Json.Nodes;
using CryptoMargin.Cli.Commands;
using CryptoMargin.Data;
using CryptoMargin.MarketData.Options;
using CryptoMargin.Pricing;
using CryptoMargin.Reporting;
using CryptoMargin.Surfaces;
using Spectre.Console;

namespace CryptoMargin.Cli;

/// <summary>
/// Turns a <c>fit-surface</c> result into the charts' and report's model and writes them atomically
/// (<see cref="AtomicFile"/>): <c>--chart DIR</c> writes <c>smiles-&lt;UNDERLYING&gt;-&lt;model&gt;.svg/.png</c> and
/// <c>total-variance-&lt;UNDERLYING&gt;-&lt;model&gt;.svg/.png</c>; <c>--report FILE</c> the HTML page. Runs after the timed
/// fit and changes nothing in it.
/// <para>The fitted smile of each slice is rebuilt from the parameters the fit reports: raw SVI (a, b, ρ, m, σ; also the
/// SSVI slices, which report their raw-SVI equivalents), SABR (α, β, ρ, ν; Hagan et al. 2002), Heston (the surface's
/// v₀, κ, θ, σ, ρ, each strike priced as its out-of-the-money option and inverted to a Black-76 vol, as the fit does).
/// A model with none of these (a model added later) gets its model vols at the quotes joined by straight lines, drawn
/// dashed and labelled so. Bid/ask IVs come from the same cleaning the fit used (<see cref="OptionChainCleaner"/>
/// default settings, with a Black-76 solver that fills them from bid/ask prices where the source gave none).</para>
/// </summary>
internal static class SurfaceChartWriter
{
    static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    internal static SurfaceReportModel Model(FitSurfaceCommand.FitResult r, OptionChain chain)
    {
        // The fit's cleaning (same settings, so the same quotes are accepted), here with a solver that fills bid/ask IVs.
        var clean = OptionChainCleaner.Clean(chain, OptionCleaningSettings.Default, static (price, f, k, t, type) =>
            ImpliedVolatility.Solve(price, f, k, t, type) is { IsSolved: true } iv ? iv.Volatility : double.NaN).Chain;
        var slices = new List<SmileChartSlice>();
        foreach (var s in r.Slices)
        {
            var expiry = clean.Expiries.FirstOrDefault(e => e.T == s.T);
            var quotes = new SmileQuote[s.Strikes.Length];
            for (int i = 0; i < quotes.Length; i++)
            {
                double k = s.Strikes[i];
                var type = k >= s.Forward ? OptionType.Call : OptionType.Put; // the fit's OTM choice
                var q = expiry?.Quotes.FirstOrDefault(x => x.Strike == k && x.Type == type);
                quotes[i] = new SmileQuote(Math.Log(k / s.Forward), k, s.MarketVols[i], q?.BidIv, q?.AskIv);
            }
            var (smile, exact) = Smile(r, s);
            string label = s.Expiry is { } e ? e.UtcDateTime.ToString("yyyy-MM-dd", Inv) : "t = " + s.T.ToString("0.####", Inv);
            slices.Add(new SmileChartSlice(label, s.T, s.Forward, quotes, smile, exact, s.Parameters, s.RmseVol, s.MaxAbsErrorVol));
        }
        var charts = new SurfaceChartModel(r.Model, r.Underlying ?? "?", r.ValuationTime, slices);
        return new SurfaceReportModel(charts, r.Source, r.InputQuotes, r.QuotesUsed, r.QuotesRejected,
            [.. r.Rejections.Select(x => new KeyValuePair<string, int>(x.Key.ToName(), x.Value))],
            r.RmseVol, r.MaxAbsErrorVol, r.Parameters, r.Converged, r.Arbitrage.Butterfly, r.Arbitrage.Calendar, r.Arbitrage.Note);
    }

    /// <summary>What <c>--chart</c> and <c>--report</c> wrote: the chart paths (empty without <c>--chart</c>) and the report's path (null without <c>--report</c>).</summary>
    internal sealed record Outputs(IReadOnlyList<string> Charts, string? ReportPath);

    /// <summary>Writes what was asked for (nothing when both are null); the model is built once for both.</summary>
    internal static Outputs Write(OptionChain chain, FitSurfaceCommand.FitResult result, string? chartFolder, string? reportPath)
    {
        if (chartFolder is null && reportPath is null) return new Outputs([], null);
        if (chartFolder is { Length: 0 }) throw new CliUsageException("--chart needs a folder");
        if (reportPath is { Length: 0 }) throw new CliUsageException("--report needs a file name");
        var model = Model(result, chain);
        if (chartFolder is null) return new Outputs([], WriteReport(reportPath!, model, null));
        var (charts, svgs) = WriteCharts(chartFolder, model);
        return new Outputs(charts, reportPath is null ? null : WriteReport(reportPath, model, svgs));
    }

    /// <summary>Adds <c>charts</c> (array of paths, empty when none) and <c>reportPath</c> (null when none) to the command's JSON.</summary>
    internal static JsonObject AddToJson(JsonObject json, Outputs outputs)
    {
        var charts = new JsonArray();
        foreach (var c in outputs.Charts) charts.Add(c);
        json["charts"] = charts;
        json["reportPath"] = outputs.ReportPath;
        return json;
    }

    /// <summary>Lists the written files under the tables (nothing when none were asked for).</summary>
    internal static void Render(IAnsiConsole console, Outputs outputs)
    {
        if (outputs.Charts.Count == 0 && outputs.ReportPath is null) return;
        var table = new Table().Border(TableBorder.Rounded).AddColumn("written").AddColumn("path");
        foreach (var c in outputs.Charts) table.AddRow("chart", Markup.Escape(c));
        if (outputs.ReportPath is { } r) table.AddRow("report", Markup.Escape(r));
        console.Write(table);
    }

    /// <summary>The slice's fitted implied vol as a function of k = ln(K/F), and whether it is the model's own smile.</summary>
    internal static (Func<double, double> Vol, bool Exact) Smile(FitSurfaceCommand.FitResult r, FitSurfaceCommand.SliceResult s)
    {
        var p = s.Parameters.ToDictionary(x => x.Key, x => x.Value, StringComparer.Ordinal);
        var g = r.Parameters?.ToDictionary(x => x.Key, x => x.Value, StringComparer.Ordinal) ?? [];
        double t = s.T, f = s.Forward;
        if (Has(p, "a", "b", "rho", "m", "sigma"))
        {
            var svi = new SviParameters(p["a"], p["b"], p["rho"], p["m"], p["sigma"]);
            return (k => svi.ImpliedVolatility(k, t), true);
        }
        if (Has(p, "theta", "rho", "psi"))
        {
            var essvi = new EssviSlice(p["theta"], p["rho"], p["psi"]);
            return (k => essvi.ImpliedVolatility(k, t), true);
        }
        if (Has(p, "alpha", "beta", "rho", "nu"))
        {
            var sabr = new SabrParameters(p["alpha"], p["beta"], p["rho"], p["nu"]);
            return (k => Sabr.ImpliedVolatility(sabr, f, f * Math.Exp(k), t), true);
        }
        if (r.Model == "heston" && Has(g, "v0", "kappa", "theta", "sigma", "rho"))
        {
            var h = new HestonParameters(g["v0"], g["kappa"], g["theta"], g["sigma"], g["rho"]);
            return (k =>
            {
                double strike = f * Math.Exp(k);
                var type = strike >= f ? OptionType.Call : OptionType.Put;
                var iv = ImpliedVolatility.Solve(Heston.Price(h, f, strike, t, type), f, strike, t, type);
                return iv.IsSolved ? iv.Volatility : double.NaN;
            }, true);
        }
        // Unknown parameterisation: the model's vols at the quotes, joined linearly in k (no extrapolation).
        var ks = s.Strikes.Select(x => Math.Log(x / f)).ToArray();
        var vs = s.ModelVols;
        return (k =>
        {
            if (ks.Length == 0 || k < ks[0] || k > ks[^1]) return double.NaN;
            int j = Array.BinarySearch(ks, k);
            if (j >= 0) return vs[j];
            j = ~j;
            double w = (k - ks[j - 1]) / (ks[j] - ks[j - 1]);
            return vs[j - 1] + w * (vs[j] - vs[j - 1]);
        }, false);
    }

    static bool Has(Dictionary<string, double> p, params string[] names) => names.All(p.ContainsKey);

    /// <summary>File names of the charts for one underlying and model: smiles then total variance, SVG then PNG.</summary>
    internal static string[] ChartNames(string? underlying, string model)
    {
        string u = string.Concat((underlying ?? "chain").Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '_'));
        return [$"smiles-{u}-{model}.svg", $"smiles-{u}-{model}.png", $"total-variance-{u}-{model}.svg", $"total-variance-{u}-{model}.png"];
    }

    /// <summary>Writes the four chart files into <paramref name="folder"/> (created if missing); returns their paths and the two SVGs.</summary>
    internal static (IReadOnlyList<string> Paths, (string Smiles, string TotalVariance) Svgs) WriteCharts(string folder, SurfaceReportModel model)
    {
        var c = model.Charts;
        var names = ChartNames(c.Underlying == "?" ? null : c.Underlying, c.Model);
        var paths = names.Select(n => Path.Combine(folder, n)).ToArray();
        string smiles = SurfaceCharts.SmilesSvg(c), variance = SurfaceCharts.TotalVarianceSvg(c);
        Guard("--chart", folder, () =>
        {
            AtomicFile.WriteAllText(paths[0], smiles);
            AtomicFile.WriteAllBytes(paths[1], SurfaceCharts.SmilesPng(c));
            AtomicFile.WriteAllText(paths[2], variance);
            AtomicFile.WriteAllBytes(paths[3], SurfaceCharts.TotalVariancePng(c));
        });
        return (paths, (smiles, variance));
    }

    /// <summary>Writes the HTML report to <paramref name="path"/>, reusing the SVGs when the charts were drawn already; returns the path.</summary>
    internal static string WriteReport(string path, SurfaceReportModel model, (string Smiles, string TotalVariance)? svgs)
    {
        string html = svgs is var (s, w) ? SurfaceReport.Render(model, s, w) : SurfaceReport.Render(model);
        Guard("--report", path, () => AtomicFile.WriteAllText(path, html));
        return path;
    }

    // A path that cannot be written is the user's to fix (exit 2), named with the option it came from.
    static void Guard(string option, string path, Action write)
    {
        try
        {
            write();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new CliUsageException($"{option} '{path}': cannot write: {ex.Message}");
        }
    }
}
