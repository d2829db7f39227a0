using CryptoMargin.MarketData;
using static CryptoMargin.Tests.MarketData.SeriesBuilder;

namespace CryptoMargin.Tests.MarketData;

public class PriceValidatorTests
{
    private static readonly ValidationSettings Defaults = ValidationSettings.Default;

    [Fact]
    public void DefaultsAreTheDocumentedOnes()
    {
        Assert.Equal(10.0, Defaults.OutlierZ);
        Assert.Equal(10, Defaults.OutlierWindow);
        Assert.Equal(5, Defaults.StalePeriods);
        Assert.False(Defaults.ValuesAreReturns);
        Assert.Null(Defaults.ExpectedPeriod);
    }

    [Fact]
    public void CleanSeriesHasNoFindings()
    {
        Assert.Empty(PriceValidator.Validate(Daily(CalmPrices(40)), Defaults));
    }

    [Fact]
    public void NonFiniteValuesAreFlaggedOnTheirLines()
    {
        var f = PriceValidator.Validate(Daily(100, double.NaN, 101, double.PositiveInfinity, 102), Defaults);
        Assert.Equal([(3, FindingKind.NonFinite), (5, FindingKind.NonFinite)], f.Select(x => (x.Line, x.Kind)));
        Assert.All(f, x => Assert.Equal("close", x.Field));
        Assert.Contains("NaN", f[0].Detail);
    }

    [Fact]
    public void ZeroAndNegativePricesAreNonPositive()
    {
        var f = PriceValidator.Validate(Daily(100, 0, -5, 101), Defaults);
        Assert.Equal([(3, FindingKind.NonPositive), (4, FindingKind.NonPositive)], f.Select(x => (x.Line, x.Kind)));
        Assert.Contains("-5", f[1].Detail);
    }

    [Fact]
    public void NegativeReturnsAreNotNonPositive()
    {
        var settings = Defaults with { ValuesAreReturns = true };
        Assert.Empty(PriceValidator.Validate(Returns(0.01, -0.02, 0, 0.015, -0.01), settings));
    }

    [Fact]
    public void RepeatedTimestampIsDuplicateNamingTheFirstLine()
    {
        var f = PriceValidator.Validate(OnDays([0, 1, 1, 2], [100, 101, 101.5, 102]), Defaults);
        var d = Assert.Single(f);
        Assert.Equal((4, FindingKind.Duplicate, "date"), (d.Line, d.Kind, d.Field));
        Assert.Equal("timestamp 2024-01-02 already on line 3", d.Detail);
    }

    [Fact]
    public void TimestampEarlierThanTheLatestBeforeItIsOutOfOrder()
    {
        // Days 0, 4, 1, 2, 5: days 1 and 2 both come after day 4 (a bad row followed by good ones is still out of
        // order against the latest timestamp), day 5 is in order again.
        var f = PriceValidator.Validate(OnDays([0, 4, 1, 2, 5], [100, 101, 102, 103, 104]), Defaults with { ExpectedPeriod = TimeSpan.FromDays(1) })
            .Where(x => x.Kind == FindingKind.OutOfOrder).ToList();
        Assert.Equal([4, 5], f.Select(x => x.Line));
        Assert.Equal("timestamp 2024-01-02 is earlier than 2024-01-05 on line 3", f[0].Detail);
    }

    [Fact]
    public void MissingDaysAreAGapWithTheirCount()
    {
        // Days 0,1,2 then 5,6: days 3 and 4 are missing; median spacing 1 day.
        var f = PriceValidator.Validate(OnDays([0, 1, 2, 5, 6], [100, 101, 102, 103, 104]), Defaults);
        var g = Assert.Single(f);
        Assert.Equal((5, FindingKind.Gap, "date"), (g.Line, g.Kind, g.Field));
        Assert.Equal("gap from 2024-01-03 to 2024-01-06: 2 periods of 1 d missing", g.Detail);
    }

    [Fact]
    public void ExpectedPeriodOverridesTheInferredOne()
    {
        // Hourly rows with one hour missing between 02:00 and 04:00.
        var t0 = Day0;
        DateTimeOffset[] times = [t0, t0.AddHours(1), t0.AddHours(2), t0.AddHours(4), t0.AddHours(5)];
        var s = new PriceSeries(times, [1.0, 2, 3, 4, 5], Lines(5), "close", "timestamp");
        var g = Assert.Single(PriceValidator.Validate(s, Defaults with { ExpectedPeriod = TimeSpan.FromHours(1) }));
        Assert.Equal(5, g.Line);
        Assert.Equal("gap from 2024-01-01T02:00:00Z to 2024-01-01T04:00:00Z: 1 period of 1 h missing", g.Detail);
        // Told the period is 30 minutes, every step misses one.
        Assert.Equal(4, PriceValidator.Validate(s, Defaults with { ExpectedPeriod = TimeSpan.FromMinutes(30) }).Count(x => x.Kind == FindingKind.Gap));
    }

    [Fact]
    public void RunOfFiveIdenticalPricesIsStaleAfterItsFirstRow()
    {
        // Rows 1..5 (lines 3..7) hold 101: a run of 5; the 4 repeats are stale.
        var f = PriceValidator.Validate(Daily(100, 101, 101, 101, 101, 101, 102), Defaults);
        Assert.Equal([4, 5, 6, 7], f.Select(x => x.Line));
        Assert.All(f, x => Assert.Equal(FindingKind.Stale, x.Kind));
        Assert.Equal("value 101 unchanged on 5 consecutive rows (lines 3–7)", f[0].Detail);
    }

    [Fact]
    public void RunShorterThanTheThresholdIsNotStale()
    {
        Assert.Empty(PriceValidator.Validate(Daily(100, 101, 101, 101, 101, 102), Defaults));
        Assert.Equal(3, PriceValidator.Validate(Daily(100, 101, 101, 101, 101, 102), Defaults with { StalePeriods = 2 }).Count);
    }

    [Fact]
    public void PlantedSpikeFlagsTheReturnsIntoAndOutOfIt()
    {
        var p = CalmPrices(60);
        p[30] *= Math.Exp(0.5); // row 30 = line 32
        var f = PriceValidator.Validate(Daily(p), Defaults);
        Assert.Equal([(32, FindingKind.Outlier), (33, FindingKind.Outlier)], f.Select(x => (x.Line, x.Kind)));
        Assert.StartsWith("log return +0.4900 is 66.1 robust sd from the median 0.0000", f[0].Detail); // 0.5 planted on a −1% day
        Assert.Contains("threshold z = 10", f[0].Detail);
        // Window of calm returns with one spike: median 0 and MAD 0.005 (the spike cannot move them), so the
        // accepted range is 0 ± 10 · 1.4826 · 0.005.
        Assert.Equal(-0.07413, f[0].LowerBound!.Value, 10);
        Assert.Equal(0.07413, f[0].UpperBound!.Value, 10);
        Assert.False(f[0].BoundsApplyToValue);
    }

    [Fact]
    public void SpikeBelowTheThresholdIsNotAnOutlier()
    {
        var p = CalmPrices(60);
        p[30] *= Math.Exp(0.05); // z ≈ 0.05 / 0.0074 ≈ 6.7 < 10
        Assert.Empty(PriceValidator.Validate(Daily(p), Defaults));
        Assert.Equal(2, PriceValidator.Validate(Daily(p), Defaults with { OutlierZ = 3 }).Count);
    }

    [Fact]
    public void ReturnsAreTestedThemselves()
    {
        var r = Enumerable.Range(0, 40).Select(i => 0.005 * ((i * 3) % 5 - 2)).ToArray();
        r[20] = 0.5; // line 22
        var f = Assert.Single(PriceValidator.Validate(Returns(r), Defaults with { ValuesAreReturns = true }));
        Assert.Equal((22, FindingKind.Outlier, "ret"), (f.Line, f.Kind, f.Field));
        Assert.StartsWith("value +0.5000", f.Detail);
        Assert.True(f.BoundsApplyToValue);
    }

    [Fact]
    public void FindingsAreSortedByLine()
    {
        // Duplicate on line 4 (time check), NaN on line 3 (value check) and a stale run later.
        var s = OnDays([0, 1, 1, 2, 3, 4, 5, 6], [100, double.NaN, 100, 7, 7, 7, 7, 7]);
        var f = PriceValidator.Validate(s, Defaults);
        Assert.Equal([3, 4, 6, 7, 8, 9], f.Select(x => x.Line));
        Assert.Equal([FindingKind.NonFinite, FindingKind.Duplicate, FindingKind.Stale, FindingKind.Stale, FindingKind.Stale, FindingKind.Stale], f.Select(x => x.Kind));
    }

    [Theory]
    [InlineData(0.0, 10, 5, "outlierZ")]
    [InlineData(10.0, 0, 5, "outlierWindow")]
    [InlineData(10.0, 10, 1, "stalePeriods")]
    public void BadSettingsAreRejected(double z, int window, int stale, string field)
    {
        var settings = new ValidationSettings { OutlierZ = z, OutlierWindow = window, StalePeriods = stale };
        var e = Assert.Throws<DataValidationException>(() => PriceValidator.Validate(Daily(1, 2, 3), settings));
        Assert.Equal(field, e.Field);
    }
}
