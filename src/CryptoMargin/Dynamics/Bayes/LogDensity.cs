namespace CryptoMargin.Dynamics.Bayes;

/// <summary>
/// An unnormalized log-density on an unconstrained vector θ ∈ ℝᵈ. Return <see cref="double.NegativeInfinity"/>
/// (or NaN, treated the same) where the density is zero. Must be thread-safe when chains run in parallel.
/// </summary>
public delegate double LogDensity(ReadOnlySpan<double> theta);
