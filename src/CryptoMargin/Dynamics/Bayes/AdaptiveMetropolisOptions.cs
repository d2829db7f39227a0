namespace CryptoMargin.Dynamics.Bayes;

/// <summary>Settings of <see cref="AdaptiveMetropolis"/>. Sizes are per chain.</summary>
public sealed record AdaptiveMetropolisOptions
{
    /// <summary>Number of independent chains (≥ 2 for R̂).</summary>
    public int Chains { get; init; } = 4;

    /// <summary>Warmup iterations per chain: the proposal adapts here and these draws are discarded.</summary>
    public int Warmup { get; init; } = 2000;

    /// <summary>Kept iterations per chain, sampled with the proposal frozen at the end of warmup.</summary>
    public int Draws { get; init; } = 2000;

    /// <summary>One seed; each chain gets its own <see cref="Random"/> seeded deterministically from it.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>
    /// Mean acceptance probability the global scale is steered to during warmup: 0.234, the asymptotically
    /// optimal rate of random-walk Metropolis (Roberts, Gelman &amp; Gilks 1997).
    /// </summary>
    public double TargetAcceptance { get; init; } = 0.234;

    /// <summary>Standard deviation of the isotropic proposal used before the first covariance estimate.</summary>
    public double InitialScale { get; init; } = 0.1;

    /// <summary>Chains run in parallel up to this many threads (1 = sequential). Results do not depend on it.</summary>
    public int MaxDegreeOfParallelism { get; init; } = 1;
}
