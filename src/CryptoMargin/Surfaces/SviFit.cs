namespace CryptoMargin.Surfaces;

/// <summary>
/// A calibrated SVI slice. <see cref="Rmse"/> and <see cref="MaxAbsError"/> are in implied vol (decimals: 0.01 = one
/// vol point) over the quotes with positive weight, RMSE weighted by the quote weights. <see cref="Objective"/> is
/// the minimised weighted SSE of the vega-scaled variance residuals (see <see cref="SviCalibration"/>).
/// <see cref="Iterations"/> counts Nelder–Mead iterations over all starts, <see cref="Evaluations"/> the inner
/// quasi-explicit solves.
/// </summary>
public sealed record SviFit(
    SviParameters Parameters,
    double Expiry,
    double Rmse,
    double MaxAbsError,
    double Objective,
    bool Converged,
    int Iterations,
    int Evaluations)
{
    /// <summary>Fitted implied vol at log-moneyness k.</summary>
    public double ImpliedVolatility(double k) => Parameters.ImpliedVolatility(k, Expiry);
}
