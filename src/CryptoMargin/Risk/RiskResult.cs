using CryptoMargin.Dynamics;

namespace CryptoMargin.Risk;

/// <summary>The outcome of <see cref="RiskMeasures.Estimate"/>: the figures and what produced them.</summary>
public sealed record RiskResult
{
    public required RiskSpec Spec { get; init; }

    public required RiskEstimate Risk { get; init; }

    /// <summary>Daily returns used (after the lookback cut).</summary>
    public required int N { get; init; }

    /// <summary>evt only: threshold, exceedances and the fitted GPD tail.</summary>
    public EvtEstimate? Evt { get; init; }

    /// <summary>normal / t / fhs: the h-day volatility forecast √(Σ_{k=1..h} E[h_{n+k}]) used; null for hs and evt.</summary>
    public double? Volatility { get; init; }

    /// <summary>normal / t / fhs: the h-day mean log return used (h·μ; 0 under EWMA).</summary>
    public double? Mean { get; init; }

    /// <summary>normal / t / fhs: the fitted return model (EWMA with fixed λ, or GARCH(1,1)).</summary>
    public ReturnModelFit? Fit { get; init; }
}
