namespace CryptoMargin.Risk;

/// <summary>
/// A peaks-over-threshold estimate: the risk figures and the fitted generalized Pareto tail behind them.
/// Threshold rule: u is the empirical loss quantile at <see cref="ThresholdQuantile"/> (the
/// (N_u + 1)-th largest loss, N_u = ⌊n(1 − q)⌋), and <see cref="ExceedancesUsed"/> = N_u losses above it.
/// </summary>
/// <param name="Risk">VaR and ES (ES is +∞ when ξ ≥ 1: the tail has no finite mean).</param>
/// <param name="Xi">GPD shape ξ (tail index; &gt; 0 heavy tail, 0 exponential, &lt; 0 bounded).</param>
/// <param name="Beta">GPD scale β &gt; 0, in loss units (fraction of position value).</param>
public readonly record struct EvtEstimate(RiskEstimate Risk, double ThresholdQuantile, double Threshold, int ExceedancesUsed, double Xi, double Beta);
