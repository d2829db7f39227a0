// Side-by-side harness for the QuantLib comparison (docs/options/peer-comparison.md). Not part of CI.
//   iv CASES.csv [--repeat R] [--greeks-ql FILE]   Black-76 implied vol, price and Greeks on a shared CSV
//   heston-grid QL_PRICES.csv                       our Heston prices against QuantLib's on the same grid
//   heston-chain CHAIN OUTDIR [--repeat R] [--ql-params v0,kappa,theta,sigma,rho]
//                                                   cleaned OTM mark vols → CSVs for heston_quantlib.py; our calibration
// Each prints one JSON object on stdout. Timings: Stopwatch over whole passes, min and median of R repeats, after a
// warm-up of at least 0.5 s (so tiered JIT has settled); ns per item.
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using CryptoMargin.Data.Options;
using CryptoMargin.MarketData.Options;
using CryptoMargin.Pricing;

var inv = CultureInfo.InvariantCulture;
if (args.Length < 2) return Usage();
try
{
    JsonObject result = args[0] switch
    {
        "iv" => ImpliedVol(args),
        "heston-grid" => HestonGrid(args[1]),
        "heston-chain" when args.Length >= 3 => HestonChain(args),
        _ => throw new ArgumentException($"unknown command '{args[0]}'"),
    };
    Console.WriteLine(result.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
    return 0;
}
catch (Exception e) when (e is ArgumentException or IOException or FormatException)
{
    Console.Error.WriteLine(e.Message);
    return 2;
}

int Usage()
{
    Console.Error.WriteLine("usage: PeerHarness iv CASES.csv [--repeat R] [--greeks-ql FILE] | heston-grid QL_PRICES.csv | heston-chain CHAIN OUTDIR [--repeat R] [--ql-params v0,kappa,theta,sigma,rho]");
    return 2;
}

string? Option(string[] a, string name) { int i = Array.IndexOf(a, name); return i >= 0 && i + 1 < a.Length ? a[i + 1] : null; }

double Parse(string s, string file, int line, string field) =>
    double.TryParse(s, NumberStyles.Float, inv, out double v) ? v : throw new FormatException($"{file}:{line}: field '{field}': '{s}' is not a number");

List<Dictionary<string, string>> ReadCsv(string path)
{
    var lines = File.ReadAllLines(path);
    var header = lines[0].Split(',');
    var rows = new List<Dictionary<string, string>>();
    for (int i = 1; i < lines.Length; i++)
    {
        if (lines[i].Length == 0) continue;
        var f = lines[i].Split(',');
        if (f.Length != header.Length) throw new FormatException($"{path}:{i + 1}: {f.Length} fields, the header has {header.Length}");
        var row = new Dictionary<string, string> { ["#line"] = (i + 1).ToString(inv) };
        for (int j = 0; j < header.Length; j++) row[header[j]] = f[j];
        rows.Add(row);
    }
    return rows;
}

(double Min, double Median) Time(int n, int repeat, Action pass)
{
    // Warm-up: at least 0.5 s of passes, then a pause, so that tiered JIT has promoted the loop and its callees to
    // optimised (tier-1, PGO) code before anything is timed, as BenchmarkDotNet's warm-up does.
    long w0 = Stopwatch.GetTimestamp();
    do pass(); while (Stopwatch.GetElapsedTime(w0).TotalMilliseconds < 500);
    Thread.Sleep(300);
    pass();
    var t = new double[repeat];
    for (int r = 0; r < repeat; r++)
    {
        long t0 = Stopwatch.GetTimestamp();
        pass();
        t[r] = Stopwatch.GetElapsedTime(t0).TotalNanoseconds / n;
    }
    Array.Sort(t);
    return (t[0], t[repeat / 2]);
}

JsonObject Ns((double Min, double Median) t) => new() { ["min"] = Math.Round(t.Min, 1), ["median"] = Math.Round(t.Median, 1) };

double Pct(List<double> sorted, double q) => sorted.Count == 0 ? double.NaN : sorted[(int)(q * (sorted.Count - 1))];

JsonObject ImpliedVol(string[] a)
{
    string path = a[1];
    int repeat = int.Parse(Option(a, "--repeat") ?? "7", inv);
    string? greeksQl = Option(a, "--greeks-ql");
    var rows = ReadCsv(path);
    var domains = new List<JsonObject>();
    foreach (var group in rows.GroupBy(r => r.GetValueOrDefault("domain", "ref")))
    {
        var g = group.ToList();
        int n = g.Count;
        double[] f = new double[n], k = new double[n], t = new double[n], sigma = new double[n], d = new double[n], price = new double[n], vol = new double[n];
        var type = new OptionType[n];
        for (int i = 0; i < n; i++)
        {
            var r = g[i];
            int line = int.Parse(r["#line"], inv);
            f[i] = Parse(r["forward"], path, line, "forward");
            k[i] = Parse(r["strike"], path, line, "strike");
            t[i] = Parse(r["t"], path, line, "t");
            sigma[i] = Parse(r["sigma"], path, line, "sigma");
            price[i] = Parse(r["price"], path, line, "price");
            d[i] = r.TryGetValue("discount", out var ds) ? Parse(ds, path, line, "discount") : 1;
            type[i] = r["type"] switch { "call" => OptionType.Call, "put" => OptionType.Put, var s => throw new FormatException($"{path}:{line}: field 'type': '{s}' is not call or put") };
        }
        double sink = 0;
        var priceNs = Time(n, repeat, () => { double s = 0; for (int i = 0; i < n; i++) s += Black76.Price(f[i], k[i], t[i], sigma[i], type[i], d[i]); sink += s; });
        var greeksNs = Time(n, repeat, () =>
        {
            double s = 0;
            for (int i = 0; i < n; i++) { var x = Black76.Greeks(f[i], k[i], t[i], sigma[i], type[i], d[i]); s += x.Price + x.Delta + x.Gamma + x.Vega + x.Theta; }
            sink += s;
        });
        var ivNs = Time(n, repeat, () => { for (int i = 0; i < n; i++) vol[i] = ImpliedVolatility.Solve(price[i], f[i], k[i], t[i], type[i], d[i]).Volatility; });
        // The pricer against the CSV's price (40- or 50-digit mpmath, rounded once): relative error.
        double priceErr = 0;
        for (int i = 0; i < n; i++)
            if (price[i] > 0) priceErr = Math.Max(priceErr, Math.Abs(Black76.Price(f[i], k[i], t[i], sigma[i], type[i], d[i]) - price[i]) / price[i]);
        int failures = 0;
        var rel = new List<double>(n);
        for (int i = 0; i < n; i++)
        {
            if (!double.IsFinite(vol[i])) { failures++; continue; }
            rel.Add(Math.Abs(vol[i] - sigma[i]) / sigma[i]);
        }
        rel.Sort();
        var o = new JsonObject
        {
            ["domain"] = group.Key,
            ["n"] = n,
            ["price_ns"] = Ns(priceNs),
            ["price_max_rel_err_vs_reference"] = priceErr,
            ["price_and_greeks_ns"] = Ns(greeksNs),
            ["price_and_greeks_what"] = "Black76.Greeks (price, delta, gamma, vega, theta, vanna, volga in one evaluation)",
            ["implied_vol"] = new JsonObject
            {
                ["solver"] = "ImpliedVolatility.Solve",
                ["ns_min"] = Math.Round(ivNs.Min, 1),
                ["ns_median"] = Math.Round(ivNs.Median, 1),
                ["failures"] = failures,
                ["max_rel_err"] = rel.Count > 0 ? rel[^1] : double.NaN,
                ["p99_rel_err"] = Pct(rel, 0.99),
                ["p50_rel_err"] = Pct(rel, 0.5),
                ["rel_err_over_1e-6"] = rel.Count(e => e > 1e-6),
            },
            ["sink"] = sink,
        };
        if (greeksQl is not null && domains.Count == 0) o["greeks_vs_quantlib"] = CompareGreeks(greeksQl, f, k, t, sigma, type, d);
        domains.Add(o);
    }
    return new JsonObject { ["tool"] = "CryptoMargin (PeerHarness, .NET " + Environment.Version + ")", ["repeat"] = repeat, ["domains"] = new JsonArray([.. domains]) };
}

JsonObject CompareGreeks(string path, double[] f, double[] k, double[] t, double[] sigma, OptionType[] type, double[] d)
{
    var rows = ReadCsv(path);
    if (rows.Count != f.Length) throw new ArgumentException($"{path}: {rows.Count} rows, expected {f.Length} (the first domain of the cases file)");
    string[] names = ["price", "delta", "gamma", "vega", "theta"];
    var maxAbs = new double[5];
    var maxRel = new double[5];
    for (int i = 0; i < rows.Count; i++)
    {
        var ours = Black76.Greeks(f[i], k[i], t[i], sigma[i], type[i], d[i]);
        double[] o = [ours.Price, ours.Delta, ours.Gamma, ours.Vega, ours.Theta];
        int line = int.Parse(rows[i]["#line"], inv);
        for (int j = 0; j < 5; j++)
        {
            double q = Parse(rows[i][names[j]], path, line, names[j]);
            double diff = Math.Abs(o[j] - q);
            maxAbs[j] = Math.Max(maxAbs[j], diff);
            // Relative to the larger magnitude, floored at 1e-300 so that two zeros agree.
            maxRel[j] = Math.Max(maxRel[j], diff / Math.Max(Math.Max(Math.Abs(o[j]), Math.Abs(q)), 1e-300));
        }
    }
    var r = new JsonObject { ["n"] = rows.Count };
    for (int j = 0; j < 5; j++) r[names[j]] = new JsonObject { ["max_abs_diff"] = maxAbs[j], ["max_rel_diff"] = maxRel[j] };
    return r;
}

JsonObject HestonGrid(string path)
{
    var rows = ReadCsv(path);
    double maxAbs = 0, maxRel = 0, maxRelAbove = 0;
    JsonObject? worst = null;
    foreach (var r in rows)
    {
        int line = int.Parse(r["#line"], inv);
        var p = new HestonParameters(Parse(r["v0"], path, line, "v0"), Parse(r["kappa"], path, line, "kappa"), Parse(r["theta"], path, line, "theta"),
            Parse(r["sigma"], path, line, "sigma"), Parse(r["rho"], path, line, "rho"));
        double fwd = Parse(r["forward"], path, line, "forward"), strike = Parse(r["strike"], path, line, "strike"), t = Parse(r["t"], path, line, "t");
        double ql = Parse(r["ql_price"], path, line, "ql_price");
        var type = r["type"] == "call" ? OptionType.Call : OptionType.Put;
        double ours = Heston.Price(p, fwd, strike, t, type);
        double diff = Math.Abs(ours - ql);
        double rel = diff / Math.Max(Math.Abs(ql), 1e-300);
        if (diff > maxAbs) { maxAbs = diff; worst = new JsonObject { ["line"] = line, ["ours"] = ours, ["quantlib"] = ql }; }
        maxRel = Math.Max(maxRel, rel);
        if (ql > 1e-6 * fwd) maxRelAbove = Math.Max(maxRelAbove, rel);
    }
    return new JsonObject
    {
        ["n"] = rows.Count,
        ["max_abs_diff"] = maxAbs,
        ["max_abs_diff_case"] = worst,
        ["max_rel_diff"] = maxRel,
        ["max_rel_diff_price_above_1e-6F"] = maxRelAbove,
    };
}

JsonObject HestonChain(string[] a)
{
    string chainPath = a[1], outDir = a[2];
    int repeat = int.Parse(Option(a, "--repeat") ?? "3", inv);
    Directory.CreateDirectory(outDir);
    var chain = OptionChainReader.Read(chainPath, "BTC");
    var clean = OptionChainCleaner.Clean(chain, OptionCleaningSettings.Default).Chain;
    // The selection of FitSurfaceCommand: per expiry of the clean chain, OTM quotes (calls K ≥ F, puts K < F) with a
    // positive finite mark IV; F the expiry's median forward.
    var exact = new List<HestonQuote>();
    var days = new List<HestonQuote>();
    double spot = clean.Quotes.Select(q => q.IndexPrice).FirstOrDefault(x => x is > 0) ?? clean.Expiries[0].Forward;
    using var quotesCsv = new StreamWriter(Path.Combine(outDir, "heston-quotes.csv"));
    using var curveCsv = new StreamWriter(Path.Combine(outDir, "heston-rate-curve.csv"));
    quotesCsv.WriteLine("maturity_days,strike,implied_vol,t_exact,forward");
    curveCsv.WriteLine("days,zero_rate");
    foreach (var e in clean.Expiries)
    {
        double f = e.Forward;
        if (!(e.T > 0) || !(f > 0)) continue;
        int nDays = (int)Math.Round(e.T * 365);
        double tDays = nDays / 365.0;
        int used = 0;
        foreach (var q in e.Quotes.OrderBy(q => q.Strike))
        {
            bool otm = q.Type == OptionType.Call ? q.Strike >= f : q.Strike < f;
            if (!otm || q.MarkIv is not double iv || !(iv > 0) || !double.IsFinite(iv)) continue;
            exact.Add(new HestonQuote(e.T, f, q.Strike, iv));
            days.Add(new HestonQuote(tDays, f, q.Strike, iv));
            quotesCsv.WriteLine(string.Create(inv, $"{nDays},{q.Strike:R},{iv:R},{e.T:R},{f:R}"));
            used++;
        }
        // The forward F = S·exp(r(T)·T): the zero rate that puts QuantLib's forward on the expiry's future.
        if (used > 0) curveCsv.WriteLine(string.Create(inv, $"{nDays},{Math.Log(f / spot) / tDays:R}"));
    }
    var result = new JsonObject
    {
        ["chain"] = chainPath,
        ["valuationTime"] = chain.ValuationTime?.ToString("O", inv),
        ["spot"] = spot,
        ["quotes"] = exact.Count,
        ["expiries"] = exact.Select(q => q.Expiry).Distinct().Count(),
        ["exact_t"] = Calibrate(exact, repeat),
        ["integer_days_t"] = Calibrate(days, repeat),
    };
    if (Option(a, "--ql-params") is { } s)
    {
        var v = s.Split(',').Select(x => double.Parse(x, inv)).ToArray();
        if (v.Length != 5) throw new ArgumentException($"--ql-params needs v0,kappa,theta,sigma,rho, got '{s}'");
        var p = new HestonParameters(v[0], v[1], v[2], v[3], v[4]);
        // QuantLib's optimum priced by our Heston (is the RMSE the same?) and used as our starting point (is it a
        // different objective or a different local minimum?).
        result["at_quantlib_params_integer_days_t"] = Errors(days, p);
        result["integer_days_t_started_at_quantlib_params"] = Calibrate(days, repeat, p);
    }
    return result;
}

JsonObject Calibrate(List<HestonQuote> quotes, int repeat, HestonParameters? start = null)
{
    var options = new HestonCalibrationOptions { Initial = start };
    HestonCalibrationResult? fit = null;
    var ms = new double[repeat];
    for (int r = 0; r < repeat; r++)
    {
        long t0 = Stopwatch.GetTimestamp();
        fit = HestonCalibration.Calibrate(quotes, options);
        ms[r] = Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
    }
    Array.Sort(ms);
    var p = fit!.Parameters;
    return new JsonObject
    {
        ["params"] = new JsonObject { ["v0"] = p.V0, ["kappa"] = p.Kappa, ["theta"] = p.Theta, ["sigma"] = p.Sigma, ["rho"] = p.Rho },
        ["rmse_vol_pts"] = fit.RmseVolPoints,
        ["max_abs_vol_err_pts"] = fit.MaxErrorVolPoints,
        ["converged"] = fit.Converged,
        ["iterations"] = fit.Iterations,
        ["exit"] = fit.ExitCondition,
        ["wall_ms"] = new JsonObject { ["min"] = Math.Round(ms[0], 1), ["median"] = Math.Round(ms[repeat / 2], 1), ["runs"] = repeat },
        ["recomputed"] = Errors(quotes, p),
    };
}

// Model vol − quoted vol (vol points) with each quote priced as its OTM option by our Heston and inverted exactly.
JsonObject Errors(List<HestonQuote> quotes, HestonParameters p)
{
    double sse = 0, max = 0;
    int bad = 0;
    foreach (var q in quotes)
    {
        var type = q.Strike >= q.Forward ? OptionType.Call : OptionType.Put;
        double price = Heston.Price(p, q.Forward, q.Strike, q.Expiry, type);
        double vol = ImpliedVolatility.Solve(price, q.Forward, q.Strike, q.Expiry, type).Volatility;
        if (!double.IsFinite(vol)) { bad++; continue; }
        double e = 100 * (vol - q.ImpliedVolatility);
        sse += e * e;
        max = Math.Max(max, Math.Abs(e));
    }
    return new JsonObject { ["rmse_vol_pts"] = Math.Sqrt(sse / (quotes.Count - bad)), ["max_abs_vol_err_pts"] = max, ["sse_volpts2"] = sse, ["no_vol"] = bad };
}
