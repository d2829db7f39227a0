using System.Globalization;
using System.Text.Json.Nodes;
using CryptoMargin.Data.Prices;
using CryptoMargin.Dynamics;
using CryptoMargin.Dynamics.Bayes;
using CryptoMargin.MarketData;
using Spectre.Console;

namespace CryptoMargin.Cli.Commands;

/// <summary>
/// What <c>fit-returns</c> reports. With --method bayes the point estimates are posterior means (the MLE, which
/// starts the chains, is reported beside them), standard errors are posterior standard deviations and the
/// forecast is made at the posterior mean.
/// </summary>
internal sealed class FitReturnsResult
{
    private readonly PriceHistory _history;
    private readonly CleaningResult _cleaning;
    private readonly CleaningPolicy _policy;
    private readonly bool _valuesAreReturns;
    private readonly ReturnModelFit _mle;
    private readonly PosteriorFit? _posterior;
    private readonly ReturnModelFit _reported;
    private readonly IReadOnlyList<VolatilityForecastStep> _forecast;
    private readonly double _elapsedMs;

    public FitReturnsResult(PriceHistory history, CleaningResult cleaning, CleaningPolicy policy, bool valuesAreReturns,
        ReturnModelFit mle, PosteriorFit? posterior, double[] data, int horizon, double elapsedMs)
    {
        _history = history;
        _cleaning = cleaning;
        _policy = policy;
        _valuesAreReturns = valuesAreReturns;
        _mle = mle;
        _posterior = posterior;
        _elapsedMs = elapsedMs;
        _reported = mle;
        if (posterior is not null)
        {
            var h = ReturnModel.ConditionalVariances(data, mle.Spec, posterior.PosteriorMean);
            _reported = mle with
            {
                Parameters = posterior.PosteriorMean,
                LogLikelihood = posterior.LogLikelihoodAtMean,
                LastVariance = h[^2],
                NextVariance = h[^1],
            };
        }
        _forecast = _reported.Forecast(horizon);
    }

    public IEnumerable<string> Warnings
    {
        get
        {
            foreach (var w in _mle.Warnings) yield return w;
            if (!_mle.Converged) yield return $"the maximum-likelihood fit did not converge: {_mle.ExitCondition}";
            if (_posterior is { Converged: false }) yield return $"the MCMC did not converge: {_posterior.NotConvergedReason}";
            if (_cleaning.DroppedRows + _cleaning.WinsorizedRows > 0)
                yield return $"cleaning '{_policy.Name()}' changed the input: {_cleaning.DroppedRows} rows dropped, {_cleaning.WinsorizedRows} winsorized (see 'cryptomargin validate')";
        }
    }

    private bool Bayes => _posterior is not null;
    private bool Converged => Bayes ? _posterior!.Converged : _mle.Converged;

    private IEnumerable<KeyValuePair<string, double>> Parameters => Bayes
        ? _posterior!.ParameterNames.Select(n => KeyValuePair.Create(n, _posterior.Parameters[n].Mean))
        : _mle.NamedParameters;

    private IEnumerable<KeyValuePair<string, double>> StandardErrors => Bayes
        ? _posterior!.ParameterNames.Select(n => KeyValuePair.Create(n, StandardDeviation(_posterior.DrawsOf(n))))
        : _mle.StandardErrors;

    public JsonObject ToJson()
    {
        var spec = _mle.Spec;
        var doc = new JsonObject
        {
            ["model"] = spec.Volatility switch { VolatilityModel.Ewma => "ewma", VolatilityModel.Gjr => "gjr", _ => "garch" },
            ["distribution"] = spec.Distribution == InnovationDistribution.StudentT ? "t" : "normal",
            ["mean"] = spec.Mean == MeanModel.Zero ? "zero" : "constant",
            ["method"] = Bayes ? "bayes" : "mle",
            ["source"] = _history.Source,
            ["field"] = _history.Series.ValueField,
            ["input"] = _valuesAreReturns ? "returns" : "log returns of prices",
            ["cleaningPolicy"] = _policy.Name(),
            ["n"] = _mle.N,
            ["start"] = Time(0),
            ["end"] = Time(_cleaning.Series.Count - 1),
            ["varianceStart"] = spec.Start == VarianceStart.FGarch ? "fgarch" : "sample",
            ["varianceTargeting"] = spec.VarianceTargeting,
            ["logLikelihood"] = JsonOutput.Number(_reported.LogLikelihood),
            ["aic"] = JsonOutput.Number(_reported.Aic),
            ["bic"] = JsonOutput.Number(_reported.Bic),
            ["converged"] = Converged,
            ["exitCondition"] = Bayes ? (_posterior!.NotConvergedReason ?? "R-hat and ESS within limits") : _mle.ExitCondition,
            ["iterations"] = Bayes ? _posterior!.Chains * (_posterior.Warmup + _posterior.DrawsPerChain) : _mle.Iterations,
            ["parameters"] = JsonOutput.Map(Parameters),
            ["standardErrors"] = JsonOutput.Map(StandardErrors),
        };
        if (!Bayes) doc["robustStandardErrors"] = JsonOutput.Map(_mle.RobustStandardErrors);
        doc["persistence"] = JsonOutput.Number(_reported.Persistence);
        doc["unconditionalVolatility"] = JsonOutput.Number(_reported.UnconditionalVolatility);
        doc["annualizedVolatility"] = JsonOutput.Number(_reported.AnnualizedVolatility);
        doc["nextPeriodVolatility"] = JsonOutput.Number(Math.Sqrt(_reported.NextVariance));
        doc["forecast"] = new JsonObject
        {
            ["horizonDays"] = new JsonArray(_forecast.Select(s => (JsonNode?)JsonValue.Create(s.Horizon)).ToArray()),
            ["volatility"] = JsonOutput.Numbers(_forecast.Select(s => s.Volatility)),
            ["cumulativeVolatility"] = JsonOutput.Numbers(_forecast.Select(s => s.CumulativeVolatility)),
        };
        if (_posterior is { } post)
        {
            var summaries = new JsonObject();
            foreach (var name in post.ParameterNames)
            {
                var s = post.Parameters[name];
                summaries[name] = new JsonObject
                {
                    ["mean"] = JsonOutput.Number(s.Mean),
                    ["median"] = JsonOutput.Number(s.Median),
                    ["lower95"] = JsonOutput.Number(s.Lower95),
                    ["upper95"] = JsonOutput.Number(s.Upper95),
                    ["ess"] = JsonOutput.Number(s.Ess),
                    ["rhat"] = JsonOutput.Number(s.Rhat),
                };
            }
            doc["posterior"] = summaries;
            doc["acceptanceRate"] = JsonOutput.Number(post.AcceptanceRate);
            doc["chains"] = post.Chains;
            doc["warmup"] = post.Warmup;
            doc["drawsPerChain"] = post.DrawsPerChain;
            doc["seed"] = post.Seed;
            doc["mle"] = new JsonObject
            {
                ["parameters"] = JsonOutput.Map(_mle.NamedParameters),
                ["logLikelihood"] = JsonOutput.Number(_mle.LogLikelihood),
                ["converged"] = _mle.Converged,
            };
        }
        doc["warnings"] = new JsonArray(Warnings.Select(w => (JsonNode?)JsonValue.Create(w)).ToArray());
        doc["elapsedMs"] = Math.Round(_elapsedMs, 3);
        return doc;
    }

    public void Render(IAnsiConsole console)
    {
        var spec = _mle.Spec;
        string title = $"{spec.Volatility.ToString().ToUpperInvariant()} · {(spec.Distribution == InnovationDistribution.StudentT ? "Student-t" : "Normal")} · {(spec.Mean == MeanModel.Zero ? "zero" : "constant")} mean · {(Bayes ? "Bayesian (MCMC)" : "maximum likelihood")}";
        var summary = new Table().Border(TableBorder.Rounded).Title(Markup.Escape(title)).AddColumn("").AddColumn(new TableColumn("").LeftAligned()).HideHeaders();
        string range = Time(0) is { } first ? $"{first} … {Time(_cleaning.Series.Count - 1)}" : "no time column: row order is time order";
        summary.AddRow("data", Markup.Escape($"{_history.Source} · {_history.Series.ValueField} · {_mle.N} {(_valuesAreReturns ? "returns" : "log returns")} · {range}"));
        summary.AddRow("converged", Converged ? "[green]yes[/]" : $"[red]no[/]: {Markup.Escape(Bayes ? _posterior!.NotConvergedReason ?? "" : _mle.ExitCondition)}");
        summary.AddRow("log-likelihood", F(_reported.LogLikelihood, "F3"));
        summary.AddRow("AIC / BIC", $"{F(_reported.Aic, "F2")} / {F(_reported.Bic, "F2")}");
        summary.AddRow("persistence", F(_reported.Persistence, "F4"));
        summary.AddRow("unconditional σ (per period)", G(_reported.UnconditionalVolatility));
        summary.AddRow("annualized σ (×√365)", G(_reported.AnnualizedVolatility));
        if (_posterior is { } p) summary.AddRow("MCMC", $"{p.Chains} chains × ({p.Warmup} warm-up + {p.DrawsPerChain} kept), seed {p.Seed}, acceptance {p.AcceptanceRate:P1}");
        summary.AddRow("elapsed", $"{_elapsedMs:F1} ms");
        console.Write(summary);

        var se = StandardErrors.ToDictionary();
        var table = new Table().Border(TableBorder.Simple).AddColumn("parameter").AddColumn(new TableColumn(Bayes ? "posterior mean" : "estimate").RightAligned())
            .AddColumn(new TableColumn(Bayes ? "posterior sd" : "s.e.").RightAligned());
        if (Bayes) table.AddColumn(new TableColumn("95% interval").RightAligned()).AddColumn(new TableColumn("ESS").RightAligned()).AddColumn(new TableColumn("R-hat").RightAligned());
        else table.AddColumn(new TableColumn("robust s.e.").RightAligned());
        foreach (var (name, value) in Parameters)
        {
            if (_posterior is { } post)
            {
                var s = post.Parameters[name];
                table.AddRow(name, G(value), G(se[name]), Markup.Escape($"[{G(s.Lower95)}, {G(s.Upper95)}]"), F(s.Ess, "F0"), F(s.Rhat, "F3"));
            }
            else table.AddRow(name, G(value), G(se.GetValueOrDefault(name, double.NaN)), G(_mle.RobustStandardErrors.GetValueOrDefault(name, double.NaN)));
        }
        console.Write(table);

        var forecast = new Table().Border(TableBorder.Simple).Title("volatility forecast").AddColumn("horizon (periods)")
            .AddColumn(new TableColumn("σ at step h").RightAligned()).AddColumn(new TableColumn("cumulative σ over 1..h").RightAligned());
        foreach (var s in _forecast) forecast.AddRow(s.Horizon.ToString(CultureInfo.InvariantCulture), G(s.Volatility), G(s.CumulativeVolatility));
        console.Write(forecast);
    }

    private string? Time(int index) =>
        _cleaning.Series.Times is { } times && index >= 0 && index < times.Count ? JsonOutput.Iso(times[index]) : null;

    private static double StandardDeviation(double[] draws)
    {
        double mean = draws.Average();
        return Math.Sqrt(draws.Sum(d => (d - mean) * (d - mean)) / (draws.Length - 1));
    }

    private static string G(double x) => double.IsFinite(x) ? x.ToString("G6", CultureInfo.InvariantCulture) : "n/a";
    private static string F(double x, string format) => double.IsFinite(x) ? x.ToString(format, CultureInfo.InvariantCulture) : "n/a";
}
