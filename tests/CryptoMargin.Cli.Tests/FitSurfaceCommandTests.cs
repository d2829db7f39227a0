using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Text.Json;
using CryptoMargin.Pricing;
using CryptoMargin.Surfaces;

namespace CryptoMargin.Cli.Tests;

public class FitSurfaceCommandTests
{
    private static string R(double x) => x.ToString("R", CultureInfo.InvariantCulture);

    private static double[] Grid(double from, double to, double step)
    {
        var k = new List<double>();
        for (double x = from; x <= to + 1e-12; x += step) k.Add(Math.Round(x, 10));
        return [.. k];
    }

    /// <summary>A surface CSV of OTM implied vols (no type column: the reader marks each quote as its OTM option).</summary>
    private static string SurfaceCsv(IEnumerable<(double T, double F, double K, double Vol)> quotes)
    {
        var sb = new StringBuilder("t,strike,forward,impliedVol\n");
        foreach (var (t, f, k, v) in quotes) sb.Append($"{R(t)},{R(k)},{R(f)},{R(v)}\n");
        return sb.ToString();
    }

    private static void AssertSane(JsonElement j, string model)
    {
        foreach (var name in new[] { "model", "underlying", "valuationTime", "quotesUsed", "quotesRejected", "rejectedByReason", "rmseVol",
                     "maxAbsErrorVol", "sseVolPoints", "slices", "parameters", "arbitrage", "elapsedMs" })
            Assert.True(j.TryGetProperty(name, out _), $"missing JSON field {name}");
        Assert.Equal(model, j.GetProperty("model").GetString());
        var slices = j.GetProperty("slices");
        Assert.True(slices.GetArrayLength() > 0);
        int used = j.GetProperty("quotesUsed").GetInt32();
        double sumSq = 0, maxSlice = 0, previousT = 0;
        int n = 0;
        foreach (var s in slices.EnumerateArray())
        {
            foreach (var name in new[] { "expiry", "t", "forward", "parameters", "rmseVol", "n" })
                Assert.True(s.TryGetProperty(name, out _), $"missing slice field {name}");
            int ns = s.GetProperty("n").GetInt32();
            double t = s.GetProperty("t").GetDouble();
            Assert.True(t > previousT, "slices are ordered by expiry");
            previousT = t;
            Assert.True(s.GetProperty("forward").GetDouble() > 0);
            double rmse = s.GetProperty("rmseVol").GetDouble();
            sumSq += ns * rmse * rmse;
            maxSlice = Math.Max(maxSlice, s.GetProperty("maxAbsErrorVol").GetDouble());
            n += ns;
        }
        Assert.Equal(used, n);
        // The surface figures are consistent with the per-slice ones: RMSE² = Σ nₛ RMSEₛ² / N, SSE in vol points = 10⁴ N RMSE².
        double rmseVol = j.GetProperty("rmseVol").GetDouble();
        Assert.Equal(Math.Sqrt(sumSq / n), rmseVol, 1e-12);
        Assert.Equal(1e4 * n * rmseVol * rmseVol, j.GetProperty("sseVolPoints").GetDouble(), 1e-6 * j.GetProperty("sseVolPoints").GetDouble() + 1e-12);
        Assert.Equal(maxSlice, j.GetProperty("maxAbsErrorVol").GetDouble(), 15);
        Assert.True(j.GetProperty("maxAbsErrorVol").GetDouble() >= rmseVol);
        Assert.True(j.GetProperty("elapsedMs").GetDouble() > 0);
    }

    [Fact]
    public void DefaultRunFitsSviToTheShippedBtcChainWithEveryField()
    {
        var run = CliRun.Of("fit-surface", "--json");
        Assert.True(run.ExitCode == 0, run.Stderr);
        var j = run.Json();
        AssertSane(j, "svi");
        Assert.Equal("BTC", j.GetProperty("underlying").GetString());
        Assert.Equal("2026-08-22T09:35:36Z", j.GetProperty("valuationTime").GetString());
        // Every input quote is accounted for: used + rejected by the cleaner + in the money + without mark IV.
        int accounted = j.GetProperty("quotesUsed").GetInt32() + j.GetProperty("quotesRejected").GetInt32()
                        + j.GetProperty("quotesInTheMoney").GetInt32() + j.GetProperty("quotesWithoutMarkIv").GetInt32();
        Assert.Equal(j.GetProperty("quotesInput").GetInt32(), accounted);
        int byReason = j.GetProperty("rejectedByReason").EnumerateObject().Sum(p => p.Value.GetInt32());
        Assert.Equal(j.GetProperty("quotesRejected").GetInt32(), byReason);
        // Five-parameter smiles per expiry fit Deribit's marks to within a vol point (marks come from a smooth smile).
        Assert.InRange(j.GetProperty("rmseVol").GetDouble(), 0, 0.01);
        foreach (var s in j.GetProperty("slices").EnumerateArray())
            foreach (var name in new[] { "a", "b", "rho", "m", "sigma" })
                Assert.True(s.GetProperty("parameters").TryGetProperty(name, out _), $"SVI parameter {name}");
        Assert.Equal(JsonValueKind.Null, j.GetProperty("parameters").ValueKind);
        Assert.Equal(0, j.GetProperty("arbitrage").GetProperty("butterflyViolations").GetInt32());
        Assert.True(j.GetProperty("arbitrage").GetProperty("calendarViolations").GetInt32() >= 0);
    }

    [Fact]
    public void QuotesUsedAreTheOutOfTheMoneyMarkVolsOfTheShippedChain()
    {
        // Independent count from the raw CSV: BTC rows with T ≥ 1 day (the cleaner's minimum), a bid and ask, OTM
        // against the expiry's median futures price, a mark IV. Every other cleaner rule only removes more, so this
        // bounds quotesUsed from above; the quotes removed must be among the cleaner's rejections.
        var path = Path.Combine(RepoPaths.Root, "samples", "options", "deribit_options_snapshot_20260822T093536Z.csv.gz");
        using var gz = new GZipStream(File.OpenRead(path), CompressionMode.Decompress);
        using var reader = new StreamReader(gz);
        var header = reader.ReadLine()!.Split(',');
        int Col(string name) => Array.IndexOf(header, name);
        int cur = Col("currency"), type = Col("option_type"), strike = Col("strike"), t = Col("time_to_maturity"), fut = Col("futures_price"),
            bid = Col("bid_price"), ask = Col("ask_price"), iv = Col("implied_volatility"), exp = Col("expiry_datetime");
        var rows = new List<string[]>();
        for (string? line; (line = reader.ReadLine()) is not null;) rows.Add(line.Split(','));
        var btc = rows.Where(r => r[cur] == "BTC").ToList();
        double D(string s) => double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : double.NaN;
        int candidates = 0;
        foreach (var g in btc.GroupBy(r => r[exp]))
        {
            var f = g.Select(r => D(r[fut])).Order().ToArray();
            double median = f.Length % 2 == 1 ? f[f.Length / 2] : 0.5 * (f[f.Length / 2 - 1] + f[f.Length / 2]);
            candidates += g.Count(r => D(r[t]) * 365 >= 1 && D(r[bid]) > 0 && D(r[ask]) > 0 && D(r[iv]) > 0
                                       && (r[type] == "call" ? D(r[strike]) >= median : D(r[strike]) < median));
        }
        var j = CliRun.Of("fit-surface", "--json").Json();
        Assert.Equal(btc.Count, j.GetProperty("quotesInput").GetInt32());
        int used = j.GetProperty("quotesUsed").GetInt32();
        Assert.InRange(used, candidates - j.GetProperty("quotesRejected").GetInt32(), candidates);
    }

    [Theory]
    [InlineData("ssvi", 0.06)]
    [InlineData("essvi", 0.03)]
    [InlineData("sabr", 0.03)]
    [InlineData("heston", 0.08)]
    public void EachModelFitsTheShippedChain(string model, double maxRmse)
    {
        var run = CliRun.Of("fit-surface", "--model", model, "--json");
        Assert.True(run.ExitCode == 0, run.Stderr);
        var j = run.Json();
        AssertSane(j, model);
        Assert.InRange(j.GetProperty("rmseVol").GetDouble(), 0, maxRmse);
        var arbitrage = j.GetProperty("arbitrage");
        switch (model)
        {
            case "ssvi":
                var p = j.GetProperty("parameters");
                double rho = p.GetProperty("rho").GetDouble(), eta = p.GetProperty("eta").GetDouble(), gamma = p.GetProperty("gamma").GetDouble();
                // Gatheral & Jacquier (2014) Corollary 4.1 and Remark 4.4: η(1 + |ρ|) ≤ 2, 0 < γ ≤ ½ ⇒ no static arbitrage.
                Assert.True(eta * (1 + Math.Abs(rho)) <= 2 && gamma > 0 && gamma <= 0.5);
                Assert.Equal(0, arbitrage.GetProperty("butterflyViolations").GetInt32());
                Assert.Equal(0, arbitrage.GetProperty("calendarViolations").GetInt32());
                break;
            case "heston":
                var h = j.GetProperty("parameters");
                foreach (var name in new[] { "v0", "kappa", "theta", "sigma" }) Assert.True(h.GetProperty(name).GetDouble() > 0, name);
                Assert.InRange(h.GetProperty("rho").GetDouble(), -1, 1);
                // Checked numerically on the implied vols of its prices (theory: 0); the tolerance is in the note.
                Assert.Equal(0, arbitrage.GetProperty("butterflyViolations").GetInt32());
                Assert.Equal(0, arbitrage.GetProperty("calendarViolations").GetInt32());
                Assert.Contains("tolerance", arbitrage.GetProperty("note").GetString());
                break;
            case "sabr":
                foreach (var s in j.GetProperty("slices").EnumerateArray())
                    foreach (var name in new[] { "alpha", "beta", "rho", "nu" })
                        Assert.True(s.GetProperty("parameters").TryGetProperty(name, out _), name);
                // Checked now (finite differences of Hagan's smile): counts, not null; every violation's place is in the note.
                Assert.Equal(JsonValueKind.Number, arbitrage.GetProperty("butterflyViolations").ValueKind);
                Assert.Contains("SABR", arbitrage.GetProperty("note").GetString());
                break;
            case "essvi":
                Assert.Equal(JsonValueKind.Null, j.GetProperty("parameters").ValueKind);
                foreach (var s in j.GetProperty("slices").EnumerateArray())
                    foreach (var name in new[] { "theta", "rho", "psi" })
                        Assert.True(s.GetProperty("parameters").TryGetProperty(name, out _), name);
                Assert.Equal(0, arbitrage.GetProperty("butterflyViolations").GetInt32());
                Assert.Equal(0, arbitrage.GetProperty("calendarViolations").GetInt32());
                break;
        }
    }

    [Fact]
    public void EthUnderlyingSelectsTheEthChain()
    {
        var btc = CliRun.Of("fit-surface", "--json").Json();
        var run = CliRun.Of("fit-surface", "--underlying", "ETH", "--json");
        Assert.True(run.ExitCode == 0, run.Stderr);
        var j = run.Json();
        AssertSane(j, "svi");
        Assert.Equal("ETH", j.GetProperty("underlying").GetString());
        // ETH forwards are more than ten times below BTC's in the same snapshot.
        double ethF = j.GetProperty("slices")[0].GetProperty("forward").GetDouble();
        double btcF = btc.GetProperty("slices")[0].GetProperty("forward").GetDouble();
        Assert.True(ethF < btcF / 10, $"ETH forward {ethF}, BTC {btcF}");
        Assert.InRange(j.GetProperty("rmseVol").GetDouble(), 0, 0.01);
    }

    [Fact]
    public void HumanOutputIsATableWithTheRmse()
    {
        var run = CliRun.Of("fit-surface", "--model", "sabr");
        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.Contains("RMSE", run.Stdout);
        Assert.Contains("vol pts", run.Stdout);
        Assert.Contains("alpha=", run.Stdout);
    }

    [Fact]
    public void SviRecoversKnownSmilesFromASurfaceFile()
    {
        // Two arbitrage-free raw-SVI smiles (Gatheral 2004 parameterisation) with known parameters.
        var smiles = new (double T, SviParameters P)[]
        {
            (0.25, new SviParameters(0.01, 0.10, -0.30, 0.02, 0.20)),
            (1.00, new SviParameters(0.04, 0.15, -0.40, 0.05, 0.30)),
        };
        const double f = 50000;
        var quotes = smiles.SelectMany(s => Grid(-0.6, 0.6, 0.05).Select(k => (s.T, f, f * Math.Exp(k), s.P.ImpliedVolatility(k, s.T))));
        using var dir = new TempDir();
        var file = dir.Write("svi.csv", SurfaceCsv(quotes));
        var run = CliRun.Of("fit-surface", "--chain", file, "--json");
        Assert.True(run.ExitCode == 0, run.Stderr);
        var j = run.Json();
        AssertSane(j, "svi");
        Assert.Equal(JsonValueKind.Null, j.GetProperty("underlying").ValueKind);
        Assert.InRange(j.GetProperty("rmseVol").GetDouble(), 0, 1e-5);
        for (int i = 0; i < smiles.Length; i++)
        {
            var p = j.GetProperty("slices")[i].GetProperty("parameters");
            Assert.Equal(smiles[i].P.A, p.GetProperty("a").GetDouble(), 1e-4);
            Assert.Equal(smiles[i].P.B, p.GetProperty("b").GetDouble(), 1e-4);
            Assert.Equal(smiles[i].P.Rho, p.GetProperty("rho").GetDouble(), 1e-3);
            Assert.Equal(smiles[i].P.M, p.GetProperty("m").GetDouble(), 1e-3);
            Assert.Equal(smiles[i].P.Sigma, p.GetProperty("sigma").GetDouble(), 1e-3);
        }
    }

    [Fact]
    public void SsviAndSabrRecoverKnownParameters()
    {
        const double f = 3000;
        var ks = Grid(-0.5, 0.5, 0.05);
        var expiries = new[] { 0.1, 0.5, 1.0 };
        using var dir = new TempDir();

        // SSVI (Gatheral & Jacquier 2014, eq. 4.1 with the power-law φ of eq. 4.5); k = 0 is quoted so θ_t is exact.
        var ssvi = new SsviParameters(-0.35, 0.9, 0.4);
        double[] thetas = [0.02, 0.09, 0.2];
        var ssviFile = dir.Write("ssvi.csv", SurfaceCsv(expiries.SelectMany((t, j) =>
            ks.Select(k => (t, f, f * Math.Exp(k), Math.Sqrt(ssvi.TotalVariance(k, thetas[j]) / t))))));
        var s = CliRun.Of("fit-surface", "--chain", ssviFile, "--model", "ssvi", "--json");
        Assert.True(s.ExitCode == 0, s.Stderr);
        var sj = s.Json();
        AssertSane(sj, "ssvi");
        Assert.InRange(sj.GetProperty("rmseVol").GetDouble(), 0, 1e-4);
        var sp = sj.GetProperty("parameters");
        Assert.Equal(ssvi.Rho, sp.GetProperty("rho").GetDouble(), 1e-3);
        Assert.Equal(ssvi.Eta, sp.GetProperty("eta").GetDouble(), 1e-3);
        Assert.Equal(ssvi.Gamma, sp.GetProperty("gamma").GetDouble(), 1e-3);

        // SABR with β = 1 (the command's fixed β), Hagan et al. (2002) vols.
        var sabr = new SabrParameters(0.7, 1, -0.25, 1.4);
        var sabrFile = dir.Write("sabr.csv", SurfaceCsv(expiries.SelectMany(t =>
            ks.Select(k => (t, f, f * Math.Exp(k), Sabr.ImpliedVolatility(sabr, f, f * Math.Exp(k), t))))));
        var b = CliRun.Of("fit-surface", "--chain", sabrFile, "--model", "sabr", "--json");
        Assert.True(b.ExitCode == 0, b.Stderr);
        var bj = b.Json();
        AssertSane(bj, "sabr");
        Assert.InRange(bj.GetProperty("rmseVol").GetDouble(), 0, 1e-6);
        foreach (var slice in bj.GetProperty("slices").EnumerateArray())
        {
            var p = slice.GetProperty("parameters");
            Assert.Equal(sabr.Alpha, p.GetProperty("alpha").GetDouble(), 1e-4);
            Assert.Equal(sabr.Rho, p.GetProperty("rho").GetDouble(), 1e-4);
            Assert.Equal(sabr.Nu, p.GetProperty("nu").GetDouble(), 1e-4);
        }
    }

    [Fact]
    public void HestonRecoversKnownParametersFromItsOwnVols()
    {
        const double f = 60000;
        var truth = new HestonParameters(0.36, 2.0, 0.49, 0.9, -0.4);
        var quotes = new List<(double, double, double, double)>();
        foreach (var t in new[] { 0.1, 0.4, 1.0 })
            foreach (var k in Grid(-0.4, 0.4, 0.1))
            {
                double strike = f * Math.Exp(k);
                var type = strike >= f ? OptionType.Call : OptionType.Put;
                double vol = ImpliedVolatility.Solve(Heston.Price(truth, f, strike, t, type), f, strike, t, type).Volatility;
                quotes.Add((t, f, strike, vol));
            }
        using var dir = new TempDir();
        var run = CliRun.Of("fit-surface", "--chain", dir.Write("heston.csv", SurfaceCsv(quotes)), "--model", "heston", "--json");
        Assert.True(run.ExitCode == 0, run.Stderr);
        var j = run.Json();
        AssertSane(j, "heston");
        Assert.InRange(j.GetProperty("rmseVol").GetDouble(), 0, 1e-5);
        var p = j.GetProperty("parameters");
        Assert.Equal(truth.V0, p.GetProperty("v0").GetDouble(), 1e-3);
        Assert.Equal(truth.Rho, p.GetProperty("rho").GetDouble(), 1e-2);
        Assert.Equal(truth.Sigma, p.GetProperty("sigma").GetDouble(), 1e-2);
    }

    [Fact]
    public void BadChainFileIsExitTwoNamingFileLineAndField()
    {
        using var dir = new TempDir();
        var file = dir.Write("bad.csv", "t,strike,forward,impliedVol\n0.25,50000,50000,0.6\n0.25,abc,50000,0.6\n");
        var run = CliRun.Of("fit-surface", "--chain", file);
        Assert.Equal(2, run.ExitCode);
        Assert.Equal("", run.Stdout);
        Assert.Contains("bad.csv", run.Stderr);
        Assert.Contains(":3", run.Stderr);
        Assert.Contains("strike", run.Stderr);

        // A Deribit snapshot (both currencies) with one strike spoilt on line 4: the cell's error, not a currency question.
        var sample = Path.Combine(RepoPaths.Root, "samples", "options", "deribit_options_snapshot_20260822T093536Z.csv.gz");
        using (var gz = new GZipStream(File.OpenRead(sample), CompressionMode.Decompress))
        using (var reader = new StreamReader(gz))
        {
            var lines = Enumerable.Range(0, 6).Select(_ => reader.ReadLine()!).ToArray();
            int strike = Array.IndexOf(lines[0].Split(','), "strike");
            var cells = lines[3].Split(',');
            cells[strike] = "12x";
            lines[3] = string.Join(',', cells);
            var deribit = dir.Write("deribit.csv", string.Join('\n', lines) + "\n");
            var spoilt = CliRun.Of("fit-surface", "--chain", deribit, "--json");
            Assert.Equal(2, spoilt.ExitCode);
            Assert.Equal("", spoilt.Stdout);
            Assert.Contains("deribit.csv:4", spoilt.Stderr);
            Assert.Contains("strike", spoilt.Stderr);
            Assert.Contains("12x", spoilt.Stderr);
        }

        var missing = CliRun.Of("fit-surface", "--chain", Path.Combine(dir.Path, "nope.csv.gz"));
        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("not found", missing.Stderr);

        var model = CliRun.Of("fit-surface", "--model", "garch");
        Assert.Equal(2, model.ExitCode);
        Assert.Contains("garch", model.Stderr);
    }

    [Fact]
    public void TooFewQuotesIsAClearError()
    {
        using var dir = new TempDir();
        // One slice of 4 quotes: SABR (3 parameters) fits, SVI (5) does not; a chain of 4 quotes is too few for Heston (5).
        var quotes = new[] { -0.2, -0.05, 0.05, 0.2 }.Select(k => (0.5, 100.0, 100 * Math.Exp(k), 0.5 + 0.3 * k * k));
        var file = dir.Write("few.csv", SurfaceCsv(quotes));
        var svi = CliRun.Of("fit-surface", "--chain", file, "--model", "svi");
        Assert.Equal(2, svi.ExitCode);
        Assert.Contains("too few quotes for svi", svi.Stderr);
        Assert.Contains("has 4", svi.Stderr);
        Assert.Contains("at least 5", svi.Stderr);
        Assert.Contains("few.csv", svi.Stderr);

        var heston = CliRun.Of("fit-surface", "--chain", file, "--model", "heston");
        Assert.Equal(2, heston.ExitCode);
        Assert.Contains("too few quotes for heston", heston.Stderr);

        Assert.Equal(0, CliRun.Of("fit-surface", "--chain", file, "--model", "sabr", "--json").ExitCode);
    }
}
