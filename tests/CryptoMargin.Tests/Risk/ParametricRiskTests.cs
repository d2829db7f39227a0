using CryptoMargin.Risk;
using MathNet.Numerics;
using MathNet.Numerics.Distributions;

namespace CryptoMargin.Tests.Risk;

/// <summary>
/// Closed forms against simulation: the empirical VaR/ES of 10⁶ i.i.d. draws (h = 1 historical simulation) must
/// converge to the parametric figures. Monte Carlo error of a 99% quantile with n = 10⁶ is about 0.3% relative,
/// of the ES about 0.5%: tolerances are 2%.
/// </summary>
public class ParametricRiskTests
{
    private const int N = 1_000_000;

    [Theory]
    [InlineData(PositionSide.Long, 0.99)]
    [InlineData(PositionSide.Short, 0.99)]
    [InlineData(PositionSide.Long, 0.975)]
    [InlineData(PositionSide.Short, 0.975)]
    public void NormalClosedFormMatchesSimulatedNormalReturns(PositionSide side, double c)
    {
        const double m = 0.002, s = 0.08; // a volatile coin over a few days: convexity of eʳ matters
        var r = new double[N];
        Normal.Samples(new Random(11), r, m, s);
        var empirical = HistoricalSimulation.Estimate(r, 1, c, side);
        var closed = ParametricRisk.Normal(m, s, c, side);
        Assert.Equal(empirical.ValueAtRisk, closed.ValueAtRisk, closed.ValueAtRisk * 0.02);
        Assert.Equal(empirical.ExpectedShortfall, closed.ExpectedShortfall, closed.ExpectedShortfall * 0.02);
    }

    [Theory]
    [InlineData(PositionSide.Long)]
    [InlineData(PositionSide.Short)]
    public void NormalExpectedShortfallEqualsNumericalTailIntegral(PositionSide side)
    {
        const double m = -0.001, s = 0.12, c = 0.99;
        double z = Normal.InvCDF(0, 1, c);
        // Integrate the loss against the N(m, s²) density over the tail by Gauss–Kronrod (independent of the
        // lognormal partial-expectation formula in the code).
        double integral = side == PositionSide.Long
            ? Integrate.GaussKronrod(x => (1 - Math.Exp(x)) * Normal.PDF(m, s, x), double.NegativeInfinity, m - s * z, 1e-12, 20, 31)
            : Integrate.GaussKronrod(x => Math.Exp(x - (x - m) * (x - m) / (2 * s * s)) / (s * Math.Sqrt(2 * Math.PI)) - Normal.PDF(m, s, x),
                m + s * z, double.PositiveInfinity, 1e-12, 20, 31); // (eˣ − 1)·φ written so that ∞·0 never occurs
        var closed = ParametricRisk.Normal(m, s, c, side);
        Assert.Equal(integral / (1 - c), closed.ExpectedShortfall, 1e-9);
    }

    [Theory]
    [InlineData(4.0)]
    [InlineData(8.0)]
    public void StudentTMatchesSimulatedStandardizedT(double nu)
    {
        const double m = 0.001, s = 0.06, c = 0.99;
        var r = new double[N];
        StudentT.Samples(new Random(12), r, 0, 1, nu);
        double k = Math.Sqrt((nu - 2) / nu); // unit variance
        for (int i = 0; i < N; i++) r[i] = m + s * k * r[i];

        var longEmp = HistoricalSimulation.Estimate(r, 1, c, PositionSide.Long);
        var longT = ParametricRisk.StudentT(m, s, nu, c, PositionSide.Long);
        Assert.Equal(longEmp.ValueAtRisk, longT.ValueAtRisk, longT.ValueAtRisk * 0.02);
        Assert.Equal(longEmp.ExpectedShortfall, longT.ExpectedShortfall, longT.ExpectedShortfall * 0.02);

        // Short: VaR exact; ES is documented as e^{E[R | R ≥ q]} − 1 (the exact one is +∞ for a t tail).
        var shortEmp = HistoricalSimulation.Estimate(r, 1, c, PositionSide.Short);
        var shortT = ParametricRisk.StudentT(m, s, nu, c, PositionSide.Short);
        Assert.Equal(shortEmp.ValueAtRisk, shortT.ValueAtRisk, shortT.ValueAtRisk * 0.02);
        Array.Sort(r);
        double q = r[(int)Math.Ceiling(c * N) - 1];
        double tailMean = r.Where(x => x >= q).Average();
        Assert.Equal(Math.Exp(tailMean) - 1, shortT.ExpectedShortfall, shortT.ExpectedShortfall * 0.02);
    }

    [Theory]
    [InlineData(3.5)]
    [InlineData(5.0)]
    [InlineData(30.0)]
    public void StudentTLongEsIntegralAgreesWithRScaleClosedFormForSmallVolatility(double nu)
    {
        // For small s, 1 − e^R ≈ −R, so ES ≈ −m + s·√((ν−2)/ν)·f_ν(t_c)(ν + t_c²)/((ν − 1)(1 − c)), the t ES
        // (McNeil, Frey & Embrechts 2015, Example 2.15); the next term is O(s²).
        const double m = 0, s = 1e-4, c = 0.99;
        double tc = StudentT.InvCDF(0, 1, nu, c);
        double rScaleEs = s * Math.Sqrt((nu - 2) / nu) * StudentT.PDF(0, 1, nu, tc) * (nu + tc * tc) / ((nu - 1) * (1 - c));
        var t = ParametricRisk.StudentT(m, s, nu, c, PositionSide.Long);
        Assert.Equal(rScaleEs, t.ExpectedShortfall, rScaleEs * 1e-3);
        Assert.True(t.ExpectedShortfall > t.ValueAtRisk);
    }

    [Fact]
    public void ShortLosesMoreThanLongOnSymmetricReturnsBecauseOfConvexity()
    {
        // Symmetric R: short loss e^q − 1 exceeds long loss 1 − e^{−q}.
        var l = ParametricRisk.Normal(0, 0.1, 0.99, PositionSide.Long);
        var sh = ParametricRisk.Normal(0, 0.1, 0.99, PositionSide.Short);
        double z = Normal.InvCDF(0, 1, 0.99);
        Assert.Equal(1 - Math.Exp(-0.1 * z), l.ValueAtRisk, 1e-12);
        Assert.Equal(Math.Exp(0.1 * z) - 1, sh.ValueAtRisk, 1e-12);
        Assert.True(sh.ValueAtRisk > l.ValueAtRisk && sh.ExpectedShortfall > l.ExpectedShortfall);
        Assert.True(ParametricRisk.StudentT(0, 0.1, 5, 0.99, PositionSide.Short).ValueAtRisk
            > ParametricRisk.StudentT(0, 0.1, 5, 0.99, PositionSide.Long).ValueAtRisk);
    }

    [Fact]
    public void LongAndShortDifferOnSkewedData()
    {
        // Left-skewed returns (crash risk): r = 0.02·z − 0.15 with probability 2%, seeded. The long side's tail holds
        // the crashes, the short side's does not.
        var rng = new Random(5);
        var r = new double[200_000];
        var z = new double[r.Length];
        Normal.Samples(rng, z, 0, 1);
        for (int i = 0; i < r.Length; i++) r[i] = 0.02 * z[i] - (rng.NextDouble() < 0.02 ? 0.15 : 0);
        var l = HistoricalSimulation.Estimate(r, 1, 0.99, PositionSide.Long);
        var sh = HistoricalSimulation.Estimate(r, 1, 0.99, PositionSide.Short);
        Assert.True(l.ValueAtRisk > 2 * sh.ValueAtRisk, $"long {l.ValueAtRisk}, short {sh.ValueAtRisk}");
    }

    [Theory]
    [InlineData(0.5)]
    [InlineData(1.0)]
    [InlineData(double.NaN)]
    public void ConfidenceOutsideTheOpenIntervalIsRejected(double c)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ParametricRisk.Normal(0, 0.1, c, PositionSide.Long));
        Assert.Throws<ArgumentOutOfRangeException>(() => ParametricRisk.StudentT(0, 0.1, 5, c, PositionSide.Long));
    }
}
