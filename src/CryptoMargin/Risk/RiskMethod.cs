namespace CryptoMargin.Risk;

/// <summary>How a risk measure is estimated. CLI names: hs, fhs, normal, t, evt.</summary>
public enum RiskMethod
{
    /// <summary>Historical simulation on overlapping h-day returns.</summary>
    Historical,
    /// <summary>Filtered historical simulation: GARCH standardized residuals rescaled by today's forecast.</summary>
    FilteredHistorical,
    /// <summary>Normal on the EWMA/GARCH h-day volatility forecast.</summary>
    Normal,
    /// <summary>Standardized Student-t on the EWMA/GARCH h-day volatility forecast.</summary>
    StudentT,
    /// <summary>Peaks over threshold: a generalized Pareto tail fitted by maximum likelihood.</summary>
    Evt,
}

public static class RiskMethodNames
{
    public static string ToName(this RiskMethod method) => method switch
    {
        RiskMethod.Historical => "hs",
        RiskMethod.FilteredHistorical => "fhs",
        RiskMethod.Normal => "normal",
        RiskMethod.StudentT => "t",
        RiskMethod.Evt => "evt",
        _ => throw new ArgumentOutOfRangeException(nameof(method)),
    };

    public static RiskMethod Parse(string name) => name.ToLowerInvariant() switch
    {
        "hs" => RiskMethod.Historical,
        "fhs" => RiskMethod.FilteredHistorical,
        "normal" => RiskMethod.Normal,
        "t" => RiskMethod.StudentT,
        "evt" => RiskMethod.Evt,
        _ => throw new ArgumentException($"unknown risk method '{name}': expected hs, fhs, normal, t or evt", nameof(name)),
    };
}
