using System.Globalization;
using System.Text.Json;
using CryptoMargin.Data.Policies;
using CryptoMargin.Margin;
using CryptoMargin.Risk;
using MathNet.Numerics.Statistics;

namespace CryptoMargin.Cli.Tests.Calibration.Grid;

public class CalibrateGridCommandTests
{
    private static string ShippedVolHistory => Path.Combine(RepoPaths.Root, "samples", "grid", "deribit-vol-history.csv");

    [Fact]
    public void DefaultRunWritesAValidPolicyWithAGridSection()
    {
        using var tmp = new TempDir();
        var run = CliRun.Of("calibrate-grid", "--out", tmp.Path, "--json");
        Assert.True(run.ExitCode == 0, run.Stderr);
        var json = run.Json();
        Assert.Equal(Path.Combine(tmp.Path, "policy.json"), json.GetProperty("policy").GetString());

        var policy = GridPolicyJson.Read(Path.Combine(tmp.Path, "policy.json"));
        Assert.Equal(0.99, policy.Confidence);
        Assert.Equal(2, policy.MporDays);
        Assert.Equal(["BTC", "ETH"], policy.Coins.Select(c => c.Underlying));
        Assert.Equal(472, policy.Sources.Snapshots);
        Assert.Equal(new DateOnly(2025, 12, 30), policy.Sources.First);
        foreach (var c in policy.Coins)
        {
            Assert.InRange(c.PriceRange, 0.02, 0.5);
            Assert.True(c.ExtendedMove > c.PriceRange * 0.8, $"{c.Underlying}: the 99.9 % EVT move should not be far below the 99 % ES");
            Assert.InRange(c.VolUp.Law.K, 0.01, 2);
            Assert.InRange(c.VolDown.Law.K, 0.01, 0.99);
            Assert.Equal(8, c.VolUp.Points);
        }
        foreach (var chart in new[] { "vol-shock-fit-btc.svg", "vol-shock-fit-eth.svg" })
        {
            var svg = File.ReadAllText(Path.Combine(tmp.Path, chart));
            Assert.Contains("<svg", svg);
            Assert.Contains("k·(30/DTE)^p", svg);
        }
        // The vol history it used is the shipped sample, byte for byte.
        Assert.Equal(File.ReadAllBytes(ShippedVolHistory), File.ReadAllBytes(Path.Combine(tmp.Path, "vol-history.csv")));
        // stdout's grid is the policy file's grid section.
        using var file = JsonDocument.Parse(File.ReadAllText(Path.Combine(tmp.Path, "policy.json")));
        Assert.Equal(file.RootElement.GetProperty("grid").GetRawText(), json.GetProperty("grid").GetRawText());
    }

    [Fact]
    public void EvidenceQuantilesAndPriceRangeAgreeWithIndependentRecomputation()
    {
        using var tmp = new TempDir();
        Assert.Equal(0, CliRun.Of("calibrate-grid", "--out", tmp.Path, "--json").ExitCode);
        using var evidence = JsonDocument.Parse(File.ReadAllText(Path.Combine(tmp.Path, "grid-evidence.json")));

        // Recompute the 2-day ATM 30-day changes straight from the shipped CSV: pair rows whose UTC dates are 2 apart.
        var lines = File.ReadAllLines(ShippedVolHistory);
        int col = Array.IndexOf(lines[0].Split(','), "iv_30d_z0");
        foreach (var coin in new[] { "BTC", "ETH" })
        {
            var byDate = lines.Skip(1).Select(l => l.Split(',')).Where(f => f[1] == coin)
                .ToDictionary(f => DateOnly.FromDateTime(DateTime.Parse(f[0], CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal)),
                              f => double.Parse(f[col], CultureInfo.InvariantCulture));
            var changes = byDate.Where(kv => byDate.ContainsKey(kv.Key.AddDays(2))).Select(kv => byDate[kv.Key.AddDays(2)] / kv.Value - 1).ToArray();
            var coinNode = evidence.RootElement.GetProperty("coins").EnumerateArray().Single(c => c.GetProperty("underlying").GetString() == coin);
            var h2 = coinNode.GetProperty("volShocks").EnumerateArray().Single(h => h.GetProperty("horizonDays").GetInt32() == 2);
            var row = h2.GetProperty("quantiles").EnumerateArray().Single(q => q.GetProperty("days").GetDouble() == 30 && q.GetProperty("moneyness").GetDouble() == 0);
            Assert.Equal(changes.Length, row.GetProperty("observations").GetInt32());
            Assert.Equal(Statistics.QuantileCustom(changes, 0.99, QuantileDefinition.R7), row.GetProperty("up").GetDouble(), 1e-12);
            Assert.Equal(Statistics.QuantileCustom(changes, 0.01, QuantileDefinition.R7), row.GetProperty("down").GetDouble(), 1e-12);

            // The price range is the larger of the long and short 2-day historical ES, as the `var` command reports them.
            double Es(string side)
            {
                var v = CliRun.Of("var", "--prices", RepoPaths.Sample($"{coin.ToLowerInvariant()}-usd-daily.csv"), "--method", "hs",
                    "--horizon", "2", "--confidence", "0.99", "--lookback", "1460", "--side", side, "--json");
                Assert.Equal(0, v.ExitCode);
                return v.Json().GetProperty("es").GetDouble();
            }
            Assert.Equal(Math.Max(Es("long"), Es("short")), coinNode.GetProperty("priceRange").GetDouble(), 1e-12);
        }
    }

    [Fact]
    public void OutputBytesAreDeterministic()
    {
        using var a = new TempDir();
        using var b = new TempDir();
        Assert.Equal(0, CliRun.Of("calibrate-grid", "--out", a.Path).ExitCode);
        Assert.Equal(0, CliRun.Of("calibrate-grid", "--out", b.Path, "--json").ExitCode);
        foreach (var name in new[] { "policy.json", "grid-evidence.json", "vol-history.csv", "vol-shock-fit-btc.svg", "vol-shock-fit-eth.svg" })
            Assert.Equal(File.ReadAllBytes(Path.Combine(a.Path, name)), File.ReadAllBytes(Path.Combine(b.Path, name)));
    }

    [Fact]
    public void TakesConfidenceMporAndPriceRangeFromAPolicy()
    {
        using var tmp = new TempDir();
        var policyPath = Path.Combine(tmp.Path, "in-policy.json");
        PolicyJson.Write(new MarginPolicy
        {
            Asset = "BTC",
            Method = RiskMethod.Historical,
            Confidence = 0.975,
            MporDays = 1,
            LookbackDays = 1000,
            Apc = AntiProcyclicality.None,
            InitialMarginRate = 0.111,
            MaintenanceMarginRate = 0.07,
            MaintenanceRule = new MaintenanceRule(0.6, null),
            Tiers = [],
            ReestimationDays = 5,
            InputSha256 = new string('0', 64),
            Start = new DateOnly(2020, 1, 1),
            End = new DateOnly(2025, 1, 1),
            Candidates = [],
        }, policyPath);
        var outDir = Path.Combine(tmp.Path, "out");
        var run = CliRun.Of("calibrate-grid", "--policy", policyPath, "--out", outDir, "--json");
        Assert.True(run.ExitCode == 0, run.Stderr);
        var grid = GridPolicyJson.Read(Path.Combine(outDir, "policy.json"));
        Assert.Equal(0.975, grid.Confidence);
        Assert.Equal(1, grid.MporDays);
        Assert.Equal(1, grid.VolShockHorizonDays);
        Assert.Equal(policyPath, grid.Sources.Policy);
        Assert.Equal(0.111, grid.Coins.Single(c => c.Underlying == "BTC").PriceRange);
        Assert.Contains("initialMarginRate", grid.Coins.Single(c => c.Underlying == "BTC").PriceRangeSource);
        Assert.Contains("historical ES at 0.975", grid.Coins.Single(c => c.Underlying == "ETH").PriceRangeSource); // no ETH policy
    }

    [Fact]
    public void RawSnapshotsReproduceTheShippedSampleAndBacktestTheGrid()
    {
        var daily = Path.GetFullPath(Path.Combine(RepoPaths.Root, "..", "shared", "data", "deribit-options-snapshots", "daily"));
        Assert.SkipUnless(Directory.Exists(daily), "../shared/data/deribit-options-snapshots/daily is absent");
        using var tmp = new TempDir();
        var run = CliRun.Of("calibrate-grid", "--chains", daily, "--backtest", "--out", tmp.Path, "--json");
        Assert.True(run.ExitCode == 0, run.Stderr);
        // scripts/derive-grid-vol-history.sh: the shipped sample is exactly what --chains derives from the 236 files.
        Assert.Equal(File.ReadAllBytes(ShippedVolHistory), File.ReadAllBytes(Path.Combine(tmp.Path, "vol-history.csv")));
        using var bt = JsonDocument.Parse(File.ReadAllText(Path.Combine(tmp.Path, "grid-backtest.json")));
        foreach (var coin in bt.RootElement.GetProperty("coins").EnumerateArray())
            foreach (var h in coin.GetProperty("horizons").EnumerateArray())
            {
                var books = h.GetProperty("books").EnumerateArray().ToList();
                var all = books.Single(b => b.GetProperty("book").GetString() == "all");
                // The pooled row is the sum of the per-book rows.
                Assert.Equal(books.Where(b => b.GetProperty("book").GetString() != "all").Sum(b => b.GetProperty("observations").GetInt32()), all.GetProperty("observations").GetInt32());
                Assert.Equal(books.Where(b => b.GetProperty("book").GetString() != "all").Sum(b => b.GetProperty("exceedances").GetInt32()), all.GetProperty("exceedances").GetInt32());
                Assert.True(all.GetProperty("observations").GetInt32() > 6 * 200);
            }

        // --models all: every model on the same books; its reference-grid row is the plain backtest's pooled row.
        using var tmpAll = new TempDir();
        var runAll = CliRun.Of("calibrate-grid", "--chains", daily, "--backtest", "--models", "all", "--out", tmpAll.Path, "--json");
        Assert.True(runAll.ExitCode == 0, runAll.Stderr);
        using var btAll = JsonDocument.Parse(File.ReadAllText(Path.Combine(tmpAll.Path, "grid-backtest.json")));
        var plain = bt.RootElement.GetProperty("coins").EnumerateArray().ToList();
        var models = btAll.RootElement.GetProperty("coins").EnumerateArray().ToList();
        Assert.Equal(2, models.Count);
        for (int c = 0; c < 2; c++)
        {
            var hp = plain[c].GetProperty("horizons").EnumerateArray().ToList();
            var hm = models[c].GetProperty("horizons").EnumerateArray().ToList();
            for (int h = 0; h < hp.Count; h++)
            {
                var reference = hp[h].GetProperty("books").EnumerateArray().Single(b => b.GetProperty("book").GetString() == "all");
                var rows = hm[h].GetProperty("models").EnumerateArray().ToList();
                Assert.Equal(["reference-grid", "tiered", "span", "deribit-pm-venue", "deribit-pm-calibrated", "greeks", "hybrid"],
                    rows.Take(7).Select(r => r.GetProperty("model").GetString()));
                var grid = rows[0];
                Assert.Equal(reference.GetProperty("observations").GetInt32(), grid.GetProperty("observations").GetInt32());
                Assert.Equal(reference.GetProperty("exceedances").GetInt32(), grid.GetProperty("exceedances").GetInt32());
                Assert.Equal(reference.GetProperty("averageMarginUsd").GetDouble(), grid.GetProperty("averageMarginUsd").GetDouble(), 9);
                foreach (var r in rows)
                {
                    Assert.True(r.GetProperty("observations").GetInt32() > 6 * 200, r.GetProperty("model").GetString());
                    Assert.Equal((double)r.GetProperty("exceedances").GetInt32() / r.GetProperty("observations").GetInt32(), r.GetProperty("exceedanceRate").GetDouble(), 12);
                }
                Assert.True(File.Exists(Path.Combine(tmpAll.Path, $"cost-coverage-{(c == 0 ? "btc" : "eth")}-{hm[h].GetProperty("horizonDays").GetInt32()}d.svg")));
            }
        }
    }

    [Theory]
    [InlineData(new[] { "--chains", "/no/such/folder" }, "folder not found")]
    [InlineData(new[] { "--prices", "sol-usd-daily.csv" }, "expected a BTC or ETH history")]
    [InlineData(new[] { "--policy", "p.json", "--confidence", "0.99" }, "give one or the other")]
    [InlineData(new[] { "--extended-confidence", "0.95" }, "--extended-confidence must lie in (0.99, 1)")]
    [InlineData(new[] { "--mpor", "0" }, "--mpor must be at least 1 day")]
    [InlineData(new[] { "--backtest" }, "--backtest needs --chains DIR")]
    [InlineData(new[] { "--models", "all" }, "--models goes with --backtest")]
    [InlineData(new[] { "--models", "spam" }, "--models must be 'reference' or 'all'")]
    public void BadInputExitsTwoWithAClearMessage(string[] args, string message)
    {
        using var tmp = new TempDir();
        var run = CliRun.Of(["calibrate-grid", "--out", tmp.Path, .. args]);
        Assert.Equal(2, run.ExitCode);
        Assert.Contains(message, run.Stderr);
        Assert.False(File.Exists(Path.Combine(tmp.Path, "policy.json")));
    }
}
