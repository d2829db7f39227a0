using CryptoMargin.Calibration.Grid;
using MathNet.Numerics.Distributions;

namespace CryptoMargin.Tests.Calibration.Grid;

public class VolShockCalibrationTests
{
    private static readonly DateTimeOffset Start = new(2020, 1, 1, 9, 10, 0, TimeSpan.Zero);

    /// <summary>
    /// Simulated ATM vols with known parameters: ln σ_t(d) is a random walk with N(0, s_d²) steps, so the 1-day relative
    /// change exp(s_d ε) − 1 has quantile exp(s_d z_c) − 1 and the 2-day one exp(s_d √2 z_c) − 1. s_d is chosen so the
    /// 1-day upper quantile is exactly <paramref name="law"/>.
    /// </summary>
    private static List<TenorVols> Simulate(TermShockLaw law, double confidence, int days, int seed, ISet<int>? skip = null)
    {
        var tenors = TenorGrid.StandardDays;
        double z = Normal.InvCDF(0, 1, confidence);
        var s = tenors.Select(d => Math.Log(1 + law.Shock(d)) / z).ToArray();
        var logVol = tenors.Select(_ => Math.Log(0.5)).ToArray();
        var rng = new Random(seed);
        var list = new List<TenorVols>();
        for (int t = 0; t < days; t++)
        {
            if (skip is null || !skip.Contains(t))
                list.Add(new TenorVols(Start.AddDays(t).AddMinutes(rng.Next(0, 90)), "BTC", tenors, [0.0], logVol.Select(Math.Exp).ToArray()));
            for (int i = 0; i < logVol.Length; i++) logVol[i] += s[i] * Normal.Sample(rng, 0, 1);
        }
        return list;
    }

    [Fact]
    public void QuantilesMatchTheKnownDistributionOfTheChanges()
    {
        const double c = 0.99;
        var law = new TermShockLaw(0.25, 0.5, 0.6);
        var history = Simulate(law, c, 20_001, seed: 5);
        double zc = Normal.InvCDF(0, 1, c);
        foreach (int h in new[] { 1, 2 })
        {
            var cal = VolShockCalibration.From(history, h, c);
            Assert.Equal(20_000 - h + 1, cal.Pairs);
            Assert.Equal(0, cal.MissingPartners);
            foreach (var q in cal.Quantiles)
            {
                double sd = Math.Log(1 + law.Shock(q.Days)) / zc * Math.Sqrt(h);
                double up = Math.Exp(sd * zc) - 1, down = Math.Exp(-sd * zc) - 1;
                // Standard error of a sample quantile √(c(1−c)/n)/f(q), f the log-normal density of 1 + change;
                // ×√h allowance for the overlap of consecutive h-day changes, 5 of them as tolerance.
                double density = Normal.PDF(0, 1, zc) / (sd * (1 + up));
                double tol = 5 * Math.Sqrt(h) * Math.Sqrt(c * (1 - c) / q.Observations) / density;
                Assert.InRange(q.Up, up - tol, up + tol);
                double densityDown = Normal.PDF(0, 1, zc) / (sd * (1 + down));
                double tolDown = 5 * Math.Sqrt(h) * Math.Sqrt(c * (1 - c) / q.Observations) / densityDown;
                Assert.InRange(q.Down, down - tolDown, down + tolDown);
            }
        }
    }

    [Fact]
    public void FitOfTheUpQuantilesRecoversTheLawTheDataWereSimulatedFrom()
    {
        var law = new TermShockLaw(0.3, 0.45, 0.35);
        var cal = VolShockCalibration.From(Simulate(law, 0.99, 20_001, seed: 9), 1, 0.99);
        var up = cal.Atm.Up!;
        Assert.Equal(law.K, up.Law.K, 0.03 * law.K);
        Assert.Equal(law.PShort, up.Law.PShort, 0.03);
        Assert.Equal(law.PLong, up.Law.PLong, 0.06);
        Assert.True(up.RSquared > 0.99);
        Assert.NotNull(cal.Atm.Down);
    }

    [Fact]
    public void GapsAreCountedAndNeverBridged()
    {
        var skip = new HashSet<int> { 100, 500, 501, 777 };
        var history = Simulate(new TermShockLaw(0.2, 0.5, 0.5), 0.99, 1000, seed: 3, skip);
        var present = Enumerable.Range(0, 1000).Where(t => !skip.Contains(t)).ToHashSet();
        foreach (int h in new[] { 1, 2 })
        {
            var changes = VolChanges.From(history, h);
            int pairs = present.Count(t => present.Contains(t + h));
            int missing = present.Count(t => t + h <= 999 && !present.Contains(t + h));
            Assert.Equal(pairs, changes.Pairs);
            Assert.Equal(missing, changes.MissingPartners);
            Assert.All(changes.Changes, c => Assert.Equal(pairs, c.Length));
        }
        // The history's order does not matter.
        var shuffled = history.OrderBy(x => x.Vols[0]).ToList();
        Assert.Equal(VolChanges.From(history, 1).Changes[3], VolChanges.From(shuffled, 1).Changes[3]);
    }

    [Fact]
    public void MissingVolsAreSkippedAndTooFewLeaveTheQuantileUndefined()
    {
        var history = Simulate(new TermShockLaw(0.2, 0.5, 0.5), 0.99, 400, seed: 4);
        // Blank the 180-day vol on all but 50 days: fewer than ⌈1/(1 − 0.99)⌉ = 100 changes remain there.
        for (int t = 50; t < history.Count; t++) history[t].Vols[^1] = double.NaN;
        var cal = VolShockCalibration.From(history, 1, 0.99);
        var q180 = cal.Quantiles.Single(q => q.Days == 180);
        Assert.Equal(49, q180.Observations);
        Assert.True(double.IsNaN(q180.Up) && double.IsNaN(q180.Down));
        Assert.Equal(7, cal.Atm.Up!.Points); // fitted on the other seven tenors
    }

    [Fact]
    public void RejectsMixedHistories()
    {
        var a = new TenorVols(Start, "BTC", [30], [0.0], [0.5]);
        var b = new TenorVols(Start.AddHours(3), "BTC", [30], [0.0], [0.6]);
        var e = Assert.Throws<ArgumentException>(() => VolChanges.From([a, b], 1));
        Assert.Contains("two BTC snapshots", e.Message);
        var c = new TenorVols(Start.AddDays(1), "ETH", [30], [0.0], [0.6]);
        Assert.Contains("mixed underlyings", Assert.Throws<ArgumentException>(() => VolChanges.From([a, c], 1)).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => VolShockCalibration.From([a], 1, 1.2));
    }
}
