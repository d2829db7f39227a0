using CryptoMargin.Calibration.Grid;
using CryptoMargin.MarketData;
using MathNet.Numerics.Distributions;

namespace CryptoMargin.Tests.Calibration.Grid;

/// <summary>The out-of-sample split: what the calibration may see, and which margin dates the backtest tests.</summary>
public class HoldoutSplitTests
{
    private static readonly DateTimeOffset Start = new(2025, 12, 30, 8, 0, 0, TimeSpan.Zero);

    /// <summary>Daily ATM vols on 8 tenors: a log-vol random walk with step size 0.05 (seeded), snapshot times drifting within the day.</summary>
    private static List<TenorVols> History(int days, int seed)
    {
        var rng = new Random(seed);
        var tenors = TenorGrid.StandardDays;
        var logVol = tenors.Select(_ => Math.Log(0.5)).ToArray();
        var list = new List<TenorVols>();
        for (int t = 0; t < days; t++)
        {
            list.Add(new TenorVols(Start.AddDays(t).AddMinutes(rng.Next(0, 600)), "BTC", tenors, [0.0], [.. logVol.Select(Math.Exp)]));
            for (int i = 0; i < logVol.Length; i++) logVol[i] += 0.05 * Normal.Sample(rng, 0, 1);
        }
        return list;
    }

    [Fact]
    public void TheMiddleSplitOf236DatesCalibratesOnTheFirst118()
    {
        var history = History(236, seed: 1);
        var split = HoldoutSplit.WithFraction(history, 0.5);
        Assert.Equal(new DateOnly(2026, 4, 27), split.From); // 2025-12-30 + 118 days
        Assert.Equal(118, split.CalibrationDates.Count);
        Assert.Equal(118, split.TestDates.Count);
        Assert.Equal(new DateOnly(2026, 4, 26), split.CalibrationDates[^1]);
        Assert.Equal(split.From, split.TestDates[0]);
        var byDate = HoldoutSplit.At(history, split.From);
        Assert.Equal(split.CalibrationDates, byDate.CalibrationDates);
        Assert.Equal(split.TestDates, byDate.TestDates);
        // A quarter held out: ⌈0.25 · 236⌉ = 59 test dates.
        Assert.Equal(59, HoldoutSplit.WithFraction(history, 0.25).TestDates.Count);
    }

    [Fact]
    public void TheCalibrationNeverSeesASnapshotOnOrAfterTheSplit()
    {
        var history = History(120, seed: 2);
        var from = new DateOnly(2026, 2, 28);
        // Vol spikes (×5 on every third day) from the split date on: the in-sample fit sees them, the out-of-sample one must not.
        var spiked = history.Select(h => DateOnly.FromDateTime(h.Time.UtcDateTime) is var d && d >= from && d.DayNumber % 3 == 0
            ? new TenorVols(h.Time, h.Underlying, h.TenorDays, h.Moneyness, [.. h.Vols.Select(v => 5 * v)]) : h).ToList();
        var split = HoldoutSplit.At(spiked, from);
        Assert.All(split.Calibration, h => Assert.True(DateOnly.FromDateTime(h.Time.UtcDateTime) < from));
        for (int horizon = 1; horizon <= 2; horizon++)
        {
            var calibrated = VolShockCalibration.From(split.Calibration, horizon, 0.95);
            // Every pair inside the calibration window: n − h of them (the last ends on the day before the split), no gaps.
            Assert.Equal(split.CalibrationDates.Count - horizon, calibrated.Pairs);
            Assert.Equal(0, calibrated.MissingPartners);
            // Identical to a history that never had the spike: nothing after the split leaked in.
            var clean = VolShockCalibration.From([.. history.Where(h => DateOnly.FromDateTime(h.Time.UtcDateTime) < from)], horizon, 0.95);
            Assert.Equal(clean.Quantiles, calibrated.Quantiles);
            // The in-sample fit on the spiked history is far off (its 95 % up-change is a ×5 jump; 0.95: 59 calibration pairs are too few for a 99 % quantile).
            var inSample = VolShockCalibration.From(spiked, horizon, 0.95);
            Assert.True(inSample.Quantiles.Max(q => q.Up) > 2, $"in-sample max up {inSample.Quantiles.Max(q => q.Up)}");
            Assert.True(calibrated.Quantiles.Max(q => q.Up) < 0.5, $"out-of-sample max up {calibrated.Quantiles.Max(q => q.Up)}");
        }
    }

    [Fact]
    public void ASplitOutsideTheHistoryIsAClearError()
    {
        var history = History(30, seed: 3);
        var before = Assert.Throws<DataValidationException>(() => HoldoutSplit.At(history, new DateOnly(2025, 12, 30)));
        Assert.Contains("no snapshot before the holdout date 2025-12-30", before.Message);
        var after = Assert.Throws<DataValidationException>(() => HoldoutSplit.At(history, new DateOnly(2026, 6, 1)));
        Assert.Contains("no snapshot on or after the holdout date 2026-06-01", after.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => HoldoutSplit.WithFraction(history, 1));
        Assert.Throws<DataValidationException>(() => HoldoutSplit.WithFraction(History(1, seed: 3), 0.5));
    }

    [Fact]
    public void TheBacktestTestsOnlyMarginDatesFromTheSplitOnWithTheInSampleBooks()
    {
        var market = GridBacktestCoinUnitsTests.Market(30, seed: 5);
        var days = TenorGrid.StandardDays.ToArray();
        var law = TermShockFit.Fit(days, [.. days.Select(new TermShockLaw(0.2, 0.5, 0.5).Shock)]);
        var margin = ReferenceGridMargin.Create(new GridCoinParameters("BTC", 0.05, "test", 0.1, "test", law, law), 2);
        var from = DateOnly.FromDateTime(market[12].ValuationTime!.Value.UtcDateTime);
        foreach (var units in new[] { BacktestUnits.Usd, BacktestUnits.Coin })
        {
            var all = GridBacktest.Run(market, [margin], new GridBacktestSettings(2, 0.99, 8) { Units = units })[0];
            var oos = GridBacktest.Run(market, [margin], new GridBacktestSettings(2, 0.99, 8) { Units = units, TestFrom = from })[0];
            // Margin dates 12 … 27 (the last two have no partner 2 days later: skipped and counted), 6 books each.
            Assert.Equal(16 * 6, oos.Observations.Count);
            Assert.Equal(2, oos.Skipped);
            Assert.Equal(2, all.Skipped);
            Assert.All(oos.Observations, o => Assert.True(DateOnly.FromDateTime(o.Time.UtcDateTime) >= from));
            // The same seeded books as the in-sample run: its observations on those dates, exactly.
            Assert.Equal(all.Observations.Where(o => DateOnly.FromDateTime(o.Time.UtcDateTime) >= from), oos.Observations);
        }
        // No split and USD units: the settings overload is the original run.
        Assert.Equal(GridBacktest.Run(market, margin, 2, 0.99, 8).Observations,
            GridBacktest.Run(market, [margin], new GridBacktestSettings(2, 0.99, 8))[0].Observations);
    }
}
