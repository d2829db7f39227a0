using System.Globalization;

namespace CryptoMargin.MarketData;

/// <summary>
/// Applies a <see cref="CleaningPolicy"/> to a series using the findings <see cref="PriceValidator"/> reported for
/// that same series (matched by line). Error findings (unparsable, nonFinite, nonPositive) are never cleaned:
/// <see cref="Clean"/> throws <see cref="DataValidationException"/> on the first one, whatever the policy.
/// </summary>
public static class PriceCleaner
{
    public static CleaningResult Clean(PriceSeries series, IReadOnlyList<ValidationFinding> findings, CleaningPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(series);
        ArgumentNullException.ThrowIfNull(findings);

        var error = findings.Where(f => f.Kind.IsError()).OrderBy(f => f.Line).FirstOrDefault();
        if (error is not null)
            throw new DataValidationException(error.Detail, line: error.Line, field: error.Field);

        if (policy == CleaningPolicy.Keep)
            return new CleaningResult(series, policy, 0, 0, []);

        var index = new Dictionary<int, int>(series.Count);
        for (int i = 0; i < series.Count; i++) index[series.Lines[i]] = i;

        var drop = new Dictionary<int, FindingKind>();
        var outliers = new Dictionary<int, ValidationFinding>();
        foreach (var f in findings)
        {
            if (!index.TryGetValue(f.Line, out int i))
                throw new ArgumentException($"finding on line {f.Line} matches no row of the series", nameof(findings));
            bool dropIt = f.Kind switch
            {
                FindingKind.Duplicate or FindingKind.OutOfOrder => true,
                FindingKind.Stale or FindingKind.Outlier => policy == CleaningPolicy.Drop,
                _ => false,
            };
            if (dropIt) drop.TryAdd(i, f.Kind);
            if (f.Kind == FindingKind.Outlier && policy == CleaningPolicy.Winsorize) outliers[i] = f;
        }

        var actions = new List<CleaningAction>();
        var kept = new List<int>(series.Count);
        for (int i = 0; i < series.Count; i++)
        {
            if (drop.TryGetValue(i, out var kind))
                actions.Add(new(series.Lines[i], kind, $"dropped ({kind.ToName()})"));
            else
                kept.Add(i);
        }

        if (policy == CleaningPolicy.Drop || outliers.Count == 0)
            return new CleaningResult(series.Select(kept), policy, drop.Count, 0, actions);

        // Prices: multiply every later price by the factor each clip removed, so the path up to the first clipped row
        // is unchanged bit for bit and each clipped return r becomes r'. Returns: clip the value itself.
        var values = new double[kept.Count];
        double factor = 1.0;
        int winsorized = 0;
        for (int k = 0; k < kept.Count; k++)
        {
            int i = kept[k];
            double v = series.Values[i];
            if (!outliers.TryGetValue(i, out var f))
            {
                values[k] = v * factor;
                continue;
            }
            double lo = f.LowerBound ?? double.NegativeInfinity, hi = f.UpperBound ?? double.PositiveInfinity;
            if (f.BoundsApplyToValue)
            {
                values[k] = Math.Clamp(v, lo, hi);
                actions.Add(new(series.Lines[i], FindingKind.Outlier, $"winsorized: value {F(v)} clipped to {F(values[k])}"));
            }
            else if (k == 0)
            {
                values[k] = v * factor;
                continue;
            }
            else
            {
                double prev = series.Values[kept[k - 1]];
                double r = Math.Log(v / prev);
                double clipped = Math.Clamp(r, lo, hi);
                factor *= Math.Exp(clipped - r);
                values[k] = v * factor;
                actions.Add(new(series.Lines[i], FindingKind.Outlier,
                    $"winsorized: log return {F(r)} clipped to {F(clipped)}; price {F(v)} became {F(values[k])}, later prices scaled by {F(factor)}"));
            }
            winsorized++;
        }
        return new CleaningResult(series.Select(kept, values), policy, drop.Count, winsorized, actions);
    }

    private static string F(double v) => v.ToString("G10", CultureInfo.InvariantCulture);
}
