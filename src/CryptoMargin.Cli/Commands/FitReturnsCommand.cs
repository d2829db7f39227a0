using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using CryptoMargin.Data.Prices;
using CryptoMargin.Dynamics;
using CryptoMargin.Dynamics.Bayes;
using CryptoMargin.MarketData;
using Spectre.Console;

namespace CryptoMargin.Cli.Commands;

/// <summary><c>cryptomargin fit-returns</c>: fit EWMA / GARCH / GJR by maximum likelihood or by MCMC.</summary>
internal static class FitReturnsCommand
{
    public static Command Create(CliConsole console)
    {
        var prices = CliOptions.Prices();
        var column = CliOptions.Column();
        var json = CliOptions.Json();
        var returns = new Option<bool>("--returns")
        {
            Description = "The column already holds returns: used exactly as given, row order is time order, no time column needed.",
        };
        var model = Choice("--model", "Variance model: ewma | garch | gjr.", "garch", "ewma", "garch", "gjr");
        var dist = Choice("--dist", "Innovation distribution: normal | t (standardized Student-t).", "normal", "normal", "t");
        var mean = Choice("--mean", "Conditional mean: constant | zero.", "constant", "constant", "zero");
        var method = Choice("--method", "Estimation: mle (maximum likelihood) | bayes (posterior by MCMC).", "mle", "mle", "bayes");
        var clean = Choice("--clean", "Cleaning policy for gaps, stale runs and outliers before the fit: keep | winsorize | drop.", "keep", "keep", "winsorize", "drop");
        var lambda = new Option<double?>("--lambda") { Description = "EWMA only: hold λ fixed (e.g. 0.94, RiskMetrics) instead of fitting it." };
        var start = Choice("--variance-start", "How the variance recursion starts: sample (h1 = mean of squared residuals) | fgarch (h1 = ω + (α+γ/2+β)·mean(ε²), R fGarch's convention).", "sample", "sample", "fgarch");
        var targeting = new Option<bool>("--variance-targeting") { Description = "GARCH/GJR: ω = sample variance × (1 − persistence)." };
        var horizon = new Option<int>("--horizon") { Description = "Forecast horizon in periods (days for daily data).", DefaultValueFactory = _ => 10 };
        var seed = new Option<int>("--seed") { Description = "Bayes: seed of the sampler.", DefaultValueFactory = _ => 1 };
        var chains = new Option<int>("--chains") { Description = "Bayes: number of chains.", DefaultValueFactory = _ => 4 };
        var draws = new Option<int>("--draws") { Description = "Bayes: kept draws per chain.", DefaultValueFactory = _ => 2000 };
        var warmup = new Option<int>("--warmup") { Description = "Bayes: warm-up (adaptation) iterations per chain.", DefaultValueFactory = _ => 2000 };

        var command = new Command("fit-returns", "Fit a return model (EWMA, GARCH(1,1), GJR-GARCH(1,1); Normal or Student-t) to a price or return history.")
        {
            prices, column, returns, model, dist, mean, method, clean, lambda, start, targeting, horizon, seed, chains, draws, warmup, json,
        };
        command.SetAction(parse => console.Execute(() =>
        {
            var spec = new ReturnModelSpec(
                parse.GetValue(model) switch { "ewma" => VolatilityModel.Ewma, "gjr" => VolatilityModel.Gjr, _ => VolatilityModel.Garch },
                parse.GetValue(dist) == "t" ? InnovationDistribution.StudentT : InnovationDistribution.Normal,
                parse.GetValue(mean) == "zero" ? MeanModel.Zero : MeanModel.Constant)
            {
                FixedLambda = parse.GetValue(lambda),
                VarianceTargeting = parse.GetValue(targeting),
                Start = parse.GetValue(start) == "fgarch" ? VarianceStart.FGarch : VarianceStart.SampleVariance,
            };
            bool bayes = parse.GetValue(method) == "bayes";
            int h = parse.GetValue(horizon);
            Validate(spec, bayes, h, parse.GetValue(chains), parse.GetValue(draws), parse.GetValue(warmup));

            bool valuesAreReturns = parse.GetValue(returns);
            var history = PriceInput.Read(parse.GetValue(prices), parse.GetValue(column), valuesAreReturns);
            var settings = new ValidationSettings { ValuesAreReturns = valuesAreReturns };
            var report = PriceHistoryValidation.Validate(history, settings);
            report.ThrowIfErrors();
            var policy = PriceInput.ParsePolicy(parse.GetValue(clean) ?? "keep");
            var cleaned = PriceCleaner.Clean(history.Series, report.Findings, policy);
            double[] data;
            ReturnModelFit fit;
            bool asJson = parse.GetValue(json);
            var watch = Stopwatch.StartNew();
            try
            {
                data = valuesAreReturns ? cleaned.Series.Values : LogReturns.From(cleaned.Series);
                watch.Restart();
                fit = ReturnModel.Fit(data, spec);
            }
            catch (DataValidationException ex)
            {
                throw ex.At(history.Source); // e.g. too few observations: name the file it came from
            }
            PosteriorFit? posterior = null;
            if (bayes)
            {
                var options = new BayesianFitOptions
                {
                    Chains = parse.GetValue(chains),
                    Draws = parse.GetValue(draws),
                    Warmup = parse.GetValue(warmup),
                    Seed = parse.GetValue(seed),
                    InitialParameters = fit.Converged ? fit.Parameters : null,
                };
                posterior = asJson
                    ? BayesianReturnModel.Fit(data, spec, options)
                    : console.Progress.Status().Start("sampling the posterior (MCMC)…", _ => BayesianReturnModel.Fit(data, spec, options));
            }
            watch.Stop();

            var result = new FitReturnsResult(history, cleaned, policy, valuesAreReturns, fit, posterior, data, h, watch.Elapsed.TotalMilliseconds);
            foreach (var warning in result.Warnings) console.Error.WriteLine($"warning: {warning}");
            if (asJson) JsonOutput.Write(console.Out, result.ToJson());
            else result.Render(console.Tables);
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Option<string> Choice(string name, string description, string defaultValue, params string[] allowed)
    {
        var option = new Option<string>(name) { Description = description, DefaultValueFactory = _ => defaultValue };
        option.AcceptOnlyFromAmong(allowed);
        return option;
    }

    private static void Validate(ReturnModelSpec spec, bool bayes, int horizon, int chains, int draws, int warmup)
    {
        if (horizon is < 1 or > 3650) throw new CliUsageException($"--horizon must be between 1 and 3650, not {horizon}");
        if (spec.FixedLambda is { } l && !(l > 0 && l < 1)) throw new CliUsageException($"--lambda must lie in (0, 1), not {l.ToString(CultureInfo.InvariantCulture)}");
        if (spec.FixedLambda is not null && spec.Volatility != VolatilityModel.Ewma) throw new CliUsageException("--lambda applies to --model ewma only");
        if (spec.VarianceTargeting && spec.Volatility == VolatilityModel.Ewma) throw new CliUsageException("--variance-targeting applies to garch and gjr, not ewma");
        if (bayes && spec.VarianceTargeting) throw new CliUsageException("--method bayes does not support --variance-targeting");
        if (bayes && spec.Volatility == VolatilityModel.Ewma) throw new CliUsageException("--method bayes supports garch and gjr; fit ewma with --method mle");
        if (bayes && (chains < 2 || draws < 100 || warmup < 100)) throw new CliUsageException("--method bayes needs --chains ≥ 2 (for R-hat), --draws ≥ 100 and --warmup ≥ 100");
    }
}
