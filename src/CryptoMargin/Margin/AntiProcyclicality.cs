namespace CryptoMargin.Margin;

/// <summary>
/// Anti-procyclicality (APC) treatment of a raw margin-rate series, EMIR RTS 153/2013 Art. 28. The options combine and
/// are applied in this order each day t:
/// <list type="number">
/// <item>stress weight (Art. 28(1)(b)): b_t = max(raw_t, (1 − w)·raw_t + w·stressed_t);</item>
/// <item>buffer (Art. 28(1)(a)): in normal times m_t = b_t·(1 + buffer); on a stress day the buffer is released:
/// m_t = clamp(m_{t−1}, b_t, b_t·(1 + buffer)), so a rising requirement is absorbed by the buffer first and the margin
/// only rises once the buffer is used up. A stress day is one where b_t is above the <see cref="StressQuantile"/>
/// quantile of b over the previous <see cref="StressLookbackDays"/> days (at least 20 of them; fewer = normal);</item>
/// <item>floor (Art. 28(1)(c)): m_t = max(m_t, floor_t), floor = the same measure over a 10-year/full-history lookback;</item>
/// <item>speed limit: m_t = min(m_t, m_{t−1}·(1 + <see cref="MaxDailyIncrease"/>)). It is applied last, so it can hold
/// the margin below raw (and below the floor); the backtest shows what that costs in coverage.</item>
/// </list>
/// Not a risk measure itself; rates are fractions of position value. Options that are null (or false) are off.
/// </summary>
public sealed record AntiProcyclicality
{
    /// <summary>No treatment: margin = raw.</summary>
    public static readonly AntiProcyclicality None = new();

    /// <summary>Margin buffer as a fraction of the raw margin (≥ 0.25 when on: EMIR's minimum), released in stress.</summary>
    public double? Buffer { get; init; }

    /// <summary>Weight on the stressed margin, in [0.25, 1] when on.</summary>
    public double? StressWeight { get; init; }

    /// <summary>Margin never below the caller's floor series (long-lookback margin).</summary>
    public bool Floor { get; init; }

    /// <summary>Largest relative rise of the margin from one day to the next (0.10 = +10%/day); &gt; 0 when on.</summary>
    public double? MaxDailyIncrease { get; init; }

    /// <summary>Trailing window, in days, that defines "stress" for the buffer release (default 365).</summary>
    public int StressLookbackDays { get; init; } = 365;

    /// <summary>Quantile of the trailing window that b_t must exceed to be a stress day (default 0.95).</summary>
    public double StressQuantile { get; init; } = 0.95;

    /// <summary>
    /// Length of the stress period behind the stress weight (default 365 days: a 12-month stress period, as for Basel's
    /// stressed VaR): the stressed margin is the highest average raw margin over any such period seen so far
    /// (<see cref="StressedMargin"/>).
    /// </summary>
    public int StressPeriodDays { get; init; } = 365;

    /// <summary>
    /// The stressed margin each day when the caller has none of its own: stressed_t = max over s ≤ t of the mean of
    /// raw over the <paramref name="periodDays"/> days ending at s (over days 0 … s while fewer have passed). That is
    /// the margin the model required on average through the most stressed period observed up to t: the level of its
    /// "stressed observations" (EMIR RTS 153/2013 Art. 28(1)(b)), not the one-day peak of a spike. No look-ahead:
    /// stressed_t reads raw_0 … raw_t only.
    /// </summary>
    public static void StressedMargin(ReadOnlySpan<double> raw, int periodDays, Span<double> stressed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(periodDays, 1);
        if (stressed.Length != raw.Length) throw new ArgumentException("stressed must have the length of raw", nameof(stressed));
        double sum = 0, max = double.NegativeInfinity;
        for (int t = 0; t < raw.Length; t++)
        {
            sum += raw[t];
            if (t >= periodDays) sum -= raw[t - periodDays];
            // Re-sum every period to keep rounding from drifting over thousands of days.
            if (t % periodDays == 0 && t >= periodDays)
            {
                sum = 0;
                for (int j = t - periodDays + 1; j <= t; j++) sum += raw[j];
            }
            max = Math.Max(max, sum / Math.Min(t + 1, periodDays));
            stressed[t] = max;
        }
    }

    /// <summary>Minimum trailing observations before any day can count as stress.</summary>
    public const int MinimumStressHistory = 20;

    /// <summary>Short name for tables: "none", "buffer", "stress+floor", …</summary>
    public string Label
    {
        get
        {
            var parts = new List<string>();
            if (Buffer is not null) parts.Add("buffer");
            if (StressWeight is not null) parts.Add("stress");
            if (Floor) parts.Add("floor");
            if (MaxDailyIncrease is not null) parts.Add("cap");
            return parts.Count == 0 ? "none" : string.Join('+', parts);
        }
    }

    /// <summary>Throws <see cref="ArgumentException"/> naming the first setting that is out of range.</summary>
    public void Validate()
    {
        if (Buffer is double b && !(b >= 0.25 && b <= 10))
            throw new ArgumentException($"buffer {b} is outside [0.25, 10] (EMIR Art. 28(1)(a): at least 25%)", nameof(Buffer));
        if (StressWeight is double w && !(w >= 0.25 && w <= 1))
            throw new ArgumentException($"stress weight {w} is outside [0.25, 1] (EMIR Art. 28(1)(b): at least 25%)", nameof(StressWeight));
        if (MaxDailyIncrease is double c && !(c > 0 && double.IsFinite(c)))
            throw new ArgumentException($"max daily increase {c} must be > 0", nameof(MaxDailyIncrease));
        if (StressLookbackDays < MinimumStressHistory)
            throw new ArgumentException($"stress lookback {StressLookbackDays} must be ≥ {MinimumStressHistory} days", nameof(StressLookbackDays));
        if (!(StressQuantile > 0 && StressQuantile <= 1))
            throw new ArgumentException($"stress quantile {StressQuantile} is outside (0, 1]", nameof(StressQuantile));
        if (StressPeriodDays < 1)
            throw new ArgumentException($"stress period {StressPeriodDays} must be ≥ 1 day", nameof(StressPeriodDays));
    }

    /// <summary>
    /// Applies the treatment. <paramref name="margin"/>[t] depends on inputs at indices ≤ t only. <paramref name="stressed"/>
    /// is needed when <see cref="StressWeight"/> is on and <paramref name="floor"/> when <see cref="Floor"/> is on (else
    /// they may be empty); all non-empty spans have the length of <paramref name="raw"/>. Inputs must be finite and ≥ 0.
    /// </summary>
    public void Apply(ReadOnlySpan<double> raw, ReadOnlySpan<double> stressed, ReadOnlySpan<double> floor, Span<double> margin)
    {
        Validate();
        int n = raw.Length;
        if (margin.Length != n) throw new ArgumentException("margin must have the length of raw", nameof(margin));
        if (StressWeight is not null && stressed.Length != n)
            throw new ArgumentException("the stress weight needs a stressed series of the length of raw", nameof(stressed));
        if (Floor && floor.Length != n)
            throw new ArgumentException("the floor needs a floor series of the length of raw", nameof(floor));

        // The previous StressLookbackDays values of b, kept sorted as the window slides (O(L) per day, no re-sort).
        var window = Buffer is null ? [] : new double[StressLookbackDays];
        int windowCount = 0;
        var based = Buffer is null ? [] : new double[n];
        for (int t = 0; t < n; t++)
        {
            CheckInput(raw[t], t, nameof(raw));
            double b = raw[t];
            if (StressWeight is double w)
            {
                CheckInput(stressed[t], t, nameof(stressed));
                b = Math.Max(b, (1 - w) * b + w * stressed[t]);
            }

            double m = b;
            if (Buffer is double buffer)
            {
                based[t] = b;
                if (t > 0)
                {
                    if (t - 1 - StressLookbackDays >= 0) Remove(window, ref windowCount, based[t - 1 - StressLookbackDays]);
                    Insert(window, ref windowCount, based[t - 1]);
                }
                bool stress = IsStress(b, window.AsSpan(0, windowCount));
                m = stress ? Math.Clamp(margin[t - 1], b, b * (1 + buffer)) : b * (1 + buffer);
            }

            if (Floor)
            {
                CheckInput(floor[t], t, nameof(floor));
                m = Math.Max(m, floor[t]);
            }

            if (MaxDailyIncrease is double cap && t > 0)
                m = Math.Min(m, margin[t - 1] * (1 + cap));
            margin[t] = m;
        }
    }

    /// <summary>b_t above the trailing quantile of the sorted window (type-7 interpolation); too short a window is normal.</summary>
    private bool IsStress(double b, ReadOnlySpan<double> sorted)
    {
        int count = sorted.Length;
        if (count < MinimumStressHistory) return false;
        double h = (count - 1) * StressQuantile;
        int lo = (int)Math.Floor(h);
        double q = lo + 1 < count ? sorted[lo] + (h - lo) * (sorted[lo + 1] - sorted[lo]) : sorted[lo];
        return b > q;
    }

    private static void Insert(double[] sorted, ref int count, double value)
    {
        int i = Array.BinarySearch(sorted, 0, count, value);
        if (i < 0) i = ~i;
        Array.Copy(sorted, i, sorted, i + 1, count - i);
        sorted[i] = value;
        count++;
    }

    private static void Remove(double[] sorted, ref int count, double value)
    {
        int i = Array.BinarySearch(sorted, 0, count, value);
        Array.Copy(sorted, i + 1, sorted, i, count - i - 1);
        count--;
    }

    private static void CheckInput(double value, int t, string name)
    {
        if (!(value >= 0) || double.IsInfinity(value))
            throw new ArgumentException($"{name}[{t}] = {value} is not a finite non-negative rate", name);
    }
}
