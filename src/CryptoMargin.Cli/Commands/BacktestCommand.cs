using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using CryptoMargin.Backtesting;
using CryptoMargin.Calibration;
using CryptoMargin.Data.Policies;
using CryptoMargin.MarketData;
using CryptoMargin.Risk;
using Spectre.Console;

namespace CryptoMargin.Cli.Commands;

/// <summary>
/// <c>cryptomargin backtest --policy FILE</c>: the policy's margin recomputed day by day from a price history (data up
/// to each day only), judged against the realised h-day losses of a long and a short position.
/// </summary>
internal static class BacktestCommand
{
    public static Command Create(CliConsole console)
    {
        var prices = CliOptions.Prices();
        var column = CliOptions.Column();
        var policyOption = new Option<string>("--policy") { Description = "Policy file written by calibrate (a single policy or a bundle).", Required = true };
        var asset = new Option<string?>("--asset") { Description = "Which policy of a bundle to test. Default: the one named like the price file." };
        var seed = new Option<int>("--seed") { Description = "Seed of the FHS paths and the ES-backtest bootstrap.", DefaultValueFactory = _ => MarginCalibration.DefaultSeed };
        var json = CliOptions.Json();
        var command = new Command("backtest", "Backtest a margin policy on a price history: exceedances, Kupiec, Christoffersen, traffic light, ES test, procyclicality.")
        {
            prices, column, policyOption, asset, seed, json,
        };
        command.SetAction(parse => console.Execute(() =>
        {
            string policyPath = parse.GetValue(policyOption)!;
            var policies = PolicyJson.ReadAll(policyPath);
            string? path = parse.GetValue(prices);
            var history = AssetHistory.Load(path, path is null ? AssetHistory.DefaultSamples[0] : null, null, parse.GetValue(column));
            string wanted = parse.GetValue(asset) ?? (policies.Count == 1 ? policies[0].Asset : history.Asset);
            var policy = policies.FirstOrDefault(p => string.Equals(p.Asset, wanted, StringComparison.OrdinalIgnoreCase))
                ?? throw new CliUsageException($"{policyPath} has no policy for {wanted} (it has {string.Join(", ", policies.Select(p => p.Asset))}): give --asset");

            PolicyBacktest result;
            try
            {
                result = MarginCalibration.Backtest(policy, history.Returns, parse.GetValue(seed));
            }
            catch (DataValidationException ex)
            {
                throw ex.At(history.History.Source);
            }
            var doc = ToJson(result, history, policyPath);
            if (parse.GetValue(json)) JsonOutput.Write(console.Out, doc);
            else Render(console.Tables, result, history);
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static JsonObject ToJson(PolicyBacktest r, AssetHistory h, string policyPath)
    {
        // The long side's figures at the top level (the CLI's default side), the short side beside them.
        var doc = CalibrateCommand.Backtest(r.Long);
        doc["asset"] = r.Policy.Asset;
        doc["source"] = h.History.Source;
        doc["policy"] = policyPath;
        doc["side"] = "long";
        doc["method"] = r.Policy.Method.ToName();
        doc["confidence"] = r.Policy.Confidence;
        doc["mporDays"] = r.Policy.MporDays;
        doc["lookbackDays"] = r.Policy.LookbackDays;
        doc["reestimationDays"] = r.ReestimationDays;
        doc["from"] = h.Dates[r.Start].ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        doc["to"] = h.Dates[r.End - 1].ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        doc["short"] = CalibrateCommand.Backtest(r.Short);
        return doc;
    }

    private static void Render(IAnsiConsole c, PolicyBacktest r, AssetHistory h)
    {
        var t = new Table().Border(TableBorder.Rounded)
            .Title(Markup.Escape($"{r.Policy.Asset}: {r.Policy.Method.ToName()} {r.Policy.LookbackDays}d, {r.Policy.Confidence.ToString("P1", CultureInfo.InvariantCulture)} / {r.Policy.MporDays} d, {h.Dates[r.Start]:yyyy-MM-dd} … {h.Dates[r.End - 1]:yyyy-MM-dd}"))
            .AddColumn("").AddColumn(new TableColumn("long").RightAligned()).AddColumn(new TableColumn("short").RightAligned());
        void Row(string name, Func<BacktestResult, string> f) => t.AddRow(name, f(r.Long), f(r.Short));
        Row("exceedances / expected", b => $"{b.Exceedances} / {b.ExpectedExceedances.ToString("F1", CultureInfo.InvariantCulture)}");
        Row("traffic light", b => b.TrafficLight.ToString().ToLowerInvariant());
        Row("Kupiec p", b => P(b.Kupiec.PValue));
        Row("Christoffersen p", b => P(b.ChristoffersenIndependence.PValue));
        Row("conditional coverage p", b => P(b.ConditionalCoverage.PValue));
        Row("ES backtest p", b => P(b.EsBacktest.PValue));
        Row("average margin", b => b.Procyclicality.AverageMargin.ToString("P2", CultureInfo.InvariantCulture));
        Row("peak / trough", b => b.Procyclicality.PeakToTrough.ToString("F2", CultureInfo.InvariantCulture));
        Row("largest 30-day rise", b => b.Procyclicality.Max30DayIncrease.ToString("P0", CultureInfo.InvariantCulture));
        c.Write(t);
    }

    private static string P(double p) => double.IsFinite(p) ? p.ToString("F3", CultureInfo.InvariantCulture) : "n/a";
}
