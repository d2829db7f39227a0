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

    /// <summary>Normal and Student-t run on an EWMA volatility forecast, so λ is one of their parameters.</summary>
    public static bool UsesLambda(RiskMethod method) => method is RiskMethod.Normal or RiskMethod.StudentT;
}
