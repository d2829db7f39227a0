namespace CryptoMargin.Dynamics;

/// <summary>
/// One step of a variance forecast from the end of the fitted sample, in the units of the input returns
/// (per period; not annualized).
/// </summary>
/// <param name="Horizon">k ≥ 1: the forecast is for period n + k.</param>
/// <param name="Variance">E[h_{n+k}] given data to n.</param>
/// <param name="Volatility">√Variance: the per-period volatility at step k.</param>
/// <param name="CumulativeVariance">Σ_{j=1..k} E[h_{n+j}]: the variance of the k-period return.</param>
/// <param name="CumulativeVolatility">√CumulativeVariance: the volatility over a k-period margin period of risk.</param>
public readonly record struct VolatilityForecastStep(
    int Horizon,
    double Variance,
    double Volatility,
    double CumulativeVariance,
    double CumulativeVolatility);
