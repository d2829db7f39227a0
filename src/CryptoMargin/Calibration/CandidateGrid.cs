using CryptoMargin.Risk;

namespace CryptoMargin.Calibration;

/// <summary>The candidates a configuration asks for: method × lookback × λ (normal/t only) × APC option.</summary>
public static class CandidateGrid
{
    public static IReadOnlyList<PolicyCandidate> From(CalibrationConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        var list = new List<PolicyCandidate>();
        foreach (var method in config.Methods.Distinct())
            foreach (var lookback in config.LookbackDays.Distinct())
            {
                if (!Feasible(method, lookback, config.MporDays)) continue;
                IEnumerable<double?> lambdas = UsesLambda(method) && config.Lambdas.Count > 0
                    ? config.Lambdas.Distinct().Select(l => (double?)l)
                    : [null];
                foreach (var lambda in lambdas)
                    foreach (var apc in config.ApcOptions.Distinct())
                    {
                        var withCap = apc.MaxDailyIncrease is null && config.MaxDailyIncrease is double cap
                            ? apc with { MaxDailyIncrease = cap }
                            : apc;
                        list.Add(new PolicyCandidate(method, lookback, lambda, withCap, config.Confidence, config.MporDays));
                    }
            }
        return list;
    }

    /// <summary>
    /// EVT needs at least <see cref="PeaksOverThreshold.MinimumExceedances"/> exceedances of its 90% threshold in the
    /// window's overlapping h-day losses: (L − h + 1)·0.1 ≥ 30, i.e. L ≥ 300 + h − 1. Shorter lookbacks are not tried for evt.
    /// </summary>
    public static bool Feasible(RiskMethod method, int lookbackDays, int mporDays) =>
        method != RiskMethod.Evt || PeaksOverThreshold.Exceedances(lookbackDays - mporDays + 1, EvtThresholdQuantile) >= PeaksOverThreshold.MinimumExceedances;

    /// <summary>The peaks-over-threshold threshold quantile used in calibration (the risk engine's default).</summary>
    public const double EvtThresholdQuantile = 0.90;

    /// <summary>Normal and Student-t run on an EWMA volatility forecast, so λ is one of their parameters.</summary>
    public static bool UsesLambda(RiskMethod method) => method is RiskMethod.Normal or RiskMethod.StudentT;
}
