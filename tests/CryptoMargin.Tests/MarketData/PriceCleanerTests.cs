using CryptoMargin.MarketData;
using static CryptoMargin.Tests.MarketData.SeriesBuilder;

namespace CryptoMargin.Tests.MarketData;

public class PriceCleanerTests
{
    private static readonly ValidationSettings Defaults = ValidationSettings.Default;

    /// <summary>
    /// Line 4 repeats day 1 (duplicate, with a wild 999 that must not count), and lines 6–10 hold a run of five
    /// 102.5 (days 3–7): lines 7–10 are stale. Returns stay within ±1%, so no outliers.
    /// </summary>
    private static PriceSeries Messy() =>
        OnDays([0, 1, 1, 2, 3, 4, 5, 6, 7, 8], [100, 101, 999, 102, 102.5, 102.5, 102.5, 102.5, 102.5, 103]);

    [Fact]
    public void KeepChangesNothing()
    {
        var s = Messy();
        var r = PriceCleaner.Clean(s, PriceValidator.Validate(s, Defaults), CleaningPolicy.Keep);
        Assert.Same(s, r.Series);
        Assert.Equal((0, 0), (r.DroppedRows, r.WinsorizedRows));
        Assert.Empty(r.Actions);
    }

    [Fact]
    public void DropRemovesDuplicatesAndStaleRepeatsKeepingFirstOccurrences()
    {
        var s = Messy();
        var r = PriceCleaner.Clean(s, PriceValidator.Validate(s, Defaults), CleaningPolicy.Drop);
        // Line 4 (second day 1) and lines 7–10 (repeats of 102.5) go; the first 102.5 (line 6) stays.
        Assert.Equal([2, 3, 5, 6, 11], r.Series.Lines);
        Assert.Equal([100.0, 101, 102, 102.5, 103], r.Series.Values);
        Assert.Equal(5, r.DroppedRows);
        Assert.Equal([(4, FindingKind.Duplicate), (7, FindingKind.Stale), (8, FindingKind.Stale), (9, FindingKind.Stale), (10, FindingKind.Stale)],
            r.Actions.Select(a => (a.Line, a.Kind)));
        Assert.Equal("dropped (duplicate)", r.Actions[0].Action);
    }

    [Fact]
    public void DropRemovesOutOfOrderRowsAndOutliers()
    {
        var p = CalmPrices(40);
        p[20] *= Math.Exp(0.5); // line 22: returns into (line 22) and out of it (line 23) are outliers
        int[] days = Enumerable.Range(0, 40).ToArray();
        days[10] = 3; // line 12 goes back to day 3 (already line 5): duplicate
        days[11] = -1; // line 13: before day 9: out of order
        var s = OnDays(days, p);
        var findings = PriceValidator.Validate(s, Defaults with { ExpectedPeriod = TimeSpan.FromDays(1) });
        var r = PriceCleaner.Clean(s, findings, CleaningPolicy.Drop);
        Assert.DoesNotContain(12, r.Series.Lines);
        Assert.DoesNotContain(13, r.Series.Lines);
        Assert.DoesNotContain(22, r.Series.Lines);
        Assert.DoesNotContain(23, r.Series.Lines);
        Assert.Equal(36, r.Series.Count);
        Assert.Equal(4, r.DroppedRows);
        Assert.Equal(40 - 4, r.Series.Count);
    }

    [Fact]
    public void WinsorizeClipsTheSpikeReturnsAndRebuildsThePath()
    {
        var p = CalmPrices(60);
        var original = (double[])p.Clone();
        p[30] *= Math.Exp(0.5);
        var s = Daily(p);
        var findings = PriceValidator.Validate(s, Defaults);
        var r = PriceCleaner.Clean(s, findings, CleaningPolicy.Winsorize);

        Assert.Equal(2, r.WinsorizedRows);
        Assert.Equal(0, r.DroppedRows);
        Assert.Equal(60, r.Series.Count);
        // Up to the spike, bit for bit the input.
        for (int i = 0; i < 30; i++) Assert.Equal(p[i], r.Series.Values[i]);
        var ret = LogReturns.From(r.Series);
        // The return into the spike (row 30) is clipped to its upper bound, the one out of it (row 31) to its lower.
        Assert.Equal(findings[0].UpperBound!.Value, ret[29], 12);
        Assert.Equal(findings[1].LowerBound!.Value, ret[30], 12);
        // Other returns are untouched: row 32 onwards move as the calm path does.
        for (int i = 32; i < 60; i++) Assert.Equal(Math.Log(original[i] / original[i - 1]), ret[i - 1], 12);
        Assert.Equal([32, 33], r.Actions.Select(a => a.Line));
        Assert.StartsWith("winsorized: log return 0.49", r.Actions[0].Action);
    }

    [Fact]
    public void WinsorizeKeepsStaleRowsAndDropsDuplicates()
    {
        var s = Messy();
        var r = PriceCleaner.Clean(s, PriceValidator.Validate(s, Defaults), CleaningPolicy.Winsorize);
        Assert.Equal([2, 3, 5, 6, 7, 8, 9, 10, 11], r.Series.Lines);
        Assert.Equal(1, r.DroppedRows);
    }

    [Fact]
    public void WinsorizeClipsReturnValuesThemselves()
    {
        var v = Enumerable.Range(0, 40).Select(i => 0.005 * ((i * 3) % 5 - 2)).ToArray();
        v[20] = 0.5;
        var s = Returns(v);
        var findings = PriceValidator.Validate(s, Defaults with { ValuesAreReturns = true });
        var r = PriceCleaner.Clean(s, findings, CleaningPolicy.Winsorize);
        Assert.Equal(findings[0].UpperBound!.Value, r.Series.Values[20]);
        Assert.Equal(v.Where((_, i) => i != 20), r.Series.Values.Where((_, i) => i != 20));
        Assert.Null(r.Series.Times);
    }

    [Theory]
    [InlineData(CleaningPolicy.Keep)]
    [InlineData(CleaningPolicy.Winsorize)]
    [InlineData(CleaningPolicy.Drop)]
    public void ErrorFindingsAreNeverCleaned(CleaningPolicy policy)
    {
        var s = Daily(100, 0, 101);
        var e = Assert.Throws<DataValidationException>(() => PriceCleaner.Clean(s, PriceValidator.Validate(s, Defaults), policy));
        Assert.Equal((3, "close"), (e.Line, e.Field));
        Assert.Equal("price 0 is not positive", e.Reason);
    }
}
