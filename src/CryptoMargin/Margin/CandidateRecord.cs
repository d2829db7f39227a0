using CryptoMargin.Backtesting;
using CryptoMargin.Risk;

namespace CryptoMargin.Margin;

/// <summary>
/// One candidate policy that calibration considered, with its cost (average margin on the calibration window), its
/// backtests on that window for each side, and whether it passed (and why not).
/// </summary>
public sealed record CandidateRecord(
    RiskMethod Method,
    int LookbackDays,
    double? Lambda,
    AntiProcyclicality Apc,
    double AverageMargin,
    BacktestResult LongBacktest,
    BacktestResult ShortBacktest,
    bool Passes,
    IReadOnlyList<string> Failures);
