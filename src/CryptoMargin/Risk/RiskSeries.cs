namespace CryptoMargin.Risk;

/// <summary>
/// Rolling VaR and ES: element i is the figure set at the end of day t = <see cref="FirstDay"/> + i from returns
/// 0 … t only, for the move over days t + 1 … t + h.
/// </summary>
public sealed record RiskSeries
{
    public required RiskSpec Spec { get; init; }

    /// <summary>Index (into the returns) of the first day with a figure.</summary>
    public required int FirstDay { get; init; }

    public required double[] ValueAtRisk { get; init; }

    public required double[] ExpectedShortfall { get; init; }

    /// <summary>normal / t / fhs: the h-day volatility forecast of each day; null for hs and evt.</summary>
    public double[]? Volatility { get; init; }

    /// <summary>How often the return model is re-fitted (days); between fits the variance is updated daily by the recursion. 1 = daily.</summary>
    public required int ReestimationDays { get; init; }

    /// <summary>Return-model fits performed (0 for hs and evt).</summary>
    public int Fits { get; init; }

    /// <summary>Fits that did not converge (their parameters were still used; the next fit starts cold).</summary>
    public int FitsNotConverged { get; init; }
}
