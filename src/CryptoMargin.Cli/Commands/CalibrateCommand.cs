using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using CryptoMargin.Backtesting;
using CryptoMargin.Calibration;
using CryptoMargin.Data;
using CryptoMargin.Data.Policies;
using CryptoMargin.MarketData;
using CryptoMargin.Risk;
using Spectre.Console;

namespace CryptoMargin.Cli.Commands;

/// <summary>
/// <c>cryptomargin calibrate</c>: choose each asset's initial- and maintenance-margin rates from its history, backtest
/// them out of sample, and write policy.json, backtest.json and report.html. The main job of CryptoMargin.
/// </summary>
internal static class CalibrateCommand
{
    public static Command Create(CliConsole console)
    {
        var prices = new Option<string[]>("--prices", "--input")
        {
            Description = "Price histories, one per asset (--prices a.csv b.csv or repeated). Default: the shipped BTC-USD and ETH-USD samples.",
            AllowMultipleArgumentsPerToken = true,
        };
        var asset = new Option<string?>("--asset") { Description = "Asset name (one --prices file only). Default: the file's asset/symbol column, else the file name's leading token, upper-cased." };
        var column = CliOptions.Column();
        var config = new Option<string?>("--config") { Description = "Calibration config (JSON): confidence, mporDays, methods, lookbackDays, lambdas, apcOptions, bounds, holdout, tiers." };
        var output = new Option<string>("--out") { Description = "Output folder for policy.json, backtest.json and report.html.", DefaultValueFactory = _ => "out" };
        var holdoutFrom = new Option<string?>("--holdout-from") { Description = "First day of the holdout (ISO date). Default: the last 30% of the history." };
        var seed = new Option<int>("--seed") { Description = "Seed of the FHS paths and the ES-backtest bootstrap.", DefaultValueFactory = _ => MarginCalibration.DefaultSeed };
        var json = CliOptions.Json();

        var command = new Command("calibrate", "Calibrate margin policies (IM, MM, tiers) per asset, with out-of-sample backtests and an HTML report.")
        {
            prices, asset, column, config, output, holdoutFrom, seed, json,
        };
        command.SetAction(parse => console.Execute(() =>
        {
            var watch = Stopwatch.StartNew();
            var files = parse.GetValue(prices) ?? [];
            var name = parse.GetValue(asset);
            if (name is not null && files.Length != 1) throw new CliUsageException("--asset names the asset of a single --prices file");
            var cfg = parse.GetValue(config) is { } configPath ? CalibrationConfigJson.Read(configPath) : new CalibrationConfig();
            if (parse.GetValue(holdoutFrom) is { } from)
            {
                if (!DateOnly.TryParseExact(from, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
                    throw new CliUsageException($"--holdout-from must be an ISO date (yyyy-MM-dd), not '{from}'");
                cfg = cfg with { HoldoutFrom = day };
            }
            string outDir = parse.GetValue(output) ?? "out";
            int runSeed = parse.GetValue(seed);

            var histories = files.Length == 0
                ? AssetHistory.DefaultSamples.Select(s => AssetHistory.Load(null, s, null, null)).ToList()
                : files.Select(f => AssetHistory.Load(f, null, name, parse.GetValue(column))).ToList();
            var duplicate = histories.GroupBy(h => h.Asset).FirstOrDefault(g => g.Count() > 1);
            if (duplicate is not null) throw new CliUsageException($"two inputs are named {duplicate.Key}: give distinct files");

            var results = new CalibrationResult[histories.Count];
            bool asJson = parse.GetValue(json);
            void Calibrate(Func<int, IProgress<CalibrationProgress>?> progressFor)
            {
                for (int i = 0; i < histories.Count; i++)
                {
                    try
                    {
                        results[i] = MarginCalibration.Run(histories[i].ToCalibrationInput(), cfg, runSeed, progressFor(i));
                    }
                    catch (DataValidationException ex)
                    {
                        throw ex.At(histories[i].History.Source);
                    }
                    catch (ArgumentException ex)
                    {
                        throw new DataValidationException(ex.Message, file: histories[i].History.Source);
                    }
                }
            }
            if (asJson) Calibrate(_ => null);
            else
            {
                console.Progress.Progress().AutoClear(false).Columns(
                        new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
                    .Start(ctx =>
                    {
                        var tasks = histories.Select(h => ctx.AddTask($"{h.Asset}: risk series", maxValue: 1)).ToArray();
                        Calibrate(i => new Progress(tasks[i]));
                        for (int i = 0; i < tasks.Length; i++)
                        {
                            tasks[i].Description = Markup.Escape($"{histories[i].Asset}: {results[i].Frontier.Count} candidates evaluated");
                            tasks[i].Value = tasks[i].MaxValue;
                            tasks[i].StopTask();
                        }
                    });
            }

            Directory.CreateDirectory(outDir);
            string policyPath = Path.Combine(outDir, "policy.json");
            string backtestPath = Path.Combine(outDir, "backtest.json");
            string reportPath = Path.Combine(outDir, "report.html");
            var policies = results.Select(r => r.Policy).ToList();
            if (policies.Count == 1) PolicyJson.Write(policies[0], policyPath);
            else PolicyJson.WriteAll(policies, policyPath);
            AtomicFile.WriteAllText(backtestPath, BacktestDocument(results, histories).ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
            var speedLimits = results.Select((r, i) => MarginCalibration.SpeedLimit(r, histories[i].Returns, cfg, seed: runSeed)).ToArray();
            string? writtenReport = CalibrationReportWriter.Write(reportPath, histories, results, speedLimits, cfg, runSeed);
            watch.Stop();

            var summary = Summary(results, speedLimits, histories, cfg, policyPath, backtestPath, writtenReport, watch.Elapsed.TotalMilliseconds);
            foreach (var r in results.Where(r => r.Fallback)) console.Error.WriteLine($"warning: {r.Asset}: {r.Reason}");
            if (asJson) JsonOutput.Write(console.Out, summary);
            else Render(console.Tables, results, histories, policyPath, writtenReport, watch.Elapsed);
            return ExitCodes.Ok;
        }));
        return command;
    }

    private sealed class Progress(ProgressTask task) : IProgress<CalibrationProgress>
    {
        public void Report(CalibrationProgress value)
        {
            task.MaxValue = value.Total;
            task.Value = Math.Max(task.Value, value.Done);
            task.Description = Markup.Escape($"{task.Description.Split(':')[0]}: {value.Candidate}");
        }
    }

    internal static JsonObject Backtest(BacktestResult b) => JsonNode.Parse(Serialize(w => PolicyJson.WriteBacktest(w, b)))!.AsObject();

    private static string Serialize(Action<Utf8JsonWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer)) write(w);
        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static JsonObject Summary(CalibrationResult[] results, SpeedLimitComparison[] speedLimits, List<AssetHistory> histories, CalibrationConfig cfg,
        string policyPath, string backtestPath, string? reportPath, double elapsedMs)
    {
        var assets = new JsonArray();
        for (int i = 0; i < results.Length; i++)
        {
            var r = results[i];
            var p = r.Policy;
            var whole = Backtest(r.WholeHistory.Long);
            var tiers = new JsonArray(p.Tiers.Select(t => (JsonNode?)new JsonObject
            {
                ["maxNotional"] = t.MaxNotional,
                ["initialMarginRate"] = t.InitialMarginRate,
                ["maintenanceMarginRate"] = t.MaintenanceMarginRate,
            }).ToArray());
            assets.Add(new JsonObject
            {
                ["asset"] = r.Asset,
                ["source"] = histories[i].History.Source,
                ["initialMarginRate"] = JsonOutput.Number(p.InitialMarginRate),
                ["maintenanceMarginRate"] = JsonOutput.Number(p.MaintenanceMarginRate),
                ["liquidationThreshold"] = JsonOutput.Number(p.LiquidationThreshold),
                ["method"] = p.Method.ToName(),
                ["confidence"] = p.Confidence,
                ["mporDays"] = p.MporDays,
                ["lookbackDays"] = p.LookbackDays,
                ["lambda"] = p.Lambda is double l ? l : null,
                ["apc"] = JsonNode.Parse(Serialize(w => PolicyJson.WriteApc(w, p.Apc))),
                ["fallback"] = r.Fallback,
                ["fallbackReason"] = r.Reason,
                ["candidates"] = r.Frontier.Count,
                ["passingCandidates"] = r.Frontier.Count(e => e.Passes),
                ["reestimationDays"] = cfg.ReestimationDays,
                ["start"] = histories[i].Dates[r.EvaluationStart].ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                ["holdoutFrom"] = histories[i].Dates[r.HoldoutStart].ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                ["end"] = histories[i].Dates[^1].ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                ["backtest"] = whole,
                ["backtestShort"] = Backtest(r.WholeHistory.Short),
                ["holdoutBacktest"] = r.Holdout is { } h ? Backtest(h.Long) : null,
                ["holdoutBacktestShort"] = r.Holdout is { } hs ? Backtest(hs.Short) : null,
                ["procyclicality"] = whole["procyclicality"]!.DeepClone(),
                ["speedLimit"] = new JsonObject
                {
                    ["maxDailyIncrease"] = speedLimits[i].MaxDailyIncrease is double cap ? cap : null,
                    ["note"] = speedLimits[i].MaxDailyIncrease is null
                        ? "the chosen policy already caps daily rises: this is the same policy without its cap"
                        : "the chosen policy with margin rises capped at this fraction a day: what the cap costs in coverage",
                    ["backtest"] = Backtest(speedLimits[i].Backtests.Long),
                    ["backtestShort"] = Backtest(speedLimits[i].Backtests.Short),
                },
                ["tiers"] = tiers,
            });
        }
        return new JsonObject
        {
            ["assets"] = assets,
            ["policyPath"] = Path.GetFullPath(policyPath),
            ["backtestPath"] = Path.GetFullPath(backtestPath),
            ["reportPath"] = reportPath is null ? null : Path.GetFullPath(reportPath),
            ["elapsedMs"] = Math.Round(elapsedMs, 1),
        };
    }

    private static JsonObject BacktestDocument(CalibrationResult[] results, List<AssetHistory> histories)
    {
        var assets = new JsonArray();
        for (int i = 0; i < results.Length; i++)
        {
            var r = results[i];
            var frontier = new JsonArray();
            foreach (var e in r.Frontier)
            {
                frontier.Add(new JsonObject
                {
                    ["candidate"] = e.Candidate.ToString(),
                    ["method"] = e.Candidate.Method.ToName(),
                    ["lookbackDays"] = e.Candidate.LookbackDays,
                    ["lambda"] = e.Candidate.Lambda is double l ? l : null,
                    ["apc"] = e.Candidate.Apc.Label,
                    ["averageMargin"] = JsonOutput.Number(e.AverageMargin),
                    ["passes"] = e.Passes,
                    ["failures"] = new JsonArray(e.Failures.Select(f => (JsonNode?)JsonValue.Create(f)).ToArray()),
                    ["long"] = Backtest(e.Calibration.Long),
                    ["short"] = Backtest(e.Calibration.Short),
                });
            }
            assets.Add(new JsonObject
            {
                ["asset"] = r.Asset,
                ["chosen"] = r.Chosen?.Candidate.ToString(),
                ["fallback"] = r.Fallback,
                ["reason"] = r.Reason,
                ["calibrationWindow"] = Window(histories[i], r.EvaluationStart, r.CalibrationEnd),
                ["holdoutWindow"] = Window(histories[i], r.HoldoutStart, r.BacktestEnd),
                ["wholeHistory"] = new JsonObject { ["long"] = Backtest(r.WholeHistory.Long), ["short"] = Backtest(r.WholeHistory.Short) },
                ["holdout"] = r.Holdout is { } h ? new JsonObject { ["long"] = Backtest(h.Long), ["short"] = Backtest(h.Short) } : null,
                ["frontier"] = frontier,
            });
        }
        return new JsonObject { ["assets"] = assets };
    }

    private static JsonObject Window(AssetHistory h, int from, int to) => new()
    {
        ["from"] = h.Dates[from].ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        ["to"] = h.Dates[Math.Max(from, to - 1)].ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        ["days"] = Math.Max(0, to - from),
    };

    private static void Render(IAnsiConsole c, CalibrationResult[] results, List<AssetHistory> histories, string policyPath, string? reportPath, TimeSpan elapsed)
    {
        var table = new Table().Border(TableBorder.Rounded).Title("margin policies")
            .AddColumn("asset").AddColumn("method").AddColumn(new TableColumn("IM").RightAligned()).AddColumn(new TableColumn("MM").RightAligned())
            .AddColumn("APC").AddColumn(new TableColumn("passing").RightAligned())
            .AddColumn("holdout long").AddColumn("holdout short");
        foreach (var r in results)
        {
            var p = r.Policy;
            table.AddRow(
                Markup.Escape(r.Asset) + (r.Fallback ? " [red](fallback)[/]" : ""),
                Markup.Escape($"{p.Method.ToName()} {p.LookbackDays}d{(p.Lambda is double l ? $" λ={l.ToString(CultureInfo.InvariantCulture)}" : "")}"),
                p.InitialMarginRate.ToString("P2", CultureInfo.InvariantCulture),
                p.MaintenanceMarginRate.ToString("P2", CultureInfo.InvariantCulture),
                Markup.Escape(p.Apc.Label),
                $"{r.Frontier.Count(e => e.Passes)}/{r.Frontier.Count}",
                r.Holdout is { } h ? Verdict(h.Long) : "-",
                r.Holdout is { } hs ? Verdict(hs.Short) : "-");
        }
        c.Write(table);
        c.WriteLine($"policy: {policyPath}");
        if (reportPath is not null) c.WriteLine($"report: {reportPath}");
        c.WriteLine($"elapsed: {elapsed.TotalSeconds.ToString("F1", CultureInfo.InvariantCulture)} s");
    }

    private static string Verdict(BacktestResult b)
    {
        string zone = b.TrafficLight switch { TrafficLightZone.Green => "[green]green[/]", TrafficLightZone.Yellow => "[yellow]yellow[/]", _ => "[red]red[/]" };
        return $"{zone} {b.Exceedances}/{b.ExpectedExceedances.ToString("F1", CultureInfo.InvariantCulture)} (Kupiec p {b.Kupiec.PValue.ToString("F2", CultureInfo.InvariantCulture)})";
    }
}
