using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using CryptoMargin.Data.Prices;
using CryptoMargin.MarketData;
using CryptoMargin.Risk;
using Spectre.Console;

namespace CryptoMargin.Cli.Commands;

/// <summary><c>cryptomargin var</c>: VaR and ES of a linear position by hs, fhs, normal, t or evt.</summary>
internal static class VarCommand
{
    public static Command Create(CliConsole console)
    {
        var prices = CliOptions.Prices();
        var column = CliOptions.Column();
        var json = CliOptions.Json();
        var method = new Option<string>("--method")
        {
            Description = "hs (historical) | fhs (filtered historical, GARCH-t) | normal | t (parametric on the EWMA/GARCH forecast) | evt (peaks over threshold).",
            DefaultValueFactory = _ => "hs",
        };
        method.AcceptOnlyFromAmong("hs", "fhs", "normal", "t", "evt");
        var confidence = new Option<double>("--confidence") { Description = "Confidence level in (0.5, 1).", DefaultValueFactory = _ => 0.99 };
        var horizon = new Option<int>("--horizon") { Description = "Horizon (margin period of risk) in days, ≥ 1.", DefaultValueFactory = _ => 2 };
        var side = new Option<string>("--side") { Description = "Position side: long | short.", DefaultValueFactory = _ => "long" };
        side.AcceptOnlyFromAmong("long", "short");
        var lookback = new Option<int?>("--lookback") { Description = "Use only the last DAYS daily returns (default: all)." };
        var lambda = new Option<double?>("--lambda") { Description = "normal / t / fhs: EWMA with this fixed λ (zero mean) instead of a fitted GARCH(1,1)." };
        var paths = new Option<int>("--paths") { Description = "fhs: simulated h-day paths.", DefaultValueFactory = _ => 10_000 };
        var seed = new Option<int>("--seed") { Description = "fhs: seed of the bootstrap.", DefaultValueFactory = _ => 1 };
        var threshold = new Option<double>("--threshold-quantile") { Description = "evt: threshold = empirical loss quantile at this level.", DefaultValueFactory = _ => 0.90 };

        var command = new Command("var", "Value-at-Risk and Expected Shortfall of a long or short linear position over h days (losses as fractions of position value).")
        {
            prices, column, method, confidence, horizon, side, lookback, lambda, paths, seed, threshold, json,
        };
        command.SetAction(parse => console.Execute(() =>
        {
            var spec = new RiskSpec
            {
                Method = RiskMethodNames.Parse(parse.GetValue(method) ?? "hs"),
                Confidence = parse.GetValue(confidence),
                HorizonDays = parse.GetValue(horizon),
                Side = parse.GetValue(side) == "short" ? PositionSide.Short : PositionSide.Long,
                LookbackDays = parse.GetValue(lookback),
                Lambda = parse.GetValue(lambda),
                Paths = parse.GetValue(paths),
                Seed = parse.GetValue(seed),
                ThresholdQuantile = parse.GetValue(threshold),
            };
            Validate(spec);

            var history = PriceInput.Read(parse.GetValue(prices), parse.GetValue(column), valuesAreReturns: false);
            var report = PriceHistoryValidation.Validate(history, new ValidationSettings());
            report.ThrowIfErrors();
            var cleaned = PriceCleaner.Clean(history.Series, report.Findings, CleaningPolicy.Keep);
            RiskResult result;
            try
            {
                var returns = LogReturns.From(cleaned.Series);
                result = RiskMeasures.Estimate(returns, spec);
            }
            catch (DataValidationException ex)
            {
                throw ex.At(history.Source);
            }

            var times = cleaned.Series.Times;
            string? Time(int i) => times is not null && i >= 0 && i < times.Count ? JsonOutput.Iso(times[i]) : null;
            int last = cleaned.Series.Count - 1;
            string? start = Time(last - result.N), end = Time(last);
            if (parse.GetValue(json)) JsonOutput.Write(console.Out, ToJson(result, history.Source, history.Series.ValueField, start, end));
            else Render(console.Tables, result, history.Source, start, end);
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static void Validate(RiskSpec spec)
    {
        string F(double x) => x.ToString(CultureInfo.InvariantCulture);
        if (!(spec.Confidence > 0.5 && spec.Confidence < 1)) throw new CliUsageException($"--confidence must lie in (0.5, 1), not {F(spec.Confidence)}");
        if (spec.HorizonDays < 1) throw new CliUsageException($"--horizon must be at least 1 day, not {spec.HorizonDays}");
        if (spec.LookbackDays is { } l && l < 2) throw new CliUsageException($"--lookback must be at least 2 days, not {l}");
        if (spec.Lambda is { } lambda && !(lambda > 0 && lambda < 1)) throw new CliUsageException($"--lambda must lie in (0, 1), not {F(lambda)}");
        if (spec.Lambda is not null && spec.Method is RiskMethod.Historical or RiskMethod.Evt) throw new CliUsageException("--lambda applies to --method normal, t and fhs only");
        if (spec.Paths < 1) throw new CliUsageException($"--paths must be at least 1, not {spec.Paths}");
        if (!(spec.ThresholdQuantile > 0 && spec.ThresholdQuantile < 1)) throw new CliUsageException($"--threshold-quantile must lie in (0, 1), not {F(spec.ThresholdQuantile)}");
        if (spec.Method == RiskMethod.Evt && !(spec.Confidence > spec.ThresholdQuantile))
            throw new CliUsageException($"--confidence ({F(spec.Confidence)}) must exceed --threshold-quantile ({F(spec.ThresholdQuantile)}) for evt");
    }

    private static string Model(RiskResult r) => r.Spec.Method switch
    {
        RiskMethod.Historical or RiskMethod.Evt => "none (empirical)",
        _ => r.Spec.Lambda is { } l
            ? $"ewma λ = {l.ToString(CultureInfo.InvariantCulture)} ({(RiskMeasures.ModelFor(r.Spec).Distribution == Dynamics.InnovationDistribution.StudentT ? "t" : "normal")}, zero mean)"
            : $"garch(1,1) {(RiskMeasures.ModelFor(r.Spec).Distribution == Dynamics.InnovationDistribution.StudentT ? "t" : "normal")}, constant mean, maximum likelihood",
    };

    internal static JsonObject ToJson(RiskResult r, string source, string field, string? start, string? end)
    {
        var s = r.Spec;
        var doc = new JsonObject
        {
            ["method"] = s.Method.ToName(),
            ["confidence"] = s.Confidence,
            ["horizonDays"] = s.HorizonDays,
            ["side"] = s.Side == PositionSide.Long ? "long" : "short",
            ["var"] = JsonOutput.Number(r.Risk.ValueAtRisk),
            ["es"] = JsonOutput.Number(r.Risk.ExpectedShortfall),
            ["n"] = r.N,
            ["source"] = source,
            ["field"] = field,
            ["start"] = start,
            ["end"] = end,
            ["lookbackDays"] = s.LookbackDays,
            ["model"] = Model(r),
        };
        if (r.Volatility is { } vol) doc["volatility"] = JsonOutput.Number(vol);
        if (r.Mean is { } mean) doc["mean"] = JsonOutput.Number(mean);
        if (r.Fit is { } fit)
        {
            doc["lambda"] = s.Lambda;
            doc["parameters"] = JsonOutput.Map(fit.NamedParameters);
            doc["converged"] = fit.Converged;
        }
        if (s.Method == RiskMethod.FilteredHistorical)
        {
            doc["paths"] = s.HorizonDays == 1 ? null : s.Paths;
            doc["seed"] = s.Seed;
        }
        if (r.Evt is { } e)
        {
            doc["evt"] = new JsonObject
            {
                ["thresholdRule"] = $"threshold = empirical {s.HorizonDays}-day loss quantile at thresholdQuantile; the ⌊n(1 − q)⌋ largest losses are the exceedances (≥ {PeaksOverThreshold.MinimumExceedances} required)",
                ["thresholdQuantile"] = e.ThresholdQuantile,
                ["threshold"] = JsonOutput.Number(e.Threshold),
                ["exceedancesUsed"] = e.ExceedancesUsed,
                ["xi"] = JsonOutput.Number(e.Xi),
                ["beta"] = JsonOutput.Number(e.Beta),
            };
        }
        return doc;
    }

    private static void Render(IAnsiConsole console, RiskResult r, string source, string? start, string? end)
    {
        var s = r.Spec;
        string G(double x) => double.IsFinite(x) ? x.ToString("G6", CultureInfo.InvariantCulture) : "∞";
        string P(double x) => double.IsFinite(x) ? x.ToString("P2", CultureInfo.InvariantCulture) : "∞";
        var table = new Table().Border(TableBorder.Rounded)
            .Title(Markup.Escape($"{s.Method.ToName()} · {s.Side.ToString().ToLowerInvariant()} · {s.Confidence.ToString(CultureInfo.InvariantCulture)} · {s.HorizonDays}-day"))
            .AddColumn("").AddColumn(new TableColumn("").LeftAligned()).HideHeaders();
        table.AddRow("data", Markup.Escape($"{source} · {r.N} daily log returns · {(start is null ? "no time column" : $"{start} … {end}")}"));
        table.AddRow("lookback", s.LookbackDays is { } l ? $"last {l} days" : "all history");
        table.AddRow("model", Markup.Escape(Model(r)));
        table.AddRow("VaR", $"[bold]{P(r.Risk.ValueAtRisk)}[/] of position value");
        table.AddRow("ES", $"[bold]{P(r.Risk.ExpectedShortfall)}[/] of position value");
        if (r.Volatility is { } vol) table.AddRow($"{s.HorizonDays}-day volatility", G(vol));
        if (r.Fit is { Converged: false } fit) table.AddRow("fit", $"[red]not converged[/]: {Markup.Escape(fit.ExitCondition)}");
        if (s.Method == RiskMethod.FilteredHistorical)
            table.AddRow("bootstrap", s.HorizonDays == 1 ? "every residual (exact, h = 1)" : $"{s.Paths} paths, seed {s.Seed}");
        if (r.Evt is { } e)
        {
            table.AddRow("threshold", $"{G(e.Threshold)} (loss quantile {e.ThresholdQuantile.ToString(CultureInfo.InvariantCulture)}), {e.ExceedancesUsed} exceedances");
            table.AddRow("GPD", $"ξ = {G(e.Xi)}, β = {G(e.Beta)}");
        }
        console.Write(table);
    }
}
