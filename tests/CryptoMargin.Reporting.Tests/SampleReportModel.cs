using CryptoMargin.Reporting;

namespace CryptoMargin.Reporting.Tests;

// A synthetic but plausible model: GARCH(1,1)-like returns from a seeded generator, an EWMA-style margin.
internal static class SampleReportModel
{
    internal static CalibrationReportModel Build(int days = 400, int seed = 7, string asset = "BTC")
    {
        var rng = new Random(seed);
        double Gauss() => Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
        var start = new DateTimeOffset(2023, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var dates = Enumerable.Range(0, days).Select(i => start.AddDays(i)).ToArray();
        var prices = new double[days];
        var returns = new double[days - 1];
        var vol = new double[days - 1];
        var resid = new double[days - 1];
        double s2 = 0.03 * 0.03;
        prices[0] = 20000;
        for (int t = 0; t < days - 1; t++)
        {
            vol[t] = Math.Sqrt(s2);
            resid[t] = Gauss() * Math.Sqrt(3.0 / 5.0) * (rng.NextDouble() < 0.03 ? 2.5 : 1); // fat-ish tails
            returns[t] = vol[t] * resid[t];
            prices[t + 1] = prices[t] * Math.Exp(returns[t]);
            s2 = 0.00002 + 0.08 * returns[t] * returns[t] + 0.9 * s2;
        }
        const int h = 2;
        int n = days - 1 - h;
        var btDates = dates[1..(n + 1)];
        var margin = new double[n];
        var loss = new double[n];
        var exc = new bool[n];
        for (int t = 0; t < n; t++)
        {
            margin[t] = 2.8 * vol[t] * Math.Sqrt(h);
            loss[t] = 1 - Math.Exp(returns[t] + returns[t + 1]);
            exc[t] = loss[t] > margin[t];
        }
        var frontier = new List<FrontierRow>();
        foreach (var m in new[] { "hs", "fhs", "normal", "t", "evt" })
            foreach (var lb in new[] { 250, 500, 1000 })
            {
                double avg = 0.08 + 0.01 * rng.NextDouble() + lb / 50000.0;
                int e = rng.Next(0, 9);
                bool passes = e <= 5 && m != "normal";
                frontier.Add(new FrontierRow($"{m}/{lb}d", avg, e, 3.9, passes ? 0.4 : 0.01, 0.5, passes ? 0.3 : 0.02, 0.2,
                    e <= 4 ? "green" : e <= 8 ? "yellow" : "red", 2.1, 0.03, passes, false, passes ? [] : ["kupiec p < 0.05"]));
            }
        int chosen = frontier.Select((f, i) => (f, i)).Where(x => x.f.Passes).OrderBy(x => x.f.AverageMargin).First().i;
        frontier[chosen] = frontier[chosen] with { Chosen = true };
        var tests = new List<TestRow>
        {
            new("Kupiec POF", 0.68, 0.41, true, "p = 0.41 ≥ 0.05: exceedance rate consistent with 99%"),
            new("Christoffersen independence", 1.9, 0.17, true, "p = 0.17 ≥ 0.05: exceedances do not cluster"),
            new("Conditional coverage", 2.6, 0.27, true, "p = 0.27 ≥ 0.05: rate and independence both hold"),
            new("ES backtest (Acerbi–Szekely Z2)", -0.3, 0.62, true, "p = 0.62 ≥ 0.05: losses beyond margin are as large as expected"),
            new("Traffic light", null, null, true, "green: 3 exceedances in 250 days"),
        };
        var holdout = tests.Select(t => t with { }).ToList();
        holdout[3] = new("ES backtest (Acerbi–Szekely Z2)", -2.4, 0.008, false, "p = 0.008 < 0.05: losses beyond margin are larger than the model expects");
        return new CalibrationReportModel(
            "CryptoMargin calibration — synthetic sample",
            [new ReportInputFile("samples/btc-usd_daily.csv", new string('a', 64))],
            [new AssetReport(asset, dates, prices, returns,
                [new ValidationFinding(dates[days / 3], days / 3, "gap", "2 missing days filled"),
                 new ValidationFinding(dates[days / 2], days / 2, "outlier", "|r| > 10σ kept: exchange-wide move")],
                new PolicySummary("fhs", 0.99, h, 500, 0.94, "buffer 25% released in stress; floor at full-history margin", 0.0912, 0.0456, true,
                    "no candidate passes the procyclicality bound; least-failing chosen"),
                new BacktestSeries(btDates, margin, loss, exc, btDates[(int)(n * 0.7)]),
                frontier,
                new ResidualDiagnostics(resid, "t", 5.0),
                dates[..^1], vol,
                [new StressWindowRow("FTX collapse", dates[days / 4], dates[days / 4 + 30], 1.8, 0.021, 0.06, 0.095)],
                [new TierRow(1e6, 0.0912, 0.0456), new TierRow(5e6, 0.11, 0.055), new TierRow(null, 0.15, 0.075)],
                tests, holdout,
                new NormalVarComparison("Normal VaR 99%, 2d, 250d lookback", 0.071, 11, 3.9, 0.0007, "red", 2.9,
                    "Cheaper by 2 points but 11 exceedances against 3.9 expected: it would have failed Kupiec and been red."))]);
    }
}
