namespace CryptoMargin.Dynamics.Bayes;

/// <summary>
/// Posterior summary of one natural parameter, in the units of the input returns: mean, median and the
/// equal-tailed 95% credible interval (2.5% and 97.5% quantiles of the pooled kept draws), the bulk
/// effective sample size and the rank-normalized split-R̂ (Vehtari et al. 2021).
/// </summary>
public readonly record struct PosteriorSummary(double Mean, double Median, double Lower95, double Upper95, double Ess, double Rhat);
