using CryptoMargin.Risk;
using MathNet.Numerics;
using MathNet.Numerics.Distributions;

namespace CryptoMargin.Tests.Risk;

public class StudentTKernelsTests
{
    public static TheoryData<double, double> Grid()
    {
        var data = new TheoryData<double, double>();
        foreach (double nu in new[] { 2.05, 2.5, 3, 3.7, 5, 8, 15, 40, 200 })
            foreach (double c in new[] { 0.9, 0.95, 0.975, 0.99, 0.995, 0.999 })
                data.Add(nu, c);
        return data;
    }

    [Theory]
    [MemberData(nameof(Grid))]
    public void UpperQuantileInvertsTheCdf(double nu, double c)
    {
        double t = StudentTKernels.UpperQuantile(nu, c);
        // The defining property, on the tail scale (no cancellation), and MathNet's own root search.
        Assert.Equal(1 - c, StudentT.CDF(0, 1, nu, -t), (1 - c) * 1e-11);
        Assert.Equal(StudentT.InvCDF(0, 1, nu, c), t, Math.Abs(t) * 2e-9);
    }


    [Theory]
    [MemberData(nameof(Grid))]
    public void TailIntegralMatchesAdaptiveGaussKronrod(double nu, double c)
    {
        double tc = StudentT.InvCDF(0, 1, nu, c);
        double logC = StudentTKernels.LogNormaliser(nu);
        // Unit integrand: the tail probability 1 − c exactly.
        Assert.Equal(1 - c, StudentTKernels.TailIntegral(new Constant(), nu, tc, logC), (1 - c) * 5e-9);
        foreach (double s in new[] { 1e-4, 0.01, 0.1, 0.5, 2 })
        {
            const double m = 0.001;
            double reference = Integrate.GaussKronrod(x => (1 - Math.Exp(m + s * x)) * StudentT.PDF(0, 1, nu, x), double.NegativeInfinity, -tc, 1e-12, 25, 31);
            double fast = StudentTKernels.TailIntegral(new Loss(m, s), nu, tc, logC);
            Assert.Equal(reference, fast, Math.Abs(reference) * 5e-9);
        }
    }

    private readonly struct Constant : ITailIntegrand
    {
        public double At(double u) => 1;
    }

    private readonly struct Loss(double m, double s) : ITailIntegrand
    {
        public double At(double u) => 1 - Math.Exp(m - s * u);
    }
}
