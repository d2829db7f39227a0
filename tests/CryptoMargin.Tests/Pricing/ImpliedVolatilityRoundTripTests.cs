using System.Globalization;
using CryptoMargin.Pricing;

namespace CryptoMargin.Tests.Pricing;

/// <summary>
/// Round trip against prices computed at 50 significant digits with mpmath from known σ
/// (scripts/iv-reference.py; provenance in docs/options/implied-volatility.md): |ln K/F| ≤ 6σ√t (and a deep band to
/// 10σ√t), t 1e-4…5 years, σ 0.005…5, prices ≥ 1e-25 F, calls and puts.
/// </summary>
public class ImpliedVolatilityRoundTripTests(ITestOutputHelper output)
{
    internal sealed record Row(double Forward, double Strike, double T, double Sigma, OptionType Type, double Price);

    internal static IReadOnlyList<Row> Load()
    {
        string path = Path.Combine(AppContext.BaseDirectory, "Pricing", "data", "iv-reference.csv");
        var rows = new List<Row>();
        foreach (string line in File.ReadLines(path).Skip(1))
        {
            var f = line.Split(',');
            double D(int i) => double.Parse(f[i], NumberStyles.Float, CultureInfo.InvariantCulture);
            rows.Add(new Row(D(0), D(1), D(2), D(3), f[4] == "call" ? OptionType.Call : OptionType.Put, D(5)));
        }
        return rows;
    }

    /// <summary>
    /// The price enters as a double: its rounding (and that of F, K and b_max = √(F/K)) alone moves σ by up to
    /// ε·P/(σ·vega), vega = ∂P/∂σ = F φ(d₁)√t (closed form). Where that exceeds ~1e-13 (σ√t ≳ 7, prices within
    /// 1e-8 of their maximum) 1e-12 is out of reach for any double-precision solver; the tolerance adds 8× that floor.
    /// </summary>
    internal static double ConditioningFloor(Row r)
    {
        double s = r.Sigma * Math.Sqrt(r.T), d1 = Math.Log(r.Forward / r.Strike) / s + 0.5 * s;
        double vega = r.Forward * Math.Exp(-0.5 * d1 * d1) * 0.39894228040143267794 * Math.Sqrt(r.T);
        return double.Epsilon < vega ? 1.1102230246251565e-16 * r.Price / (r.Sigma * vega) : double.PositiveInfinity;
    }

    [Fact]
    public void EveryGridPriceGivesBackItsSigmaToOnePartInATrillion()
    {
        var rows = Load();
        Assert.True(rows.Count > 4000, $"reference grid has only {rows.Count} rows");
        var errors = new List<double>(rows.Count);
        int maxIterations = 0, conditioned = 0;
        double worst = 0, worstExcess = 0;
        Row? worstRow = null, worstExcessRow = null;
        foreach (var r in rows)
        {
            var result = ImpliedVolatility.Solve(r.Price, r.Forward, r.Strike, r.T, r.Type);
            Assert.True(result.IsSolved, $"{r}: {result.Reason}");
            double error = Math.Abs(result.Volatility - r.Sigma) / r.Sigma;
            double floor = ConditioningFloor(r);
            maxIterations = Math.Max(maxIterations, result.Iterations);
            double excess = error / (1e-12 + 8 * floor);
            if (excess > worstExcess) (worstExcess, worstExcessRow) = (excess, r);
            if (floor > 1e-13) { conditioned++; continue; }
            errors.Add(error);
            if (error > worst) (worst, worstRow) = (error, r);
        }
        errors.Sort();
        double P(double q) => errors[(int)Math.Min(errors.Count - 1, Math.Floor(q * errors.Count))];
        output.WriteLine(FormattableString.Invariant(
            $"rows {rows.Count}, well-conditioned {errors.Count}: relative σ error median {P(0.5):E2}, p90 {P(0.9):E2}, p99 {P(0.99):E2}, p99.9 {P(0.999):E2}, max {worst:E2} at {worstRow}; {conditioned} rows with price-rounding floor > 1e-13: worst error/(1e-12 + 8·floor) {worstExcess:F3} at {worstExcessRow}; most iterations {maxIterations}"));
        Assert.True(worst <= 1e-12, FormattableString.Invariant($"max relative error {worst:E3} at {worstRow}"));
        Assert.True(worstExcess <= 1, FormattableString.Invariant($"error {worstExcess:F2}× the conditioned tolerance at {worstExcessRow}"));
    }

    [Fact]
    public void DiscountedPricesGiveTheSameSigma()
    {
        // PV = D·undiscounted; the solver divides by D. D = e^{−rt} with r = 5%.
        foreach (var r in Load().Where((_, i) => i % 7 == 0))
        {
            if (ConditioningFloor(r) > 1e-13) continue;
            double d = Math.Exp(-0.05 * r.T);
            var result = ImpliedVolatility.Solve(r.Price * d, r.Forward, r.Strike, r.T, r.Type, d);
            Assert.True(result.IsSolved, $"{r}: {result.Reason}");
            // price·D/D differs from price by at most 2 ulp: allow twice the grid tolerance plus that.
            Assert.True(Math.Abs(result.Volatility - r.Sigma) <= (2e-12 + 4 * ConditioningFloor(r)) * r.Sigma, $"{r}: {result.Volatility:R}");
        }
    }

    [Fact]
    public void BatchMatchesScalar()
    {
        var rows = Load();
        int n = rows.Count;
        double[] p = new double[n], f = new double[n], k = new double[n], t = new double[n], vols = new double[n];
        var types = new OptionType[n];
        var reasons = new ImpliedVolatilityReason[n];
        for (int i = 0; i < n; i++) (p[i], f[i], k[i], t[i], types[i]) = (rows[i].Price, rows[i].Forward, rows[i].Strike, rows[i].T, rows[i].Type);
        ImpliedVolatility.SolveBatch(p, f, k, t, types, default, vols, reasons);
        for (int i = 0; i < n; i++)
        {
            // the vector batch's guess and exp/ln/erfcx differ from the scalar ones in the last digits: 16ε·σ plus 8× the
            // price-rounding floor (ImpliedVolatilityBatchTests has the detailed comparison)
            var scalar = ImpliedVolatility.Solve(p[i], f[i], k[i], t[i], types[i]);
            Assert.Equal(scalar.Reason, reasons[i]);
            double tolerance = 1.1102230246251565e-16 * scalar.Volatility * (16 + 8 * ConditioningFloor(rows[i]) / 1.1102230246251565e-16);
            Assert.True(Math.Abs(scalar.Volatility - vols[i]) <= tolerance, $"{rows[i]}: batch {vols[i]:R} scalar {scalar.Volatility:R}");
        }
    }
}
