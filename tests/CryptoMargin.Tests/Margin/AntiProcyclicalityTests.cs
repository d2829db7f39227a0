using CryptoMargin.Margin;

namespace CryptoMargin.Tests.Margin;

public class AntiProcyclicalityTests
{
    private const double Tol = 1e-12;

    private static double[] Apply(AntiProcyclicality apc, double[] raw, double[]? stressed = null, double[]? floor = null)
    {
        var m = new double[raw.Length];
        apc.Apply(raw, stressed ?? [], floor ?? [], m);
        return m;
    }

    private static void Equal(double[] expected, double[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++) Assert.True(Math.Abs(expected[i] - actual[i]) < Tol, $"day {i}: expected {expected[i]}, got {actual[i]}");
    }

    [Fact]
    public void NoneLeavesRawUnchanged()
    {
        double[] raw = [0.1, 0.3, 0.05];
        Equal(raw, Apply(AntiProcyclicality.None, raw));
    }

    [Fact]
    public void StressedMarginIsTheHighestPeriodAverageSeenSoFar()
    {
        // Period 3: averages over days (0), (0,1), (0,1,2), (1,2,3), (2,3,4), … = 0.1, 0.25, 0.2, 0.2, 0.3, 0.3, 0.3; running max.
        double[] raw = [0.1, 0.4, 0.1, 0.1, 0.7, 0.1, 0.1];
        double[] mean = [0.1, 0.25, 0.25, 0.25, 0.3, 0.3, 0.3];
        var stressed = new double[raw.Length];
        AntiProcyclicality.StressedMargin(raw, 3, stressed);
        Equal(mean, stressed);
        // A one-day spike counts for 1/period of its height, where the old running maximum took it whole.
        Assert.True(stressed[^1] < raw.Max());
    }

    [Fact]
    public void StressedMarginHasNoLookAheadAndStaysExactOverLongHistories()
    {
        var rng = new Random(5);
        var raw = Enumerable.Range(0, 3000).Select(_ => 0.05 + 0.3 * rng.NextDouble()).ToArray();
        var full = new double[raw.Length];
        AntiProcyclicality.StressedMargin(raw, 365, full);
        // Perturbing the future leaves every earlier day unchanged.
        var perturbed = (double[])raw.Clone();
        for (int t = 2000; t < raw.Length; t++) perturbed[t] = 5;
        var after = new double[raw.Length];
        AntiProcyclicality.StressedMargin(perturbed, 365, after);
        for (int t = 0; t < 2000; t++) Assert.Equal(full[t], after[t]);
        // Against a plain re-summed reference on every day (the sliding sum must not drift).
        double max = 0;
        for (int t = 0; t < raw.Length; t++)
        {
            int from = Math.Max(0, t - 364);
            double s = 0;
            for (int j = from; j <= t; j++) s += raw[j];
            max = Math.Max(max, s / (t - from + 1));
            Assert.True(Math.Abs(max - full[t]) < 1e-13, $"day {t}");
        }
    }

    [Fact]
    public void BufferIsCollectedInNormalTimesAndReleasedInStress()
    {
        // 20 calm days at 10%, then raw rises 11%, 12%, 14% and stays at 14%. Stress = raw above the max of the
        // previous 20 days (quantile 1). Hand-computed with buffer 25%:
        //  days 0-19: 0.10·1.25 = 0.125 (fewer than 20 previous days: normal)
        //  day 20: 0.11 > 0.10, stress: clamp(0.125, 0.11, 0.1375) = 0.125 (buffer absorbs the rise)
        //  day 21: 0.12 > 0.11, stress: clamp(0.125, 0.12, 0.15)   = 0.125
        //  day 22: 0.14 > 0.12, stress: clamp(0.125, 0.14, 0.175)  = 0.14  (buffer used up: margin = raw)
        //  day 23: 0.14 = max, normal: 0.14·1.25 = 0.175 (buffer rebuilt)
        var apc = new AntiProcyclicality { Buffer = 0.25, StressLookbackDays = 20, StressQuantile = 1.0 };
        var raw = Enumerable.Repeat(0.10, 20).Concat([0.11, 0.12, 0.14, 0.14]).ToArray();
        var expected = Enumerable.Repeat(0.125, 20).Concat([0.125, 0.125, 0.14, 0.175]).ToArray();
        Equal(expected, Apply(apc, raw));
    }

    [Fact]
    public void StressThresholdIsTheTrailingQuantile()
    {
        // Previous 20 days 0.20, 0.19, …, 0.01: their median (type 7) is 0.105. The buffered margin on day 19 is 0.0125.
        var apc = new AntiProcyclicality { Buffer = 0.25, StressLookbackDays = 20, StressQuantile = 0.5 };
        var calm = Enumerable.Range(0, 20).Select(i => 0.01 * (20 - i)).ToArray();
        // 0.11 > 0.105: stress, clamp(0.0125, 0.11, 0.1375) = 0.11
        Assert.Equal(0.11, Apply(apc, [.. calm, 0.11])[20], Tol);
        // 0.10 < 0.105: normal, 0.10·1.25 = 0.125
        Assert.Equal(0.125, Apply(apc, [.. calm, 0.10])[20], Tol);
    }

    [Fact]
    public void SlidingStressWindowMatchesAFreshSortEachDay()
    {
        // Reference: for each day sort the previous L values of raw and interpolate the quantile (type 7) from scratch.
        var rng = new Random(11);
        var raw = Enumerable.Range(0, 600).Select(t => 0.05 + 0.03 * Math.Sin(t / 40.0) + 0.02 * rng.NextDouble()).ToArray();
        const int L = 60;
        const double q = 0.9, beta = 0.5;
        var expected = new double[raw.Length];
        for (int t = 0; t < raw.Length; t++)
        {
            var previous = raw[Math.Max(0, t - L)..t].Order().ToArray();
            bool stress = false;
            if (previous.Length >= 20)
            {
                double h = (previous.Length - 1) * q;
                int lo = (int)h;
                double threshold = previous[lo] + (h - lo) * (previous[Math.Min(lo + 1, previous.Length - 1)] - previous[lo]);
                stress = raw[t] > threshold;
            }
            expected[t] = stress ? Math.Clamp(expected[t - 1], raw[t], raw[t] * (1 + beta)) : raw[t] * (1 + beta);
        }
        var actual = Apply(new AntiProcyclicality { Buffer = beta, StressLookbackDays = L, StressQuantile = q }, raw);
        Equal(expected, actual);
        Assert.Contains(Enumerable.Range(0, raw.Length), t => actual[t] < raw[t] * (1 + beta) - 1e-9); // some stress days
    }

    [Fact]
    public void StressWeightBlendsInTheStressedMarginButNeverLowersRaw()
    {
        // b = max(raw, 0.75·raw + 0.25·stressed)
        var apc = new AntiProcyclicality { StressWeight = 0.25 };
        double[] raw = [0.10, 0.08, 0.12, 0.12];
        double[] stressed = [0.10, 0.10, 0.12, 0.10];
        Equal([0.10, 0.085, 0.12, 0.12], Apply(apc, raw, stressed));
    }

    [Fact]
    public void FloorHoldsTheMarginUp()
    {
        var apc = new AntiProcyclicality { Floor = true };
        Equal([0.06, 0.10, 0.06], Apply(apc, [0.05, 0.10, 0.03], floor: [0.06, 0.06, 0.06]));
    }

    [Fact]
    public void SpeedLimitCapsDailyRisesButNotFalls()
    {
        // cap 10%/day: 0.10, min(0.20, 0.11), min(0.20, 0.121), 0.05 (falls freely), min(0.30, 0.055)
        var apc = new AntiProcyclicality { MaxDailyIncrease = 0.10 };
        Equal([0.10, 0.11, 0.121, 0.05, 0.055], Apply(apc, [0.10, 0.20, 0.20, 0.05, 0.30]));
    }

    [Fact]
    public void OptionsCombineInTheDocumentedOrder()
    {
        // day 0: b = max(0.08, 0.5·0.08 + 0.5·0.16) = 0.12; buffer → 0.15; floor 0.10 → 0.15
        // day 1: b = max(0.04, 0.5·0.04 + 0.5·0.04) = 0.04; buffer → 0.05; floor 0.10 → 0.10
        // day 2: b = max(0.30, 0.5·0.30 + 0.5·0.30) = 0.30; buffer → 0.375; floor → 0.375; cap: min(0.375, 0.10·1.5) = 0.15
        var apc = new AntiProcyclicality { StressWeight = 0.5, Buffer = 0.25, Floor = true, MaxDailyIncrease = 0.5 };
        Equal([0.15, 0.10, 0.15], Apply(apc, [0.08, 0.04, 0.30], stressed: [0.16, 0.04, 0.30], floor: [0.10, 0.10, 0.10]));
    }

    [Fact]
    public void MarginUpToDayTDependsOnlyOnInputsUpToT()
    {
        var rng = new Random(7);
        int n = 400, k = 250;
        double[] Series() => [.. Enumerable.Range(0, n).Select(_ => 0.05 + 0.1 * rng.NextDouble())];
        var raw = Series();
        var stressed = Series();
        var floor = Series().Select(x => 0.5 * x).ToArray();
        var apc = new AntiProcyclicality { Buffer = 0.3, StressWeight = 0.25, Floor = true, MaxDailyIncrease = 0.2, StressLookbackDays = 30 };
        var before = Apply(apc, raw, stressed, floor);
        for (int t = k + 1; t < n; t++) { raw[t] *= 3; stressed[t] = 0; floor[t] = 0.9; }
        var after = Apply(apc, raw, stressed, floor);
        for (int t = 0; t <= k; t++) Assert.Equal(before[t], after[t]);
        Assert.NotEqual(before[n - 1], after[n - 1]); // the perturbation is real
    }

    [Theory]
    [InlineData(0.2, null, null)]
    [InlineData(null, 0.1, null)]
    [InlineData(null, 1.5, null)]
    [InlineData(null, null, 0.0)]
    public void SettingsBelowTheRegulatoryMinimumAreRejected(double? buffer, double? weight, double? cap)
    {
        var apc = new AntiProcyclicality { Buffer = buffer, StressWeight = weight, MaxDailyIncrease = cap };
        Assert.Throws<ArgumentException>(() => Apply(apc, [0.1], [0.1], [0.1]));
    }

    [Fact]
    public void MissingSeriesForAnOptionIsAnError()
    {
        Assert.Throws<ArgumentException>(() => Apply(new AntiProcyclicality { Floor = true }, [0.1, 0.1]));
        Assert.Throws<ArgumentException>(() => Apply(new AntiProcyclicality { StressWeight = 0.3 }, [0.1, 0.1]));
        Assert.Throws<ArgumentException>(() => Apply(AntiProcyclicality.None, [0.1, double.NaN]));
    }
}
