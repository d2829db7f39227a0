using System.Globalization;
using CryptoMargin.Backtesting;
using CryptoMargin.Calibration;
using CryptoMargin.Data;
using CryptoMargin.Dynamics;
using CryptoMargin.Margin;
using CryptoMargin.MarketData;
using CryptoMargin.Reporting;
using CryptoMargin.Risk;
using ReportFinding = CryptoMargin.Reporting.ValidationFinding;

namespace CryptoMargin.Cli;

/// <summary>Fills the report model from a calibration and writes report.html atomically.</summary>
internal static class CalibrationReportWriter
{
    /// <summary>Named crypto stress windows (UTC dates) in which procyclicality is reported.</summary>
    private static readonly (string Name, DateOnly Start, DateOnly End)[] StressWindows =
    [
        ("Black Thursday (2020-03)", new(2020, 3, 1), new(2020, 4, 15)),
        ("May 2021 crash", new(2021, 5, 10), new(2021, 6, 30)),
        ("LUNA / 3AC (2022-05/06)", new(2022, 5, 1), new(2022, 7, 15)),
        ("FTX collapse (2022-11)", new(2022, 11, 1), new(2022, 12, 15)),
        ("Yen carry unwind (2024-08)", new(2024, 7, 25), new(2024, 8, 31)),
        ("Liquidation cascade (2025-10)", new(2025, 10, 1), new(2025, 11, 20)),
    ];

    public static string Write(string path, IReadOnlyList<AssetHistory> histories, IReadOnlyList<CalibrationResult> results,
        IReadOnlyList<SpeedLimitComparison> speedLimits, CalibrationConfig config, int seed)
    {
        var assets = new List<AssetReport>();
        for (int i = 0; i < results.Count; i++)
            assets.Add(Asset(histories[i], results[i], config, seed) with { OtherComparisons = [SpeedLimitRow(results[i], speedLimits[i])] });
        var model = new CalibrationReportModel(
            $"CryptoMargin calibration — {string.Join(", ", results.Select(r => r.Asset))}, {config.Confidence.ToString("P0", CultureInfo.InvariantCulture)} / {config.MporDays}-day margin period of risk",
            histories.Select(h => new ReportInputFile(h.History.Source, h.Sha256)).ToList(),
            assets);
        AtomicFile.WriteAllText(path, CalibrationReport.Render(model));
        return path;
    }

    private static AssetReport Asset(AssetHistory h, CalibrationResult r, CalibrationConfig config, int seed)
    {
        var series = h.History.Series;
        var dates = series.Times!.ToList();
        var lineToIndex = new Dictionary<int, int>();
        for (int i = 0; i < series.Count; i++) lineToIndex[series.Lines[i]] = i;
        var findings = h.Report.Findings
            .Where(f => lineToIndex.ContainsKey(f.Line))
            .Select(f => new ReportFinding(dates[lineToIndex[f.Line]], lineToIndex[f.Line], f.Kind.ToName(), f.Detail))
            .ToList();

        // Return t runs from price t to price t + 1, so the margin set at the end of return day t sits at price date t + 1.
        DateTimeOffset DayOf(int t) => dates[t + 1];
        int from = r.EvaluationStart, to = r.BacktestEnd, hzn = config.MporDays;
        var longLoss = PolicyCalibrator.RealizedLosses(h.Returns, hzn, PositionSide.Long);
        var shortLoss = PolicyCalibrator.RealizedLosses(h.Returns, hzn, PositionSide.Short);
        var margin = r.Selected.Margin;
        var btDates = new List<DateTimeOffset>();
        var btMargin = new List<double>();
        var btLoss = new List<double>();
        var btHit = new List<bool>();
        for (int t = from; t < to; t++)
        {
            double loss = Math.Max(longLoss[t], shortLoss[t]);
            btDates.Add(DayOf(t));
            btMargin.Add(margin[t]);
            btLoss.Add(loss);
            btHit.Add(loss > margin[t]);
        }

        var p = r.Policy;
        var policy = new PolicySummary(p.Method.ToName(), p.Confidence, p.MporDays, p.LookbackDays, p.Lambda, Describe(p.Apc),
            p.InitialMarginRate, p.MaintenanceMarginRate, r.Fallback, r.Reason);

        var frontier = r.Frontier.Select(e => new FrontierRow(
            e.Candidate.ToString(), e.AverageMargin, e.Calibration.Long.Exceedances + e.Calibration.Short.Exceedances,
            e.Calibration.Long.ExpectedExceedances + e.Calibration.Short.ExpectedExceedances,
            Math.Min(e.Calibration.Long.Kupiec.PValue, e.Calibration.Short.Kupiec.PValue),
            Math.Min(e.Calibration.Long.ChristoffersenIndependence.PValue, e.Calibration.Short.ChristoffersenIndependence.PValue),
            Math.Min(e.Calibration.Long.ConditionalCoverage.PValue, e.Calibration.Short.ConditionalCoverage.PValue),
            Math.Min(e.Calibration.Long.EsBacktest.PValue, e.Calibration.Short.EsBacktest.PValue),
            Worse(e.Calibration.Long.TrafficLight, e.Calibration.Short.TrafficLight),
            e.Calibration.Long.Procyclicality.PeakToTrough, e.Calibration.Long.Procyclicality.Max30DayIncrease,
            e.Passes, ReferenceEquals(e, r.Chosen), e.Failures)).ToList();

        // Residual diagnostics from a GARCH(1,1)-t on the whole history: the QQ plot shows how fat the tails are.
        var spec = new ReturnModelSpec(VolatilityModel.Garch, InnovationDistribution.StudentT);
        var fit = ReturnModel.Fit(h.Returns, spec);
        var variances = ReturnModel.ConditionalVariances(h.Returns, spec, fit.Parameters);
        var z = new double[h.Returns.Length];
        var vol = new double[h.Returns.Length];
        for (int t = 0; t < z.Length; t++)
        {
            vol[t] = Math.Sqrt(variances[t]);
            z[t] = (h.Returns[t] - fit.Parameters.Mu) / vol[t];
        }

        var windows = new List<StressWindowRow>();
        foreach (var (name, start, end) in StressWindows)
        {
            int a = Math.Max(from, FirstOnOrAfter(h.Dates, start)), b = Math.Min(to, FirstOnOrAfter(h.Dates, end.AddDays(1)));
            if (b - a < 2) continue;
            var m = Procyclicality.InWindow(margin.AsSpan(0, to), a, b);
            windows.Add(new StressWindowRow(name, DayOf(a), DayOf(b - 1), m.PeakToTrough, m.MaxOneDayIncrease, m.Max30DayIncrease, m.AverageMargin));
        }

        var tiers = p.Tiers.Select((t, i) => new TierRow(i == p.Tiers.Count - 1 && double.IsPositiveInfinity(t.MaxNotional) ? null : t.MaxNotional,
            t.InitialMarginRate, t.MaintenanceMarginRate)).ToList();

        // How a plain Normal VaR (RiskMetrics EWMA λ = 0.94, no anti-procyclicality) would have fared on the same days.
        var plain = new PolicyCandidate(RiskMethod.Normal, config.LookbackDays.Min(), 0.94, AntiProcyclicality.None, config.Confidence, hzn);
        var (plainMargin, plainTests) = MarginCalibration.BacktestCandidate(plain, h.Returns, from, config.ReestimationDays, config.MaintenanceConfidence, seed);
        var plainLong = plainTests.Long;
        double plainAverage = Average(plainMargin, from, to);
        var plainRow = new NormalVarComparison(
            "Normal VaR (RiskMetrics EWMA λ = 0.94), no APC",
            plainAverage, plainTests.Long.Exceedances + plainTests.Short.Exceedances,
            plainTests.Long.ExpectedExceedances + plainTests.Short.ExpectedExceedances,
            Math.Min(plainTests.Long.Kupiec.PValue, plainTests.Short.Kupiec.PValue),
            Worse(plainTests.Long.TrafficLight, plainTests.Short.TrafficLight).ToString(),
            plainLong.Procyclicality.PeakToTrough,
            PlainReading(plainTests));

        return new AssetReport(r.Asset, dates, series.Values, h.Returns, findings, policy,
            new BacktestSeries(btDates, btMargin, btLoss, btHit, r.Holdout is null ? null : DayOf(r.HoldoutStart)),
            frontier, new ResidualDiagnostics(z, $"GARCH(1,1)-t, ν = {fit.Parameters.Nu.ToString("F2", CultureInfo.InvariantCulture)}", fit.Parameters.Nu),
            h.Dates.Select(d => new DateTimeOffset(d.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero)).ToList(), vol,
            windows, tiers, Tests(r.WholeHistory, p.Confidence), r.Holdout is { } ho ? Tests(ho, p.Confidence) : [], plainRow);
    }

    private static NormalVarComparison SpeedLimitRow(CalibrationResult r, SpeedLimitComparison s)
    {
        var b = s.Backtests;
        var chosen = r.WholeHistory;
        string label = s.MaxDailyIncrease is double cap
            ? $"Chosen policy with rises capped at {cap.ToString("P0", CultureInfo.InvariantCulture)} a day"
            : "Chosen policy without its speed limit";
        int exceedances = b.Long.Exceedances + b.Short.Exceedances, chosenExceedances = chosen.Long.Exceedances + chosen.Short.Exceedances;
        string reading = string.Create(CultureInfo.InvariantCulture,
            $"{label}: largest one-day rise {b.Long.Procyclicality.MaxOneDayIncrease:P0} against {chosen.Long.Procyclicality.MaxOneDayIncrease:P0}, largest 30-day rise {b.Long.Procyclicality.Max30DayIncrease:P0} against {chosen.Long.Procyclicality.Max30DayIncrease:P0}; the coverage it costs: {exceedances} exceedances against {chosenExceedances}, average margin {b.Long.Procyclicality.AverageMargin:P2} against {chosen.Long.Procyclicality.AverageMargin:P2}.");
        return new NormalVarComparison(label, b.Long.Procyclicality.AverageMargin, exceedances,
            b.Long.ExpectedExceedances + b.Short.ExpectedExceedances, Math.Min(b.Long.Kupiec.PValue, b.Short.Kupiec.PValue),
            Worse(b.Long.TrafficLight, b.Short.TrafficLight), b.Long.Procyclicality.PeakToTrough, reading);
    }

    private static IReadOnlyList<TestRow> Tests(SideBacktests sides, double confidence)
    {
        var rows = new List<TestRow>();
        foreach (var (side, b) in new[] { ("long", sides.Long), ("short", sides.Short) })
        {
            string rate = confidence.ToString("P1", CultureInfo.InvariantCulture);
            rows.Add(Row($"Kupiec POF ({side})", b.Kupiec, $"{b.Exceedances} exceedances in {b.Observations} days, {b.ExpectedExceedances.ToString("F1", CultureInfo.InvariantCulture)} expected at {rate}"));
            rows.Add(Row($"Christoffersen independence ({side})", b.ChristoffersenIndependence, "are exceedances clustered? (tested on non-overlapping days)"));
            rows.Add(Row($"Conditional coverage ({side})", b.ConditionalCoverage, "right rate and no clustering together"));
            rows.Add(Row($"ES backtest, McNeil–Frey ({side})", b.EsBacktest, "are losses beyond the margin larger than the ES says?"));
            rows.Add(new TestRow($"Traffic light ({side})", b.Exceedances, null, b.TrafficLight == TrafficLightZone.Green,
                $"{b.TrafficLight.ToString().ToLowerInvariant()}: {b.Exceedances} exceedances in {b.Observations} days"));
        }
        return rows;
    }

    private static TestRow Row(string name, TestResult t, string what)
    {
        bool passes = !(t.PValue < 0.05);
        string reading = double.IsNaN(t.Statistic)
            ? $"not run (too few exceedances): {what}"
            : $"p = {t.PValue.ToString("F3", CultureInfo.InvariantCulture)} {(passes ? "≥" : "<")} 0.05: {(passes ? "consistent" : "rejected")} — {what}";
        return new TestRow(name, double.IsFinite(t.Statistic) ? t.Statistic : null, double.IsFinite(t.PValue) ? t.PValue : null, passes, reading);
    }

    private static string PlainReading(SideBacktests s)
    {
        var worse = Worse(s.Long.TrafficLight, s.Short.TrafficLight);
        double p = Math.Min(s.Long.Kupiec.PValue, s.Short.Kupiec.PValue);
        return worse == "green" && !(p < 0.05)
            ? $"it would have passed here (Kupiec p = {p.ToString("F3", CultureInfo.InvariantCulture)}), at a lower average margin but without anti-procyclicality"
            : $"it fails: {worse} zone, Kupiec p = {p.ToString("G3", CultureInfo.InvariantCulture)} — thin Normal tails under-margin crypto's crashes";
    }

    private static string Worse(TrafficLightZone a, TrafficLightZone b) => (TrafficLightZone)Math.Max((int)a, (int)b) switch
    {
        TrafficLightZone.Green => "green",
        TrafficLightZone.Yellow => "yellow",
        _ => "red",
    };

    private static string Describe(AntiProcyclicality a)
    {
        var parts = new List<string>();
        if (a.Buffer is double b) parts.Add($"{b.ToString("P0", CultureInfo.InvariantCulture)} buffer, released in stress");
        if (a.StressWeight is double w) parts.Add($"{w.ToString("P0", CultureInfo.InvariantCulture)} weight on stressed margin");
        if (a.Floor) parts.Add("floor at the 10-year-lookback margin");
        if (a.MaxDailyIncrease is double c) parts.Add($"rises capped at {c.ToString("P0", CultureInfo.InvariantCulture)} a day");
        return parts.Count == 0 ? "none" : string.Join("; ", parts);
    }

    private static int FirstOnOrAfter(DateOnly[] dates, DateOnly day)
    {
        int i = Array.BinarySearch(dates, day);
        return i >= 0 ? i : ~i;
    }

    private static double Average(double[] x, int from, int to)
    {
        double s = 0;
        for (int t = from; t < to; t++) s += x[t];
        return s / (to - from);
    }
}
