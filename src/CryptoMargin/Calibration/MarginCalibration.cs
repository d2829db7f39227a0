using System.Globalization;
using CryptoMargin.Backtesting;
using CryptoMargin.Margin;
using CryptoMargin.MarketData;
using CryptoMargin.Risk;

namespace CryptoMargin.Calibration;

/// <summary>
/// The margin-policy calibration of issue 3, composed from its parts: the rolling out-of-sample risk engine
/// (<see cref="RollingCandidateSeries"/>), the candidate search (<see cref="PolicyCalibrator"/>) and the backtests
/// (<see cref="MarginBacktest"/>, judged by <see cref="BacktestVerdict"/>).
/// </summary>
public static class MarginCalibration
{
    /// <summary>Seed of the FHS paths and the ES-backtest bootstrap.</summary>
    public const int DefaultSeed = 1;

    /// <summary>
    /// FHS paths per day in calibration: 5,000 paths leave 50 draws beyond the 99% VaR (the ES is their mean); the
    /// 10,000 of a one-off <c>var</c> would double the cost of every rolling FHS run.
    /// </summary>
    public const int FhsPaths = 5_000;

    /// <summary>First day with a margin figure: the longest lookback of the grid has filled (at least one year).</summary>
    public static int FirstDay(CalibrationConfig config) => Math.Max(365, config.LookbackDays.Max());

    public static CalibrationResult Run(CalibrationInput input, CalibrationConfig config, int seed = DefaultSeed,
        IProgress<CalibrationProgress>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        var grid = CandidateGrid.From(config);
        var engine = new RollingCandidateSeries(input.DailyLogReturns, FirstDay(config), config.ReestimationDays,
            config.MaintenanceConfidence, floor: config.ApcOptions.Any(a => a.Floor), seed, FhsPaths);
        var criteria = BacktestCriteria.Default;
        var options = BacktestOptions.Default with { HorizonDays = config.MporDays };
        engine.Prepare(grid, (done, total, label) => progress?.Report(new CalibrationProgress(done, total, label)));
        return PolicyCalibrator.Calibrate(input, config,
            engine.For,
            (margin, es, loss, confidence) => MarginBacktest.Run(margin, es, loss, confidence, options, seed),
            result =>
            {
                var v = BacktestVerdict.Passes(result, criteria);
                return (v.Passed, v.FailedCriteria);
            });
    }

    /// <summary>
    /// Backtests an existing policy on a history: the policy's measure recomputed day by day with data up to that day
    /// only, its APC applied, and the margin judged against the realised h-day losses of each side.
    /// </summary>
    public static PolicyBacktest Backtest(MarginPolicy policy, double[] dailyLogReturns, int seed = DefaultSeed, int? firstDay = null)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(dailyLogReturns);
        int start = firstDay ?? Math.Max(365, policy.LookbackDays);
        int n = dailyLogReturns.Length, h = policy.MporDays;
        if (n - h - start < PolicyCalibrator.MinimumCalibrationDays)
            throw new DataValidationException(string.Create(CultureInfo.InvariantCulture,
                $"{n} returns leave {Math.Max(0, n - h - start)} backtest days after the first {start} (the policy's lookback); at least {PolicyCalibrator.MinimumCalibrationDays} are needed"));
        var candidate = new PolicyCandidate(policy.Method, policy.LookbackDays, policy.Lambda, policy.Apc, policy.Confidence, h);
        var (margin, sides) = BacktestCandidate(candidate, dailyLogReturns, start, policy.ReestimationDays,
            policy.MaintenanceRule.MaintenanceConfidence ?? policy.Confidence, seed);
        return new PolicyBacktest(policy, start, n - h, margin, sides.Long, sides.Short, policy.ReestimationDays);
    }

    /// <summary>One candidate's daily margin (NaN before <paramref name="start"/>) and its per-side backtest over [start, n − h).</summary>
    public static (double[] Margin, SideBacktests Backtests) BacktestCandidate(PolicyCandidate candidate, double[] dailyLogReturns,
        int start, int reestimationDays, double maintenanceConfidence, int seed = DefaultSeed)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        int n = dailyLogReturns.Length, h = candidate.MporDays;
        var engine = new RollingCandidateSeries(dailyLogReturns, start, reestimationDays, maintenanceConfidence, floor: candidate.Apc.Floor, seed, FhsPaths);
        var series = engine.For(candidate);
        var margin = PolicyCalibrator.MarginSeries(candidate, series, start);
        var options = BacktestOptions.Default with { HorizonDays = h };
        double[][] loss = [PolicyCalibrator.RealizedLosses(dailyLogReturns, h, PositionSide.Long), PolicyCalibrator.RealizedLosses(dailyLogReturns, h, PositionSide.Short)];
        var sides = PolicyCalibrator.Backtest(series, margin, loss, candidate.Confidence, start, n - h,
            (m, es, l, c) => MarginBacktest.Run(m, es, l, c, options, seed));
        return (margin, sides);
    }

    /// <summary>Daily cap on margin rises set beside the chosen policy to show what a speed limit costs in coverage.</summary>
    public const double DefaultSpeedLimit = 0.25;

    /// <summary>
    /// The chosen policy with a speed limit on margin rises (EMIR Art. 28 leaves speed to the CCP), or without its own
    /// cap when it has one, backtested over the same whole-history window: what the speed limit costs (or buys) in
    /// coverage and in procyclicality.
    /// </summary>
    public static SpeedLimitComparison SpeedLimit(CalibrationResult result, double[] dailyLogReturns, CalibrationConfig config,
        double cap = DefaultSpeedLimit, int seed = DefaultSeed)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(config);
        var chosen = result.Selected.Candidate;
        double? limit = chosen.Apc.MaxDailyIncrease is null ? cap : null;
        var variant = chosen with { Apc = chosen.Apc with { MaxDailyIncrease = limit } };
        if (result.SelectedSeries is { } series)
        {
            // The speed limit changes only the APC: reuse the chosen candidate's risk series.
            var options = BacktestOptions.Default with { HorizonDays = chosen.MporDays };
            double[][] loss = [PolicyCalibrator.RealizedLosses(dailyLogReturns, chosen.MporDays, PositionSide.Long),
                PolicyCalibrator.RealizedLosses(dailyLogReturns, chosen.MporDays, PositionSide.Short)];
            var capped = PolicyCalibrator.MarginSeries(variant, series, result.EvaluationStart);
            var sides = PolicyCalibrator.Backtest(series, capped, loss, chosen.Confidence, result.EvaluationStart, dailyLogReturns.Length - chosen.MporDays,
                (m, es, l, c) => MarginBacktest.Run(m, es, l, c, options, seed));
            return new SpeedLimitComparison(variant, limit, capped, sides);
        }
        var (margin, backtests) = BacktestCandidate(variant, dailyLogReturns, result.EvaluationStart, config.ReestimationDays, config.MaintenanceConfidence, seed);
        return new SpeedLimitComparison(variant, limit, margin, backtests);
    }
}

/// <summary>The chosen policy with (MaxDailyIncrease set) or without (null) a speed limit, and its backtests.</summary>
public sealed record SpeedLimitComparison(PolicyCandidate Candidate, double? MaxDailyIncrease, double[] Margin, SideBacktests Backtests);

/// <summary>A policy's backtest over a history, per side; <see cref="Margin"/> holds the daily margin rate (NaN before <see cref="Start"/>).</summary>
public sealed record PolicyBacktest(MarginPolicy Policy, int Start, int End, double[] Margin, BacktestResult Long, BacktestResult Short, int ReestimationDays);
