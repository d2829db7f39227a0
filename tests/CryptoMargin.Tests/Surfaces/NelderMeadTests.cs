using CryptoMargin.Surfaces;

namespace CryptoMargin.Tests.Surfaces;

public class NelderMeadTests
{
    private struct Rosenbrock : ISmallObjective
    {
        public double Value(ReadOnlySpan<double> x) => 100 * Math.Pow(x[1] - x[0] * x[0], 2) + Math.Pow(1 - x[0], 2);
    }

    private struct ShiftedBowl : ISmallObjective
    {
        // Minimum 0.5 at (1, −2, 3).
        public double Value(ReadOnlySpan<double> x) => 0.5 + Math.Pow(x[0] - 1, 2) + 4 * Math.Pow(x[1] + 2, 2) + 0.25 * Math.Pow(x[2] - 3, 2);
    }

    [Fact]
    public void FindsRosenbrockMinimum()
    {
        // Rosenbrock (1960): global minimum 0 at (1, 1), classic start (−1.2, 1).
        var f = new Rosenbrock();
        Span<double> x = [-1.2, 1];
        var (value, iterations, converged) = NelderMead.Minimize(ref f, x, [0.5, 0.5], 2000);
        Assert.True(converged);
        Assert.True(iterations > 10);
        Assert.Equal(1, x[0], 1e-6);
        Assert.Equal(1, x[1], 1e-6);
        Assert.Equal(0, value, 1e-12);
    }

    [Fact]
    public void FindsThreeDimensionalQuadraticMinimum()
    {
        var f = new ShiftedBowl();
        Span<double> x = [0, 0, 0];
        var (value, _, converged) = NelderMead.Minimize(ref f, x, [1, 1, 1], 2000);
        Assert.True(converged);
        Assert.Equal(1, x[0], 1e-6);
        Assert.Equal(-2, x[1], 1e-6);
        Assert.Equal(3, x[2], 1e-6);
        Assert.Equal(0.5, value, 1e-12);
    }
}
