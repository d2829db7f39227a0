using CryptoMargin.Backtesting;

namespace CryptoMargin.Tests.Backtesting;

public class KupiecTests
{
    [Fact]
    public void StatisticEqualsHandComputedValue()
    {
        // n = 20, x = 3, p = 0.05, x/n = 0.15:
        // ln L0 = 17 ln 0.95 + 3 ln 0.05 = −0.871986 − 8.987197 = −9.859183
        // ln L1 = 17 ln 0.85 + 3 ln 0.15 = −2.762822 − 5.691360 = −8.454182
        // LR = −2(ln L0 − ln L1) = 2.810002138; p = P(χ²₁ ≥ LR) = erfc(√(LR/2)) = 0.093678251.
        var r = Kupiec.ProportionOfFailures(20, 3, 0.05);
        Assert.Equal(2.81000213826103, r.Statistic, 12);
        Assert.Equal(0.0936782508519142, r.PValue, 12);
    }

    [Fact]
    public void NoExceedancesIsExact()
    {
        // x = 0: ln L1 = 250 ln 1 + 0·ln 0 = 0, so LR = −2·250·ln 0.99 = 5.025167927; p = erfc(√2.5125840) = 0.024981503.
        var r = Kupiec.ProportionOfFailures(250, 0, 0.01);
        Assert.Equal(5.025167926750726, r.Statistic, 12);
        Assert.Equal(0.02498150305344971, r.PValue, 12);
    }

    [Fact]
    public void AllExceedancesIsExact()
    {
        // x = n = 4, p = 0.5: ln L1 = 4 ln 1 = 0, LR = −2·4·ln 0.5 = 8 ln 2 = 5.545177444; p = erfc(√(4 ln 2)) = 0.018531678.
        var r = Kupiec.ProportionOfFailures(4, 4, 0.5);
        Assert.Equal(5.545177444479562, r.Statistic, 12);
        Assert.Equal(0.018531677751199068, r.PValue, 12);
    }

    [Fact]
    public void ExactlyExpectedCountHasZeroStatistic()
    {
        var r = Kupiec.ProportionOfFailures(1000, 10, 0.01);
        Assert.Equal(0, r.Statistic, 12);
        Assert.Equal(1, r.PValue, 12);
    }

    [Fact]
    public void RejectionRateUnderNullIsNearNominal()
    {
        // 2,000 seeded Bernoulli(0.05) sequences of 1,000 days; the exact size of the 5% test at n = 1000, p = 0.05
        // (sum of binomial probabilities of the rejected counts) is 5.14%.
        var rng = new Random(20260301);
        var rejected = 0;
        const int sequences = 2000, n = 1000;
        for (var s = 0; s < sequences; s++)
        {
            var x = 0;
            for (var t = 0; t < n; t++) if (rng.NextDouble() < 0.05) x++;
            if (Kupiec.ProportionOfFailures(n, x, 0.05).PValue < 0.05) rejected++;
        }
        var rate = (double)rejected / sequences;
        Assert.InRange(rate, 0.03, 0.075);
    }

    [Fact]
    public void InvalidInputThrows()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Kupiec.ProportionOfFailures(10, 11, 0.01));
        Assert.Throws<ArgumentOutOfRangeException>(() => Kupiec.ProportionOfFailures(10, 1, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => Kupiec.ProportionOfFailures(10, 1, 1));
    }
}
