using CryptoMargin.Backtesting;
using CryptoMargin.Risk;

namespace CryptoMargin.Margin;

/// <summary>
/// The margin policy of one asset's futures/perpetuals: rates as fractions of position value, the parameters that set
/// them, and their provenance (input hash, dates used, every candidate considered and its tests). One rate covers both
/// sides: IM = max(long, short) margin. Liquidation happens at the maintenance margin.
/// </summary>
public sealed record MarginPolicy
{
    public required string Asset { get; init; }
    public required RiskMethod Method { get; init; }
    public required double Confidence { get; init; }
    public required int MporDays { get; init; }
    public required int LookbackDays { get; init; }
    /// <summary>EWMA decay for normal/t; null for methods without one.</summary>
    public double? Lambda { get; init; }
    public required AntiProcyclicality Apc { get; init; }
    /// <summary>Current IM requirement: the policy's margin rate on the last day of the input.</summary>
    public required double InitialMarginRate { get; init; }
    public required double MaintenanceMarginRate { get; init; }
    public required MaintenanceRule MaintenanceRule { get; init; }
    /// <summary>The account is liquidated when its equity falls below the maintenance margin.</summary>
    public double LiquidationThreshold => MaintenanceMarginRate;
    public required IReadOnlyList<RiskLimitTier> Tiers { get; init; }
    public TierSettings? TierSettings { get; init; }
    public int ReestimationDays { get; init; } = 1;
    public required string InputSha256 { get; init; }
    public required DateOnly Start { get; init; }
    public required DateOnly End { get; init; }
    /// <summary>First day of the holdout window (margins from this day on played no part in the choice).</summary>
    public DateOnly? HoldoutFrom { get; init; }
    public IReadOnlyList<CandidateRecord> Candidates { get; init; } = [];
    /// <summary>True when no candidate passed and this is the most conservative one instead; see FallbackReason.</summary>
    public bool Fallback { get; init; }
    public string? FallbackReason { get; init; }
    /// <summary>The policy's backtests on the holdout window (no part in the choice), per side; null when not run.</summary>
    public BacktestResult? HoldoutLong { get; init; }
    public BacktestResult? HoldoutShort { get; init; }
}
