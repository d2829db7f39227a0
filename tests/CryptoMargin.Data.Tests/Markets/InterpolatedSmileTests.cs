using CryptoMargin.MarketData;
using CryptoMargin.Surfaces;

namespace CryptoMargin.Data.Tests.Markets;

/// <summary>
/// <see cref="InterpolatedSmile"/> (the <c>--vols marks</c> smile) on hand-built knots: exact at the knots, exact on a
/// parabola (the knot slopes are the three-point parabola slopes), convex where the data are convex, monotone and free of
/// overshoot where the data are monotone (Schumaker 1983), and linear wings whose slopes respect Lee's (2004) bound of 2
/// and have g(k) ≥ 0 (Gatheral &amp; Jacquier 2014, eq. 2.1) throughout, checked on a grid against the closed-form
/// wing condition.
/// </summary>
public class InterpolatedSmileTests
{
    private static double[] Grid(double from, double to, int points) =>
        [.. Enumerable.Range(0, points).Select(i => from + (to - from) * i / (points - 1))];

    [Fact]
    public void ReproducesEveryKnotExactly()
    {
        var random = new Random(20260415);
        var k = new double[40];
        var w = new double[40];
        double x = -1.2;
        for (int i = 0; i < k.Length; i++)
        {
            x += 0.01 + 0.08 * random.NextDouble();
            k[i] = x;
            w[i] = 0.01 + 0.2 * random.NextDouble(); // deliberately wiggly: exactness must not depend on shape
        }
        var smile = new InterpolatedSmile(k, w);
        for (int i = 0; i < k.Length; i++) Assert.Equal(w[i], smile.TotalVariance(k[i]), 15);
        var fromVols = InterpolatedSmile.FromVolatilities(0.25, k, [.. w.Select(v => Math.Sqrt(v / 0.25))]);
        for (int i = 0; i < k.Length; i++) Assert.Equal(w[i], fromVols.TotalVariance(k[i]), 14);
    }

    /// <summary>
    /// Data on w(k) = 0.04 + 0.3 (k − 0.1)² (decreasing on the knots): every interval whose two knot slopes are the
    /// three-point parabola slopes is that parabola exactly (Schumaker's single-quadratic case), w'' = 0.6.
    /// </summary>
    [Fact]
    public void ReproducesAParabolaBetweenInnerKnots()
    {
        static double W(double k) => 0.04 + 0.3 * (k - 0.1) * (k - 0.1);
        double[] k = [-0.8, -0.65, -0.6, -0.42, -0.3, -0.27, -0.15, -0.05];
        var smile = new InterpolatedSmile(k, [.. k.Select(W)]);
        for (int i = 1; i < k.Length - 2; i++)
            foreach (var x in Grid(k[i], k[i + 1], 50))
            {
                var (w, slope, curvature) = smile.Evaluate(x);
                Assert.Equal(W(x), w, 13);
                Assert.Equal(0.6 * (x - 0.1), slope, 12);
                Assert.Equal(0.6, curvature, 10);
            }
    }

    /// <summary>Knots of a convex SVI-shaped w (Gatheral 2004, with b = 0.1, ρ = −0.3, σ = 0.1), unevenly spaced: w'' ≥ 0 everywhere.</summary>
    [Fact]
    public void ConvexDataGiveAConvexSmile()
    {
        var svi = new SviParameters(0.02, 0.1, -0.3, 0.05, 0.1);
        double[] k = [-1.1, -0.7, -0.45, -0.3, -0.22, -0.1, -0.05, 0.0, 0.04, 0.12, 0.3, 0.55, 0.9];
        var smile = new InterpolatedSmile(k, [.. k.Select(svi.TotalVariance)]);
        foreach (var x in Grid(-2, 2, 4001))
            Assert.True(smile.Curvature(x) >= -1e-12, $"w''({x}) = {smile.Curvature(x)}");
        // and it stays within the SVI curve's own error of linear interpolation: no overshoot above the chords
        for (int i = 0; i < k.Length - 1; i++)
            foreach (var x in Grid(k[i], k[i + 1], 20))
            {
                double chord = svi.TotalVariance(k[i]) + (svi.TotalVariance(k[i + 1]) - svi.TotalVariance(k[i])) * (x - k[i]) / (k[i + 1] - k[i]);
                Assert.True(smile.TotalVariance(x) <= chord + 1e-15, $"above the chord at {x}");
            }
    }

    /// <summary>Monotone data with an inflection (w = 0.1 − 0.05 tanh 3k): monotone interpolant, no value outside its two knots.</summary>
    [Fact]
    public void MonotoneDataGiveAMonotoneSmileWithoutOvershoot()
    {
        static double W(double k) => 0.1 - 0.05 * Math.Tanh(3 * k);
        double[] k = [-1.0, -0.6, -0.5, -0.2, -0.15, 0.0, 0.1, 0.35, 0.4, 0.8, 1.0];
        var smile = new InterpolatedSmile(k, [.. k.Select(W)]);
        for (int i = 0; i < k.Length - 1; i++)
            foreach (var x in Grid(k[i], k[i + 1], 100))
            {
                double w = smile.TotalVariance(x);
                Assert.True(w <= W(k[i]) + 1e-15 && w >= W(k[i + 1]) - 1e-15, $"w({x}) = {w} outside [{W(k[i + 1])}, {W(k[i])}]");
                Assert.True(smile.Slope(x) <= 1e-15, $"w'({x}) = {smile.Slope(x)} > 0");
            }
        // w' continuous at every knot (C¹ spline)
        foreach (var x in k.Skip(1).SkipLast(1))
            Assert.Equal(smile.Slope(x - 1e-9), smile.Slope(x + 1e-9), 6);
    }

    /// <summary>
    /// Steep data (secants 3 on the right, −0.8 on the left, beyond Lee's bound on the right): wings are linear (w'' = 0),
    /// their slopes lie in [0, 2) (Lee 2004) and g(k) ≥ 0 on a grid out to |k| = 50; w(k)/|k| ≤ 2 far out.
    /// A wing slope of the wrong sign (w falling away from the money) is flattened.
    /// </summary>
    [Fact]
    public void WingsAreLinearWithinLeesBoundAndFreeOfButterflyArbitrage()
    {
        double[] k = [-0.5, -0.3, -0.1, 0.0, 0.1, 0.2, 0.3];
        double[] w = [0.40, 0.24, 0.10, 0.08, 0.09, 0.3, 0.6];
        var smile = new InterpolatedSmile(k, w);
        Assert.InRange(smile.RightWingSlope, 0, InterpolatedSmile.MaxWingSlope - 1e-9);
        Assert.InRange(-smile.LeftWingSlope, 0, InterpolatedSmile.MaxWingSlope - 1e-9);
        foreach (var x in Grid(0.3 + 1e-9, 50, 5001).Concat(Grid(-50, -0.5 - 1e-9, 5001)))
        {
            var (wx, s, c) = smile.Evaluate(x);
            Assert.Equal(0, c);
            Assert.True(SurfaceArbitrage.Density(x, wx, s, c) >= -1e-12, $"g({x}) = {SurfaceArbitrage.Density(x, wx, s, c)}");
        }
        Assert.Equal(0.6 + smile.RightWingSlope * 10, smile.TotalVariance(10.3), 12);
        Assert.True(smile.TotalVariance(1e6) / 1e6 <= 2 && smile.TotalVariance(-1e6) / 1e6 <= 2);
        Assert.Empty(SurfaceArbitrage.Butterfly(smile, 0.5, 0.3 + 1e-9, 50));

        var falling = new InterpolatedSmile([-0.2, 0.0, 0.2], [0.05, 0.06, 0.04]);
        Assert.Equal(0, falling.LeftWingSlope);
        Assert.Equal(0, falling.RightWingSlope);
        Assert.Equal(0.04, falling.TotalVariance(3), 15);
    }

    /// <summary>
    /// The closed-form wing condition against brute force: g of the line w_e + s (k − k_e) on a grid of k ∈ [k_e, k_e + 200]
    /// (beyond which g is within 1e-3 of its limit 1/4 − s²/16), for seeded random wings.
    /// </summary>
    [Fact]
    public void WingConditionAgreesWithAGridOfTheDensity()
    {
        var random = new Random(7);
        int agree = 0, both = 0;
        for (int trial = 0; trial < 400; trial++)
        {
            double s = 1.98 * random.NextDouble(), ke = 2 * random.NextDouble() - 0.2, we = 0.005 + 0.4 * random.NextDouble();
            double minG = double.PositiveInfinity;
            foreach (var x in Grid(ke, ke + 200, 40001)) minG = Math.Min(minG, SurfaceArbitrage.Density(x, we + s * (x - ke), s, 0));
            bool closed = InterpolatedSmile.WingIsArbitrageFree(s, ke, we);
            if (Math.Abs(minG) < 1e-4) continue; // on the boundary: the grid cannot decide
            both++;
            if (closed == minG >= 0) agree++;
        }
        Assert.True(both > 300, $"{both} decisive trials");
        Assert.Equal(both, agree);
    }

    [Fact]
    public void BadKnotsAreNamed()
    {
        var unsorted = Assert.Throws<DataValidationException>(() => new InterpolatedSmile([0.1, 0.0], [0.04, 0.05]));
        Assert.Equal("logMoneyness", unsorted.Field);
        Assert.Contains("increase strictly", unsorted.Reason, StringComparison.Ordinal);
        var negative = Assert.Throws<DataValidationException>(() => new InterpolatedSmile([0.0, 0.1], [0.04, -0.01]));
        Assert.Equal("totalVariance", negative.Field);
        Assert.Contains("knot 1", negative.Reason, StringComparison.Ordinal);
        Assert.Throws<DataValidationException>(() => new InterpolatedSmile([0.0, 0.1], [0.04]));
        Assert.Throws<DataValidationException>(() => new InterpolatedSmile([], []));
        Assert.Throws<DataValidationException>(() => new InterpolatedSmile([double.NaN], [0.04]));
        Assert.Throws<DataValidationException>(() => InterpolatedSmile.FromVolatilities(0, [0.0], [0.5]));
    }
}
