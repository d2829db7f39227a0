namespace CryptoMargin.Calibration.Grid;

/// <summary>
/// Relative implied-vol changes over a horizon of h calendar days, per grid point: σ(t + h)/σ(t) − 1 for every
/// snapshot pair whose UTC dates are exactly h days apart (a snapshot's partner missing from the history — a gap — is
/// counted in <see cref="MissingPartners"/>, never bridged). <see cref="Changes"/>[i·Moneyness.Count + j] holds the
/// changes at tenor i and moneyness j, oldest first, skipping pairs where either vol is NaN.
/// </summary>
public sealed record VolChanges(
    string Underlying,
    int HorizonDays,
    IReadOnlyList<double> TenorDays,
    IReadOnlyList<double> Moneyness,
    int Pairs,
    int MissingPartners,
    IReadOnlyList<double[]> Changes)
{
    public double[] At(int tenor, int moneyness) => Changes[tenor * Moneyness.Count + moneyness];

    /// <summary>The changes over <paramref name="horizonDays"/> from one underlying's history (any order; one snapshot per UTC date).</summary>
    /// <exception cref="ArgumentException">mixed underlyings or grids, or two snapshots on one date.</exception>
    public static VolChanges From(IReadOnlyList<TenorVols> history, int horizonDays)
    {
        ArgumentNullException.ThrowIfNull(history);
        ArgumentOutOfRangeException.ThrowIfLessThan(horizonDays, 1);
        if (history.Count == 0) throw new ArgumentException("the history is empty", nameof(history));
        var first = history[0];
        var byDate = new SortedDictionary<DateOnly, TenorVols>();
        foreach (var s in history)
        {
            if (s.Underlying != first.Underlying) throw new ArgumentException($"mixed underlyings {first.Underlying} and {s.Underlying}", nameof(history));
            if (!s.TenorDays.SequenceEqual(first.TenorDays) || !s.Moneyness.SequenceEqual(first.Moneyness))
                throw new ArgumentException($"snapshot {s.Time:O} is sampled on another grid", nameof(history));
            var date = DateOnly.FromDateTime(s.Time.UtcDateTime);
            if (!byDate.TryAdd(date, s)) throw new ArgumentException($"two {s.Underlying} snapshots on {date:yyyy-MM-dd}", nameof(history));
        }
        int cells = first.Vols.Length;
        var lists = new List<double>[cells];
        for (int c = 0; c < cells; c++) lists[c] = [];
        int pairs = 0, missing = 0;
        var last = byDate.Keys.Last();
        foreach (var (date, s) in byDate)
        {
            var partnerDate = date.AddDays(horizonDays);
            if (partnerDate > last) break;
            if (!byDate.TryGetValue(partnerDate, out var next)) { missing++; continue; }
            pairs++;
            for (int c = 0; c < cells; c++)
            {
                double a = s.Vols[c], b = next.Vols[c];
                if (a > 0 && b > 0 && double.IsFinite(a) && double.IsFinite(b)) lists[c].Add(b / a - 1);
            }
        }
        return new VolChanges(first.Underlying, horizonDays, first.TenorDays, first.Moneyness, pairs, missing,
            [.. lists.Select(l => l.ToArray())]);
    }
}
