namespace CryptoMargin.Margin;

/// <summary>
/// Parameters of the risk-limit tiers: the impact coefficient k of the square-root law and the tiers' upper notional
/// bounds in USD (strictly increasing, positive). A position above the last bound is beyond the risk limit.
/// </summary>
public sealed record TierSettings(double ImpactCoefficient, IReadOnlyList<double> MaxNotionals)
{
    /// <summary>k = 1 (order of magnitude found by Tóth et al. 2011 and Almgren et al. 2005) and bounds 1M…500M USD.</summary>
    public static TierSettings Default { get; } = new(1.0, [1e6, 5e6, 2e7, 1e8, 5e8]);
}

/// <summary>One tier: positions of notional up to <paramref name="MaxNotional"/> (USD) pay these rates.</summary>
public readonly record struct RiskLimitTier(double MaxNotional, double InitialMarginRate, double MaintenanceMarginRate);

/// <summary>
/// Risk-limit tiers: margin rates that rise with position size by the cost of liquidating the position, from the
/// square-root market-impact law add-on(Q) = k·σ_daily·√(Q / ADV) (Almgren, Thum, Hauptmann &amp; Li 2005, "Direct
/// estimation of equity market impact"; Tóth et al. 2011, "Anomalous price impact and the critical nature of
/// liquidity in financial markets"), evaluated at the tier's upper bound Q. IM_tier = min(1, IM + add-on);
/// MM_tier = IM_tier·(MM/IM): maintenance keeps the policy's MM/IM ratio in every tier.
/// </summary>
public static class RiskLimitTiers
{
    /// <summary>Fractional liquidation-cost add-on of a position of notional Q: k·σ·√(Q/ADV).</summary>
    public static double AddOn(double notional, double dailyVolatility, double averageDailyVolume, double impactCoefficient) =>
        impactCoefficient * dailyVolatility * Math.Sqrt(notional / averageDailyVolume);

    public static IReadOnlyList<RiskLimitTier> Build(
        double initialMarginRate, double maintenanceMarginRate, double dailyVolatility, double averageDailyVolume, TierSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (!(initialMarginRate > 0 && initialMarginRate <= 1))
            throw new ArgumentOutOfRangeException(nameof(initialMarginRate), initialMarginRate, "must be in (0, 1]");
        if (!(maintenanceMarginRate > 0 && maintenanceMarginRate <= initialMarginRate))
            throw new ArgumentOutOfRangeException(nameof(maintenanceMarginRate), maintenanceMarginRate, "must be in (0, IM]");
        if (!(dailyVolatility >= 0 && double.IsFinite(dailyVolatility)))
            throw new ArgumentOutOfRangeException(nameof(dailyVolatility), dailyVolatility, "must be finite and ≥ 0");
        if (!(averageDailyVolume > 0 && double.IsFinite(averageDailyVolume)))
            throw new ArgumentOutOfRangeException(nameof(averageDailyVolume), averageDailyVolume, "must be finite and > 0");
        if (!(settings.ImpactCoefficient >= 0 && double.IsFinite(settings.ImpactCoefficient)))
            throw new ArgumentOutOfRangeException(nameof(settings), settings.ImpactCoefficient, "impact coefficient must be finite and ≥ 0");
        if (settings.MaxNotionals.Count == 0) throw new ArgumentException("at least one tier bound is needed", nameof(settings));

        double ratio = maintenanceMarginRate / initialMarginRate;
        var tiers = new RiskLimitTier[settings.MaxNotionals.Count];
        double previous = 0;
        for (int i = 0; i < tiers.Length; i++)
        {
            double q = settings.MaxNotionals[i];
            if (!(q > previous && double.IsFinite(q)))
                throw new ArgumentException($"tier bound {q} must be finite and above the previous one ({previous})", nameof(settings));
            previous = q;
            double im = Math.Min(1, initialMarginRate + AddOn(q, dailyVolatility, averageDailyVolume, settings.ImpactCoefficient));
            tiers[i] = new RiskLimitTier(q, im, im * ratio);
        }
        return tiers;
    }
}
