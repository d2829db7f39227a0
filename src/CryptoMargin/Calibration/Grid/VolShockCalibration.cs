namespace CryptoMargin.Calibration.Grid;

/// <summary>
/// The empirical vol-shock quantiles at one grid point: <see cref="Up"/> = Q(c) and <see cref="Down"/> = Q(1 − c) of the
/// relative vol changes over the horizon (Down is negative: a fall of 0.3 = −30 %); NaN when fewer than ⌈1/(1 − c)⌉
/// changes were observed.
/// </summary>
public readonly record struct TenorShockQuantile(double Days, double Moneyness, int Observations, double Up, double Down);

/// <summary>The k·(30/DTE)^p fits of one moneyness point: up on Q(c), down on |Q(1 − c)|; null with the reason when not fittable.</summary>
public sealed record MoneynessShockFit(double Moneyness, TermShockFitResult? Up, TermShockFitResult? Down, string? Problem);

/// <summary>
/// Vol shocks of one underlying over one horizon, calibrated from its snapshot history: the quantiles per tenor and
/// moneyness, and the term-law fits per moneyness (<see cref="Atm"/> drives the grid).
/// </summary>
public sealed record VolShockCalibration(
    string Underlying,
    int HorizonDays,
    double Confidence,
    int Snapshots,
    int Pairs,
    int MissingPartners,
    IReadOnlyList<TenorShockQuantile> Quantiles,
    IReadOnlyList<MoneynessShockFit> Fits)
{
    /// <summary>The fit at z = 0.</summary>
    public MoneynessShockFit Atm => Fits.First(f => f.Moneyness == 0);

    /// <summary>
    /// Calibrates from <paramref name="history"/> (one underlying, one snapshot per UTC date; see <see cref="VolChanges.From"/>).
    /// </summary>
    public static VolShockCalibration From(IReadOnlyList<TenorVols> history, int horizonDays, double confidence)
    {
        if (!(confidence > 0.5 && confidence < 1)) throw new ArgumentOutOfRangeException(nameof(confidence), confidence, "confidence must lie in (0.5, 1)");
        var changes = VolChanges.From(history, horizonDays);
        int minimum = (int)Math.Ceiling(1 / (1 - confidence) - 1e-9);
        var quantiles = new List<TenorShockQuantile>();
        var fits = new List<MoneynessShockFit>();
        for (int j = 0; j < changes.Moneyness.Count; j++)
        {
            var days = new List<double>();
            var ups = new List<double>();
            var downs = new List<double>();
            for (int i = 0; i < changes.TenorDays.Count; i++)
            {
                var sample = changes.At(i, j);
                double up = double.NaN, down = double.NaN;
                if (sample.Length >= minimum)
                {
                    var sorted = sample.ToArray();
                    Array.Sort(sorted);
                    up = EmpiricalQuantile.OfSorted(sorted, confidence);
                    down = EmpiricalQuantile.OfSorted(sorted, 1 - confidence);
                }
                quantiles.Add(new TenorShockQuantile(changes.TenorDays[i], changes.Moneyness[j], sample.Length, up, down));
                if (up > 0 && down < 0)
                {
                    days.Add(changes.TenorDays[i]);
                    ups.Add(up);
                    downs.Add(-down);
                }
            }
            try
            {
                fits.Add(new MoneynessShockFit(changes.Moneyness[j],
                    TermShockFit.Fit([.. days], [.. ups]), TermShockFit.Fit([.. days], [.. downs]), null));
            }
            catch (ArgumentException e)
            {
                fits.Add(new MoneynessShockFit(changes.Moneyness[j], null, null, e.Message));
            }
        }
        return new VolShockCalibration(changes.Underlying, horizonDays, confidence, history.Count, changes.Pairs,
            changes.MissingPartners, quantiles, fits);
    }
}
