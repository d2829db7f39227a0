using CryptoMargin.Backtesting;
using CryptoMargin.Margin;

namespace CryptoMargin.Calibration;

/// <summary>
/// A margin-rate series backtested against realised h-day losses of each side. One rate covers both sides, so a
/// policy passes only when it passes for the long and for the short side.
/// </summary>
public sealed record SideBacktests(BacktestResult Long, BacktestResult Short);

/// <summary>
/// One candidate as calibration saw it: its margin series over the whole input (NaN before the evaluation start),
/// cost = average margin on the calibration window, the backtests on that window, and the verdict with every failure.
/// </summary>
public sealed record CandidateEvaluation(
    PolicyCandidate Candidate, double[] Margin, double AverageMargin, SideBacktests Calibration, bool Passes, IReadOnlyList<string> Failures);

/// <summary>Calibration progress: candidates evaluated so far out of the total.</summary>
public readonly record struct CalibrationProgress(int Done, int Total, string Candidate);

/// <summary>
/// The outcome of calibrating one asset. <see cref="Chosen"/> is the cheapest passing candidate, or null when none
/// passes; then <see cref="Fallback"/> is true, <see cref="Reason"/> says so and <see cref="Selected"/> is the most
/// conservative candidate (highest average margin). Windows are day indices into the input: the calibration window is
/// [EvaluationStart, CalibrationEnd) (margins whose realised loss ends before the holdout), the holdout
/// [HoldoutStart, BacktestEnd), and BacktestEnd − 1 is the last day whose h-day loss is known.
/// </summary>
public sealed record CalibrationResult(
    string Asset,
    IReadOnlyList<CandidateEvaluation> Frontier,
    CandidateEvaluation? Chosen,
    CandidateEvaluation Selected,
    bool Fallback,
    string? Reason,
    MarginPolicy Policy,
    SideBacktests? Holdout,
    SideBacktests WholeHistory,
    int EvaluationStart,
    int CalibrationEnd,
    int HoldoutStart,
    int BacktestEnd)
{
    /// <summary>The risk series behind <see cref="Selected"/> (for variants of the chosen policy that differ only in APC).</summary>
    public CandidateSeries? SelectedSeries { get; init; }
}
