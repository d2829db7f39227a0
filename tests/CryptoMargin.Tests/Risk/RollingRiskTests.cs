using CryptoMargin.Dynamics;
using CryptoMargin.Risk;

namespace CryptoMargin.Tests.Risk;

public class RollingRiskTests
{
    /// <summary>GARCH(1,1)-t returns (daily, decimal), seeded: 1,200 days.</summary>
    private static readonly double[] Returns = ReturnModelSimulator.Simulate(
        new ReturnModelSpec(VolatilityModel.Garch, InnovationDistribution.StudentT),
        new ReturnModelParameters(0.0005, 2e-5, 0.1, 0, 0.86, 5, 0), 1200, seed: 17);

    public static TheoryData<string, RiskSpec, int> Specs => new()
    {
        { "hs all", new RiskSpec { Method = RiskMethod.Historical }, 1 },
        { "hs 250", new RiskSpec { Method = RiskMethod.Historical, LookbackDays = 250, Side = PositionSide.Short }, 1 },
        { "evt 500", new RiskSpec { Method = RiskMethod.Evt, LookbackDays = 500 }, 1 },
        { "normal garch", new RiskSpec { Method = RiskMethod.Normal }, 10 },
        { "t ewma", new RiskSpec { Method = RiskMethod.StudentT, Lambda = 0.94 }, 20 },
        { "normal ewma", new RiskSpec { Method = RiskMethod.Normal, Lambda = 0.97, HorizonDays = 5 }, 1 },
        { "fhs garch-t", new RiskSpec { Method = RiskMethod.FilteredHistorical, Paths = 2000, LookbackDays = 700 }, 25 },
        { "fhs h=1", new RiskSpec { Method = RiskMethod.FilteredHistorical, HorizonDays = 1 }, 7 },
    };

    [Theory]
    [MemberData(nameof(Specs))]
    public void NoLookAheadPerturbingTheFutureLeavesEarlierFiguresBitForBit(string name, RiskSpec spec, int reestimation)
    {
        const int first = 600, cut = 800;
        var a = RollingRisk.Compute(Returns, spec, first, reestimation);
        var perturbed = (double[])Returns.Clone();
        for (int t = cut + 1; t < perturbed.Length; t++) perturbed[t] = -3 * perturbed[t] + 0.01;
        var b = RollingRisk.Compute(perturbed, spec, first, reestimation);
        for (int t = first; t <= cut; t++)
        {
            Assert.True(BitConverter.DoubleToInt64Bits(a.ValueAtRisk[t - first]) == BitConverter.DoubleToInt64Bits(b.ValueAtRisk[t - first]), $"{name}: VaR of day {t} moved");
            Assert.True(BitConverter.DoubleToInt64Bits(a.ExpectedShortfall[t - first]) == BitConverter.DoubleToInt64Bits(b.ExpectedShortfall[t - first]), $"{name}: ES of day {t} moved");
        }
        // …and the perturbation does reach the later days (so the comparison above could have failed).
        Assert.NotEqual(a.ValueAtRisk[^1], b.ValueAtRisk[^1]);
        Assert.Equal(reestimation, a.ReestimationDays);
    }

    [Theory]
    [InlineData(null, PositionSide.Long, 2)]
    [InlineData(250, PositionSide.Short, 2)]
    [InlineData(400, PositionSide.Long, 10)]
    public void RollingHistoricalSimulationEqualsNaiveRecomputationEachDay(int? lookback, PositionSide side, int h)
    {
        var spec = new RiskSpec { Method = RiskMethod.Historical, LookbackDays = lookback, Side = side, HorizonDays = h };
        const int first = 450;
        var s = RollingRisk.Compute(Returns, spec, first, 1);
        Assert.Equal(Returns.Length - first, s.ValueAtRisk.Length);
        for (int t = first; t < Returns.Length; t++)
        {
            int a = lookback is { } l ? Math.Max(0, t - l + 1) : 0;
            var naive = HistoricalSimulation.Estimate(Returns.AsSpan(a, t - a + 1), h, spec.Confidence, side);
            Assert.Equal(naive.ValueAtRisk, s.ValueAtRisk[t - first]);
            Assert.Equal(naive.ExpectedShortfall, s.ExpectedShortfall[t - first]);
        }
    }

    [Fact]
    public void RollingEvtEqualsNaivePeaksOverThresholdEachDay()
    {
        var spec = new RiskSpec { Method = RiskMethod.Evt, LookbackDays = 500 };
        const int first = 600;
        var s = RollingRisk.Compute(Returns, spec, first, 1);
        for (int t = first; t < Returns.Length; t += 13)
        {
            var window = Returns.AsSpan(t - 499, 500);
            var losses = new double[window.Length - 1];
            for (int j = 0; j < losses.Length; j++) losses[j] = PositionLoss.Of(window[j] + window[j + 1], PositionSide.Long);
            var naive = PeaksOverThreshold.Estimate(losses, 0.99);
            Assert.Equal(naive.Risk.ValueAtRisk, s.ValueAtRisk[t - first]);
            Assert.Equal(naive.Risk.ExpectedShortfall, s.ExpectedShortfall[t - first]);
        }
    }

    [Fact]
    public void DailyRefitRollingGarchMatchesTheFacadeOnTheSameData()
    {
        var spec = new RiskSpec { Method = RiskMethod.Normal };
        var s = RollingRisk.Compute(Returns, spec, Returns.Length - 3, 1);
        for (int i = 0; i < 3; i++)
        {
            int t = Returns.Length - 3 + i;
            var facade = RiskMeasures.Estimate(Returns.AsSpan(0, t + 1), spec);
            // Warm vs cold start: the same maximum to optimizer tolerance.
            Assert.Equal(facade.Risk.ValueAtRisk, s.ValueAtRisk[i], facade.Risk.ValueAtRisk * 1e-4);
            Assert.Equal(facade.Volatility!.Value, s.Volatility![i], facade.Volatility.Value * 1e-4);
        }
    }

    [Fact]
    public void BetweenRefitsTheVarianceFollowsTheGarchRecursion()
    {
        // Re-fit every 50 days: on day first + k (k < 50) the 1-day volatility must be √h_{t+1} from the recursion
        // run with the parameters fitted on day first (a fit we redo here, cold; same maximum to tolerance).
        var spec = new RiskSpec { Method = RiskMethod.Normal, HorizonDays = 1 };
        const int first = 700;
        var s = RollingRisk.Compute(Returns, spec, first, 50);
        var fit = ReturnModel.Fit(Returns.AsSpan(0, first + 1), RiskMeasures.ModelFor(spec));
        var h = ReturnModel.ConditionalVariances(Returns.AsSpan(0, first + 40), fit.Spec, fit.Parameters);
        Assert.Equal(Math.Sqrt(h[^1]), s.Volatility![39], Math.Sqrt(h[^1]) * 1e-4);
        Assert.Equal(2, RollingRisk.Compute(Returns, spec, first, 250).Fits);
    }

    [Fact]
    public void SharedFitsGiveTheSameBitsAsFreshFits()
    {
        var cache = new RollingFitCache();
        var t = new RiskSpec { Method = RiskMethod.StudentT, LookbackDays = 800 };
        var fhs = t with { Method = RiskMethod.FilteredHistorical, Paths = 1000, Side = PositionSide.Short };
        var a = RollingRisk.Compute(Returns, t, 700, 30, cache);
        int held = cache.Count;
        var b = RollingRisk.Compute(Returns, fhs, 700, 30, cache);
        Assert.Equal(held, cache.Count); // the fhs run re-used every GARCH-t fit
        Assert.Equal(RollingRisk.Compute(Returns, t, 700, 30).ValueAtRisk, a.ValueAtRisk);
        Assert.Equal(RollingRisk.Compute(Returns, fhs, 700, 30).ExpectedShortfall, b.ExpectedShortfall);
    }

    [Theory]
    [InlineData(RiskMethod.FilteredHistorical, null)]
    [InlineData(RiskMethod.StudentT, 0.97)]
    [InlineData(RiskMethod.Historical, null)]
    public void SeveralOutputsInOnePassEqualSeparateRunsBitForBit(RiskMethod method, double? lambda)
    {
        // One pass shares fits and (fhs) the day's paths across sides and confidences; nothing may change.
        var spec = new RiskSpec { Method = method, LookbackDays = 400, Lambda = lambda, Paths = 2000, Seed = 9 };
        (double, PositionSide)[] outputs = [(0.99, PositionSide.Long), (0.99, PositionSide.Short), (0.95, PositionSide.Long), (0.95, PositionSide.Short)];
        var together = RollingRisk.Compute(Returns, spec, outputs, 600, 25);
        for (int o = 0; o < outputs.Length; o++)
        {
            var alone = RollingRisk.Compute(Returns, spec with { Confidence = outputs[o].Item1, Side = outputs[o].Item2 }, 600, 25);
            Assert.Equal(alone.ValueAtRisk, together[o].ValueAtRisk);
            Assert.Equal(alone.ExpectedShortfall, together[o].ExpectedShortfall);
        }
    }
}
