namespace CryptoMargin.Dynamics;

/// <summary>The conditional-variance recursion.</summary>
public enum VolatilityModel
{
    /// <summary>RiskMetrics EWMA: h_t = λ h_{t-1} + (1-λ) ε²_{t-1}.</summary>
    Ewma,
    /// <summary>GARCH(1,1): h_t = ω + α ε²_{t-1} + β h_{t-1}.</summary>
    Garch,
    /// <summary>GJR-GARCH(1,1): h_t = ω + (α + γ·1[ε_{t-1}&lt;0]) ε²_{t-1} + β h_{t-1}.</summary>
    Gjr,
}

/// <summary>Distribution of the standardized innovation z_t = ε_t / √h_t.</summary>
public enum InnovationDistribution
{
    Normal,
    /// <summary>Student-t scaled to unit variance, ν &gt; 2 degrees of freedom.</summary>
    StudentT,
}

/// <summary>Conditional mean: ε_t = r_t − μ (constant) or ε_t = r_t (zero).</summary>
public enum MeanModel
{
    Constant,
    Zero,
}

/// <summary>How the variance recursion starts (h₁, the variance of the first observation).</summary>
public enum VarianceStart
{
    /// <summary>h₁ = mean(ε²) over the sample, at the current μ (this project's default).</summary>
    SampleVariance,
    /// <summary>fGarch's default: h₁ = ω + (α + γ/2 + β)·mean(ε²); for comparing with that peer.</summary>
    FGarch,
}

/// <summary>
/// A return model = mean × volatility × distribution (the composition of Python's <c>arch</c>).
/// Parameters and volatilities are always in the units of the input returns (no rescaling).
/// </summary>
public sealed record ReturnModelSpec(
    VolatilityModel Volatility = VolatilityModel.Garch,
    InnovationDistribution Distribution = InnovationDistribution.Normal,
    MeanModel Mean = MeanModel.Constant)
{
    /// <summary>EWMA only: λ held fixed (e.g. RiskMetrics' 0.94); null = fit λ by maximum likelihood.</summary>
    public double? FixedLambda { get; init; }

    /// <summary>GARCH/GJR only: ω = sample variance × (1 − persistence), so ω is not a free parameter.</summary>
    public bool VarianceTargeting { get; init; }

    public VarianceStart Start { get; init; } = VarianceStart.SampleVariance;
}
