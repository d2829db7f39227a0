using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CryptoMargin.Calibration.Grid;
using CryptoMargin.Data;
using CryptoMargin.Data.Options;
using CryptoMargin.Data.Policies;
using CryptoMargin.Data.Prices;
using CryptoMargin.MarketData;
using CryptoMargin.Reporting;
using CryptoMargin.Margin;
using CryptoMargin.Margin.DeribitPm;
using CryptoMargin.Margin.Greeks;
using CryptoMargin.Margin.Hybrid;
using CryptoMargin.Margin.Span;
using CryptoMargin.Margin.Tiered;
using Spectre.Console;

namespace CryptoMargin.Cli.Commands;

/// <summary>
/// <c>cryptomargin calibrate-grid</c>: the scenario-grid parameters from data (issue 5 §3): price range and extended
/// move per underlying from VaR/ES/EVT of its price history over the MPOR, vol shocks per tenor from the Deribit snapshot
/// history fitted to k·(30/DTE)^p. Writes <c>policy.json</c> (a <c>grid</c> section), <c>grid-evidence.json</c>,
/// <c>vol-history.csv</c> (the fixed-grid vols it used) and one SVG chart of the fit per underlying.
/// </summary>
internal static class CalibrateGridCommand
{
    public const string SampleVolHistory = "deribit-vol-history.csv";
    private static readonly string[] Underlyings = ["BTC", "ETH"];
    private static readonly int[] EvidenceHorizons = [1, 2];

    public static Command Create(CliConsole console)
    {
        var chains = new Option<string?>("--chains") { Description = "Folder of Deribit option snapshots (*.csv, *.csv.gz; e.g. ../shared/data/deribit-options-snapshots/daily). Default: the shipped fixed-grid vol history derived from them." };
        var prices = new Option<string[]>("--prices", "--input") { Description = "Daily price history per underlying (the file name's first token names it: btc-usd-daily.csv → BTC). Default: the shipped BTC and ETH samples.", AllowMultipleArgumentsPerToken = true };
        var policy = new Option<string?>("--policy") { Description = "An existing policy.json (from calibrate): its confidence, MPOR and, per asset, initialMarginRate as the price range." };
        var output = new Option<string>("--out") { Description = "Output folder for policy.json, grid-evidence.json, vol-history.csv and the fit charts.", DefaultValueFactory = _ => "out" };
        var confidence = new Option<double?>("--confidence") { Description = "Confidence level in (0.5, 1) (default 0.99; not with --policy)." };
        var mpor = new Option<int?>("--mpor") { Description = "Margin period of risk in days, ≥ 1 (default 2; not with --policy)." };
        var lookback = new Option<int?>("--lookback") { Description = $"Use only the last DAYS daily returns for the price range and extended move (default {DefaultLookbackDays}; with --policy, its lookbackDays)." };
        var extended = new Option<double>("--extended-confidence") { Description = "Confidence of the extended (EVT) move, above --confidence.", DefaultValueFactory = _ => 0.999 };
        var backtest = new Option<bool>("--backtest") { Description = "With --chains: backtest the calibrated grid (a reference price × vol grid) on seeded option books through the snapshots, 1- and 2-day horizons; writes grid-backtest.json." };
        var models = new Option<string>("--models") { Description = "With --backtest: 'reference' (the calibrated reference grid only) or 'all' (also tiered, SPAN, Deribit-PM with venue and with calibrated parameters, Greeks, hybrid, and the reference grid at several price ranges: the cost-coverage frontier).", DefaultValueFactory = _ => "reference" };
        var holdoutFrom = new Option<string?>("--holdout-from") { Description = "Out-of-sample split (ISO date, e.g. 2026-04-27): calibrate only on snapshots and prices strictly before DATE; backtest only margin dates on or after it." };
        var holdoutFraction = new Option<double?>("--holdout-fraction") { Description = "Out-of-sample split as the fraction in (0, 1) of the snapshot dates held out for testing (the last ⌈F·n⌉ dates; 0.5 = the middle). Not with --holdout-from." };
        var units = new Option<string>("--units") { Description = "With --backtest: 'usd' (a USD-collateralised account: coin margins at the day's index, USD P&L) or 'coin' (Deribit's inverse account with coin collateral: margin and P&L in coin).", DefaultValueFactory = _ => "usd" };
        var json = CliOptions.Json();
        var vols = CliOptions.Vols();
        vols.Description = "With --backtest --models all: where each day's volatility surface comes from (svi, marks, svi-marks; default svi). " + vols.Description;
        var command = new Command("calibrate-grid", "Calibrate the scenario grid (price range, vol shocks k·(30/DTE)^p, extended move) from data; write policy.json with a grid section and the evidence.")
        {
            chains, prices, policy, output, confidence, mpor, lookback, extended, backtest, models, holdoutFrom, holdoutFraction, units, json, vols,
        };
        command.SetAction(parse => console.Execute(() =>
        {
            var (splitFrom, splitFraction) = HoldoutOptions(parse.GetValue(holdoutFrom), parse.GetValue(holdoutFraction), parse.GetValue(policy));
            var settings = Settings(parse.GetValue(policy), parse.GetValue(confidence), parse.GetValue(mpor), parse.GetValue(lookback), parse.GetValue(extended));
            var outDir = parse.GetValue(output) ?? "out";
            bool asJson = parse.GetValue(json);
            bool runBacktest = parse.GetValue(backtest);
            string backtestModels = parse.GetValue(models) ?? "reference";
            if (backtestModels is not ("reference" or "all"))
                throw new CliUsageException($"--models must be 'reference' or 'all', not '{backtestModels}'");
            if (backtestModels == "all" && !runBacktest) throw new CliUsageException("--models goes with --backtest");
            var volSource = CliOptions.ParseVols(parse.GetValue(vols));
            if (runBacktest && parse.GetValue(chains) is null)
                throw new CliUsageException("--backtest needs --chains DIR: the backtest reprices books at the raw snapshots' marks");
            var backtestUnits = (parse.GetValue(units) ?? "usd") switch
            {
                "usd" => BacktestUnits.Usd,
                "coin" => BacktestUnits.Coin,
                var u => throw new CliUsageException($"--units must be 'usd' or 'coin', not '{u}'"),
            };
            if (backtestUnits == BacktestUnits.Coin && !runBacktest) throw new CliUsageException("--units goes with --backtest");

            var (fullHistory, chainsSource) = LoadHistory(console, parse.GetValue(chains));
            HoldoutSplit? holdout;
            try
            {
                holdout = splitFrom is DateOnly d ? HoldoutSplit.At(fullHistory, d)
                    : splitFraction is double f ? HoldoutSplit.WithFraction(fullHistory, f) : null;
            }
            catch (DataValidationException e) { throw e.At(chainsSource); }
            var history = holdout?.Calibration ?? fullHistory;
            var priceFiles = PriceFiles(parse.GetValue(prices) ?? []);
            var priceWindows = new JsonArray();

            var coins = new List<GridCoinParameters>();
            var evidence = new JsonArray();
            var volAtMpor = new List<VolShockCalibration>();
            var priceSources = new List<string>();
            foreach (var coin in Underlyings)
            {
                var coinHistory = history.Where(h => h.Underlying == coin).ToList();
                if (coinHistory.Count < 2) throw new DataValidationException($"fewer than 2 {coin} snapshots: vol shocks cannot be calibrated", file: chainsSource);
                var (allReturns, returnTimes, pricesSource) = Returns(coin, priceFiles, holdout?.From);
                var returns = allReturns.Length > settings.LookbackDays ? allReturns[^settings.LookbackDays..] : allReturns;
                priceSources.Add(pricesSource);
                if (holdout is not null)
                {
                    if (returns.Length == 0) throw new DataValidationException($"no {coin} price before the holdout date {holdout.From:yyyy-MM-dd}", file: pricesSource);
                    priceWindows.Add(new JsonObject
                    {
                        ["underlying"] = coin,
                        ["prices"] = pricesSource,
                        ["returns"] = returns.Length,
                        ["firstReturnEnds"] = returnTimes![^returns.Length].ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                        ["lastReturnEnds"] = returnTimes[^1].ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                    });
                }
                PriceMoveCalibration moves;
                try
                {
                    moves = PriceMoveCalibration.From(coin, returns, settings.Confidence, settings.MporDays, settings.ExtendedConfidence);
                }
                catch (DataValidationException e) { throw e.At(pricesSource); }

                var horizons = EvidenceHorizons.Append(settings.MporDays).Distinct().Order().ToArray();
                var vols = horizons.Select(h => VolShockCalibration.From(coinHistory, h, settings.Confidence)).ToArray();
                var grid = vols.First(v => v.HorizonDays == settings.MporDays);
                volAtMpor.Add(grid);
                var atm = grid.Atm;
                if (atm.Up is null || atm.Down is null)
                    throw new DataValidationException($"{coin} ATM vol shocks over {settings.MporDays} day(s) cannot be fitted: {atm.Problem}", file: chainsSource);

                double priceRange = moves.PriceRange;
                string rangeSource = string.Create(CultureInfo.InvariantCulture,
                    $"historical ES at {settings.Confidence} of overlapping {settings.MporDays}-day returns, max(long, short), the last {moves.Returns} daily returns of {pricesSource}");
                if (settings.PolicyRates.TryGetValue(coin, out var imr))
                {
                    priceRange = imr;
                    rangeSource = $"initialMarginRate of {coin} in {settings.PolicySource}";
                }
                coins.Add(new GridCoinParameters(coin, priceRange, rangeSource, moves.ExtendedMove,
                    string.Create(CultureInfo.InvariantCulture,
                        $"peaks-over-threshold VaR at {settings.ExtendedConfidence} of overlapping {settings.MporDays}-day losses, max(long, short), threshold quantile 0.9"),
                    atm.Up, atm.Down));
                evidence.Add(CoinEvidence(coin, moves, vols, priceRange, rangeSource));
            }

            var holdoutNode = holdout is null ? null : HoldoutJson(holdout, priceWindows);
            var first = history.Min(h => h.Time);
            var last = history.Max(h => h.Time);
            var gridPolicy = new GridPolicy(settings.Confidence, settings.MporDays, settings.MporDays, settings.ExtendedConfidence, coins,
                new GridSources(chainsSource, history.Count, DateOnly.FromDateTime(first.UtcDateTime), DateOnly.FromDateTime(last.UtcDateTime),
                    [.. priceSources.Distinct()], settings.PolicySource));

            Directory.CreateDirectory(outDir);
            var policyPath = Path.Combine(outDir, "policy.json");
            var evidencePath = Path.Combine(outDir, "grid-evidence.json");
            var historyPath = Path.Combine(outDir, "vol-history.csv");
            GridPolicyJson.Write(gridPolicy, policyPath);
            var evidenceDoc = new JsonObject
            {
                ["confidence"] = settings.Confidence,
                ["mporDays"] = settings.MporDays,
                ["extendedConfidence"] = settings.ExtendedConfidence,
                ["lookbackDays"] = settings.LookbackDays,
                ["chains"] = chainsSource,
                ["tenorDays"] = new JsonArray([.. TenorGrid.StandardDays.Select(d => (JsonNode?)d)]),
                ["moneyness"] = new JsonArray([.. TenorGrid.StandardMoneyness.Select(z => (JsonNode?)z)]),
                ["moneynessDefinition"] = "z = ln(K/F) / (sigma_ATM * sqrt(T)); total variance interpolated linearly in ln(K/F) per expiry, linearly in T across expiries",
                ["volChange"] = "sigma(t + h) / sigma(t) - 1 between snapshots exactly h calendar days apart (UTC dates); gaps are not bridged",
                ["quantile"] = "Hyndman-Fan type 7; up = Q(c), down = Q(1 - c)",
                ["coins"] = evidence,
            };
            if (holdoutNode is not null) evidenceDoc["holdout"] = holdoutNode.DeepClone();
            AtomicFile.WriteAllText(evidencePath, evidenceDoc.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
            AtomicFile.Write(historyPath, s =>
            {
                using var writer = new StreamWriter(s, new UTF8Encoding(false), leaveOpen: true);
                SnapshotHistory.WriteCsv(history, writer);
            });
            var charts = new List<string>();
            foreach (var v in volAtMpor)
            {
                var chartPath = Path.Combine(outDir, $"vol-shock-fit-{v.Underlying.ToLowerInvariant()}.svg");
                AtomicFile.WriteAllText(chartPath, GridCharts.VolShockFit(v));
                charts.Add(chartPath);
            }

            string? backtestPath = null;
            JsonArray? backtestNode = null;
            if (runBacktest && backtestModels == "all")
            {
                backtestNode = BacktestModels(console, parse.GetValue(chains)!, gridPolicy, settings.Confidence, outDir, charts, holdout?.From, backtestUnits, volSource);
                backtestPath = Path.Combine(outDir, "grid-backtest.json");
                var doc = new JsonObject
                {
                    ["models"] = ModelsDescription,
                    ["seed"] = BacktestSeed,
                    ["units"] = backtestUnits == BacktestUnits.Coin ? CoinUnits
                        : "USD: option marks in USD, futures legs at the forward; coin margins (inverse contracts) converted at the margin date's index",
                    ["cost"] = backtestUnits == BacktestUnits.Coin
                        ? "averageMarginToNotional = sum of margins / sum of gross notionals (sum over legs of |size|, coin)"
                        : "averageMarginToNotional = sum of margins / sum of gross notionals (sum over legs of |size| x forward)",
                };
                AddSample(doc, holdoutNode, "the price range and vol laws of the reference grid and deribit-pm-calibrated were fitted on the same history");
                doc["coins"] = backtestNode.DeepClone();
                AtomicFile.WriteAllText(backtestPath, doc.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
            }
            else if (runBacktest)
            {
                backtestNode = Backtest(console, parse.GetValue(chains)!, coins, settings.Confidence, holdout?.From, backtestUnits);
                backtestPath = Path.Combine(outDir, "grid-backtest.json");
                var doc = new JsonObject
                {
                    ["model"] = $"reference grid: {BacktestPriceSteps} price steps over ±priceRange × vol {{unchanged, up, down}} with the calibrated laws, Black-76 at T − h; no extended moves or add-ons",
                    ["seed"] = BacktestSeed,
                };
                if (backtestUnits == BacktestUnits.Coin) doc["units"] = CoinUnits;
                AddSample(doc, holdoutNode, "the vol laws were fitted on the same snapshot history");
                doc["coins"] = backtestNode.DeepClone();
                AtomicFile.WriteAllText(backtestPath, doc.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
            }

            if (asJson)
            {
                var gridNode = JsonNode.Parse(GridPolicyJson.ToUtf8(gridPolicy))!["grid"]!.DeepClone();
                var result = new JsonObject
                {
                    ["policy"] = policyPath,
                    ["evidence"] = evidencePath,
                    ["volHistory"] = historyPath,
                    ["charts"] = new JsonArray([.. charts.Select(c => (JsonNode?)c)]),
                    ["grid"] = gridNode,
                    ["backtest"] = backtestPath,
                };
                if (holdoutNode is not null) result["holdout"] = holdoutNode.DeepClone();
                JsonOutput.Write(console.Out, result);
            }
            else
            {
                if (holdout is not null)
                    console.Tables.WriteLine(Markup.Escape(string.Create(CultureInfo.InvariantCulture,
                        $"out of sample: calibrated on {holdout.CalibrationDates.Count} snapshot dates {holdout.CalibrationDates[0]:yyyy-MM-dd} … {holdout.CalibrationDates[^1]:yyyy-MM-dd} and prices before {holdout.From:yyyy-MM-dd}; tested on margin dates {holdout.TestDates[0]:yyyy-MM-dd} … {holdout.TestDates[^1]:yyyy-MM-dd} ({holdout.TestDates.Count} snapshot dates)")));
                Render(console.Tables, gridPolicy, volAtMpor, policyPath, evidencePath, charts);
                if (backtestNode is not null && backtestModels == "all") RenderModelBacktest(console.Tables, backtestNode, backtestPath!);
                else if (backtestNode is not null) RenderBacktest(console.Tables, backtestNode, backtestPath!);
            }
            return ExitCodes.Ok;
        }));
        return command;
    }

    public const int BacktestPriceSteps = 9;

    private const string CoinUnits =
        "coin: a coin-collateralised (inverse) account; option legs at Deribit's mark_price in coin, inverse futures legs of USD size N = coin size x F0 gain N x (1/F0 - 1/F1) coin; margins in coin as the models compute them (no conversion); gross notional = sum of |size| in coin";

    /// <summary>The in-sample note, or with a split the out-of-sample statement and the dates on each side.</summary>
    private static void AddSample(JsonObject doc, JsonObject? holdout, string inSample)
    {
        if (holdout is null) { doc["inSample"] = inSample; return; }
        doc["outOfSample"] = "everything calibrated (vol laws, price range, extended move) saw only snapshots and prices dated strictly before holdout.from; only margin dates on or after it are tested";
        doc["holdout"] = holdout.DeepClone();
    }

    private static (DateOnly? From, double? Fraction) HoldoutOptions(string? from, double? fraction, string? policy)
    {
        if (from is null && fraction is null) return (null, null);
        if (from is not null && fraction is not null) throw new CliUsageException("give --holdout-from or --holdout-fraction, not both");
        if (policy is not null)
            throw new CliUsageException("--holdout-from/--holdout-fraction cannot be used with --policy: the policy's rates were calibrated on data that may overlap the test period");
        if (fraction is double f)
        {
            if (!(f > 0 && f < 1)) throw new CliUsageException(string.Create(CultureInfo.InvariantCulture, $"--holdout-fraction must lie in (0, 1), not {f}"));
            return (null, f);
        }
        if (!DateOnly.TryParseExact(from, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d))
            throw new CliUsageException($"--holdout-from must be an ISO date (yyyy-MM-dd), not '{from}'");
        return (d, null);
    }

    private static JsonObject HoldoutJson(HoldoutSplit split, JsonArray priceWindows)
    {
        string D(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        return new JsonObject
        {
            ["from"] = D(split.From),
            ["rule"] = "calibration: snapshots dated before 'from' (vol changes pair two of them) and daily returns ending before 'from' (the same lookback length); test: margin dates on or after 'from', each with its P&L to the snapshot h days later; a margin date before 'from' is never tested, even where its P&L ends after it",
            ["calibration"] = new JsonObject
            {
                ["snapshotDates"] = split.CalibrationDates.Count,
                ["first"] = D(split.CalibrationDates[0]),
                ["last"] = D(split.CalibrationDates[^1]),
                ["prices"] = priceWindows.DeepClone(),
            },
            ["test"] = new JsonObject
            {
                ["snapshotDates"] = split.TestDates.Count,
                ["first"] = D(split.TestDates[0]),
                ["last"] = D(split.TestDates[^1]),
            },
        };
    }

    /// <summary>With a split: the margin dates the backtest tested (first, last, how many), for the record.</summary>
    private static void AddTestDates(JsonObject node, GridBacktestResult r, DateOnly? testFrom)
    {
        if (testFrom is null) return;
        var dates = r.Observations.Select(o => DateOnly.FromDateTime(o.Time.UtcDateTime)).Distinct().Order().ToList();
        node["testedMarginDates"] = new JsonObject
        {
            ["count"] = dates.Count,
            ["first"] = dates.Count > 0 ? dates[0].ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : null,
            ["last"] = dates.Count > 0 ? dates[^1].ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : null,
            ["lastPnlEnds"] = dates.Count > 0 ? dates[^1].AddDays(r.HorizonDays).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : null,
        };
    }
    public const int BacktestSeed = 1;

    private static JsonArray Backtest(CliConsole console, string chainsDir, IReadOnlyList<GridCoinParameters> coins, double confidence,
        DateOnly? testFrom, BacktestUnits units)
    {
        var result = new JsonArray();
        foreach (var coin in coins)
        {
            console.Error.WriteLine($"backtesting the {coin.Underlying} grid on the snapshots in {chainsDir} …");
            var chains = SnapshotHistory.LoadChains(chainsDir, coin.Underlying);
            var horizons = new JsonArray();
            foreach (int h in EvidenceHorizons)
            {
                var r = GridBacktest.Run(chains, [ReferenceGridMargin.Create(coin, h, BacktestPriceSteps, units)],
                    new GridBacktestSettings(h, confidence, BacktestSeed) { TestFrom = testFrom, Units = units, MaxDegreeOfParallelism = 1 })[0];
                var books = new JsonArray();
                foreach (var c in r.Coverage)
                {
                    books.Add(new JsonObject
                    {
                        ["book"] = c.Book is { } b ? JsonNamingPolicy.KebabCaseLower.ConvertName(b.ToString()) : "all",
                        ["observations"] = c.Observations,
                        ["exceedances"] = c.Exceedances,
                        ["expectedExceedances"] = JsonOutput.Number(c.ExpectedExceedances),
                        ["kupiecPValue"] = JsonOutput.Number(c.Kupiec.PValue),
                        ["christoffersenPValue"] = JsonOutput.Number(c.Christoffersen.PValue),
                        ["trafficLight"] = c.TrafficLight.ToString().ToLowerInvariant(),
                        [MarginField(units)] = JsonOutput.Number(c.AverageMargin),
                    });
                }
                var node = new JsonObject { ["horizonDays"] = h, ["snapshots"] = chains.Count, ["skipped"] = r.Skipped };
                AddTestDates(node, r, testFrom);
                node["books"] = books;
                horizons.Add(node);
            }
            result.Add(new JsonObject { ["underlying"] = coin.Underlying, ["horizons"] = horizons });
        }
        return result;
    }

    /// <summary>The reference grid's price range factors of the cost-coverage frontier.</summary>
    public static readonly double[] FrontierFactors = [0.5, 0.75, 1, 1.25, 1.5, 2];

    private const string ModelsDescription =
        "reference-grid: calibrated price range x vol {unchanged, up, down}, Black-76 at T - h; reference-grid x f: its price range scaled by f; " +
        "tiered, span, greeks: the models' published defaults; deribit-pm-venue: new DeribitPmParameters(); deribit-pm-calibrated: the coin's calibrated " +
        "price range and vol laws mapped as a grid policy file maps them; hybrid: max(deribit-pm-venue, greeks); span-calibrated: SPAN with the coin's calibrated " +
        "price range as its price scan range and the vol laws at 30 days (k_up, k_down) as its vol scans, mapped as a grid policy file maps them. Margin = initial margin.";

    /// <summary>
    /// Every model on the same seeded books (<see cref="GridBacktest.Run(IReadOnlyList{MarketData.Options.OptionChain}, IReadOnlyList{BookMargin}, int, double, int, int)"/>):
    /// one market per snapshot day (SVI surfaces fitted once, in parallel, shared by all models), per coin and horizon.
    /// </summary>
    private static string MarginField(BacktestUnits units) => units == BacktestUnits.Coin ? "averageMarginCoin" : "averageMarginUsd";

    private static JsonArray BacktestModels(CliConsole console, string chainsDir, GridPolicy grid, double confidence, string outDir, List<string> charts,
        DateOnly? testFrom, BacktestUnits units, CryptoMargin.Data.Markets.VolSource vols = CryptoMargin.Data.Markets.VolSource.Svi)
    {
        var result = new JsonArray();
        foreach (var coin in grid.Coins)
        {
            console.Error.WriteLine($"backtesting the margin models on the {coin.Underlying} snapshots in {chainsDir} …");
            var chains = SnapshotHistory.LoadChains(chainsDir, coin.Underlying);
            var markets = new MarketSnapshot?[chains.Count];
            Parallel.For(0, chains.Count, i =>
            {
                // Out of sample: only the tested margin dates need a market (the models margin on the margin date only).
                if (testFrom is DateOnly from && DateOnly.FromDateTime(chains[i].ValuationTime!.Value.UtcDateTime) < from) return;
                try { markets[i] = CryptoMargin.Data.Markets.MarketSnapshotLoader.FromChains([chains[i]], chainsDir, vols).Snapshot; }
                catch (DataValidationException) { markets[i] = null; }
            });
            var byChain = new Dictionary<MarketData.Options.OptionChain, MarketSnapshot?>(ReferenceEqualityComparer.Instance);
            for (int i = 0; i < chains.Count; i++) byChain[chains[i]] = markets[i];
            MarketSnapshot Market(MarketData.Options.OptionChain c) => byChain[c]
                ?? throw new DataValidationException($"no market could be built for the {coin.Underlying} snapshot of {c.ValuationTime:yyyy-MM-dd}");
            var policy = MarginPolicyFile.FromGrid(grid with { Coins = [coin] });
            var models = new List<(string Name, IMarginModel Model)>
            {
                ("tiered", new TieredMarginModel()),
                ("span", new SpanMarginModel()),
                ("deribit-pm-venue", new DeribitPortfolioMargin(new DeribitPmParameters())),
                ("deribit-pm-calibrated", policy.DeribitPm()),
                ("greeks", new GreeksMarginModel()),
                ("hybrid", HybridMarginModel.Max(new DeribitPortfolioMargin(new DeribitPmParameters()), new GreeksMarginModel())),
                // SPAN with the coin's calibrated price scan range and vol scans k_up / k_down (the laws at 30 days), the
                // grid mapped as a grid policy file maps it for SPAN (MarginPolicyFile.Span).
                ("span-calibrated", new SpanMarginModel(policy.Span())),
            };
            var horizons = new JsonArray();
            foreach (int h in EvidenceHorizons)
            {
                var names = new List<string> { "reference-grid" };
                var margins = new List<BookMargin> { ReferenceGridMargin.Create(coin, h, BacktestPriceSteps, units) };
                foreach (var (name, model) in models)
                {
                    names.Add(name);
                    margins.Add(ModelBookMargin.Create(model, Market, units));
                }
                foreach (double f in FrontierFactors)
                {
                    names.Add(string.Create(CultureInfo.InvariantCulture, $"reference-grid x{f}"));
                    margins.Add(ReferenceGridMargin.Create(coin with { PriceRange = coin.PriceRange * f }, h, BacktestPriceSteps, units));
                }
                var results = GridBacktest.Run(chains, margins, new GridBacktestSettings(h, confidence, BacktestSeed) { TestFrom = testFrom, Units = units });
                var modelNodes = new JsonArray();
                var frontierModels = new List<FrontierPoint>();
                var frontierGrid = new List<FrontierPoint>();
                for (int m = 0; m < names.Count; m++)
                {
                    var r = results[m];
                    var all = r.Coverage[0];
                    double notional = r.Observations.Sum(o => o.GrossNotional);
                    double cost = notional > 0 ? r.Observations.Sum(o => o.Margin) / notional : double.NaN;
                    double rate = all.Observations > 0 ? (double)all.Exceedances / all.Observations : double.NaN;
                    if (names[m].StartsWith("reference-grid x", StringComparison.Ordinal)) frontierGrid.Add(new FrontierPoint(names[m]["reference-grid ".Length..], cost, rate));
                    else frontierModels.Add(new FrontierPoint(names[m], cost, rate));
                    var books = new JsonArray();
                    foreach (var c in r.Coverage.Skip(1))
                        books.Add(new JsonObject
                        {
                            ["book"] = JsonNamingPolicy.KebabCaseLower.ConvertName(c.Book!.Value.ToString()),
                            ["observations"] = c.Observations,
                            ["exceedances"] = c.Exceedances,
                            ["kupiecPValue"] = JsonOutput.Number(c.Kupiec.PValue),
                            ["trafficLight"] = c.TrafficLight.ToString().ToLowerInvariant(),
                            [MarginField(units)] = JsonOutput.Number(c.AverageMargin),
                        });
                    modelNodes.Add(new JsonObject
                    {
                        ["model"] = names[m],
                        ["observations"] = all.Observations,
                        ["skipped"] = r.Skipped,
                        ["exceedances"] = all.Exceedances,
                        ["expectedExceedances"] = JsonOutput.Number(all.ExpectedExceedances),
                        ["exceedanceRate"] = JsonOutput.Number(rate),
                        ["kupiecPValue"] = JsonOutput.Number(all.Kupiec.PValue),
                        ["christoffersenPValue"] = JsonOutput.Number(all.Christoffersen.PValue),
                        ["trafficLight"] = all.TrafficLight.ToString().ToLowerInvariant(),
                        [MarginField(units)] = JsonOutput.Number(all.AverageMargin),
                        ["averageMarginToNotional"] = JsonOutput.Number(cost),
                        ["books"] = books,
                    });
                }
                var chartPath = Path.Combine(outDir, $"cost-coverage-{coin.Underlying.ToLowerInvariant()}-{h}d.svg");
                string title = testFrom is DateOnly split
                    ? string.Create(CultureInfo.InvariantCulture, $"{coin.Underlying} margin models, {h}-day P&L{(units == BacktestUnits.Coin ? " in coin" : "")}, out of sample from {split:yyyy-MM-dd}: cost vs exceedance rate")
                    : $"{coin.Underlying} margin models, {h}-day P&L{(units == BacktestUnits.Coin ? " in coin" : "")}, {chains.Count} snapshots: cost vs exceedance rate";
                AtomicFile.WriteAllText(chartPath, GridCharts.CostCoverageFrontier(title, frontierModels, frontierGrid, 1 - confidence));
                charts.Add(chartPath);
                var node = new JsonObject
                {
                    ["horizonDays"] = h,
                    ["snapshots"] = chains.Count,
                    ["marketsBuilt"] = markets.Count(x => x is not null),
                };
                AddTestDates(node, results[0], testFrom);
                horizons.Add(node);
                node["models"] = modelNodes;
                node["frontier"] = new JsonArray([.. frontierModels.Concat(frontierGrid).Select(p => (JsonNode?)new JsonObject
                {
                    ["model"] = p.Label, ["averageMarginToNotional"] = JsonOutput.Number(p.Cost), ["exceedanceRate"] = JsonOutput.Number(p.ExceedanceRate),
                })]);
            }
            result.Add(new JsonObject { ["underlying"] = coin.Underlying, ["horizons"] = horizons });
        }
        return result;
    }

    private static void RenderModelBacktest(IAnsiConsole console, JsonArray coins, string path)
    {
        foreach (var coin in coins)
        {
            foreach (var h in coin!["horizons"]!.AsArray())
            {
                var table = new Table().Border(TableBorder.Rounded)
                    .Title(Markup.Escape($"{coin["underlying"]} · margin models backtest · {h!["horizonDays"]}-day P&L"))
                    .AddColumn("model").AddColumn("n").AddColumn("exceedances").AddColumn("expected").AddColumn("Kupiec p").AddColumn("Christoffersen p")
                    .AddColumn("zone").AddColumn("margin / notional");
                foreach (var m in h["models"]!.AsArray())
                    table.AddRow(Markup.Escape(m!["model"]!.ToString()), m["observations"]!.ToString(), m["exceedances"]!.ToString(),
                        Fmt(m["expectedExceedances"]), Fmt(m["kupiecPValue"]), Fmt(m["christoffersenPValue"]), m["trafficLight"]!.ToString(),
                        Fmt(m["averageMarginToNotional"]));
                console.Write(table);
            }
        }
        console.WriteLine(Markup.Escape($"wrote {path}"));
    }

    private static void RenderBacktest(IAnsiConsole console, JsonArray coins, string path)
    {
        foreach (var coin in coins)
        {
            foreach (var h in coin!["horizons"]!.AsArray())
            {
                var table = new Table().Border(TableBorder.Rounded)
                    .Title(Markup.Escape($"{coin["underlying"]} · reference grid backtest · {h!["horizonDays"]}-day P&L"))
                    .AddColumn("book").AddColumn("n").AddColumn("exceedances").AddColumn("expected").AddColumn("Kupiec p").AddColumn("Christoffersen p").AddColumn("zone");
                foreach (var b in h["books"]!.AsArray())
                    table.AddRow(Markup.Escape(b!["book"]!.ToString()), b["observations"]!.ToString(), b["exceedances"]!.ToString(),
                        Fmt(b["expectedExceedances"]), Fmt(b["kupiecPValue"]), Fmt(b["christoffersenPValue"]), b["trafficLight"]!.ToString());
                console.Write(table);
            }
        }
        console.WriteLine(Markup.Escape($"wrote {path}"));
    }

    private static string Fmt(JsonNode? n) => n is null ? "–" : n.GetValue<double>().ToString("0.###", CultureInfo.InvariantCulture);

    /// <summary>Four years of daily returns: recent enough to leave out 2015–2017's thin early markets, long enough for 30+ EVT exceedances.</summary>
    public const int DefaultLookbackDays = 1460;

    private sealed record GridSettings(double Confidence, int MporDays, int LookbackDays, double ExtendedConfidence, string? PolicySource, Dictionary<string, double> PolicyRates);

    private static GridSettings Settings(string? policyPath, double? confidence, int? mpor, int? lookback, double extended)
    {
        string F(double x) => x.ToString(CultureInfo.InvariantCulture);
        var rates = new Dictionary<string, double>(StringComparer.Ordinal);
        double c = confidence ?? 0.99;
        int h = mpor ?? 2;
        int l = lookback ?? DefaultLookbackDays;
        if (policyPath is not null)
        {
            if (confidence is not null || mpor is not null || lookback is not null)
                throw new CliUsageException("--confidence, --mpor and --lookback come from --policy; give one or the other");
            var policies = PolicyJson.ReadAll(policyPath);
            c = policies[0].Confidence;
            h = policies[0].MporDays;
            l = policies[0].LookbackDays;
            foreach (var p in policies)
            {
                if (p.Confidence != c || p.MporDays != h)
                    throw new DataValidationException($"policies disagree on confidence/MPOR ({p.Asset}: {F(p.Confidence)}, {p.MporDays} days vs {F(c)}, {h} days)", file: policyPath);
                var coin = Underlyings.FirstOrDefault(u => p.Asset.ToUpperInvariant().StartsWith(u, StringComparison.Ordinal));
                if (coin is not null) rates[coin] = p.InitialMarginRate;
            }
        }
        if (!(c > 0.5 && c < 1)) throw new CliUsageException($"--confidence must lie in (0.5, 1), not {F(c)}");
        if (h < 1) throw new CliUsageException($"--mpor must be at least 1 day, not {h}");
        if (l < 2) throw new CliUsageException($"--lookback must be at least 2 days, not {l}");
        if (!(extended > c && extended < 1)) throw new CliUsageException($"--extended-confidence must lie in ({F(c)}, 1), not {F(extended)}");
        return new GridSettings(c, h, l, extended, policyPath, rates);
    }

    private static (IReadOnlyList<TenorVols> History, string Source) LoadHistory(CliConsole console, string? chains)
    {
        if (chains is not null)
        {
            console.Error.WriteLine($"reading the option snapshots in {chains} …");
            return (SnapshotHistory.Load(chains, Underlyings, TenorGrid.StandardDays, TenorGrid.StandardMoneyness), chains);
        }
        var name = SampleData.DisplayName(SampleVolHistory).Replace("samples/data/", "samples/grid/", StringComparison.Ordinal);
        using var stream = SampleData.Open(SampleVolHistory);
        var history = SnapshotHistory.ReadCsv(stream, name);
        foreach (var h in history)
            if (!h.TenorDays.SequenceEqual(TenorGrid.StandardDays) || !h.Moneyness.SequenceEqual(TenorGrid.StandardMoneyness))
                throw new InvalidOperationException("the embedded vol history is not on the standard grid");
        return (history, name);
    }

    private static Dictionary<string, string> PriceFiles(string[] files)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var f in files)
        {
            var asset = AssetNames.FromFileName(f);
            if (!Underlyings.Contains(asset))
                throw new CliUsageException($"--prices {f}: the file name names '{asset}', expected a BTC or ETH history (e.g. btc-usd-daily.csv)");
            if (!map.TryAdd(asset, f)) throw new CliUsageException($"--prices names two {asset} histories: {map[asset]} and {f}");
        }
        return map;
    }

    /// <summary>
    /// The coin's daily log returns, with the date each ends on (null without a time column); with <paramref name="before"/>
    /// only prices dated strictly before it (an out-of-sample calibration).
    /// </summary>
    private static (double[] Returns, DateTimeOffset[]? Times, string Source) Returns(string coin, Dictionary<string, string> files, DateOnly? before)
    {
        PriceHistory history;
        if (files.TryGetValue(coin, out var path)) history = PriceHistoryReader.Read(path, new PriceReadOptions());
        else
        {
            var sample = $"{coin.ToLowerInvariant()}-usd-daily.csv";
            using var stream = SampleData.Open(sample);
            history = PriceHistoryReader.Read(stream, SampleData.DisplayName(sample), PriceFileFormat.Csv, new PriceReadOptions());
        }
        var report = PriceHistoryValidation.Validate(history, new ValidationSettings());
        report.ThrowIfErrors();
        var series = PriceCleaner.Clean(history.Series, report.Findings, CleaningPolicy.Keep).Series;
        if (before is DateOnly split)
        {
            if (series.Times is not { } all)
                throw new DataValidationException($"a holdout split needs dated prices: {coin}'s history has no time column", file: history.Source);
            var keep = Enumerable.Range(0, series.Count).Where(i => DateOnly.FromDateTime(all[i].UtcDateTime) < split).ToArray();
            if (keep.Length < 2)
                throw new DataValidationException($"fewer than 2 {coin} prices before the holdout date {split:yyyy-MM-dd}", file: history.Source);
            series = new PriceSeries([.. keep.Select(i => all[i])], [.. keep.Select(i => series.Values[i])], [.. keep.Select(i => series.Lines[i])],
                series.ValueField, series.TimeField);
        }
        return (LogReturns.From(series), series.Times is { } t ? [.. t.Skip(1)] : null, history.Source);
    }

    private static JsonObject CoinEvidence(string coin, PriceMoveCalibration m, VolShockCalibration[] vols, double priceRange, string rangeSource)
    {
        JsonObject Risk(CryptoMargin.Risk.RiskEstimate r) => new() { ["var"] = JsonOutput.Number(r.ValueAtRisk), ["es"] = JsonOutput.Number(r.ExpectedShortfall) };
        JsonObject Evt(CryptoMargin.Risk.EvtEstimate e) => new()
        {
            ["var"] = JsonOutput.Number(e.Risk.ValueAtRisk), ["es"] = JsonOutput.Number(e.Risk.ExpectedShortfall),
            ["threshold"] = JsonOutput.Number(e.Threshold), ["exceedances"] = e.ExceedancesUsed,
            ["xi"] = JsonOutput.Number(e.Xi), ["beta"] = JsonOutput.Number(e.Beta),
        };
        var horizons = new JsonArray();
        foreach (var v in vols)
        {
            var fits = new JsonArray();
            foreach (var f in v.Fits)
            {
                fits.Add(new JsonObject
                {
                    ["moneyness"] = f.Moneyness,
                    ["up"] = Fit(f.Up),
                    ["down"] = Fit(f.Down),
                    ["problem"] = f.Problem,
                });
            }
            var table = new JsonArray();
            foreach (var q in v.Quantiles)
            {
                var fit = v.Fits.First(f => f.Moneyness == q.Moneyness);
                table.Add(new JsonObject
                {
                    ["days"] = q.Days,
                    ["moneyness"] = q.Moneyness,
                    ["observations"] = q.Observations,
                    ["up"] = JsonOutput.Number(q.Up),
                    ["down"] = JsonOutput.Number(q.Down),
                    ["fittedUp"] = fit.Up is { } u ? JsonOutput.Number(u.Law.Shock(q.Days)) : null,
                    ["fittedDown"] = fit.Down is { } d ? JsonOutput.Number(-d.Law.Shock(q.Days)) : null,
                });
            }
            horizons.Add(new JsonObject
            {
                ["horizonDays"] = v.HorizonDays,
                ["snapshots"] = v.Snapshots,
                ["pairs"] = v.Pairs,
                ["missingPartners"] = v.MissingPartners,
                ["fits"] = fits,
                ["quantiles"] = table,
            });
        }
        return new JsonObject
        {
            ["underlying"] = coin,
            ["priceRange"] = JsonOutput.Number(priceRange),
            ["priceRangeSource"] = rangeSource,
            ["returns"] = m.Returns,
            ["historical"] = new JsonObject { ["long"] = Risk(m.Long), ["short"] = Risk(m.Short) },
            ["extendedMove"] = JsonOutput.Number(m.ExtendedMove),
            ["evt"] = new JsonObject { ["long"] = Evt(m.ExtendedLong), ["short"] = Evt(m.ExtendedShort) },
            ["volShocks"] = horizons,
        };
    }

    private static JsonObject? Fit(TermShockFitResult? f) => f is null ? null : new JsonObject
    {
        ["k"] = JsonOutput.Number(f.Law.K),
        ["pShort"] = JsonOutput.Number(f.Law.PShort),
        ["pLong"] = JsonOutput.Number(f.Law.PLong),
        ["points"] = f.Points,
        ["rSquared"] = JsonOutput.Number(f.RSquared),
        ["rmseLog"] = JsonOutput.Number(f.RmseLog),
        ["kStandardError"] = JsonOutput.Number(f.KStandardError),
        ["pShortStandardError"] = JsonOutput.Number(f.PShortStandardError),
        ["pLongStandardError"] = JsonOutput.Number(f.PLongStandardError),
    };

    private static void Render(IAnsiConsole console, GridPolicy p, List<VolShockCalibration> vols, string policyPath, string evidencePath, List<string> charts)
    {
        string P(double x) => double.IsFinite(x) ? x.ToString("P1", CultureInfo.InvariantCulture) : "–";
        string G(double x) => double.IsFinite(x) ? x.ToString("0.###", CultureInfo.InvariantCulture) : "–";
        foreach (var c in p.Coins)
        {
            var v = vols.First(x => x.Underlying == c.Underlying);
            var table = new Table().Border(TableBorder.Rounded)
                .Title(Markup.Escape($"{c.Underlying} · ATM vol shocks over {v.HorizonDays} day(s) · {v.Pairs} pairs ({v.MissingPartners} gaps)"))
                .AddColumn("DTE").AddColumn("n").AddColumn("empirical up").AddColumn("fitted up").AddColumn("empirical down").AddColumn("fitted down");
            foreach (var q in v.Quantiles.Where(q => q.Moneyness == 0))
                table.AddRow(G(q.Days), q.Observations.ToString(CultureInfo.InvariantCulture), P(q.Up), P(c.VolUp.Law.Shock(q.Days)),
                    P(q.Down), P(-c.VolDown.Law.Shock(q.Days)));
            console.Write(table);
            console.WriteLine(Markup.Escape(
                $"{c.Underlying}: price range ±{P(c.PriceRange)} · extended move ±{P(c.ExtendedMove)} · up k = {G(c.VolUp.Law.K)}, p_short = {G(c.VolUp.Law.PShort)}, p_long = {G(c.VolUp.Law.PLong)} (R² {G(c.VolUp.RSquared)}) · down k = {G(c.VolDown.Law.K)}, p_short = {G(c.VolDown.Law.PShort)}, p_long = {G(c.VolDown.Law.PLong)} (R² {G(c.VolDown.RSquared)})"));
        }
        console.WriteLine(Markup.Escape($"wrote {policyPath}, {evidencePath}, {string.Join(", ", charts)}"));
    }
}
