using CryptoMargin.Backtesting;
using MathNet.Numerics.Distributions;

namespace CryptoMargin.Tests.Backtesting;

public class MarginBacktestTests
{
    private static double[] NormalLosses(int days, int seed, double sigma = 0.03)
    {
        var normal = new Normal(0, sigma, new Random(seed));
        var loss = new double[days];
        for (var d = 0; d < days; d++) loss[d] = normal.Sample();
        return loss;
    }

    [Fact]
    public void UnderMarginedPolicyFails()
    {
        // Margin = the true 95% quantile 1.645σ while testing at 99%: ≈ 5% exceedances (≈ 50 in 1,000) against 10 expected.
        const double sigma = 0.03;
        var loss = NormalLosses(1000, 11, sigma);
        var margin = Enumerable.Repeat(sigma * Normal.InvCDF(0, 1, 0.95), loss.Length).ToArray();
        // Normal ES at 99%: σ φ(z₀.₉₉)/0.01.
        var es = Enumerable.Repeat(sigma * Normal.PDF(0, 1, Normal.InvCDF(0, 1, 0.99)) / 0.01, loss.Length).ToArray();
        var r = MarginBacktest.Run(margin, es, loss, 0.99);

        Assert.Equal(1000, r.Observations);
        Assert.Equal(10, r.ExpectedExceedances, 9);
        Assert.InRange(r.Exceedances, 30, 75);
        Assert.NotEqual(TrafficLightZone.Green, r.TrafficLight);
        Assert.True(r.Kupiec.PValue < 0.05);
        Assert.True(r.ConditionalCoverage.PValue < 0.05);
        var verdict = BacktestVerdict.Passes(r, BacktestCriteria.Default);
        Assert.False(verdict.Passed);
        Assert.Contains(verdict.FailedCriteria, f => f.StartsWith("Kupiec POF", StringComparison.Ordinal));
        Assert.Contains(verdict.FailedCriteria, f => f.StartsWith("traffic light", StringComparison.Ordinal));
    }

    [Fact]
    public void CorrectMarginUsuallyPasses()
    {
        // Margin = true 99% quantile of N(0, σ), ES its true ES: over 40 seeds most pass every criterion.
        const double sigma = 0.03;
        var margin = Enumerable.Repeat(sigma * Normal.InvCDF(0, 1, 0.99), 1000).ToArray();
        var es = Enumerable.Repeat(sigma * Normal.PDF(0, 1, Normal.InvCDF(0, 1, 0.99)) / 0.01, 1000).ToArray();
        var passed = 0;
        for (var s = 0; s < 40; s++)
            if (BacktestVerdict.Passes(MarginBacktest.Run(margin, es, NormalLosses(1000, 100 + s, sigma), 0.99), new BacktestCriteria()).Passed)
                passed++;
        Assert.True(passed >= 28, $"passed {passed} of 40");
    }

    [Fact]
    public void OverlappingLossesInflateIndependenceUnlessSubsampled()
    {
        // 2-day losses r_{t+1} + r_{t+2} of i.i.d. N(0, σ) returns against their exact 97.5% quantile σ√2·z:
        // consecutive days share a return, so exceedances cluster. Every-day testing rejects independence far more
        // often than the non-overlapping (every 2nd day) default.
        const double sigma = 0.03, confidence = 0.975;
        var q = sigma * Math.Sqrt(2) * Normal.InvCDF(0, 1, confidence);
        var esValue = sigma * Math.Sqrt(2) * Normal.PDF(0, 1, Normal.InvCDF(0, 1, confidence)) / (1 - confidence);
        int rejectedFull = 0, rejectedThinned = 0;
        const int repetitions = 40, days = 2000;
        var margin = Enumerable.Repeat(q, days).ToArray();
        var es = Enumerable.Repeat(esValue, days).ToArray();
        for (var s = 0; s < repetitions; s++)
        {
            var r = NormalLosses(days + 2, 300 + s, sigma);
            var loss = new double[days];
            for (var t = 0; t < days; t++) loss[t] = r[t + 1] + r[t + 2];
            var full = MarginBacktest.Run(margin, es, loss, confidence, new BacktestOptions { HorizonDays = 2, NonOverlappingCoverageTests = false }, s);
            var thinned = MarginBacktest.Run(margin, es, loss, confidence, new BacktestOptions { HorizonDays = 2 }, s);
            Assert.Equal(days, full.TestedObservations);
            Assert.Equal(days / 2, thinned.TestedObservations);
            Assert.Equal(2, thinned.TestStrideDays);
            Assert.Equal(full.Exceedances, thinned.Exceedances);
            if (full.ChristoffersenIndependence.PValue < 0.05) rejectedFull++;
            if (thinned.ChristoffersenIndependence.PValue < 0.05) rejectedThinned++;
        }
        Assert.True(rejectedFull >= 30, $"full sample rejected {rejectedFull} of {repetitions}");
        Assert.True(rejectedThinned <= 8, $"thinned sample rejected {rejectedThinned} of {repetitions}");
    }

    [Fact]
    public void ProcyclicalityIsOfTheMarginSeries()
    {
        double[] margin = [0.1, 0.2, 0.15, 0.1];
        var r = MarginBacktest.Run(margin, [0.2, 0.3, 0.2, 0.2], [0, 0, 0, 0], 0.99);
        Assert.Equal(2, r.Procyclicality.PeakToTrough, 14);
        Assert.Equal(1, r.Procyclicality.MaxOneDayIncrease, 14);
        Assert.Equal(0.1375, r.Procyclicality.AverageMargin, 14);
        Assert.Equal(0, r.Exceedances);
    }

    [Fact]
    public void MismatchedLengthsThrow() =>
        Assert.Throws<ArgumentException>(() => MarginBacktest.Run([0.1, 0.1], [0.2], [0.0, 0.0], 0.99));
}
