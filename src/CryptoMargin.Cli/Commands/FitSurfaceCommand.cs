using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using CryptoMargin.Data.Options;
using CryptoMargin.MarketData;
using CryptoMargin.MarketData.Options;
using CryptoMargin.Pricing;
using CryptoMargin.Surfaces;
using Spectre.Console;

namespace CryptoMargin.Cli.Commands;

/// <summary>
/// <c>cryptomargin fit-surface [--chain FILE] [--underlying BTC|ETH] [--model svi|ssvi|essvi|heston|sabr] [--chart DIR] [--report FILE] [--json]</c>:
/// reads an option chain (default: the shipped Deribit snapshot, embedded), cleans it with
/// <see cref="OptionChainCleaner"/> (default settings), and fits a volatility model to the out-of-the-money quotes.
/// <para>Quotes used: of the cleaned chain, per expiry (one expiry = one slice, forward F = the expiry's median quote
/// forward), the out-of-the-money options (calls with K ≥ F, puts with K &lt; F) that carry a mark implied vol; the
/// <b>mark IV is the market vol</b> (Deribit's mark, not a bid/ask mid). Log-moneyness k = ln(K/F), all weights 1.</para>
/// <para>Models: <c>svi</c> raw SVI per slice (<see cref="SviCalibration"/>, ≥ 5 quotes per slice); <c>sabr</c> per slice
/// with β = 1 (<see cref="SabrCalibration"/>, ≥ 3 quotes); <c>ssvi</c> one (ρ, η, γ) for the surface
/// (<see cref="SsviCalibration"/>); <c>essvi</c> (θ, ρ, ψ) per slice, fitted slice by slice inside the no-arbitrage region
/// (<see cref="EssviCalibration"/>, ≥ 3 quotes); <c>heston</c> one (v₀, κ, θ, σ, ρ) for the surface (<see cref="HestonCalibration"/>).
/// A slice with fewer quotes than a per-slice model needs is bad input (exit 2, naming the expiry and the count).</para>
/// <para>Errors: model vol − market vol per quote, exact model vols (SVI/SSVI √(w/t), SABR Hagan's formula, Heston's
/// price inverted by <see cref="ImpliedVolatility"/>). rmseVol and maxAbsErrorVol are decimals; sseVolPoints = Σ(100 ×
/// error)². Arbitrage: SVI slices and the SSVI surface are checked with <see cref="SurfaceArbitrage.Check"/> (counts of
/// violating grid points), eSSVI likewise with analytic derivatives, SABR and Heston with w', w'' by central differences
/// (<see cref="ModelSmiles"/>, <see cref="SurfaceArbitrageSummary"/>: where SABR's violations sit is in the note).</para>
/// </summary>
internal static class FitSurfaceCommand
{
    /// <summary>The shipped option chain, the default of <c>--chain</c>.</summary>
    public const string DefaultChain = "deribit_options_snapshot_20260822T093536Z.csv.gz";

    /// <summary>How the embedded default chain is named in messages and reports.</summary>
    public const string DefaultChainDisplay = "samples/options/" + DefaultChain + " (embedded)";

    internal static readonly string[] Models = ["svi", "ssvi", "essvi", "heston", "sabr"];

    /// <summary>Minimum quotes per slice of the per-slice models (the library's own minimum: SVI 5, SABR 3 free parameters).</summary>
    internal static int MinQuotesPerSlice(string model) => model switch { "svi" => 5, "sabr" => 3, "essvi" => 3, _ => 1 };

    /// <summary>Minimum quotes over the chain of the surface-wide models (their parameter counts).</summary>
    internal static int MinQuotesSurface(string model) => model switch { "ssvi" => 3, "heston" => Heston.ParameterCount, _ => 1 };

    public static Command Create(CliConsole console)
    {
        var chain = new Option<string?>("--chain") { Description = "Option chain: Deribit snapshot CSV(.gz)/JSON(.gz) or surface CSV. Default: the shipped Deribit snapshot." };
        var underlying = new Option<string?>("--underlying") { Description = "Underlying of a Deribit file: BTC (default) or ETH." };
        var model = new Option<string>("--model") { Description = "svi (default), ssvi, essvi, heston or sabr.", DefaultValueFactory = _ => "svi" };
        model.AcceptOnlyFromAmong(Models);
        var chartDir = new Option<string?>("--chart") { Description = "Folder to write the charts into: smiles-<UNDERLYING>-<model>.svg/.png and total-variance-<UNDERLYING>-<model>.svg/.png." };
        var report = new Option<string?>("--report") { Description = "HTML report to write: summary, per-expiry table, arbitrage findings and the charts." };
        var json = CliOptions.Json();
        var command = new Command("fit-surface", "Fit an implied-volatility surface (SVI, SSVI, eSSVI, Heston or SABR) to the out-of-the-money mark vols of a cleaned option chain.")
        {
            chain, underlying, model, chartDir, report, json,
        };
        command.SetAction(parse => console.Execute(() =>
        {
            string? path = parse.GetValue(chain);
            string? wanted = parse.GetValue(underlying);
            var loaded = Load(path, wanted);
            var result = Run(loaded.Chain, loaded.Source, parse.GetValue(model)!);
            var outputs = SurfaceChartWriter.Write(loaded.Chain, result, parse.GetValue(chartDir), parse.GetValue(report)); // after the timed fit
            if (parse.GetValue(json)) JsonOutput.Write(console.Out, SurfaceChartWriter.AddToJson(ToJson(result), outputs));
            else { Render(console.Tables, result); SurfaceChartWriter.Render(console.Tables, outputs); }
            return ExitCodes.Ok;
        }));
        return command;
    }

    internal static (OptionChain Chain, string Source) Load(string? path, string? underlying)
    {
        if (path is null)
        {
            // The shipped snapshot holds BTC and ETH: the underlying is required to pick one; BTC by default.
            using var stream = SampleData.Open(DefaultChain);
            return (OptionChainReader.Read(stream, DefaultChainDisplay, OptionChainFileFormat.CsvGzip, underlying ?? "BTC"), DefaultChainDisplay);
        }
        if (underlying is not null) return (OptionChainReader.Read(path, underlying), path);
        // Without --underlying: BTC where the file has it; else a file without currencies (surface CSV) or of one
        // currency is read as it is. When neither read works, the second read's problem is reported unless it is only
        // the choice of currency (then the BTC attempt's problem is the real one).
        try
        {
            return (OptionChainReader.Read(path, "BTC"), path);
        }
        catch (DataValidationException first)
        {
            try
            {
                return (OptionChainReader.Read(path), path);
            }
            catch (DataValidationException second) when (second.Field == "currency")
            {
                throw first;
            }
        }
    }

    /// <summary>One fitted slice: its quotes, model vols and parameters.</summary>
    internal sealed record SliceResult(DateTimeOffset? Expiry, double T, double Forward, double[] Strikes, double[] MarketVols, double[] ModelVols,
        IReadOnlyList<KeyValuePair<string, double>> Parameters, double RmseVol, double MaxAbsErrorVol);

    internal sealed record ArbitrageCounts(int? Butterfly, int? Calendar, string Note);

    internal sealed record FitResult(string Model, string? Underlying, DateTimeOffset? ValuationTime, string Source, int InputQuotes,
        int QuotesUsed, int QuotesRejected, int QuotesNotOtm, int QuotesWithoutMarkIv, IReadOnlyDictionary<QuoteRejectionReason, int> Rejections,
        IReadOnlyList<SliceResult> Slices, IReadOnlyList<KeyValuePair<string, double>>? Parameters, double RmseVol, double MaxAbsErrorVol,
        double SseVolPoints, ArbitrageCounts Arbitrage, bool Converged, double ElapsedMs);

    private sealed record MarketSlice(DateTimeOffset? Expiry, double T, double Forward, double[] Strikes, double[] Vols, OptionType[] Types);

    /// <summary>Cleans the chain, selects the OTM mark vols and fits <paramref name="model"/>.</summary>
    internal static FitResult Run(OptionChain chain, string source, string model)
    {
        if (Array.IndexOf(Models, model) < 0) throw new CliUsageException($"--model '{model}' is not one of {string.Join(", ", Models)}");
        var cleaning = OptionChainCleaner.Clean(chain, OptionCleaningSettings.Default);
        var (market, notOtm, noIv) = Select(cleaning.Chain);
        int used = market.Sum(s => s.Strikes.Length);
        if (market.Count == 0 || used < MinQuotesSurface(model))
            throw new DataValidationException(
                $"too few quotes for {model}: {used} out-of-the-money quotes with a mark IV after cleaning (of {chain.Quotes.Count}; {cleaning.Rejections.Count} rejected), need at least {Math.Max(1, MinQuotesSurface(model))}",
                file: source, field: "implied_volatility");
        int perSlice = MinQuotesPerSlice(model);
        foreach (var s in market)
            if (s.Strikes.Length < perSlice)
                throw new DataValidationException(
                    $"too few quotes for {model}: the slice expiring {Expiry(s.Expiry, s.T)} has {s.Strikes.Length} out-of-the-money quotes with a mark IV, {model} needs at least {perSlice} per slice",
                    file: source, field: "implied_volatility");

        var clock = Stopwatch.StartNew();
        var (slices, parameters, checkArbitrage, converged) = model switch
        {
            "svi" => FitSvi(market),
            "sabr" => FitSabr(market),
            "ssvi" => FitSsvi(market),
            "essvi" => FitEssvi(market),
            _ => FitHeston(market),
        };
        double elapsed = clock.Elapsed.TotalMilliseconds;
        // The arbitrage check is not part of the fit (elapsedMs is the fit alone): for Heston it prices ~3,000 options per slice.
        var arbitrage = checkArbitrage();

        double sse = 0, max = 0;
        int n = 0;
        foreach (var s in slices)
            for (int i = 0; i < s.Strikes.Length; i++)
            {
                double e = s.ModelVols[i] - s.MarketVols[i];
                if (!double.IsFinite(e)) { sse = double.NaN; max = double.NaN; }
                sse += e * e;
                max = Math.Max(max, Math.Abs(e));
                n++;
            }
        return new FitResult(model, chain.Underlying, chain.ValuationTime, source, chain.Quotes.Count, used, cleaning.Rejections.Count, notOtm, noIv,
            cleaning.Counts, slices, parameters, Math.Sqrt(sse / n), max, sse * 1e4, arbitrage, converged, elapsed);
    }

    /// <summary>Per expiry of the clean chain: OTM quotes (calls K ≥ F, puts K &lt; F) with a positive finite mark IV, by strike.</summary>
    private static (List<MarketSlice> Slices, int NotOtm, int NoIv) Select(OptionChain clean)
    {
        var slices = new List<MarketSlice>();
        int notOtm = 0, noIv = 0;
        foreach (var e in clean.Expiries)
        {
            double f = e.Forward;
            var chosen = new List<OptionQuote>();
            foreach (var q in e.Quotes)
            {
                bool otm = q.Type == OptionType.Call ? q.Strike >= f : q.Strike < f;
                if (!otm) { notOtm++; continue; }
                if (q.MarkIv is not double iv || !(iv > 0) || !double.IsFinite(iv)) { noIv++; continue; }
                chosen.Add(q);
            }
            if (chosen.Count == 0 || !(e.T > 0) || !(f > 0)) continue;
            chosen.Sort((a, b) => a.Strike.CompareTo(b.Strike));
            slices.Add(new MarketSlice(e.Expiry, e.T, f, [.. chosen.Select(q => q.Strike)], [.. chosen.Select(q => q.MarkIv!.Value)], [.. chosen.Select(q => q.Type)]));
        }
        return (slices, notOtm, noIv);
    }

    private static VolSlice ToVolSlice(MarketSlice s) => new(s.T, s.Forward, [.. s.Strikes.Select(k => Math.Log(k / s.Forward))], s.Vols);

    private static (double Rmse, double Max) Errors(double[] model, double[] market)
    {
        double sse = 0, max = 0;
        for (int i = 0; i < model.Length; i++)
        {
            double e = model[i] - market[i];
            sse += e * e;
            max = Math.Max(max, Math.Abs(e));
        }
        return (Math.Sqrt(sse / model.Length), max);
    }

    private static SliceResult Slice(MarketSlice s, double[] modelVols, IReadOnlyList<KeyValuePair<string, double>> parameters)
    {
        var (rmse, max) = Errors(modelVols, s.Vols);
        return new SliceResult(s.Expiry, s.T, s.Forward, s.Strikes, s.Vols, modelVols, parameters, rmse, max);
    }

    private static KeyValuePair<string, double>[] Svi(SviParameters p) =>
        [new("a", p.A), new("b", p.B), new("rho", p.Rho), new("m", p.M), new("sigma", p.Sigma)];

    private static (List<SliceResult>, IReadOnlyList<KeyValuePair<string, double>>?, Func<ArbitrageCounts>, bool) FitSvi(List<MarketSlice> market)
    {
        var slices = new List<SliceResult>();
        var surface = new SurfaceSlice[market.Count];
        bool converged = true;
        for (int j = 0; j < market.Count; j++)
        {
            var s = market[j];
            var fit = SviCalibration.Fit(ToVolSlice(s));
            converged &= fit.Converged;
            surface[j] = new SurfaceSlice(s.T, fit.Parameters);
            slices.Add(Slice(s, [.. s.Strikes.Select(k => fit.Parameters.ImpliedVolatility(Math.Log(k / s.Forward), s.T))], Svi(fit.Parameters)));
        }
        return (slices, null, () =>
        {
            var report = SurfaceArbitrage.Check(surface);
            return new ArbitrageCounts(report.Butterfly.Count, report.Calendar.Count,
                $"grid points with g(k) < 0 (butterfly) or w(k) decreasing in t (calendar), k in [{G(report.KMin)}, {G(report.KMax)}], {report.GridPoints} points");
        }, converged);
    }

    private static (List<SliceResult>, IReadOnlyList<KeyValuePair<string, double>>?, Func<ArbitrageCounts>, bool) FitSabr(List<MarketSlice> market)
    {
        var slices = new List<SliceResult>();
        var smiles = new List<SmileSlice>();
        bool converged = true;
        var options = new SabrCalibrationOptions();
        foreach (var s in market)
        {
            var fit = SabrCalibration.Fit(s.Forward, s.T, s.Strikes, s.Vols, options);
            converged &= fit.Converged;
            var p = fit.Parameters;
            var vols = new double[s.Strikes.Length];
            Sabr.ImpliedVolatilities(p, s.Forward, s.T, s.Strikes, vols);
            slices.Add(Slice(s, vols, [new("alpha", p.Alpha), new("beta", p.Beta), new("rho", p.Rho), new("nu", p.Nu)]));
            smiles.Add(new SmileSlice(s.T, ModelSmiles.Sabr(p, s.Forward, s.T)));
        }
        return (slices, null, () => SurfaceArbitrageSummary.Sabr(SurfaceArbitrage.Check(smiles)), converged);
    }

    private static (List<SliceResult>, IReadOnlyList<KeyValuePair<string, double>>?, Func<ArbitrageCounts>, bool) FitSsvi(List<MarketSlice> market)
    {
        var volSlices = market.Select(ToVolSlice).ToArray();
        var fit = SsviCalibration.Fit(volSlices);
        var slices = new List<SliceResult>();
        for (int j = 0; j < market.Count; j++)
        {
            // market is ordered by T like the fit's expiries (distinct expiries, Expiries sorted by T).
            var s = market[j];
            var svi = fit.Parameters.ToSvi(fit.AtmTotalVariances[j]);
            slices.Add(Slice(s, [.. s.Strikes.Select(k => Math.Sqrt(Math.Max(fit.TotalVariance(Math.Log(k / s.Forward), j), 0) / s.T))],
                [new("theta", fit.AtmTotalVariances[j]), .. Svi(svi)]));
        }
        var p = fit.Parameters;
        return (slices, [new("rho", p.Rho), new("eta", p.Eta), new("gamma", p.Gamma)], () =>
        {
            var report = SurfaceArbitrage.Check(fit.Slices());
            return new ArbitrageCounts(report.Butterfly.Count, report.Calendar.Count,
                $"SSVI slices as raw SVI: grid points with g(k) < 0 or w(k) decreasing in t, k in [{G(report.KMin)}, {G(report.KMax)}], {report.GridPoints} points");
        }, fit.Converged);
    }

    private static (List<SliceResult>, IReadOnlyList<KeyValuePair<string, double>>?, Func<ArbitrageCounts>, bool) FitEssvi(List<MarketSlice> market)
    {
        var fit = EssviCalibration.Fit(market.Select(ToVolSlice).ToArray());
        var slices = new List<SliceResult>();
        for (int j = 0; j < market.Count; j++)
        {
            // market is ordered by T like the fit's expiries (distinct expiries, sorted by T).
            var s = market[j];
            var e = fit.Slices[j];
            slices.Add(Slice(s, [.. s.Strikes.Select(k => e.ImpliedVolatility(Math.Log(k / s.Forward), s.T))],
                [new("theta", e.Theta), new("rho", e.Rho), new("psi", e.Psi)]));
        }
        return (slices, null, () => SurfaceArbitrageSummary.Counts(SurfaceArbitrage.Check(fit.SmileSlices()), "eSSVI slices, analytic w', w''"), fit.Converged);
    }

    private static (List<SliceResult>, IReadOnlyList<KeyValuePair<string, double>>?, Func<ArbitrageCounts>, bool) FitHeston(List<MarketSlice> market)
    {
        var quotes = new List<HestonQuote>();
        foreach (var s in market)
            for (int i = 0; i < s.Strikes.Length; i++) quotes.Add(new HestonQuote(s.T, s.Forward, s.Strikes[i], s.Vols[i]));
        var fit = HestonCalibration.Calibrate(quotes);
        var p = fit.Parameters;
        var slices = new List<SliceResult>();
        foreach (var s in market)
        {
            var vols = new double[s.Strikes.Length];
            for (int i = 0; i < vols.Length; i++)
            {
                // Each quote priced as its OTM option (the calibration's convention) and inverted to a Black-76 vol.
                double price = Heston.Price(p, s.Forward, s.Strikes[i], s.T, s.Types[i]);
                vols[i] = ImpliedVolatility.Solve(price, s.Forward, s.Strikes[i], s.T, s.Types[i]).Volatility;
            }
            slices.Add(Slice(s, vols, []));
        }
        return (slices, [new("v0", p.V0), new("kappa", p.Kappa), new("theta", p.Theta), new("sigma", p.Sigma), new("rho", p.Rho)],
            () => SurfaceArbitrageSummary.Heston(p, market.Select(s => (s.T, s.Forward)).ToArray()), fit.Converged);
    }

    private static string G(double x) => x.ToString("G4", CultureInfo.InvariantCulture);

    private static string Expiry(DateTimeOffset? expiry, double t) =>
        expiry is { } e ? JsonOutput.Iso(e) : $"t = {t.ToString("G6", CultureInfo.InvariantCulture)}";

    internal static JsonObject ToJson(FitResult r)
    {
        var rejected = new JsonObject();
        foreach (var (reason, count) in r.Rejections) rejected[reason.ToName()] = count;
        var slices = new JsonArray();
        foreach (var s in r.Slices)
            slices.Add(new JsonObject
            {
                ["expiry"] = s.Expiry is { } e ? JsonOutput.Iso(e) : null,
                ["t"] = s.T,
                ["forward"] = s.Forward,
                ["parameters"] = JsonOutput.Map(s.Parameters),
                ["rmseVol"] = JsonOutput.Number(s.RmseVol),
                ["maxAbsErrorVol"] = JsonOutput.Number(s.MaxAbsErrorVol),
                ["n"] = s.Strikes.Length,
            });
        return new JsonObject
        {
            ["model"] = r.Model,
            ["underlying"] = r.Underlying,
            ["chain"] = r.Source,
            ["valuationTime"] = r.ValuationTime is { } v ? JsonOutput.Iso(v) : null,
            ["marketVol"] = "mark implied vol of out-of-the-money quotes (calls K >= F, puts K < F) of the cleaned chain",
            ["quotesInput"] = r.InputQuotes,
            ["quotesUsed"] = r.QuotesUsed,
            ["quotesRejected"] = r.QuotesRejected,
            ["rejectedByReason"] = rejected,
            ["quotesInTheMoney"] = r.QuotesNotOtm,
            ["quotesWithoutMarkIv"] = r.QuotesWithoutMarkIv,
            ["rmseVol"] = JsonOutput.Number(r.RmseVol),
            ["maxAbsErrorVol"] = JsonOutput.Number(r.MaxAbsErrorVol),
            ["sseVolPoints"] = JsonOutput.Number(r.SseVolPoints),
            ["converged"] = r.Converged,
            ["slices"] = slices,
            ["parameters"] = r.Parameters is null ? null : JsonOutput.Map(r.Parameters),
            ["arbitrage"] = new JsonObject
            {
                ["butterflyViolations"] = r.Arbitrage.Butterfly,
                ["calendarViolations"] = r.Arbitrage.Calendar,
                ["note"] = r.Arbitrage.Note,
            },
            ["elapsedMs"] = r.ElapsedMs,
        };
    }

    private static string P(double vol) => double.IsFinite(vol) ? (100 * vol).ToString("F2", CultureInfo.InvariantCulture) + " vol pts" : "n/a";

    private static void Render(IAnsiConsole console, FitResult r)
    {
        var summary = new Table().Border(TableBorder.Rounded).AddColumn("").AddColumn(new TableColumn("").LeftAligned()).HideHeaders();
        summary.AddRow("chain", Markup.Escape($"{r.Source} · {r.Underlying ?? "?"} · {(r.ValuationTime is { } v ? JsonOutput.Iso(v) : "no valuation time")}"));
        summary.AddRow("model", Markup.Escape(r.Model));
        summary.AddRow("quotes", Markup.Escape($"{r.QuotesUsed} used (OTM mark IVs) of {r.InputQuotes}; {r.QuotesRejected} rejected by the cleaner, {r.QuotesNotOtm} in the money, {r.QuotesWithoutMarkIv} without mark IV"));
        if (r.Rejections.Count > 0)
            summary.AddRow("rejected", Markup.Escape(string.Join(", ", r.Rejections.Select(x => $"{x.Key.ToName()} {x.Value}"))));
        summary.AddRow("RMSE", $"[bold]{P(r.RmseVol)}[/]");
        summary.AddRow("max |error|", P(r.MaxAbsErrorVol));
        if (r.Parameters is not null)
            summary.AddRow("parameters", Markup.Escape(string.Join(", ", r.Parameters.Select(x => $"{x.Key} {G(x.Value)}"))));
        summary.AddRow("arbitrage", Markup.Escape(r.Arbitrage.Butterfly is null
            ? r.Arbitrage.Note
            : $"butterfly {r.Arbitrage.Butterfly}, calendar {r.Arbitrage.Calendar} ({r.Arbitrage.Note})"));
        if (!r.Converged) summary.AddRow("fit", "[red]not converged[/] on at least one slice or the surface");
        summary.AddRow("time", $"{r.ElapsedMs.ToString("F1", CultureInfo.InvariantCulture)} ms (fit only)");
        console.Write(summary);

        var slices = new Table().Border(TableBorder.Rounded).AddColumn("expiry").AddColumn("t").AddColumn("forward").AddColumn("n").AddColumn("RMSE").AddColumn("max |err|");
        if (r.Slices.Any(s => s.Parameters.Count > 0)) slices.AddColumn("parameters");
        foreach (var s in r.Slices)
        {
            var row = new List<string>
            {
                s.Expiry is { } e ? e.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : "",
                s.T.ToString("F4", CultureInfo.InvariantCulture), s.Forward.ToString("F2", CultureInfo.InvariantCulture),
                s.Strikes.Length.ToString(CultureInfo.InvariantCulture), P(s.RmseVol), P(s.MaxAbsErrorVol),
            };
            if (slices.Columns.Count > 6) row.Add(Markup.Escape(string.Join(" ", s.Parameters.Select(x => $"{x.Key}={G(x.Value)}"))));
            slices.AddRow([.. row]);
        }
        console.Write(slices);
    }
}
