using System.Globalization;

namespace CryptoMargin.MarketData;

/// <summary>
/// Checks a <see cref="PriceSeries"/> and reports every problem with its line, field and numbers; changes nothing.
/// <list type="bullet">
/// <item><c>nonFinite</c>: NaN or ±∞. <c>nonPositive</c>: a price ≤ 0 (not checked when the values are returns).</item>
/// <item><c>duplicate</c>: a timestamp already seen on an earlier row. <c>outOfOrder</c>: a timestamp earlier than the
/// latest timestamp before it (so that dropping the flagged rows always leaves a strictly increasing series).</item>
/// <item><c>gap</c>: between two consecutive in-order rows, one or more whole periods missing (spacing / period
/// rounded, minus one); the period is <see cref="ValidationSettings.ExpectedPeriod"/> or the median spacing.</item>
/// <item><c>stale</c>: each row after the first of a run of ≥ <see cref="ValidationSettings.StalePeriods"/> identical values.</item>
/// <item><c>outlier</c>: Hampel filter on the log return into a row (on the value itself for returns): flagged when
/// |r − m| &gt; z · s with m the median and s = 1.4826 · MAD of the centred window of ±w returns (truncated at the
/// ends); a window with MAD = 0 judges nothing. A one-row price spike flags two returns: into and out of it.</item>
/// </list>
/// Stale, gap and outlier checks run on the usable rows only: not duplicate, not out of order, finite, and positive
/// unless the values are returns. Findings are sorted by line (stable within a line).
/// </summary>
public static class PriceValidator
{
    /// <summary>1.4826 · MAD estimates σ for normal data.</summary>
    private const double MadToSigma = 1.4826;

    public static IReadOnlyList<ValidationFinding> Validate(PriceSeries series, ValidationSettings settings)
    {
        ArgumentNullException.ThrowIfNull(series);
        ArgumentNullException.ThrowIfNull(settings);
        settings.Check();

        var findings = new List<ValidationFinding>();
        var field = series.ValueField;
        var values = series.Values;
        var lines = series.Lines;
        var usable = new bool[series.Count];

        for (int i = 0; i < series.Count; i++)
        {
            double v = values[i];
            usable[i] = true;
            if (!double.IsFinite(v))
            {
                findings.Add(new(lines[i], field, FindingKind.NonFinite, $"value {Fmt(v)} is not a finite number"));
                usable[i] = false;
            }
            else if (!settings.ValuesAreReturns && v <= 0)
            {
                findings.Add(new(lines[i], field, FindingKind.NonPositive, $"price {Fmt(v)} is not positive"));
                usable[i] = false;
            }
        }

        var ordered = new List<int>(series.Count);
        if (series.Times is { } times)
        {
            var timeField = series.TimeField ?? "time";
            var seen = new Dictionary<DateTimeOffset, int>();
            int latest = -1;
            for (int i = 0; i < series.Count; i++)
            {
                var t = times[i];
                if (seen.TryGetValue(t, out var first))
                {
                    findings.Add(new(lines[i], timeField, FindingKind.Duplicate,
                        $"timestamp {FmtTime(t)} already on line {lines[first]}"));
                    continue;
                }
                seen.Add(t, i);
                if (latest >= 0 && t < times[latest])
                {
                    findings.Add(new(lines[i], timeField, FindingKind.OutOfOrder,
                        $"timestamp {FmtTime(t)} is earlier than {FmtTime(times[latest])} on line {lines[latest]}"));
                    continue;
                }
                latest = i;
                ordered.Add(i);
            }
            FindGaps(series, ordered, settings, timeField, findings);
        }
        else
        {
            for (int i = 0; i < series.Count; i++) ordered.Add(i);
        }

        var clean = ordered.Where(i => usable[i]).ToList();
        FindStale(series, clean, settings.StalePeriods, findings);
        FindOutliers(series, clean, settings, findings);

        // Stable sort by line: findings on the same line keep the order of the checks.
        return [.. findings.Select((f, k) => (f, k)).OrderBy(p => p.f.Line).ThenBy(p => p.k).Select(p => p.f)];
    }

    private static void FindGaps(PriceSeries series, List<int> ordered, ValidationSettings settings, string timeField,
        List<ValidationFinding> findings)
    {
        if (ordered.Count < 2) return;
        var times = series.Times!;
        TimeSpan period;
        if (settings.ExpectedPeriod is TimeSpan p) period = p;
        else
        {
            var spacings = new long[ordered.Count - 1];
            for (int k = 1; k < ordered.Count; k++) spacings[k - 1] = (times[ordered[k]] - times[ordered[k - 1]]).Ticks;
            period = TimeSpan.FromTicks((long)Median(spacings.Select(s => (double)s).ToArray()));
            if (period <= TimeSpan.Zero) return;
        }
        for (int k = 1; k < ordered.Count; k++)
        {
            var from = times[ordered[k - 1]];
            var to = times[ordered[k]];
            long missing = (long)Math.Round((double)(to - from).Ticks / period.Ticks, MidpointRounding.AwayFromZero) - 1;
            if (missing < 1) continue;
            findings.Add(new(series.Lines[ordered[k]], timeField, FindingKind.Gap,
                $"gap from {FmtTime(from)} to {FmtTime(to)}: {missing} period{(missing == 1 ? "" : "s")} of {FmtPeriod(period)} missing"));
        }
    }

    private static void FindStale(PriceSeries series, List<int> rows, int minRun, List<ValidationFinding> findings)
    {
        int start = 0;
        for (int k = 1; k <= rows.Count; k++)
        {
            if (k < rows.Count && series.Values[rows[k]] == series.Values[rows[start]]) continue;
            int run = k - start;
            if (run >= minRun)
            {
                int firstLine = series.Lines[rows[start]], lastLine = series.Lines[rows[k - 1]];
                for (int j = start + 1; j < k; j++)
                    findings.Add(new(series.Lines[rows[j]], series.ValueField, FindingKind.Stale,
                        $"value {Fmt(series.Values[rows[j]])} unchanged on {run} consecutive rows (lines {firstLine}–{lastLine})"));
            }
            start = k;
        }
    }

    private static void FindOutliers(PriceSeries series, List<int> rows, ValidationSettings settings,
        List<ValidationFinding> findings)
    {
        // x[j] is the tested quantity of row rows[j + offset]: the log return into it, or the value itself.
        int offset = settings.ValuesAreReturns ? 0 : 1;
        int n = rows.Count - offset;
        if (n < 3) return;
        var x = new double[n];
        for (int j = 0; j < n; j++)
            x[j] = settings.ValuesAreReturns
                ? series.Values[rows[j]]
                : Math.Log(series.Values[rows[j + 1]] / series.Values[rows[j]]);

        int w = settings.OutlierWindow;
        var window = new double[2 * w + 1];
        var dev = new double[2 * w + 1];
        for (int j = 0; j < n; j++)
        {
            int lo = Math.Max(0, j - w), hi = Math.Min(n - 1, j + w), len = hi - lo + 1;
            Array.Copy(x, lo, window, 0, len);
            double m = Median(window.AsSpan(0, len));
            for (int k = 0; k < len; k++) dev[k] = Math.Abs(x[lo + k] - m);
            double s = MadToSigma * Median(dev.AsSpan(0, len));
            if (!(s > 0)) continue;
            double z = (x[j] - m) / s;
            if (Math.Abs(z) <= settings.OutlierZ) continue;
            double lower = m - settings.OutlierZ * s, upper = m + settings.OutlierZ * s;
            int row = rows[j + offset];
            string what = settings.ValuesAreReturns ? "value" : "log return";
            string detail = $"{what} {FmtSigned(x[j])} is {Math.Abs(z).ToString("0.0", CultureInfo.InvariantCulture)} robust sd "
                + $"from the median {FmtSigned(m)} of lines {series.Lines[rows[lo + offset]]}–{series.Lines[rows[hi + offset]]} "
                + $"(threshold z = {Fmt(settings.OutlierZ)}, accepted range {FmtSigned(lower)} to {FmtSigned(upper)})";
            findings.Add(new(series.Lines[row], series.ValueField, FindingKind.Outlier, detail)
            {
                LowerBound = lower,
                UpperBound = upper,
                BoundsApplyToValue = settings.ValuesAreReturns,
            });
        }
    }

    internal static double Median(Span<double> values)
    {
        values.Sort();
        int n = values.Length;
        return n % 2 == 1 ? values[n / 2] : 0.5 * (values[n / 2 - 1] + values[n / 2]);
    }

    internal static string Fmt(double v) => v.ToString("G10", CultureInfo.InvariantCulture);

    private static string FmtSigned(double v) => v.ToString("+0.0000;-0.0000;0.0000", CultureInfo.InvariantCulture);

    internal static string FmtTime(DateTimeOffset t) =>
        t.TimeOfDay == TimeSpan.Zero
            ? t.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)
            : t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture);

    private static string FmtPeriod(TimeSpan p)
    {
        if (p.Ticks % TimeSpan.TicksPerDay == 0) return $"{p.Ticks / TimeSpan.TicksPerDay} d";
        if (p.Ticks % TimeSpan.TicksPerHour == 0) return $"{p.Ticks / TimeSpan.TicksPerHour} h";
        if (p.Ticks % TimeSpan.TicksPerMinute == 0) return $"{p.Ticks / TimeSpan.TicksPerMinute} min";
        return $"{p.TotalSeconds.ToString("G10", CultureInfo.InvariantCulture)} s";
    }
}
