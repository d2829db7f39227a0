using System.Buffers.Binary;
using System.Globalization;
using System.Text.Json;
using System.Xml.Linq;
using CryptoMargin.Cli.Commands;
using CryptoMargin.Pricing;
using CryptoMargin.Reporting;
using CryptoMargin.Surfaces;

namespace CryptoMargin.Cli.Tests;

/// <summary><c>fit-surface --chart DIR --report FILE</c>: the files, what is in them, determinism, failed writes.</summary>
public class FitSurfaceChartTests
{
    private static readonly byte[] PngSignature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]; // PNG spec §5.2

    private static (int Width, int Height) PngSize(byte[] png) =>
        // IHDR is the first chunk: width and height big-endian at bytes 16..23 (PNG spec §11.2.2).
        (BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16, 4)), BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20, 4)));

    private static string[] SvgTexts(string path)
    {
        var doc = XDocument.Parse(File.ReadAllText(path)); // throws if the SVG is not well-formed XML
        Assert.Equal("svg", doc.Root!.Name.LocalName);
        return [.. doc.Descendants().Where(e => e.Name.LocalName == "text").Select(e => e.Value.Trim())];
    }

    [Theory]
    [InlineData("BTC", "svi")]
    [InlineData("ETH", "ssvi")]
    [InlineData("BTC", "heston")]
    [InlineData("ETH", "sabr")]
    public void Chart_and_report_hold_one_panel_per_expiry_and_the_json_figures(string underlying, string model)
    {
        using var dir = new TempDir();
        string charts = Path.Combine(dir.Path, "charts"), report = Path.Combine(dir.Path, "out", "surface.html");
        var run = CliRun.Of("fit-surface", "--underlying", underlying, "--model", model, "--chart", charts, "--report", report, "--json");
        Assert.Equal(0, run.ExitCode);
        var j = run.Json();
        var names = SurfaceChartWriter.ChartNames(underlying, model);
        Assert.Equal(names.Select(n => Path.Combine(charts, n)), j.GetProperty("charts").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(report, j.GetProperty("reportPath").GetString());
        Assert.Equal([$"smiles-{underlying}-{model}.svg", $"smiles-{underlying}-{model}.png", $"total-variance-{underlying}-{model}.svg", $"total-variance-{underlying}-{model}.png"], names);

        var slices = j.GetProperty("slices").EnumerateArray().ToArray();
        var expiries = slices.Select(s => DateTimeOffset.Parse(s.GetProperty("expiry").GetString()!, CultureInfo.InvariantCulture).UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)).ToArray();

        // Smiles: one panel title per expiry ("2026-09-25   t = 0.093   F = 77,537"), nothing more.
        var texts = SvgTexts(Path.Combine(charts, names[0]));
        var titles = texts.Where(t => t.Contains(" t = ", StringComparison.Ordinal) && t.Contains(" F = ", StringComparison.Ordinal)).ToArray();
        Assert.Equal(expiries.Length, titles.Length);
        foreach (var e in expiries) Assert.Single(titles, t => t.StartsWith(e, StringComparison.Ordinal));
        // Total variance: one legend entry per expiry.
        var legend = SvgTexts(Path.Combine(charts, names[2]));
        foreach (var e in expiries) Assert.Single(legend, t => t.StartsWith(e + " (t = ", StringComparison.Ordinal));

        int cols = SurfaceCharts.Columns(expiries.Length), rows = (expiries.Length + cols - 1) / cols;
        foreach (var (png, size) in new[] { (names[1], (cols * SurfaceCharts.PanelWidth, SurfaceCharts.HeaderHeight + rows * SurfaceCharts.PanelHeight)),
                     (names[3], (SurfaceCharts.VarianceWidth, SurfaceCharts.HeaderHeight + SurfaceCharts.VarianceHeight)) })
        {
            var bytes = File.ReadAllBytes(Path.Combine(charts, png));
            Assert.Equal(PngSignature, bytes[..8]);
            Assert.Equal(size, PngSize(bytes));
            Assert.True(bytes.Length > 30_000, $"{png} is only {bytes.Length} bytes: a blank image compresses to a few KB");
        }

        var html = File.ReadAllText(report);
        Assert.StartsWith("<!DOCTYPE html>", html, StringComparison.Ordinal);
        Assert.Equal(2, html.Split("<svg ").Length - 1);
        string Pts(double v) => (100 * v).ToString("F2", CultureInfo.InvariantCulture);
        Assert.Contains(Pts(j.GetProperty("rmseVol").GetDouble()) + " vol pts", html, StringComparison.Ordinal);
        Assert.Contains(Pts(j.GetProperty("maxAbsErrorVol").GetDouble()) + " vol pts", html, StringComparison.Ordinal);
        for (int i = 0; i < slices.Length; i++)
        {
            // Each expiry's row carries its RMSE and max |error| in vol points, as the JSON gives them.
            string row = $"<tr><td>{expiries[i]}</td>";
            int at = html.IndexOf(row, StringComparison.Ordinal);
            Assert.True(at >= 0, $"no table row for {expiries[i]}");
            string rowText = html[at..html.IndexOf("</tr>", at, StringComparison.Ordinal)];
            Assert.Contains($">{Pts(slices[i].GetProperty("rmseVol").GetDouble())}<", rowText, StringComparison.Ordinal);
            Assert.Contains($">{Pts(slices[i].GetProperty("maxAbsErrorVol").GetDouble())}<", rowText, StringComparison.Ordinal);
            Assert.Contains($">{slices[i].GetProperty("n").GetInt32()}<", rowText, StringComparison.Ordinal);
        }
        Assert.DoesNotContain("cl_", html, StringComparison.Ordinal);
        var arbitrage = j.GetProperty("arbitrage");
        if (arbitrage.GetProperty("butterflyViolations").ValueKind == JsonValueKind.Number)
            Assert.Contains($"Butterfly violations: <b>{arbitrage.GetProperty("butterflyViolations").GetInt32()}</b>", html, StringComparison.Ordinal);
        else Assert.Contains("Not checked", html, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(dir.Path, "*.tmp", SearchOption.AllDirectories));
    }

    [Fact]
    public void Two_runs_write_the_same_bytes()
    {
        using var dir = new TempDir();
        string[] Run(string name)
        {
            string folder = Path.Combine(dir.Path, name);
            Assert.Equal(0, CliRun.Of("fit-surface", "--model", "sabr", "--chart", folder, "--report", Path.Combine(folder, "r.html"), "--json").ExitCode);
            return [.. Directory.GetFiles(folder).Order(StringComparer.Ordinal)];
        }
        var first = Run("a");
        var second = Run("b");
        Assert.Equal(5, first.Length);
        Assert.Equal(first.Select(Path.GetFileName), second.Select(Path.GetFileName));
        for (int i = 0; i < first.Length; i++)
            Assert.True(File.ReadAllBytes(first[i]).AsSpan().SequenceEqual(File.ReadAllBytes(second[i])), $"{Path.GetFileName(first[i])} differs between runs");
    }

    [Fact]
    public void Without_chart_or_report_json_says_none_and_table_lists_the_written_files()
    {
        var j = CliRun.Of("fit-surface", "--model", "sabr", "--json").Json();
        Assert.Equal(0, j.GetProperty("charts").GetArrayLength());
        Assert.Equal(JsonValueKind.Null, j.GetProperty("reportPath").ValueKind);

        using var dir = new TempDir();
        var run = CliRun.Of("fit-surface", "--model", "sabr", "--chart", dir.Path, "--report", Path.Combine(dir.Path, "r.html"));
        Assert.Equal(0, run.ExitCode);
        foreach (var name in SurfaceChartWriter.ChartNames("BTC", "sabr").Append("r.html"))
        {
            Assert.True(File.Exists(Path.Combine(dir.Path, name)));
            Assert.Contains(name, run.Stdout, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void A_failing_chart_write_exits_2_and_leaves_no_partial_file()
    {
        using var dir = new TempDir();
        // A folder where the total-variance PNG should go: the final rename fails after the SVGs were written.
        var blocker = Path.Combine(dir.Path, SurfaceChartWriter.ChartNames("BTC", "svi")[3]);
        Directory.CreateDirectory(blocker);
        var run = CliRun.Of("fit-surface", "--chart", dir.Path, "--json");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--chart", run.Stderr, StringComparison.Ordinal);
        Assert.Equal("", run.Stdout);
        Assert.Empty(Directory.GetFiles(dir.Path, "*.tmp"));
        Assert.Empty(Directory.GetFileSystemEntries(blocker));
        // What was written before the failure is whole: it parses.
        SvgTexts(Path.Combine(dir.Path, SurfaceChartWriter.ChartNames("BTC", "svi")[2]));
    }

    [Fact]
    public void A_report_under_a_file_exits_2_naming_the_option_and_writes_nothing()
    {
        using var dir = new TempDir();
        var file = dir.Write("not-a-folder", "x");
        var run = CliRun.Of("fit-surface", "--report", Path.Combine(file, "r.html"));
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--report", run.Stderr, StringComparison.Ordinal);
        Assert.Equal(["not-a-folder"], Directory.GetFileSystemEntries(dir.Path).Select(Path.GetFileName));
        Assert.Equal("x", File.ReadAllText(file));
    }

    [Theory]
    [InlineData("--chart", "needs a folder")]
    [InlineData("--report", "needs a file name")]
    public void An_empty_path_is_a_usage_error(string option, string message)
    {
        var run = CliRun.Of("fit-surface", option, "", "--json");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains($"{option} {message}", run.Stderr, StringComparison.Ordinal);
        Assert.Equal("", run.Stdout);
    }

    [Theory]
    [InlineData("svi")]
    [InlineData("ssvi")]
    [InlineData("essvi")]
    [InlineData("heston")]
    [InlineData("sabr")]
    public void Drawn_smile_passes_through_the_fits_model_vols(string model)
    {
        // The curve is rebuilt from the reported parameters; at each quote it must equal the vol the fit computed there.
        var (chain, source) = FitSurfaceCommand.Load(null, "BTC");
        var r = FitSurfaceCommand.Run(chain, source, model);
        foreach (var s in r.Slices)
        {
            var (vol, exact) = SurfaceChartWriter.Smile(r, s);
            Assert.True(exact);
            for (int i = 0; i < s.Strikes.Length; i++)
                Assert.Equal(s.ModelVols[i], vol(Math.Log(s.Strikes[i] / s.Forward)), 1e-9);
        }
    }

    [Fact]
    public void Surface_file_without_expiries_or_underlying_is_charted_by_t_and_the_curve_follows_the_true_smile()
    {
        // Two raw-SVI smiles with known parameters (Gatheral 2004), quoted on k = -0.6..0.6 step 0.05.
        var smiles = new (double T, SviParameters P)[]
        {
            (0.25, new SviParameters(0.01, 0.10, -0.30, 0.02, 0.20)),
            (1.00, new SviParameters(0.04, 0.15, -0.40, 0.05, 0.30)),
        };
        const double f = 50000;
        var csv = new System.Text.StringBuilder("t,strike,forward,impliedVol\n");
        foreach (var (t, p) in smiles)
            for (int i = -12; i <= 12; i++)
            {
                double k = 0.05 * i;
                csv.Append(string.Create(CultureInfo.InvariantCulture, $"{t:R},{f * Math.Exp(k):R},{f:R},{p.ImpliedVolatility(k, t):R}\n"));
            }
        using var dir = new TempDir();
        var file = dir.Write("svi.csv", csv.ToString());
        var run = CliRun.Of("fit-surface", "--chain", file, "--chart", dir.Path, "--json");
        Assert.True(run.ExitCode == 0, run.Stderr);
        var names = SurfaceChartWriter.ChartNames(null, "svi");
        Assert.Equal("smiles-chain-svi.svg", names[0]);
        var titles = SvgTexts(Path.Combine(dir.Path, names[0])).Where(t => t.Contains(" F = ", StringComparison.Ordinal)).ToArray();
        Assert.Equal(["t = 0.25 F = 50,000", "t = 1 F = 50,000"], titles);

        // Between the quotes (midpoints) and 10 % beyond them, the drawn curve is the true smile to fit accuracy.
        var (chain, source) = FitSurfaceCommand.Load(file, null);
        var r = FitSurfaceCommand.Run(chain, source, "svi");
        for (int j = 0; j < smiles.Length; j++)
        {
            var (vol, exact) = SurfaceChartWriter.Smile(r, r.Slices[j]);
            Assert.True(exact);
            for (double k = -0.625; k <= 0.725; k += 0.05)
                Assert.Equal(smiles[j].P.ImpliedVolatility(k, smiles[j].T), vol(k), 2e-5);
        }
    }

    [Fact]
    public void Bid_and_ask_vols_reprice_the_bid_and_ask()
    {
        // The error bars' IVs, put back into Black-76, give the quotes' own bid and ask prices; the mark lies between them.
        var (chain, source) = FitSurfaceCommand.Load(null, "BTC");
        var r = FitSurfaceCommand.Run(chain, source, "svi");
        var m = SurfaceChartWriter.Model(r, chain);
        var byKey = chain.Quotes.GroupBy(q => (q.T, q.Strike, q.Type)).ToDictionary(g => g.Key, g => g.First());
        int both = 0, total = 0;
        foreach (var s in m.Charts.Slices)
            foreach (var q in s.Quotes)
            {
                total++;
                var type = q.Strike >= s.Forward ? OptionType.Call : OptionType.Put;
                var src = byKey[(s.T, q.Strike, type)];
                if (q.BidVol is not double bid || q.AskVol is not double ask) continue;
                both++;
                Assert.Equal(src.BidUsd!.Value, Black76.Price(src.Forward, q.Strike, s.T, bid, type), 1e-6 * src.BidUsd.Value + 1e-9);
                Assert.Equal(src.AskUsd!.Value, Black76.Price(src.Forward, q.Strike, s.T, ask, type), 1e-6 * src.AskUsd.Value + 1e-9);
                Assert.True(bid <= ask);
            }
        Assert.True(both > 0.9 * total, $"bid and ask IVs for only {both} of {total} quotes");
    }

    [Fact]
    public void Unknown_parameterisation_joins_the_model_vols_at_the_quotes()
    {
        var s = new FitSurfaceCommand.SliceResult(null, 0.5, 100, [80, 100, 125], [0.6, 0.5, 0.55], [0.61, 0.49, 0.56], [new("x", 1)], 0.01, 0.01);
        var r = new FitSurfaceCommand.FitResult("other", null, null, "test", 3, 3, 0, 0, 0, new Dictionary<CryptoMargin.MarketData.Options.QuoteRejectionReason, int>(),
            [s], null, 0.01, 0.01, 3, new FitSurfaceCommand.ArbitrageCounts(null, null, "n/a"), true, 0);
        var (vol, exact) = SurfaceChartWriter.Smile(r, s);
        Assert.False(exact);
        double k0 = Math.Log(0.8), k1 = 0, k2 = Math.Log(1.25);
        Assert.Equal(0.61, vol(k0), 12);
        Assert.Equal(0.49, vol(k1), 12);
        Assert.Equal(0.5 * (0.49 + 0.56), vol(0.5 * (k1 + k2)), 12); // midpoint of a straight segment
        Assert.True(double.IsNaN(vol(k2 + 0.01)));
    }
}
