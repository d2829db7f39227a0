namespace CryptoMargin.Surfaces;

/// <summary>
/// A calibrated eSSVI surface: per expiry (years, ascending) its slice (θ, ρ, ψ), fit errors in implied vol (decimals)
/// per slice and overall (weighted RMSE over quotes with positive weight; max abs error), the minimised weighted SSE in
/// vol summed over slices, whether every slice's optimiser converged, and the total iteration count.
/// </summary>
public sealed record EssviFit(
    double[] Expiries,
    EssviSlice[] Slices,
    double[] SliceRmse,
    double[] SliceMaxAbsError,
    double Rmse,
    double MaxAbsError,
    double Objective,
    bool Converged,
    int Iterations)
{
    /// <summary>The slices for <see cref="SurfaceArbitrage.Check(IReadOnlyList{SmileSlice}, double?, double?, int, double, double)"/>.</summary>
    public SmileSlice[] SmileSlices()
    {
        var s = new SmileSlice[Expiries.Length];
        for (int i = 0; i < s.Length; i++) s[i] = new SmileSlice(Expiries[i], Slices[i]);
        return s;
    }
}
