using CryptoMargin.Backtesting;
using MathNet.Numerics.Distributions;

namespace CryptoMargin.Tests.Backtesting;

public class EsBacktestTests
{
    private const double Confidence = 0.975;
    private const double Nu = 5;

    /// <summary>
    /// Losses σ_t·T_t with T ~ Student-t(ν) and σ_t varying (a volatility regime), with the exact VaR and ES:
    /// VaR = σ q, ES = σ (ν + q²)/(ν − 1) · f_ν(q)/(1 − c), q = t_ν⁻¹(c) (McNeil, Frey &amp; Embrechts 2005, Ex. 2.19).
    /// </summary>
    internal static (double[] Loss, double[] Var, double[] Es) StudentTDays(int days, int seed, double confidence = Confidence)
    {
        var rng = new Random(seed);
        var t = new StudentT(0, 1, Nu, rng);
        var q = StudentT.InvCDF(0, 1, Nu, confidence);
        var esUnit = (Nu + q * q) / (Nu - 1) * StudentT.PDF(0, 1, Nu, q) / (1 - confidence);
        double[] loss = new double[days], var = new double[days], es = new double[days];
        for (var d = 0; d < days; d++)
        {
            var sigma = 0.02 * (1 + 0.8 * Math.Sin(d / 60.0));
            loss[d] = sigma * t.Sample();
            var[d] = sigma * q;
            es[d] = sigma * esUnit;
        }
        return (loss, var, es);
    }

    [Fact]
    public void CorrectModelIsRejectedNearNominalRate()
    {
        // 200 independent 2,000-day samples (≈ 50 exceedances each) from the very distribution the ES comes from.
        const int repetitions = 200;
        int rejected = 0;
        double sumP = 0;
        for (var s = 0; s < repetitions; s++)
        {
            var (loss, var, es) = StudentTDays(2000, 1000 + s);
            var p = EsBacktest.Test(loss, var, es, Confidence, 499, s).PValue;
            sumP += p;
            if (p < 0.05) rejected++;
        }
        Assert.InRange((double)rejected / repetitions, 0.0, 0.10);
        Assert.InRange(sumP / repetitions, 0.35, 0.65);
    }

    [Fact]
    public void UnderstatedEsIsRejectedWithHighPower()
    {
        const int repetitions = 100;
        var rejected = 0;
        for (var s = 0; s < repetitions; s++)
        {
            var (loss, var, es) = StudentTDays(2000, 5000 + s);
            for (var d = 0; d < es.Length; d++) es[d] *= 0.7;
            if (EsBacktest.Test(loss, var, es, Confidence, 499, s).PValue < 0.05) rejected++;
        }
        Assert.True(rejected >= 90, $"rejected {rejected} of {repetitions}");
    }

    [Fact]
    public void SameSeedSameResultOtherSeedOtherPValue()
    {
        var (loss, var, es) = StudentTDays(2000, 7);
        var a = EsBacktest.Test(loss, var, es, Confidence, seed: 3);
        var b = EsBacktest.Test(loss, var, es, Confidence, seed: 3);
        var c = EsBacktest.Test(loss, var, es, Confidence, seed: 4);
        Assert.Equal(a, b);
        Assert.Equal(a.Statistic, c.Statistic);
        Assert.NotEqual(a.PValue, c.PValue);
    }

    [Fact]
    public void StatisticIsStudentisedMeanOfExceedanceResiduals()
    {
        // VaR 1, ES 2 every day; exceedances at losses 1.5, 2, 2.5, 3, 4 → residuals (L − 2)/2 = −0.25, 0, 0.25, 0.5, 1.
        // Mean 0.3; squared deviations 0.3025 + 0.09 + 0.0025 + 0.04 + 0.49 = 0.925, s² = 0.925/4 = 0.23125;
        // t = 0.3 / √(0.23125/5) = 1.394972.
        double[] loss = [0.5, 1.5, 0.2, 2, 2.5, 1.0, 3, 4, 0.9];
        var var = Enumerable.Repeat(1.0, loss.Length).ToArray();
        var es = Enumerable.Repeat(2.0, loss.Length).ToArray();
        var r = EsBacktest.Test(loss, var, es, 0.99);
        Assert.Equal(0.3 / Math.Sqrt(0.23125 / 5), r.Statistic, 12);
        Assert.InRange(r.PValue, 0.0005, 1);
    }

    [Fact]
    public void TooFewExceedancesGivesPValueOne()
    {
        // Four exceedances (< MinimumExceedances = 5), each far beyond ES: no test, p = 1.
        double[] loss = [5, 5, 5, 5, 0, 0];
        var r = EsBacktest.Test(loss, [1, 1, 1, 1, 1, 1], [2, 2, 2, 2, 2, 2], 0.99);
        Assert.True(double.IsNaN(r.Statistic));
        Assert.Equal(1, r.PValue);
    }
}
