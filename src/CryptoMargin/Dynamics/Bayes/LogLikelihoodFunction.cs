namespace CryptoMargin.Dynamics.Bayes;

/// <summary>
/// The log-likelihood of returns under a return model at given natural parameters; −∞ where undefined.
/// <see cref="ReferenceLikelihood.LogLikelihood"/> has this shape; a faster kernel can be swapped in through
/// <see cref="BayesianFitOptions.LogLikelihood"/>. Must be thread-safe when chains run in parallel.
/// </summary>
public delegate double LogLikelihoodFunction(ReadOnlySpan<double> returns, ReturnModelSpec spec, in ReturnModelParameters parameters);
