using System.Globalization;
using System.IO.Compression;
using CryptoMargin.Pricing;

namespace CryptoMargin.Tests.Pricing;

/// <summary>
/// The one-step scheme: the starting points from the fitted tables (scripts/iv-guess-tables.py: corrected direct lower-map
/// and upper-map guesses, s itself near the inflection point and at small s_c) against the exact s = σ√t of the mpmath
/// reference grid, the single Householder step they leave, and how often a second step is needed on the benchmark's stress
/// grid and on the shipped Deribit chain (there checked by repricing with Black-76).
/// </summary>
public class ImpliedVolatilityOneStepTests(ITestOutputHelper output)
{
    [Fact]
    public void TableGuessesAreWithin5e6OfTheMpmathSigmaAndLeaveOneStep()
    {
        var tabled = new SortedDictionary<string, int>();
        int oneStep = 0;
        double worst = 0;
        foreach (var row in ImpliedVolatilityRoundTripTests.Load())
        {
            bool call = row.Type == OptionType.Call;
            double intrinsic = call ? Math.Max(row.Forward - row.Strike, 0) : Math.Max(row.Strike - row.Forward, 0);
            double x = -Math.Abs(ImpliedVolatility.LogMoneyness(row.Forward, row.Strike));
            double beta = (row.Price - intrinsic) / (Math.Sqrt(row.Forward) * Math.Sqrt(row.Strike));
            double bMax = Math.Exp(0.5 * x), sc = Math.Sqrt(-2 * x);
            double bc = sc > 0 ? Math.Max(0.5 * bMax * (1 - ImpliedVolatilityKernels.Erfcx(sc * ImpliedVolatilityKernels.InvSqrt2)), 0) : 0;
            if (ImpliedVolatilityRoundTripTests.ConditioningFloor(row) > 1e-13) continue;
            // which table the solver's starting point comes from (ImpliedVolatility.InitialGuess's order)
            string? table = null;
            if (beta < bc && sc <= 4 && beta >= 0.2 * bc) table = "central";
            else if (beta < bc && sc <= 1 && !double.IsNaN(ImpliedVolatility.SmallTableValue(sc, -x, beta))) table = "small";
            else if (beta < bc)
            {
                double s0 = ImpliedVolatility.LowerMapInversion(beta, x, sc), sl = sc - bc * ImpliedVolatilityKernels.SqrtTwoPi / bMax;
                if (s0 < sl && ImpliedVolatility.LowerTableCorrection(sc, s0 / sl) != 0) table = sc <= 4 ? "lower-near" : "lower-far";
                else if (!(s0 < sl) && sc >= 0.2 && sc <= 4 && !double.IsNaN(ImpliedVolatility.MidTableValue(sc, Math.Log(beta / bc)))) table = "mid";
            }
            else if (!double.IsNaN(ImpliedVolatility.UpperTableCorrection(sc, -2 * ImpliedVolatilityKernels.InversePhi((bMax - beta) / (bMax + 1 / bMax)))))
                table = "upper";
            if (table is null) continue;
            tabled[table] = tabled.GetValueOrDefault(table) + 1;
            double guess = ImpliedVolatility.InitialGuess(beta, x, bMax, 1 / bMax, sc, bc, beta < bc, out _);
            double exact = row.Sigma * Math.Sqrt(row.T);
            worst = Math.Max(worst, Math.Abs(guess / exact - 1));
            if (ImpliedVolatility.Solve(row.Price, row.Forward, row.Strike, row.T, row.Type).Iterations == 1) oneStep++;
        }
        int total = tabled.Values.Sum();
        output.WriteLine($"rows started from a table: {string.Join(", ", tabled.Select(p => $"{p.Key} {p.Value}"))}; worst relative error of the guess {worst:E2}; solved in one step: {oneStep} of {total}");
        Assert.True(total > 3000, $"only {total} grid rows in the tables' domains");
        // the script's own check grids give ≤ 4.3e-6 (central), 6.4e-6 (small), 2.1e-6 (mid), ≤ 1.7e-6 (the others); measured here 4.1e-6
        Assert.True(worst <= 5e-6, $"table guess error {worst:E2}");
        Assert.Equal(total, oneStep);
    }

    [Fact]
    public void StressGridNeedsASecondStepOnlyOutsideTheTables()
    {
        // the benchmark's stress grid (ImpliedVolatilityBenchmarks, seed 20251124)
        var random = new Random(20251124);
        var steps = new SortedDictionary<int, int>();
        double worst = 0, worstExcess = 0;
        for (int i = 0; i < 4096; i++)
        {
            double sigma = 0.005 * Math.Pow(1000, random.NextDouble());
            double t = 1e-4 * Math.Pow(5e4, random.NextDouble());
            double z = -6 + 12 * random.NextDouble();
            double strike = 50_000 * Math.Exp(z * sigma * Math.Sqrt(t));
            var type = random.NextDouble() < 0.5 ? OptionType.Call : OptionType.Put;
            double price = Black76.Price(50_000, strike, t, sigma, type);
            var r = ImpliedVolatility.Solve(price, 50_000, strike, t, type);
            steps[r.Iterations] = steps.GetValueOrDefault(r.Iterations) + 1;
            // Accuracy is the mpmath grid's test; here Black76.Price's own rounding (its two terms cancel for deep out-of-the-money
            // prices) is larger than the solver's error, so the check is that the one-step scheme is no farther from the σ that
            // generated the price than the earlier starting points' two or three steps (the same objective and stopping rule)
            // land, by more than 16ε·σ (measured: at most 10.5ε farther). Their raw difference is reported too: up to
            // 17ε, where the earlier scheme is the one off (new 1ε from σ, old 18ε).
            if (r.Reason == ImpliedVolatilityReason.AtIntrinsic) continue; // the price rounded onto the intrinsic value
            Assert.True(r.IsSolved, $"K {strike} t {t} σ {sigma}: {r.Reason}");
            var before = ImpliedVolatility.Solve(price, 50_000, strike, t, type, 1, useGuessTables: false);
            worst = Math.Max(worst, Math.Abs(r.Volatility / before.Volatility - 1) / 1.1102230246251565e-16);
            worstExcess = Math.Max(worstExcess, (Math.Abs(r.Volatility - sigma) - Math.Abs(before.Volatility - sigma)) / sigma / 1.1102230246251565e-16);
        }
        int total = steps.Values.Sum(), one = steps.GetValueOrDefault(1);
        output.WriteLine($"stress grid steps: {string.Join(", ", steps.Select(p => $"{p.Key}: {p.Value}"))}; one step {(double)one / total:P1}; largest difference from the earlier starting points {worst:F1}ε·σ; farther from the generating σ than they by at most {worstExcess:F1}ε·σ");
        Assert.True(worstExcess <= 16, $"σ is {worstExcess:F1}ε·σ farther from the generating σ than the earlier scheme's");
        Assert.True(steps.Keys.Max() <= 3, "a solve took more than three steps");
        // measured 94.4% (the rest: the lower region at s_c > 4 above q = 0.7, β < 0.2·b_c at 1 < s_c ≤ 4, upper rows at
        // s_c > 4 or within 0.8–1 of w_c, and the middle region's rational guesses)
        Assert.True(one >= 0.92 * total, $"only {one} of {total} solves took one step");
    }

    [Fact]
    public void ShippedDeribitChainReprices()
    {
        string path = Path.Combine(RepositoryRoot(), "samples", "options", "deribit_options_snapshot_20260822T093536Z.csv.gz");
        using var reader = new StreamReader(new GZipStream(File.OpenRead(path), CompressionMode.Decompress));
        var header = reader.ReadLine()!.Split(',');
        int Col(string name) => Array.IndexOf(header, name);
        int typeCol = Col("option_type"), strikeCol = Col("strike"), tCol = Col("time_to_maturity"), fwdCol = Col("underlying"),
            bidCol = Col("bid_price"), askCol = Col("ask_price"), markCol = Col("mark_price");
        var steps = new SortedDictionary<int, int>();
        var reasons = new SortedDictionary<ImpliedVolatilityReason, int>();
        double worst = 0;
        for (string? line = reader.ReadLine(); line is not null; line = reader.ReadLine())
        {
            var f = line.Split(',');
            static double D(string s) => double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) ? v : double.NaN;
            double forward = D(f[fwdCol]), strike = D(f[strikeCol]), t = D(f[tCol]);
            var type = f[typeCol] == "call" ? OptionType.Call : OptionType.Put;
            foreach (double coin in new[] { D(f[markCol]), 0.5 * (D(f[bidCol]) + D(f[askCol])) })
            {
                if (!(coin > 0 && t > 0)) continue;
                double price = coin * forward;
                var r = ImpliedVolatility.Solve(price, forward, strike, t, type);
                reasons[r.Reason] = reasons.GetValueOrDefault(r.Reason) + 1;
                if (!r.IsSolved) continue;
                steps[r.Iterations] = steps.GetValueOrDefault(r.Iterations) + 1;
                // repriced by Black-76 (independent code): the error relative to the time value
                double intrinsic = Math.Max(type == OptionType.Call ? forward - strike : strike - forward, 0);
                double timeValue = price - intrinsic;
                if (timeValue > 1e-3 * price) worst = Math.Max(worst, Math.Abs(Black76.Price(forward, strike, t, r.Volatility, type) - price) / timeValue);
            }
        }
        int total = steps.Values.Sum(), one = steps.GetValueOrDefault(1);
        output.WriteLine($"shipped chain (mark and mid): reasons {string.Join(", ", reasons.Select(p => $"{p.Key}: {p.Value}"))}; steps {string.Join(", ", steps.Select(p => $"{p.Key}: {p.Value}"))}; " +
            $"one step {(double)one / total:P1}; worst repricing error / time value {worst:E2}");
        Assert.True(total > 3500, $"only {total} quotes solved");
        Assert.True(one >= 0.85 * total, $"only {one} of {total} solves took one step"); // measured 87.2%
        Assert.True(worst < 1e-11, $"repricing error {worst:E2} of the time value");
        Assert.True(steps.Keys.Max() <= 3, "a solve took more than three steps");
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (Directory.Exists(Path.Combine(dir.FullName, "samples", "options"))) return dir.FullName;
        throw new DirectoryNotFoundException("samples/options not found above " + AppContext.BaseDirectory);
    }
}
