namespace CryptoMargin.Dynamics;

/// <summary>Settings of the maximum-likelihood fit; the defaults suit daily returns in any units.</summary>
public sealed record ReturnModelFitOptions
{
    /// <summary>
    /// The optimizer stops when every component of the gradient of −ℓ/n with respect to the unconstrained
    /// parameters is below this (ℓ per observation, parameters of order one: see docs/methodology.md §2).
    /// </summary>
    public double GradientTolerance { get; init; } = 1e-7;

    /// <summary>Quasi-Newton iterations allowed per start.</summary>
    public int MaxIterations { get; init; } = 300;

    /// <summary>How many of the best-screened starting points the quasi-Newton optimizer is run from (≥ 1).</summary>
    public int OptimizedStarts { get; init; } = 2;

    /// <summary>
    /// Warm start (e.g. yesterday's fit in a rolling re-estimation): when set, the quasi-Newton optimizer runs once
    /// from these parameters instead of screening the default grid of starts; <see cref="OptimizedStarts"/> is then
    /// ignored. Must lie inside the admissible region of the spec (ω &gt; 0, persistence &lt; 1, ν &gt; 2).
    /// </summary>
    public ReturnModelParameters? InitialParameters { get; init; }

    internal void Validate()
    {
        if (!(GradientTolerance > 0)) throw new ArgumentOutOfRangeException(nameof(GradientTolerance), GradientTolerance, "must be positive");
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxIterations, 1, nameof(MaxIterations));
        ArgumentOutOfRangeException.ThrowIfLessThan(OptimizedStarts, 1, nameof(OptimizedStarts));
    }
}
