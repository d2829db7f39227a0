using System.Text.Json.Serialization;
using CryptoMargin.MarketData;

namespace CryptoMargin.Margin.DeribitPm;

/// <summary>
/// Parameters of the Deribit-style portfolio margin model, serialised as the policy's <c>deribitPm</c> section under the
/// names Deribit's <c>private/pme/simulate</c> response uses (snake_case, verbatim). Defaults are the values of the
/// documented simulate example (https://docs.deribit.com/api-reference/account-management/private-simulate,
/// <c>model_params</c>: <c>currency_pair.btc_usd</c>, <c>currency.btc</c>, <c>general</c>). Fields Deribit does not
/// publish (<see cref="ExtendedMoves"/>, <see cref="MinDaysToExpiry"/>, the legacy contingencies) are ours, named in
/// the same style; docs/margin/deribit-pm.md says where each comes from.
/// <para>Shocks are relative (0.16 = 16%); vols are decimals; <see cref="DeltaTotalLiqShockThreshold"/> and
/// <see cref="ExtendedDampener"/> are USD.</para>
/// </summary>
public sealed record DeribitPmParameters
{
    /// <summary>Largest relative move of the underlying in the standard table (±16%).</summary>
    [JsonPropertyName("price_range")] public double PriceRange { get; init; } = 0.16;

    /// <summary>Price steps on each side of zero: 4 gives 9 price points −16%, −12%, …, +16%.</summary>
    [JsonPropertyName("buckets_count")] public int BucketsCount { get; init; } = 4;

    /// <summary>Vol scenarios per price point: 3 = down, unchanged, up (1 = unchanged only).</summary>
    [JsonPropertyName("vol_scenarios_count")] public int VolScenariosCount { get; init; } = 3;

    /// <summary>k of the vol-up shock IV·(1 + k·(30/DTE)^p) at 30 days.</summary>
    [JsonPropertyName("volatility_range_up")] public double VolatilityRangeUp { get; init; } = 0.5;

    /// <summary>k of the vol-down shock IV·(1 − k·(30/DTE)^p) at 30 days.</summary>
    [JsonPropertyName("volatility_range_down")] public double VolatilityRangeDown { get; init; } = 0.25;

    /// <summary>p of the term law for expiries under 30 days.</summary>
    [JsonPropertyName("short_term_vega_power")] public double ShortTermVegaPower { get; init; } = 0.3;

    /// <summary>p of the term law for expiries of 30 days and more.</summary>
    [JsonPropertyName("long_term_vega_power")] public double LongTermVegaPower { get; init; } = 0.13;

    /// <summary>Floor of the shocked-up implied vol (the up scenario never leaves a vol below it).</summary>
    [JsonPropertyName("min_volatility_for_shock_up")] public double MinVolatilityForShockUp { get; init; } = 0.5;

    /// <summary>Multiplier of the extended table's weighted P&amp;L (1 = as weighted).</summary>
    [JsonPropertyName("extended_table_factor")] public double ExtendedTableFactor { get; init; } = 1;

    /// <summary>USD amount taken off the extended table's loss before it counts (small accounts are not charged for tail moves).</summary>
    [JsonPropertyName("extended_dampener")] public double ExtendedDampener { get; init; } = 100_000;

    /// <summary>Largest extra adverse move charged on the net delta (10%), reached at <see cref="DeltaTotalLiqShockThreshold"/>.</summary>
    [JsonPropertyName("max_delta_shock")] public double MaxDeltaShock { get; init; } = 0.1;

    /// <summary>Net delta (USD) at which the delta shock reaches <see cref="MaxDeltaShock"/>; below it the shock grows linearly with size.</summary>
    [JsonPropertyName("delta_total_liq_shock_threshold")] public double DeltaTotalLiqShockThreshold { get; init; } = 20_000_000;

    /// <summary>Annualised move of a dated future's basis against the perpetual (roll shock: ±this × years to expiry).</summary>
    [JsonPropertyName("annualised_move_risk")] public double AnnualisedMoveRisk { get; init; } = 0.075;

    /// <summary>Smallest roll shock of a dated future (relative), however close its expiry.</summary>
    [JsonPropertyName("min_annualised_move")] public double MinAnnualisedMove { get; init; } = 0.01;

    /// <summary>Fraction of gains that offsets losses in the aggregated vector (0: gains count as 0).</summary>
    [JsonPropertyName("pnl_offset")] public double PnlOffset { get; init; }

    /// <summary>Cap, in the margin currency, on the gain that may offset: a gain g counts as min(pnl_offset·g, max_offsetable_pnl).</summary>
    [JsonPropertyName("max_offsetable_pnl")] public double MaxOffsetablePnl { get; init; }

    /// <summary>MM = mm_factor × IM.</summary>
    [JsonPropertyName("mm_factor")] public double MmFactor { get; init; } = 0.8;

    /// <summary>Relative moves of the extended table, vol up only (Deribit support article "Portfolio Margin": −66%, −33%, +50%, +100%, …, +500%).</summary>
    [JsonPropertyName("extended_moves")] public IReadOnlyList<double> ExtendedMoves { get; init; } = [-0.66, -0.33, 0.5, 1, 2, 3, 4, 5];

    /// <summary>Days to expiry used in (30/DTE)^p are at least this (the law diverges at expiry); ours, not Deribit's.</summary>
    [JsonPropertyName("min_days_to_expiry")] public double MinDaysToExpiry { get; init; } = 1;

    /// <summary>Legacy contingency: minimum margin as a fraction of the options' underlying value (Deribit's former PM doc: 1%). 0 = off, as in Deribit's current model.</summary>
    [JsonPropertyName("option_contingency")] public double OptionContingency { get; init; } = 0.01;

    /// <summary>Legacy contingency: minimum margin as a fraction of offsetting (long vs short) futures' value (former doc: 2%). 0 = off.</summary>
    [JsonPropertyName("futures_contingency")] public double FuturesContingency { get; init; } = 0.02;

    /// <summary>The documented example's parameters (BTC).</summary>
    public static DeribitPmParameters Default { get; } = new();

    /// <summary>Number of standard scenarios: (2·buckets_count + 1) × vol_scenarios_count (27 by default).</summary>
    [JsonIgnore] public int StandardScenarioCount => (2 * BucketsCount + 1) * VolScenariosCount;

    /// <summary>Checks every field.</summary>
    /// <exception cref="DataValidationException">A field out of range; the field is named as in the policy file.</exception>
    public void Validate()
    {
        static void Require(bool ok, string field, double value, string what)
        {
            if (!ok) throw new DataValidationException($"deribitPm.{field} = {value.ToString("R", System.Globalization.CultureInfo.InvariantCulture)}: {what}", field: field);
        }
        Require(PriceRange > 0 && PriceRange < 1, "price_range", PriceRange, "must be in (0, 1)");
        Require(BucketsCount is >= 1 and <= 100, "buckets_count", BucketsCount, "must be an integer in [1, 100]");
        Require(VolScenariosCount is 1 or 3, "vol_scenarios_count", VolScenariosCount, "must be 1 (unchanged) or 3 (down, unchanged, up)");
        Require(VolatilityRangeUp >= 0 && double.IsFinite(VolatilityRangeUp), "volatility_range_up", VolatilityRangeUp, "must be ≥ 0 and finite");
        Require(VolatilityRangeDown >= 0 && double.IsFinite(VolatilityRangeDown), "volatility_range_down", VolatilityRangeDown, "must be ≥ 0 and finite");
        Require(ShortTermVegaPower is >= 0 and <= 2, "short_term_vega_power", ShortTermVegaPower, "must be in [0, 2]");
        Require(LongTermVegaPower is >= 0 and <= 2, "long_term_vega_power", LongTermVegaPower, "must be in [0, 2]");
        Require(MinVolatilityForShockUp >= 0 && double.IsFinite(MinVolatilityForShockUp), "min_volatility_for_shock_up", MinVolatilityForShockUp, "must be ≥ 0 and finite");
        Require(ExtendedTableFactor >= 0 && double.IsFinite(ExtendedTableFactor), "extended_table_factor", ExtendedTableFactor, "must be ≥ 0 and finite");
        Require(ExtendedDampener >= 0 && double.IsFinite(ExtendedDampener), "extended_dampener", ExtendedDampener, "must be ≥ 0 and finite (USD)");
        Require(MaxDeltaShock is >= 0 and < 1, "max_delta_shock", MaxDeltaShock, "must be in [0, 1)");
        Require(DeltaTotalLiqShockThreshold > 0 && double.IsFinite(DeltaTotalLiqShockThreshold), "delta_total_liq_shock_threshold", DeltaTotalLiqShockThreshold, "must be positive and finite (USD)");
        Require(AnnualisedMoveRisk is >= 0 and < 1, "annualised_move_risk", AnnualisedMoveRisk, "must be in [0, 1)");
        Require(MinAnnualisedMove is >= 0 and < 1, "min_annualised_move", MinAnnualisedMove, "must be in [0, 1)");
        Require(PnlOffset is >= 0 and <= 1, "pnl_offset", PnlOffset, "must be in [0, 1]");
        Require(MaxOffsetablePnl >= 0 && double.IsFinite(MaxOffsetablePnl), "max_offsetable_pnl", MaxOffsetablePnl, "must be ≥ 0 and finite");
        Require(MmFactor is > 0 and <= 1, "mm_factor", MmFactor, "must be in (0, 1]");
        Require(MinDaysToExpiry > 0 && double.IsFinite(MinDaysToExpiry), "min_days_to_expiry", MinDaysToExpiry, "must be positive and finite");
        Require(OptionContingency is >= 0 and < 1, "option_contingency", OptionContingency, "must be in [0, 1)");
        Require(FuturesContingency is >= 0 and < 1, "futures_contingency", FuturesContingency, "must be in [0, 1)");
        if (ExtendedMoves is null) throw new DataValidationException("deribitPm.extended_moves is missing", field: "extended_moves");
        foreach (var m in ExtendedMoves)
            Require(m > -1 && m != 0 && double.IsFinite(m), "extended_moves", m, "each move must be > −1, non-zero and finite");
    }
}
