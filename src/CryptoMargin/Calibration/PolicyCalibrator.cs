using CryptoMargin.Backtesting;
using CryptoMargin.Margin;
using CryptoMargin.Risk;

namespace CryptoMargin.Calibration;

/// <summary>
/// Backtests a margin-rate series (the VaR being tested) against realised losses of one side, with the ES forecast of
/// that side, at <paramref name="confidence"/>. All arrays have the same length (the backtest window).
/// </summary>
public delegate BacktestResult BacktestFunction(double[] marginRate, double[] expectedShortfall, double[] realizedLoss, double confidence);

/// <summary>
/// Chooses, per asset, the least costly candidate policy (lowest average margin on the calibration window) that passes
/// every criterion, reports every candidate, and backtests the choice on a holdout that played no part in it. Methods,
/// windows and the rules are in docs/methodology.md §6.
/// </summary>
public static class PolicyCalibrator
{
    /// <summary>Fewest margin days the calibration window may have.</summary>
    public const int MinimumCalibrationDays = 30;

    /// <param name="riskSeries">Rolling VaR/ES of a candidate's risk measure (called once per distinct
    /// <see cref="PolicyCandidate.Risk"/>; candidates differing only in APC share it).</param>
    /// <param name="backtest">One side's backtest over a window.</param>
    /// <param name="verdict">Whether one side's backtest passes (green light, p-values ≥ 0.05, …) and why not.</param>
    public static CalibrationResult Calibrate(
        CalibrationInput input,
        CalibrationConfig config,
        Func<PolicyCandidate, CandidateSeries> riskSeries,
        BacktestFunction backtest,
        Func<BacktestResult, (bool Passes, IReadOnlyList<string> Failures)> verdict,
        IProgress<CalibrationProgress>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(riskSeries);
        ArgumentNullException.ThrowIfNull(backtest);
        ArgumentNullException.ThrowIfNull(verdict);
        config.Validate();
        var r = input.DailyLogReturns;
        int n = r.Length;
        if (input.Dates.Count != n) throw new ArgumentException($"{input.Dates.Count} dates for {n} returns", nameof(input));
        for (int t = 0; t < n; t++)
            if (!double.IsFinite(r[t])) throw new ArgumentException($"return {t} ({input.Dates[t]}) is not finite", nameof(input));
        int h = config.MporDays;

        var candidates = CandidateGrid.From(config);
        var series = new Dictionary<RiskKey, CandidateSeries>();
        foreach (var c in candidates)
            if (!series.ContainsKey(c.Risk)) series[c.Risk] = Check(riskSeries(c), n, c);

        // One evaluation start for all candidates, so that costs are compared on the same days.
        int evalStart = 0;
        foreach (var c in candidates)
        {
            var s = series[c.Risk];
            evalStart = Math.Max(evalStart, FirstValid(s.LongValueAtRisk, s.ShortValueAtRisk, s.LongExpectedShortfall, s.ShortExpectedShortfall));
            if (c.Apc.Floor) evalStart = Math.Max(evalStart, FirstValid(s.Floor ?? throw new ArgumentException($"candidate {c} has a floor but the risk series has none", nameof(riskSeries))));
            if (c.Apc.StressWeight is not null && s.Stressed is not null) evalStart = Math.Max(evalStart, FirstValid(s.Stressed));
        }

        int holdoutStart = HoldoutStart(input, config);
        int calibrationEnd = holdoutStart - h; // margin at t is judged by r_{t+1..t+h}: all before the holdout
        int backtestEnd = n - h;
        if (calibrationEnd - evalStart < MinimumCalibrationDays)
            throw new ArgumentException(
                $"calibration window has {calibrationEnd - evalStart} days (evaluation starts at day {evalStart}, holdout at {holdoutStart}); at least {MinimumCalibrationDays} needed", nameof(input));

        var loss = new[] { RealizedLosses(r, h, PositionSide.Long), RealizedLosses(r, h, PositionSide.Short) };

        var frontier = new List<CandidateEvaluation>(candidates.Count);
        foreach (var c in candidates)
        {
            var s = series[c.Risk];
            var margin = MarginSeries(c, s, evalStart);
            double average = Mean(margin, evalStart, calibrationEnd);
            var tests = Backtest(s, margin, loss, c.Confidence, evalStart, calibrationEnd, backtest);
            var failures = new List<string>();
            var (longPass, longFailures) = verdict(tests.Long);
            var (shortPass, shortFailures) = verdict(tests.Short);
            failures.AddRange(longFailures.Select(f => "long: " + f));
            failures.AddRange(shortFailures.Select(f => "short: " + f));
            if (!longPass && longFailures.Count == 0) failures.Add("long: fails the backtest criteria");
            if (!shortPass && shortFailures.Count == 0) failures.Add("short: fails the backtest criteria");
            var pro = tests.Long.Procyclicality;
            if (config.MaxPeakToTrough is double p && !(pro.PeakToTrough <= p))
                failures.Add($"procyclicality: peak-to-trough {pro.PeakToTrough:0.###} above the bound {p}");
            if (config.Max30DayIncrease is double i && !(pro.Max30DayIncrease <= i))
                failures.Add($"procyclicality: largest 30-day increase {pro.Max30DayIncrease:0.###} above the bound {i}");
            frontier.Add(new CandidateEvaluation(c, margin, average, tests, failures.Count == 0, failures));
            progress?.Report(new CalibrationProgress(frontier.Count, candidates.Count, c.ToString()));
        }

        CandidateEvaluation? chosen = null;
        foreach (var e in frontier)
            if (e.Passes && (chosen is null || e.AverageMargin < chosen.AverageMargin)) chosen = e;
        string? reason = null;
        var selected = chosen;
        if (selected is null)
        {
            foreach (var e in frontier)
                if (selected is null || e.AverageMargin > selected.AverageMargin) selected = e;
            reason = $"no candidate passes on the calibration window ({frontier.Count} tried); falling back to the most conservative one (highest average margin): {selected!.Candidate}";
        }

        var best = selected!;
        var bestSeries = series[best.Candidate.Risk];
        SideBacktests? holdout = backtestEnd > holdoutStart
            ? Backtest(bestSeries, best.Margin, loss, best.Candidate.Confidence, holdoutStart, backtestEnd, backtest)
            : null;
        var whole = Backtest(bestSeries, best.Margin, loss, best.Candidate.Confidence, evalStart, backtestEnd, backtest);
        var policy = BuildPolicy(input, config, best, bestSeries, frontier, evalStart, calibrationEnd, holdoutStart, holdout, reason);
        return new CalibrationResult(input.Asset, frontier, chosen, best, chosen is null, reason, policy, holdout, whole,
            evalStart, calibrationEnd, holdoutStart, backtestEnd) { SelectedSeries = bestSeries };
    }

    /// <summary>
    /// Realised h-day loss of a margin set at the end of day t: PositionLoss.Of(r_{t+1} + … + r_{t+h}, side); NaN for the
    /// last h days, whose loss is not known yet.
    /// </summary>
    public static double[] RealizedLosses(ReadOnlySpan<double> dailyLogReturns, int horizonDays, PositionSide side)
    {
        int n = dailyLogReturns.Length;
        var loss = new double[n];
        for (int t = 0; t < n; t++)
        {
            if (t + horizonDays >= n) { loss[t] = double.NaN; continue; }
            double sum = 0;
            for (int k = 1; k <= horizonDays; k++) sum += dailyLogReturns[t + k];
            loss[t] = PositionLoss.Of(sum, side);
        }
        return loss;
    }

    /// <summary>
    /// The candidate's margin rate from <paramref name="start"/> on (NaN before): APC applied to raw = max(long, short)
    /// VaR. The stressed series is the caller's, else <see cref="AntiProcyclicality.StressedMargin"/> of raw since <paramref name="start"/>.
    /// </summary>
    public static double[] MarginSeries(PolicyCandidate candidate, CandidateSeries series, int start)
    {
        int n = series.LongValueAtRisk.Length;
        int m = n - start;
        var raw = new double[m];
        for (int t = 0; t < m; t++) raw[t] = Math.Max(series.LongValueAtRisk[start + t], series.ShortValueAtRisk[start + t]);
        double[] stressed = [];
        if (candidate.Apc.StressWeight is not null)
        {
            if (series.Stressed is { } given) stressed = given[start..];
            else
            {
                stressed = new double[m];
                AntiProcyclicality.StressedMargin(raw, candidate.Apc.StressPeriodDays, stressed);
            }
        }
        double[] floor = candidate.Apc.Floor ? series.Floor![start..] : [];
        var margin = new double[n];
        Array.Fill(margin, double.NaN, 0, start);
        candidate.Apc.Apply(raw, stressed, floor, margin.AsSpan(start));
        return margin;
    }

    /// <summary>Both sides' backtests of a margin series over days [from, to); loss[0] long, loss[1] short (see <see cref="RealizedLosses"/>).</summary>
    public static SideBacktests Backtest(
        CandidateSeries s, double[] margin, double[][] loss, double confidence, int from, int to, BacktestFunction backtest) =>
        new(Side(s.LongValueAtRisk, s.LongExpectedShortfall, margin, loss[0], confidence, from, to, backtest),
            Side(s.ShortValueAtRisk, s.ShortExpectedShortfall, margin, loss[1], confidence, from, to, backtest));

    /// <summary>
    /// The ES forecast handed to the ES backtest is scaled with the margin: ES·margin/VaR of that side (the margin is
    /// read as the VaR of the model's loss distribution scaled by the APC and two-sided treatment), never below the margin.
    /// </summary>
    private static BacktestResult Side(
        double[] var, double[] es, double[] margin, double[] loss, double confidence, int from, int to, BacktestFunction backtest)
    {
        int len = to - from;
        var m = margin[from..to];
        var e = new double[len];
        for (int i = 0; i < len; i++)
        {
            int t = from + i;
            e[i] = var[t] > 0 ? Math.Max(m[i], es[t] * m[i] / var[t]) : Math.Max(m[i], es[t]);
        }
        return backtest(m, e, loss[from..to], confidence);
    }

    private static MarginPolicy BuildPolicy(
        CalibrationInput input, CalibrationConfig config, CandidateEvaluation best, CandidateSeries series,
        IReadOnlyList<CandidateEvaluation> frontier, int evalStart, int calibrationEnd, int holdoutStart,
        SideBacktests? holdout, string? reason)
    {
        int n = input.DailyLogReturns.Length;
        var c = best.Candidate;
        // A rate above 1 would mean more margin than the position is worth: capped at 1 (no leverage).
        double im = Math.Min(1, best.Margin[n - 1]);
        if (!(im > 0)) throw new InvalidOperationException($"the margin rate on the last day is {im}; a policy needs a positive rate");

        MaintenanceRule rule;
        if (series.MaintenanceValueAtRisk is { } mm)
        {
            var ratios = new List<double>();
            for (int t = evalStart; t < calibrationEnd; t++)
            {
                double raw = Math.Max(series.LongValueAtRisk[t], series.ShortValueAtRisk[t]);
                if (raw > 0 && double.IsFinite(mm[t])) ratios.Add(mm[t] / raw);
            }
            double f = ratios.Count == 0 ? config.MaintenanceFraction : Math.Clamp(Median(ratios), 1e-6, 1);
            rule = new MaintenanceRule(f, config.MaintenanceConfidence);
        }
        else rule = new MaintenanceRule(config.MaintenanceFraction, null);
        double mmRate = rule.Fraction * im;

        IReadOnlyList<RiskLimitTier> tiers = [];
        double? adv = AverageDailyVolume(input.DailyVolumeUsd, config.VolumeDays);
        if (adv is double volume)
        {
            double sigma = StandardDeviation(input.DailyLogReturns.AsSpan(Math.Max(0, n - c.LookbackDays)));
            tiers = RiskLimitTiers.Build(im, mmRate, sigma, volume, config.Tiers);
        }

        return new MarginPolicy
        {
            Asset = input.Asset,
            Method = c.Method,
            Confidence = c.Confidence,
            MporDays = c.MporDays,
            LookbackDays = c.LookbackDays,
            Lambda = c.Lambda,
            Apc = c.Apc,
            InitialMarginRate = im,
            MaintenanceMarginRate = mmRate,
            MaintenanceRule = rule,
            Tiers = tiers,
            TierSettings = adv is null ? null : config.Tiers,
            ReestimationDays = config.ReestimationDays,
            InputSha256 = input.InputSha256,
            Start = input.Dates[0],
            End = input.Dates[n - 1],
            HoldoutFrom = holdoutStart < n ? input.Dates[holdoutStart] : null,
            Candidates = [.. frontier.Select(e => new CandidateRecord(e.Candidate.Method, e.Candidate.LookbackDays, e.Candidate.Lambda,
                e.Candidate.Apc, e.AverageMargin, e.Calibration.Long, e.Calibration.Short, e.Passes, e.Failures))],
            Fallback = reason is not null,
            FallbackReason = reason,
            HoldoutLong = holdout?.Long,
            HoldoutShort = holdout?.Short,
        };
    }

    private static int HoldoutStart(CalibrationInput input, CalibrationConfig config)
    {
        int n = input.DailyLogReturns.Length;
        if (config.HoldoutFrom is DateOnly from)
        {
            for (int t = 0; t < n; t++)
                if (input.Dates[t] >= from) return t;
            return n;
        }
        return (int)Math.Floor((1 - config.HoldoutFraction) * n);
    }

    private static CandidateSeries Check(CandidateSeries s, int n, PolicyCandidate c)
    {
        ArgumentNullException.ThrowIfNull(s);
        foreach (var (a, name) in new[] { (s.LongValueAtRisk, "long VaR"), (s.ShortValueAtRisk, "short VaR"),
                     (s.LongExpectedShortfall, "long ES"), (s.ShortExpectedShortfall, "short ES"), (s.Floor, "floor"),
                     (s.Stressed, "stressed"), (s.MaintenanceValueAtRisk, "maintenance VaR") })
            if (a is not null && a.Length != n)
                throw new ArgumentException($"the risk series of {c} has {a.Length} {name} values for {n} returns");
        return s;
    }

    /// <summary>First index from which every series is finite to the end; a gap after it is an error.</summary>
    private static int FirstValid(params double[][] arrays)
    {
        int first = 0;
        foreach (var a in arrays)
        {
            int i = 0;
            while (i < a.Length && !double.IsFinite(a[i])) i++;
            for (int t = i; t < a.Length; t++)
                if (!double.IsFinite(a[t]) || a[t] < 0) throw new ArgumentException($"risk series value at day {t} is {a[t]} after the series started");
            first = Math.Max(first, i);
        }
        return first;
    }

    private static double? AverageDailyVolume(double[]? volume, int days)
    {
        if (volume is null) return null;
        double sum = 0;
        int count = 0;
        for (int t = Math.Max(0, volume.Length - days); t < volume.Length; t++)
            if (double.IsFinite(volume[t]) && volume[t] > 0) { sum += volume[t]; count++; }
        return count == 0 ? null : sum / count;
    }

    private static double Mean(double[] x, int from, int to)
    {
        double sum = 0;
        for (int t = from; t < to; t++) sum += x[t];
        return sum / (to - from);
    }

    private static double StandardDeviation(ReadOnlySpan<double> x)
    {
        if (x.Length < 2) return 0;
        double mean = 0;
        foreach (var v in x) mean += v;
        mean /= x.Length;
        double ss = 0;
        foreach (var v in x) ss += (v - mean) * (v - mean);
        return Math.Sqrt(ss / (x.Length - 1));
    }

    private static double Median(List<double> x)
    {
        x.Sort();
        int k = x.Count / 2;
        return x.Count % 2 == 1 ? x[k] : 0.5 * (x[k - 1] + x[k]);
    }
}
