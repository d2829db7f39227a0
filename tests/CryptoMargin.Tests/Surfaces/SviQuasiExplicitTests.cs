using CryptoMargin.Surfaces;
using MathNet.Numerics.LinearAlgebra;

namespace CryptoMargin.Tests.Surfaces;

public class SviQuasiExplicitTests
{
    private static (double[] K, double[] W, double[] Omega) Data(SviParameters p, int n, double noise, int seed)
    {
        var rng = new Random(seed);
        var k = new double[n];
        var w = new double[n];
        var omega = new double[n];
        for (int i = 0; i < n; i++)
        {
            k[i] = -0.5 + 1.0 * i / (n - 1);
            w[i] = p.TotalVariance(k[i]) * (1 + noise * (2 * rng.NextDouble() - 1));
            omega[i] = 0.5 + rng.NextDouble();
        }
        return (k, w, omega);
    }

    [Fact]
    public void InteriorOptimumMatchesWeightedNormalEquationsByQr()
    {
        var p = new SviParameters(0.03, 0.2, -0.25, 0.02, 0.3);
        var (k, w, omega) = Data(p, 25, 0.02, 7);
        double m = 0.05, sigma = 0.25;
        double sse = SviQuasiExplicit.Solve(k, w, omega, m, sigma, out double a, out double d, out double c);

        // Independent reference: QR least squares of √ω·[1 y z] x = √ω·w (MathNet).
        var design = Matrix<double>.Build.Dense(k.Length, 3, (i, j) =>
        {
            double y = (k[i] - m) / sigma;
            return Math.Sqrt(omega[i]) * (j == 0 ? 1 : j == 1 ? y : Math.Sqrt(y * y + 1));
        });
        var rhs = Vector<double>.Build.Dense(k.Length, i => Math.Sqrt(omega[i]) * w[i]);
        var x = design.QR().Solve(rhs);
        Assert.Equal(x[0], a, 1e-9);
        Assert.Equal(x[1], d, 1e-9);
        Assert.Equal(x[2], c, 1e-9);
        Assert.Equal((design * x - rhs).L2Norm() * (design * x - rhs).L2Norm(), sse, 1e-12);
    }

    [Theory]
    [InlineData(0.0, 0.05, 1)]   // σ too small for the data: c ≤ 4σ − |d| binds
    [InlineData(0.3, 0.02, 2)]
    [InlineData(-0.4, 0.6, 3)]   // centre far from the smile's: |d| ≤ c binds
    [InlineData(0.1, 1.5, 4)]
    public void ConstrainedOptimumMatchesBruteForceSearch(double m, double sigma, int seed)
    {
        // Smile with steep wings so that the constraints bind for badly placed (m, σ).
        var p = new SviParameters(0.01, 0.6, 0.6, 0.1, 0.1);
        var (k, w, omega) = Data(p, 21, 0.05, seed);
        double sse = SviQuasiExplicit.Solve(k, w, omega, m, sigma, out double a, out double d, out double c);

        // Feasibility of the returned point.
        Assert.True(Math.Abs(d) <= c + 1e-12 && Math.Abs(d) <= 4 * sigma - c + 1e-12 && a + c - Math.Abs(d) >= -1e-12);
        Assert.True(a <= w.Max() + 1e-12);
        Assert.Equal(Sse(k, w, omega, m, sigma, a, d, c), sse, 1e-10 * Math.Max(1, sse));

        // Brute force: grid over the (d, c) triangle, with the exact 1-D optimum in a (clipped to its interval), then
        // 40 rounds of a 61×61 grid re-centred on the best point with the window halved (so it can follow the long,
        // narrow valleys of badly placed (m, σ)). It can only find a value ≥ the true minimum.
        double bestF = double.PositiveInfinity, bestD = 0, bestC = 0;
        double halfD = 2 * sigma, halfC = 2 * sigma, centreD = 0, centreC = 2 * sigma;
        for (int level = 0; level < 40; level++)
        {
            const int n = 60;
            for (int i = 0; i <= n; i++)
                for (int j = 0; j <= n; j++)
                {
                    double dd = centreD + halfD * (2.0 * i / n - 1), cc = centreC + halfC * (2.0 * j / n - 1);
                    if (Math.Abs(dd) > cc || Math.Abs(dd) > 4 * sigma - cc) continue;
                    double f = BestOverA(k, w, omega, m, sigma, dd, cc);
                    if (f < bestF) { bestF = f; bestD = dd; bestC = cc; }
                }
            (centreD, centreC, halfD, halfC) = (bestD, bestC, halfD / 2, halfC / 2);
        }
        // Slack for the solver's |d| ≤ (1 − 10⁻⁹)c (strict |ρ| < 1), which the brute force does not shrink.
        Assert.True(sse <= bestF * (1 + 1e-7) + 1e-14, $"quasi-explicit {sse} > brute force {bestF}");
        Assert.Equal(bestF, sse, 1e-6 * Math.Max(bestF, 1e-6));
    }

    private static double BestOverA(double[] k, double[] w, double[] omega, double m, double sigma, double d, double c)
    {
        double num = 0, den = 0;
        for (int i = 0; i < k.Length; i++)
        {
            double y = (k[i] - m) / sigma;
            num += omega[i] * (w[i] - d * y - c * Math.Sqrt(y * y + 1));
            den += omega[i];
        }
        double a = Math.Clamp(num / den, -(c - Math.Abs(d)), w.Max());
        return Sse(k, w, omega, m, sigma, a, d, c);
    }

    private static double Sse(double[] k, double[] w, double[] omega, double m, double sigma, double a, double d, double c)
    {
        double s = 0;
        for (int i = 0; i < k.Length; i++)
        {
            double y = (k[i] - m) / sigma, e = a + d * y + c * Math.Sqrt(y * y + 1) - w[i];
            s += omega[i] * e * e;
        }
        return s;
    }
}
