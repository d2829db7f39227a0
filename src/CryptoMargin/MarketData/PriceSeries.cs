using System.Collections.ObjectModel;

namespace CryptoMargin.MarketData;

/// <summary>
/// One column of a price (or return) history as it was read: values in file order, their UTC timestamps and the
/// 1-based physical source line of each row (the header being line 1). Not validated: values may be NaN, ±∞ or
/// ≤ 0 and times may repeat or go backwards; <see cref="PriceValidator"/> reports that, <see cref="PriceCleaner"/>
/// applies a cleaning policy. Immutable: the constructor copies its inputs; <see cref="Values"/> and
/// <see cref="Lines"/> are handed out without copying (for speed), callers must not write to them.
/// </summary>
public sealed class PriceSeries
{
    private readonly DateTimeOffset[]? _times;

    /// <param name="times">UTC timestamps (converted to UTC if not), or null when the input has no time column.</param>
    /// <param name="values">Prices (or returns, when the caller says so) in the input's units.</param>
    /// <param name="lines">1-based physical source line of each row (header = line 1).</param>
    /// <param name="valueField">Name of the value column in the source.</param>
    /// <param name="timeField">Name of the time column in the source; null when there is none.</param>
    public PriceSeries(IReadOnlyList<DateTimeOffset>? times, IReadOnlyList<double> values, IReadOnlyList<int> lines,
        string valueField, string? timeField = null)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentNullException.ThrowIfNull(lines);
        ArgumentException.ThrowIfNullOrEmpty(valueField);
        if (lines.Count != values.Count)
            throw new ArgumentException($"{lines.Count} line numbers for {values.Count} values", nameof(lines));
        if (times is not null && times.Count != values.Count)
            throw new ArgumentException($"{times.Count} timestamps for {values.Count} values", nameof(times));

        Values = [.. values];
        Lines = [.. lines];
        if (times is not null)
        {
            _times = new DateTimeOffset[times.Count];
            for (int i = 0; i < _times.Length; i++) _times[i] = times[i].ToUniversalTime();
            Times = new ReadOnlyCollection<DateTimeOffset>(_times);
        }
        ValueField = valueField;
        TimeField = times is null ? null : timeField;
    }

    /// <summary>UTC timestamps, one per value; null when the input has no time column (e.g. a returns-only file).</summary>
    public IReadOnlyList<DateTimeOffset>? Times { get; }

    /// <summary>Values as parsed, in file order (may hold NaN, ±∞ or ≤ 0 until validated). Do not modify.</summary>
    public double[] Values { get; }

    /// <summary>1-based physical source line of each row, the header being line 1. Do not modify.</summary>
    public int[] Lines { get; }

    /// <summary>Name of the value column in the source (used as the field of findings).</summary>
    public string ValueField { get; }

    /// <summary>Name of the time column in the source; null when <see cref="Times"/> is null.</summary>
    public string? TimeField { get; }

    public int Count => Values.Length;

    /// <summary>The rows at the given indices (ascending), with values replaced by <paramref name="values"/> when given.</summary>
    internal PriceSeries Select(IReadOnlyList<int> indices, double[]? values = null)
    {
        var v = new double[indices.Count];
        var l = new int[indices.Count];
        DateTimeOffset[]? t = _times is null ? null : new DateTimeOffset[indices.Count];
        for (int k = 0; k < indices.Count; k++)
        {
            int i = indices[k];
            v[k] = values is null ? Values[i] : values[k];
            l[k] = Lines[i];
            if (t is not null) t[k] = _times![i];
        }
        return new PriceSeries(t, v, l, ValueField, TimeField);
    }
}
