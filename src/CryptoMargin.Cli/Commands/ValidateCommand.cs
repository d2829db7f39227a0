using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using CryptoMargin.Data.Prices;
using CryptoMargin.MarketData;
using Spectre.Console;

namespace CryptoMargin.Cli.Commands;

/// <summary><c>cryptomargin validate</c>: every finding in a price history, errors included; exits 0.</summary>
internal static class ValidateCommand
{
    private const int MaxRowsShown = 40;

    public static Command Create(CliConsole console)
    {
        var prices = CliOptions.Prices();
        var column = CliOptions.Column();
        var json = CliOptions.Json();
        var returns = new Option<bool>("--returns") { Description = "The column holds returns, not prices." };
        var clean = new Option<string>("--clean")
        {
            Description = "Cleaning policy for gaps, stale runs and outliers: keep | winsorize | drop.",
            DefaultValueFactory = _ => "keep",
        };
        clean.AcceptOnlyFromAmong("keep", "winsorize", "drop");
        var defaults = new ValidationSettings();
        var outlierZ = new Option<double>("--outlier-z")
        {
            Description = $"Robust z-score (Hampel filter on log returns) above which a move is an outlier. Default {defaults.OutlierZ.ToString(CultureInfo.InvariantCulture)}.",
            DefaultValueFactory = _ => defaults.OutlierZ,
        };
        var stale = new Option<int>("--stale-periods")
        {
            Description = $"A run of at least N identical prices is stale. Default {defaults.StalePeriods}.",
            DefaultValueFactory = _ => defaults.StalePeriods,
        };

        var command = new Command("validate", "Validate a price history: errors, duplicates, gaps, stale prices, outliers; and what cleaning would do.")
        {
            prices, column, returns, clean, outlierZ, stale, json,
        };
        command.SetAction(parse => console.Execute(() =>
        {
            var z = parse.GetValue(outlierZ);
            var n = parse.GetValue(stale);
            if (!(z > 0)) throw new CliUsageException($"--outlier-z must be positive, not {z.ToString(CultureInfo.InvariantCulture)}");
            if (n < 2) throw new CliUsageException($"--stale-periods must be at least 2, not {n}");
            var policy = PriceInput.ParsePolicy(parse.GetValue(clean) ?? "keep");
            bool valuesAreReturns = parse.GetValue(returns);
            var settings = defaults with { OutlierZ = z, StalePeriods = n, ValuesAreReturns = valuesAreReturns };

            var history = PriceInput.Read(parse.GetValue(prices), parse.GetValue(column), valuesAreReturns);
            var report = PriceHistoryValidation.Validate(history, settings);
            CleaningResult? cleaned = report.HasErrors ? null : PriceCleaner.Clean(history.Series, report.Findings, policy);

            if (parse.GetValue(json)) JsonOutput.Write(console.Out, ToJson(history, report, cleaned, policy, settings));
            else Render(console, history, report, cleaned, policy);
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static JsonObject ToJson(PriceHistory history, ValidationReport report, CleaningResult? cleaned, CleaningPolicy policy, ValidationSettings settings)
    {
        var findings = new JsonArray();
        foreach (var f in report.Findings)
            findings.Add(new JsonObject { ["line"] = f.Line, ["field"] = f.Field, ["kind"] = f.Kind.ToName(), ["detail"] = f.Detail });
        var counts = new JsonObject();
        foreach (var g in report.Findings.GroupBy(f => f.Kind).OrderBy(g => g.Key)) counts[g.Key.ToName()] = g.Count();
        var actions = new JsonArray();
        if (cleaned is not null)
            foreach (var a in cleaned.Actions) actions.Add(new JsonObject { ["line"] = a.Line, ["kind"] = a.Kind.ToName(), ["action"] = a.Action });

        return new JsonObject
        {
            ["source"] = history.Source,
            ["valueField"] = history.Series.ValueField,
            ["timeField"] = history.Series.TimeField,
            ["rows"] = report.Rows,
            ["start"] = report.Start is { } s ? JsonOutput.Iso(s) : null,
            ["end"] = report.End is { } e ? JsonOutput.Iso(e) : null,
            ["errors"] = report.Findings.Count(f => f.Kind.IsError()),
            ["counts"] = counts,
            ["findings"] = findings,
            ["cleaningPolicy"] = policy.Name(),
            ["cleanedRows"] = cleaned?.Series.Count,
            ["droppedRows"] = cleaned?.DroppedRows,
            ["winsorizedRows"] = cleaned?.WinsorizedRows,
            ["cleaningActions"] = actions,
            ["settings"] = new JsonObject
            {
                ["outlierZ"] = settings.OutlierZ,
                ["outlierWindow"] = settings.OutlierWindow,
                ["stalePeriods"] = settings.StalePeriods,
                ["valuesAreReturns"] = settings.ValuesAreReturns,
            },
        };
    }

    private static void Render(CliConsole console, PriceHistory history, ValidationReport report, CleaningResult? cleaned, CleaningPolicy policy)
    {
        var c = console.Tables;
        var summary = new Table().Border(TableBorder.Rounded).AddColumn("").AddColumn(new TableColumn("").LeftAligned()).HideHeaders().Title("validate");
        summary.AddRow("source", Markup.Escape(history.Source));
        summary.AddRow("value field", Markup.Escape(history.Series.ValueField));
        summary.AddRow("rows", report.Rows.ToString(CultureInfo.InvariantCulture));
        summary.AddRow("range", $"{(report.Start is { } s ? JsonOutput.Iso(s) : "-")} … {(report.End is { } e ? JsonOutput.Iso(e) : "-")}");
        foreach (var g in report.Findings.GroupBy(f => f.Kind).OrderBy(g => g.Key))
            summary.AddRow(g.Key.IsError() ? $"[red]{g.Key.ToName()}[/]" : g.Key.ToName(), g.Count().ToString(CultureInfo.InvariantCulture));
        if (report.Findings.Count == 0) summary.AddRow("findings", "none");
        summary.AddRow("cleaning", cleaned is null
            ? "not applied: the errors above stop every computing command"
            : $"{policy.Name()}: {cleaned.Series.Count} rows kept, {cleaned.DroppedRows} dropped, {cleaned.WinsorizedRows} winsorized");
        c.Write(summary);

        if (report.Findings.Count == 0) return;
        var table = new Table().Border(TableBorder.Simple).AddColumn("line").AddColumn("field").AddColumn("kind").AddColumn("detail");
        foreach (var f in report.Findings.Take(MaxRowsShown))
            table.AddRow(f.Line.ToString(CultureInfo.InvariantCulture), Markup.Escape(f.Field), f.Kind.ToName(), Markup.Escape(f.Detail));
        c.Write(table);
        if (report.Findings.Count > MaxRowsShown)
            c.WriteLine($"… and {report.Findings.Count - MaxRowsShown} more (use --json for all).");
    }
}
