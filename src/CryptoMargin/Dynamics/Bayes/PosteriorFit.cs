namespace CryptoMargin.Dynamics.Bayes;

/// <summary>
/// The result of a Bayesian fit of a return model: posterior summaries per parameter, the pooled draws, the
/// sampler's acceptance rate and convergence diagnostics. Parameters are in the units of the input returns.
/// Not a point estimate: <see cref="PosteriorMean"/> is a convenience, the draws are the result.
/// </summary>
public sealed class PosteriorFit
{
    private readonly ReturnModelParameters[] _draws;

    internal PosteriorFit(
        ReturnModelSpec spec,
        IReadOnlyList<string> parameterNames,
        IReadOnlyDictionary<string, PosteriorSummary> parameters,
        ReturnModelParameters[] draws,
        ReturnModelParameters posteriorMean,
        double logLikelihoodAtMean,
        ReturnModelParameters initialParameters,
        IReadOnlyList<double> acceptanceRates,
        int chains, int warmup, int drawsPerChain, int seed,
        string? notConvergedReason)
    {
        Spec = spec;
        ParameterNames = parameterNames;
        Parameters = parameters;
        _draws = draws;
        PosteriorMean = posteriorMean;
        LogLikelihoodAtMean = logLikelihoodAtMean;
        InitialParameters = initialParameters;
        AcceptanceRates = acceptanceRates;
        Chains = chains;
        Warmup = warmup;
        DrawsPerChain = drawsPerChain;
        Seed = seed;
        NotConvergedReason = notConvergedReason;
    }

    public ReturnModelSpec Spec { get; }

    /// <summary>The model's free parameters in order, from <c>mu, omega, alpha, gamma, beta, nu</c>.</summary>
    public IReadOnlyList<string> ParameterNames { get; }

    /// <summary>Summary per parameter name (see <see cref="ParameterNames"/>).</summary>
    public IReadOnlyDictionary<string, PosteriorSummary> Parameters { get; }

    /// <summary>Posterior means of the natural parameters (absent ones as in <see cref="ReturnModelParameters"/>).</summary>
    public ReturnModelParameters PosteriorMean { get; }

    /// <summary>Log-likelihood at <see cref="PosteriorMean"/>.</summary>
    public double LogLikelihoodAtMean { get; }

    /// <summary>The point the chains were started around (before per-chain jitter).</summary>
    public ReturnModelParameters InitialParameters { get; }

    /// <summary>Acceptance rate of each chain over its kept draws.</summary>
    public IReadOnlyList<double> AcceptanceRates { get; }

    /// <summary>Mean acceptance rate over chains (kept draws).</summary>
    public double AcceptanceRate => AcceptanceRates.Average();

    public int Chains { get; }
    public int Warmup { get; }
    public int DrawsPerChain { get; }
    public int Seed { get; }

    /// <summary>Every R̂ below the threshold and every ESS above the floor (<see cref="BayesianFitOptions"/>).</summary>
    public bool Converged => NotConvergedReason is null;

    /// <summary>Why <see cref="Converged"/> is false (which parameters, which diagnostic); null when converged.</summary>
    public string? NotConvergedReason { get; }

    /// <summary>All kept draws pooled, chain after chain (Chains × DrawsPerChain), as natural parameters.</summary>
    public IReadOnlyList<ReturnModelParameters> Draws => _draws;

    /// <summary>The pooled draws of one parameter by name (<c>mu, omega, alpha, gamma, beta, nu</c>), a copy.</summary>
    public double[] DrawsOf(string name)
    {
        if (!ParameterNames.Contains(name)) throw new ArgumentException($"The model has no parameter '{name}'.", nameof(name));
        var result = new double[_draws.Length];
        for (int i = 0; i < result.Length; i++) result[i] = _draws[i][name];
        return result;
    }
}
