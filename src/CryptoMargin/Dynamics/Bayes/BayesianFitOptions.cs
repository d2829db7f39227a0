namespace CryptoMargin.Dynamics.Bayes;

/// <summary>Settings of <see cref="BayesianReturnModel.Fit"/>. Sizes are per chain.</summary>
public sealed record BayesianFitOptions
{
    public int Chains { get; init; } = 4;

    /// <summary>Warmup (adaptation) iterations per chain, discarded.</summary>
    public int Warmup { get; init; } = 2000;

    /// <summary>Kept draws per chain.</summary>
    public int Draws { get; init; } = 2000;

    /// <summary>The one seed all randomness (chain starts' jitter, chains) derives from.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>
    /// Where the chains start (jittered per chain), e.g. the maximum-likelihood estimate; null = the posterior
    /// mode found by a short Nelder–Mead search from a moment-based guess.
    /// </summary>
    public ReturnModelParameters? InitialParameters { get; init; }

    /// <summary>The log-likelihood kernel; null = the fast kernel <see cref="ReturnModel.LogLikelihood"/> (same values as <see cref="ReferenceLikelihood.LogLikelihood"/>).</summary>
    public LogLikelihoodFunction? LogLikelihood { get; init; }

    /// <summary>Converged requires every parameter's rank-normalized split-R̂ below this.</summary>
    public double MaxRhat { get; init; } = 1.05;

    /// <summary>Converged requires every parameter's bulk effective sample size at least this.</summary>
    public double MinEss { get; init; } = 100;

    /// <summary>Chains run on up to this many threads (1 = one core). Results do not depend on it.</summary>
    public int MaxDegreeOfParallelism { get; init; } = 1;
}
