using CryptoMargin.Backtesting;
using CryptoMargin.Calibration;
using TestResult = CryptoMargin.Backtesting.TestResult;

namespace CryptoMargin.Tests.Calibration;

/// <summary>Simple stand-ins for the rolling risk engine and the backtest (the real ones are wired by the lead).</summary>
internal static class StandIns
{
    /// <summary>Seeded i.i.d. Normal(0, σ) daily log returns with consecutive dates from 2020-01-01.</summary>
    public static CalibrationInput Input(int n, double sigma = 0.03, int seed = 1, double[]? volume = null)
    {
        var rng = new Random(seed);
        var r = new double[n];
        for (int t = 0; t < n; t++)
        {
            double u1 = 1 - rng.NextDouble(), u2 = rng.NextDouble();
            r[t] = sigma * Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
        }
        var start = new DateOnly(2020, 1, 1);
        return new CalibrationInput("TEST", [.. Enumerable.Range(0, n).Select(start.AddDays)], r, new string('a', 64), volume);
    }

    /// <summary>
    /// VaR = multiplier·√h·(sample sd of the last 20 returns up to t), both sides, NaN before day 19; ES = 1.2·VaR.
    /// No look-ahead: day t uses r_{t−19..t}.
    /// </summary>
    public static CandidateSeries Rolling(double[] r, double multiplier, int h, int window = 20)
    {
        int n = r.Length;
        var v = new double[n];
        for (int t = 0; t < n; t++)
        {
            if (t < window - 1) { v[t] = double.NaN; continue; }
            double mean = 0, ss = 0;
            for (int k = t - window + 1; k <= t; k++) mean += r[k];
            mean /= window;
            for (int k = t - window + 1; k <= t; k++) ss += (r[k] - mean) * (r[k] - mean);
            v[t] = multiplier * Math.Sqrt(h) * Math.Sqrt(ss / (window - 1));
        }
        var es = v.Select(x => 1.2 * x).ToArray();
        return new CandidateSeries(v, (double[])v.Clone(), es, (double[])es.Clone());
    }

    /// <summary>Counts exceedances; p-values 1 when the count is at most twice the expected, else 0.</summary>
    public static BacktestResult Backtest(double[] margin, double[] es, double[] loss, double confidence)
    {
        int n = margin.Length, x = 0;
        for (int i = 0; i < n; i++) if (loss[i] > margin[i]) x++;
        double expected = n * (1 - confidence);
        double p = x <= 2 * expected ? 1 : 0;
        double max1 = 0, max30 = 0;
        for (int i = 1; i < n; i++) max1 = Math.Max(max1, margin[i] / margin[i - 1] - 1);
        for (int i = 30; i < n; i++) max30 = Math.Max(max30, margin[i] / margin[i - 30] - 1);
        var pro = new ProcyclicalityMeasures(margin.Max() / margin.Min(), max1, max30, margin.Average());
        var test = new TestResult(0, p);
        return new BacktestResult(n, x, expected, test, test, test, p == 1 ? TrafficLightZone.Green : TrafficLightZone.Red, test, pro);
    }

    public static (bool Passes, IReadOnlyList<string> Failures) Verdict(BacktestResult b) =>
        b.Kupiec.PValue >= 0.05 ? (true, []) : (false, [$"{b.Exceedances} exceedances, {b.ExpectedExceedances:0.#} expected"]);
}
