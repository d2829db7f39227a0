namespace CryptoMargin.Dynamics;

/// <summary>
/// A maximum-likelihood fit of a return model: estimates in the units of the input returns (no rescaling),
/// their standard errors, the likelihood, how the optimizer ended, and the volatility it implies.
/// Not a guarantee of a good model: read <see cref="Converged"/> and <see cref="Warnings"/>.
/// </summary>
public sealed record ReturnModelFit
{
    public required ReturnModelSpec Spec { get; init; }

    /// <summary>Number of returns fitted.</summary>
    public required int N { get; init; }

    /// <summary>All natural parameters (absent ones 0, ν = +∞ for Normal); ω is the implied one under variance targeting.</summary>
    public required ReturnModelParameters Parameters { get; init; }

    /// <summary>
    /// The model's parameters in the order mu, omega, alpha, gamma, beta, nu, lambda, only those the model has
    /// (no mu for a zero mean, no omega/alpha/gamma/beta for EWMA, no gamma for GARCH, no nu for Normal,
    /// no lambda for GARCH/GJR). A fixed λ and a variance-targeted ω are listed (they are parameters of the
    /// model) but are not counted in <see cref="NumberOfParameters"/>.
    /// </summary>
    public required IReadOnlyDictionary<string, double> NamedParameters { get; init; }

    /// <summary>
    /// Standard errors from the inverse of the observed information −∇²ℓ in natural parameters, for each
    /// estimated parameter (same names and order as <see cref="NamedParameters"/>; a fixed λ has none; a
    /// variance-targeted ω gets a delta-method SE treating the sample second moment as known).
    /// NaN where it cannot be computed (parameter at a boundary, information not positive definite).
    /// </summary>
    public required IReadOnlyDictionary<string, double> StandardErrors { get; init; }

    /// <summary>Bollerslev–Wooldridge (1992) sandwich SEs, H⁻¹(Σ s_t s_tᵀ)H⁻¹: valid when the innovation distribution is wrong.</summary>
    public required IReadOnlyDictionary<string, double> RobustStandardErrors { get; init; }

    /// <summary>Exact log-likelihood ℓ at the estimates (all constants included).</summary>
    public required double LogLikelihood { get; init; }

    /// <summary>Number of estimated parameters k.</summary>
    public required int NumberOfParameters { get; init; }

    /// <summary>2k − 2ℓ.</summary>
    public double Aic => 2 * NumberOfParameters - 2 * LogLikelihood;

    /// <summary>k ln n − 2ℓ.</summary>
    public double Bic => NumberOfParameters * Math.Log(N) - 2 * LogLikelihood;

    /// <summary>
    /// True only when the optimizer reached the gradient tolerance (or could not improve further with the
    /// gradient already small), ℓ is finite and the information matrix is positive definite.
    /// </summary>
    public required bool Converged { get; init; }

    /// <summary>Quasi-Newton iterations of the run that gave the estimates.</summary>
    public required int Iterations { get; init; }

    /// <summary>Likelihood evaluations spent by the screening and all optimizer runs (value and gradient).</summary>
    public int Evaluations { get; init; }

    /// <summary>Why the optimizer stopped and, when not converged, why the fit is not trusted.</summary>
    public required string ExitCondition { get; init; }

    /// <summary>Largest |∂(−ℓ/n)/∂θ| in the unconstrained parameters at the estimates.</summary>
    public required double GradientNorm { get; init; }

    /// <summary>α + β (GARCH), α + γ/2 + β (GJR), 1 (EWMA).</summary>
    public double Persistence => Parameters.Persistence(Spec.Volatility);

    /// <summary>
    /// ω / (1 − persistence); NaN for EWMA, which has none, and when the persistence is within 1e-5 of 1
    /// (integrated: the ratio is then numerically meaningless; the fit carries a warning).
    /// </summary>
    public double UnconditionalVariance => Spec.Volatility == VolatilityModel.Ewma || !(1 - Persistence >= ReturnModel.BoundaryEdge)
        ? double.NaN
        : Parameters.Omega / (1 - Persistence);

    public double UnconditionalVolatility => Math.Sqrt(UnconditionalVariance);

    /// <summary>Unconditional volatility × √365 (crypto trades every day); NaN for EWMA.</summary>
    public double AnnualizedVolatility => UnconditionalVolatility * Math.Sqrt(365.0);

    /// <summary>h_n, the conditional variance of the last return fitted.</summary>
    public required double LastVariance { get; init; }

    /// <summary>h_{n+1}, the one-step-ahead conditional variance.</summary>
    public required double NextVariance { get; init; }

    /// <summary>Things the user should know: badly scaled data, parameters at a boundary, SEs not available, …</summary>
    public required IReadOnlyList<string> Warnings { get; init; }

    /// <summary>
    /// Variance forecasts for horizons 1 … <paramref name="maxHorizon"/>. GARCH/GJR:
    /// E[h_{n+k}] = σ² + p^{k−1}(h_{n+1} − σ²) with σ² the unconditional variance and p the persistence
    /// (GJR: α + γ/2 + β, i.e. symmetric innovations), computed as E[h_{n+k+1}] = ω + p·E[h_{n+k}], which is the
    /// same and stays exact as p → 1. EWMA: flat at h_{n+1}.
    /// </summary>
    public IReadOnlyList<VolatilityForecastStep> Forecast(int maxHorizon)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxHorizon);
        var steps = new VolatilityForecastStep[maxHorizon];
        bool flat = Spec.Volatility == VolatilityModel.Ewma;
        double omega = Parameters.Omega, p = Persistence, v = NextVariance, cumulative = 0;
        for (int k = 1; k <= maxHorizon; k++)
        {
            cumulative += v;
            steps[k - 1] = new VolatilityForecastStep(k, v, Math.Sqrt(v), cumulative, Math.Sqrt(cumulative));
            if (!flat) v = omega + p * v;
        }
        return steps;
    }
}
