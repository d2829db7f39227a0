using CryptoMargin.Calibration;
using CryptoMargin.Margin;
using CryptoMargin.Risk;

namespace CryptoMargin.Tests.Calibration;

public class PolicyCalibratorTests
{
    // Three risk measures told apart by method; the stand-in engine gives each a VaR multiplier of σ̂·√h.
    private static CalibrationConfig Config(params AntiProcyclicality[] apc) => new()
    {
        Methods = [RiskMethod.Historical, RiskMethod.Normal, RiskMethod.StudentT],
        LookbackDays = [20],
        Lambdas = [],
        ApcOptions = apc.Length == 0 ? [AntiProcyclicality.None] : apc,
        Max30DayIncrease = null,
    };

    private static Func<PolicyCandidate, CandidateSeries> Engine(CalibrationInput input, double hs, double normal, double t, List<PolicyCandidate>? calls = null) =>
        c =>
        {
            calls?.Add(c);
            double m = c.Method switch { RiskMethod.Historical => hs, RiskMethod.Normal => normal, _ => t };
            return StandIns.Rolling(input.DailyLogReturns, m, c.MporDays);
        };

    private static CalibrationResult Run(CalibrationInput input, CalibrationConfig config, Func<PolicyCandidate, CandidateSeries> engine) =>
        PolicyCalibrator.Calibrate(input, config, engine, StandIns.Backtest, StandIns.Verdict);

    [Fact]
    public void ChoosesTheCheapestCandidateThatPassesAndReportsThemAll()
    {
        // 99% Normal quantile is 2.33σ·√h: multiplier 0.5 under-margins badly, 3 and 4.5 pass; 3 is cheaper.
        var input = StandIns.Input(1500);
        var result = Run(input, Config(), Engine(input, hs: 0.5, normal: 4.5, t: 3.0));

        Assert.Equal(3, result.Frontier.Count);
        var hs = result.Frontier.Single(e => e.Candidate.Method == RiskMethod.Historical);
        Assert.False(hs.Passes);
        Assert.Contains(hs.Failures, f => f.StartsWith("long: ", StringComparison.Ordinal));
        Assert.Contains(hs.Failures, f => f.StartsWith("short: ", StringComparison.Ordinal));
        Assert.All(result.Frontier.Where(e => e != hs), e => Assert.True(e.Passes));

        Assert.NotNull(result.Chosen);
        Assert.Equal(RiskMethod.StudentT, result.Chosen!.Candidate.Method);
        Assert.False(result.Fallback);
        Assert.Null(result.Reason);
        Assert.True(result.Chosen.AverageMargin < result.Frontier.Single(e => e.Candidate.Method == RiskMethod.Normal).AverageMargin);

        var policy = result.Policy;
        Assert.Equal(RiskMethod.StudentT, policy.Method);
        Assert.Equal(0.99, policy.Confidence);
        Assert.Equal(2, policy.MporDays);
        Assert.Equal(result.Chosen.Margin[^1], policy.InitialMarginRate);          // the current requirement
        Assert.Equal(0.5 * policy.InitialMarginRate, policy.MaintenanceMarginRate); // no maintenance series: fixed fraction
        Assert.Equal(policy.MaintenanceMarginRate, policy.LiquidationThreshold);
        Assert.Equal(3, policy.Candidates.Count);
        Assert.Equal(input.Dates[0], policy.Start);
        Assert.Equal(input.Dates[^1], policy.End);
        Assert.False(policy.Fallback);
        Assert.Empty(policy.Tiers); // no volume given
    }

    [Fact]
    public void WindowsAreTheFirst70PercentAndTheRest()
    {
        var input = StandIns.Input(1000);
        var result = Run(input, Config(), Engine(input, 0.5, 4.5, 3.0));
        Assert.Equal(19, result.EvaluationStart);     // the stand-in needs 20 returns
        Assert.Equal(700, result.HoldoutStart);       // ⌊0.7·1000⌋
        Assert.Equal(698, result.CalibrationEnd);     // margin at 697 is judged by r_698, r_699
        Assert.Equal(998, result.BacktestEnd);        // the last 2 days' losses are unknown
        Assert.Equal(998 - 700, result.Holdout!.Long.Observations);
        Assert.Equal(698 - 19, result.Chosen!.Calibration.Long.Observations);
        Assert.Equal(new DateOnly(2020, 1, 1).AddDays(700), result.Policy.HoldoutFrom);

        var fromDate = Run(input, Config() with { HoldoutFrom = new DateOnly(2020, 1, 1).AddDays(600) }, Engine(input, 0.5, 4.5, 3.0));
        Assert.Equal(600, fromDate.HoldoutStart);
    }

    [Fact]
    public void WhenNothingPassesItFallsBackToTheMostConservativeCandidateAndSaysSo()
    {
        var input = StandIns.Input(1500);
        var result = Run(input, Config(), Engine(input, hs: 0.3, normal: 0.6, t: 0.9));

        Assert.All(result.Frontier, e => Assert.False(e.Passes));
        Assert.Null(result.Chosen);
        Assert.True(result.Fallback);
        Assert.Contains("no candidate passes", result.Reason);
        Assert.Equal(RiskMethod.StudentT, result.Selected.Candidate.Method); // highest average margin
        Assert.True(result.Policy.Fallback);
        Assert.Equal(result.Reason, result.Policy.FallbackReason);
        // never a lower margin than any candidate would set today
        Assert.All(result.Frontier, e => Assert.True(result.Policy.InitialMarginRate >= e.Margin[^1]));
    }

    [Fact]
    public void HoldoutDataPlaysNoPartInTheChoice()
    {
        var input = StandIns.Input(1500);
        var config = Config();
        var a = Run(input, config, Engine(input, 0.5, 4.5, 3.0));

        // Replace the holdout by calm days (±0.1%) with a −30% crash every 25th day, which the 20-day window never sees coming:
        // the choice and everything measured on the calibration window stay.
        var r = (double[])input.DailyLogReturns.Clone();
        for (int t = a.HoldoutStart; t < r.Length; t++) r[t] = t % 25 == 0 ? -0.3 : (t % 2 == 0 ? 0.001 : -0.001);
        var crashed = input with { DailyLogReturns = r };
        var b = Run(crashed, config, Engine(crashed, 0.5, 4.5, 3.0));

        Assert.Equal(a.Chosen!.Candidate, b.Chosen!.Candidate);
        for (int i = 0; i < a.Frontier.Count; i++)
        {
            Assert.Equal(a.Frontier[i].AverageMargin, b.Frontier[i].AverageMargin);
            Assert.Equal(a.Frontier[i].Calibration, b.Frontier[i].Calibration);
            Assert.Equal(a.Frontier[i].Passes, b.Frontier[i].Passes);
        }
        Assert.True(b.Holdout!.Long.Exceedances > a.Holdout!.Long.Exceedances); // the holdout did change
    }

    [Fact]
    public void ApcOptionsShareOneRiskSeriesAndMarginIsTheLargerSide()
    {
        var input = StandIns.Input(800);
        var calls = new List<PolicyCandidate>();
        var config = Config(AntiProcyclicality.None, new AntiProcyclicality { Buffer = 0.25 });
        var result = Run(input, config, Engine(input, 0.5, 4.5, 3.0, calls));
        Assert.Equal(6, result.Frontier.Count);
        Assert.Equal(3, calls.Count);

        // Long and short VaR differ: the margin is the larger of the two on each day.
        var longVar = Enumerable.Range(0, 800).Select(t => t < 5 ? double.NaN : 0.05 + 0.01 * Math.Sin(t)).ToArray();
        var shortVar = Enumerable.Range(0, 800).Select(t => t < 5 ? double.NaN : 0.05 + 0.01 * Math.Cos(t)).ToArray();
        var s = new CandidateSeries(longVar, shortVar, longVar, shortVar);
        var c = new PolicyCandidate(RiskMethod.Historical, 250, null, AntiProcyclicality.None, 0.99, 2);
        var margin = PolicyCalibrator.MarginSeries(c, s, 5);
        Assert.True(double.IsNaN(margin[4]));
        for (int t = 5; t < 800; t++) Assert.Equal(Math.Max(longVar[t], shortVar[t]), margin[t]);
    }

    [Fact]
    public void RealizedLossIsTheNextHDaysMoveOfEachSide()
    {
        double[] r = [0.01, 0.02, -0.03, 0.04];
        var longLoss = PolicyCalibrator.RealizedLosses(r, 2, PositionSide.Long);
        var shortLoss = PolicyCalibrator.RealizedLosses(r, 2, PositionSide.Short);
        Assert.Equal(1 - Math.Exp(-0.01), longLoss[0], 1e-15);  // r1 + r2 = −0.01
        Assert.Equal(Math.Exp(-0.01) - 1, shortLoss[0], 1e-15);
        Assert.Equal(1 - Math.Exp(0.01), longLoss[1], 1e-15);   // r2 + r3 = 0.01
        Assert.True(double.IsNaN(longLoss[2]) && double.IsNaN(longLoss[3]));
    }

    [Fact]
    public void MaintenanceFractionAndTiersFollowTheRules()
    {
        var input = StandIns.Input(1000, volume: Enumerable.Repeat(2e9, 1000).ToArray());
        Func<PolicyCandidate, CandidateSeries> engine = c =>
        {
            var s = StandIns.Rolling(input.DailyLogReturns, c.Method == RiskMethod.StudentT ? 3.0 : 4.5, c.MporDays);
            // VaR at the maintenance confidence is 0.6 of VaR every day: MM/IM = 0.6
            return s with { MaintenanceValueAtRisk = s.LongValueAtRisk.Select(v => 0.6 * v).ToArray() };
        };
        var config = Config() with { Tiers = new TierSettings(1.0, [2e7, 2e8]) };
        var p = Run(input, config, engine).Policy;
        Assert.Equal(0.6, p.MaintenanceRule.Fraction, 1e-12);
        Assert.Equal(0.95, p.MaintenanceRule.MaintenanceConfidence);
        Assert.Equal(0.6 * p.InitialMarginRate, p.MaintenanceMarginRate, 1e-12);

        // σ = sample sd of the last 20 returns (the lookback); tier 1 add-on = σ·√(2e7/2e9) = 0.1σ
        var last = input.DailyLogReturns[^20..];
        double mean = last.Average();
        double sigma = Math.Sqrt(last.Sum(x => (x - mean) * (x - mean)) / 19);
        Assert.Equal(2, p.Tiers.Count);
        Assert.Equal(p.InitialMarginRate + 0.1 * sigma, p.Tiers[0].InitialMarginRate, 1e-12);
        Assert.Equal(0.6 * p.Tiers[1].InitialMarginRate, p.Tiers[1].MaintenanceMarginRate, 1e-12);
    }

    [Fact]
    public void ProcyclicalityBoundIsACriterion()
    {
        var input = StandIns.Input(1500);
        var result = Run(input, Config() with { MaxPeakToTrough = 1.01 }, Engine(input, 0.5, 4.5, 3.0));
        Assert.Null(result.Chosen); // a rolling 20-day σ moves far more than 1%
        Assert.All(result.Frontier, e => Assert.Contains(e.Failures, f => f.StartsWith("procyclicality", StringComparison.Ordinal)));
    }

    [Fact]
    public void FloorCandidateWithoutAFloorSeriesIsAnError()
    {
        var input = StandIns.Input(500);
        Assert.Throws<ArgumentException>(() => Run(input, Config(new AntiProcyclicality { Floor = true }), Engine(input, 0.5, 4.5, 3.0)));
    }
}
