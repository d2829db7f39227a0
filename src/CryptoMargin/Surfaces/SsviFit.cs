namespace CryptoMargin.Surfaces;

/// <summary>
/// A calibrated SSVI surface: parameters, the expiries (years, ascending) and the ATM total variances θ_t used
/// (market ATM variances made non-decreasing), fit errors in implied vol (decimals) per slice and overall (weighted
/// RMSE over quotes with positive weight; max abs error), the minimised weighted SSE in vol, and the optimiser's
/// convergence and iteration count.
/// </summary>
public sealed record SsviFit(
    SsviParameters Parameters,
    double[] Expiries,
    double[] AtmTotalVariances,
    double[] SliceRmse,
    double[] SliceMaxAbsError,
    double Rmse,
    double MaxAbsError,
    double Objective,
    bool Converged,
    int Iterations)
{
    /// <summary>Total variance at log-moneyness k on expiry index <paramref name="slice"/>.</summary>
    public double TotalVariance(double k, int slice) => Parameters.TotalVariance(k, AtmTotalVariances[slice]);

    /// <summary>The surface's slices as raw SVI, for <see cref="SurfaceArbitrage"/>.</summary>
    public SurfaceSlice[] Slices()
    {
        var s = new SurfaceSlice[Expiries.Length];
        for (int i = 0; i < s.Length; i++) s[i] = new SurfaceSlice(Expiries[i], Parameters.ToSvi(AtmTotalVariances[i]));
        return s;
    }
}
