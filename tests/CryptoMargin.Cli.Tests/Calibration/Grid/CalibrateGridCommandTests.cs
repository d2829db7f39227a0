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

    [Fact]
    public void AHoldoutSplitCalibratesOnlyOnSnapshotsAndPricesBeforeIt()
    {
        using var tmp = new TempDir();
        // A BTC price file that goes on past the shipped sample (2025-11-20) into the snapshot period, with a −40 % day after
        // the split: the out-of-sample price range must not see it.
        var shipped = File.ReadAllLines(RepoPaths.Sample("btc-usd-daily.csv"));
        var extended = new List<string>(shipped);
        var rng = new Random(12);
        double close = double.Parse(shipped[^1].Split(',')[4], CultureInfo.InvariantCulture);
        var split = new DateOnly(2026, 4, 27);
        for (var d = new DateOnly(2025, 11, 21); d <= new DateOnly(2026, 8, 22); d = d.AddDays(1))
        {
            close *= d == new DateOnly(2026, 5, 2) ? 0.6 : Math.Exp(0.02 * (rng.NextDouble() - 0.5));
            string c = close.ToString("R", CultureInfo.InvariantCulture);
            extended.Add($"{d:yyyy-MM-dd},{c},{c},{c},{c},0,test");
        }
        var full = Path.Combine(tmp.Path, "btc-usd-daily.csv");
        File.WriteAllLines(full, extended);
        var before = Path.Combine(tmp.Path, "truncated", "btc-usd-daily.csv");
        Directory.CreateDirectory(Path.GetDirectoryName(before)!);
        File.WriteAllLines(before, extended.Where((l, i) => i == 0 || DateOnly.Parse(l.Split(',')[0], CultureInfo.InvariantCulture) < split));

        var outDir = Path.Combine(tmp.Path, "oos");
        var run = CliRun.Of("calibrate-grid", "--prices", full, "--holdout-from", "2026-04-27", "--out", outDir, "--json");
        Assert.True(run.ExitCode == 0, run.Stderr);
        var holdout = run.Json().GetProperty("holdout");
        Assert.Equal("2026-04-27", holdout.GetProperty("from").GetString());
        Assert.Equal("2026-04-26", holdout.GetProperty("calibration").GetProperty("last").GetString());
        Assert.Equal(118, holdout.GetProperty("calibration").GetProperty("snapshotDates").GetInt32());
        Assert.Equal("2026-04-27", holdout.GetProperty("test").GetProperty("first").GetString());
        var btcPrices = holdout.GetProperty("calibration").GetProperty("prices").EnumerateArray().Single(p => p.GetProperty("underlying").GetString() == "BTC");
        Assert.Equal("2026-04-26", btcPrices.GetProperty("lastReturnEnds").GetString());
        Assert.Equal(1460, btcPrices.GetProperty("returns").GetInt32());

        // The price range is the `var` command's 2-day ES on the file cut before the split (same 1,460-return lookback).
        double Es(string file, string side)
        {
            var v = CliRun.Of("var", "--prices", file, "--method", "hs", "--horizon", "2", "--confidence", "0.99", "--lookback", "1460", "--side", side, "--json");
            Assert.True(v.ExitCode == 0, v.Stderr);
            return v.Json().GetProperty("es").GetDouble();
        }
        var grid = GridPolicyJson.Read(Path.Combine(outDir, "policy.json"));
        double oosRange = grid.Coins.Single(c => c.Underlying == "BTC").PriceRange;
        Assert.Equal(Math.Max(Es(before, "long"), Es(before, "short")), oosRange, 1e-12);
        // In sample, the crash after the split widens the range.
        var inSample = CliRun.Of("calibrate-grid", "--prices", full, "--out", Path.Combine(tmp.Path, "is"), "--json");
        Assert.True(inSample.ExitCode == 0, inSample.Stderr);
        Assert.True(GridPolicyJson.Read(Path.Combine(tmp.Path, "is", "policy.json")).Coins.Single(c => c.Underlying == "BTC").PriceRange > oosRange + 0.01);

        // Vol shocks: the 2-day ATM 30-day changes of the shipped history's rows dated before the split only.
        Assert.Equal(new DateOnly(2026, 4, 26), grid.Sources.Last);
        var lines = File.ReadAllLines(ShippedVolHistory);
        int col = Array.IndexOf(lines[0].Split(','), "iv_30d_z0");
        using var evidence = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "grid-evidence.json")));
        Assert.Equal("2026-04-27", evidence.RootElement.GetProperty("holdout").GetProperty("from").GetString());
        foreach (var coin in new[] { "BTC", "ETH" })
        {
            var byDate = lines.Skip(1).Select(l => l.Split(',')).Where(f => f[1] == coin)
                .ToDictionary(f => DateOnly.FromDateTime(DateTime.Parse(f[0], CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal)),
                              f => double.Parse(f[col], CultureInfo.InvariantCulture))
                .Where(kv => kv.Key < split).ToDictionary();
            var changes = byDate.Where(kv => byDate.ContainsKey(kv.Key.AddDays(2))).Select(kv => byDate[kv.Key.AddDays(2)] / kv.Value - 1).ToArray();
            Assert.Equal(116, changes.Length);
            var coinNode = evidence.RootElement.GetProperty("coins").EnumerateArray().Single(c => c.GetProperty("underlying").GetString() == coin);
            var h2 = coinNode.GetProperty("volShocks").EnumerateArray().Single(h => h.GetProperty("horizonDays").GetInt32() == 2);
            var row = h2.GetProperty("quantiles").EnumerateArray().Single(q => q.GetProperty("days").GetDouble() == 30 && q.GetProperty("moneyness").GetDouble() == 0);
            Assert.Equal(changes.Length, row.GetProperty("observations").GetInt32());
            Assert.Equal(Statistics.QuantileCustom(changes, 0.99, QuantileDefinition.R7), row.GetProperty("up").GetDouble(), 1e-12);
        }
        // The vol history written is the calibration window: the shipped rows dated before the split.
        var written = File.ReadAllLines(Path.Combine(outDir, "vol-history.csv"));
        Assert.Equal(1 + 2 * 118, written.Length);
        Assert.Equal(lines.Where((l, i) => i == 0 || DateTime.Parse(l.Split(',')[0], CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal) < split.ToDateTime(TimeOnly.MinValue)), written);

        // --holdout-fraction 0.5 is the same split on the 236 dates.
        var byFraction = CliRun.Of("calibrate-grid", "--prices", full, "--holdout-fraction", "0.5", "--out", Path.Combine(tmp.Path, "f"), "--json");
        Assert.True(byFraction.ExitCode == 0, byFraction.Stderr);
        Assert.Equal(File.ReadAllBytes(Path.Combine(outDir, "policy.json")), File.ReadAllBytes(Path.Combine(tmp.Path, "f", "policy.json")));
    }

    [Fact]
    public void OutOfSampleCoinBacktestOnTheRealSnapshots()
    {
        var daily = Path.GetFullPath(Path.Combine(RepoPaths.Root, "..", "shared", "data", "deribit-options-snapshots", "daily"));
        Assert.SkipUnless(Directory.Exists(daily), "../shared/data/deribit-options-snapshots/daily is absent");
        using var tmp = new TempDir();
        var run = CliRun.Of("calibrate-grid", "--chains", daily, "--backtest", "--holdout-fraction", "0.5", "--units", "coin", "--out", tmp.Path, "--json");
        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.Equal("2026-04-27", run.Json().GetProperty("holdout").GetProperty("from").GetString());
        using var bt = JsonDocument.Parse(File.ReadAllText(Path.Combine(tmp.Path, "grid-backtest.json")));
        Assert.StartsWith("coin:", bt.RootElement.GetProperty("units").GetString());
        Assert.Equal("2026-04-26", bt.RootElement.GetProperty("holdout").GetProperty("calibration").GetProperty("last").GetString());
        foreach (var coin in bt.RootElement.GetProperty("coins").EnumerateArray())
            foreach (var h in coin.GetProperty("horizons").EnumerateArray())
            {
                int horizon = h.GetProperty("horizonDays").GetInt32();
                var tested = h.GetProperty("testedMarginDates");
                // Margin dates 2026-04-27 … 2026-08-22 − h: 118 − h of them, the last P&L ending on the last snapshot.
                Assert.Equal("2026-04-27", tested.GetProperty("first").GetString());
                Assert.Equal(118 - horizon, tested.GetProperty("count").GetInt32());
                Assert.Equal("2026-08-22", tested.GetProperty("lastPnlEnds").GetString());
                var all = h.GetProperty("books").EnumerateArray().Single(b => b.GetProperty("book").GetString() == "all");
                Assert.Equal(6 * (118 - horizon), all.GetProperty("observations").GetInt32());
                // Coin margins: a fraction of a coin for one-coin books (a USD figure would be thousands).
                Assert.InRange(all.GetProperty("averageMarginCoin").GetDouble(), 0.005, 1);
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
    [InlineData(new[] { "--units", "eur" }, "--units must be 'usd' or 'coin', not 'eur'")]
    [InlineData(new[] { "--units", "coin" }, "--units goes with --backtest")]
    [InlineData(new[] { "--holdout-from", "2026-04-27", "--holdout-fraction", "0.5" }, "give --holdout-from or --holdout-fraction, not both")]
    [InlineData(new[] { "--holdout-from", "27/04/2026" }, "--holdout-from must be an ISO date (yyyy-MM-dd), not '27/04/2026'")]
    [InlineData(new[] { "--holdout-fraction", "1.5" }, "--holdout-fraction must lie in (0, 1), not 1.5")]
    [InlineData(new[] { "--holdout-from", "2026-04-27", "--policy", "p.json" }, "cannot be used with --policy")]
    [InlineData(new[] { "--holdout-from", "2025-01-01" }, "no snapshot before the holdout date 2025-01-01")]
    [InlineData(new[] { "--holdout-from", "2027-01-01" }, "no snapshot on or after the holdout date 2027-01-01")]
    public void BadInputExitsTwoWithAClearMessage(string[] args, string message)
    {
        using var tmp = new TempDir();
        var run = CliRun.Of(["calibrate-grid", "--out", tmp.Path, .. args]);
        Assert.Equal(2, run.ExitCode);
        Assert.Contains(message, run.Stderr);
        Assert.False(File.Exists(Path.Combine(tmp.Path, "policy.json")));
    }
}
