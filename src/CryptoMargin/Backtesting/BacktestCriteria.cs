namespace CryptoMargin.Backtesting;

/// <summary>
/// What a candidate policy's backtest must show to pass (issue 3 §4). p-value thresholds apply to Kupiec,
/// Christoffersen independence, conditional coverage and the ES test; a null bound is not checked.
/// </summary>
public sealed record BacktestCriteria
{
    /// <summary>Each test's p-value must be at least this (a p-value equal to it passes).</summary>
    public double MinPValue { get; init; } = 0.05;

    /// <summary>True: the traffic light must be green. False: yellow passes too; red always fails.</summary>
    public bool RequireGreen { get; init; } = true;

    /// <summary>Upper bound on max/min of the margin rate, or null.</summary>
    public double? MaxPeakToTrough { get; init; }

    /// <summary>Upper bound on the largest 1-day relative rise (0.5 = +50%), or null.</summary>
    public double? MaxOneDayIncrease { get; init; }

    /// <summary>Upper bound on the largest 30-day relative rise, or null.</summary>
    public double? Max30DayIncrease { get; init; }

    public static BacktestCriteria Default { get; } = new();
}
