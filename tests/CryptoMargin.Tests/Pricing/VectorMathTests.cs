using System.Globalization;
using System.Runtime.Intrinsics;
using CryptoMargin.Pricing;

namespace CryptoMargin.Tests.Pricing;

public class VectorMathTests
{
    private static readonly Lazy<(string Function, double X, double Value)[]> Reference = new(() =>
    {
        // scripts/vector-math-reference.py: mpmath at 50 digits, arguments rounded to doubles first.
        string path = Path.Combine(AppContext.BaseDirectory, "Pricing", "data", "vector-math-reference.csv");
        return File.ReadLines(path).Skip(1).Select(line => line.Split(','))
            .Select(f => (f[0], double.Parse(f[1], CultureInfo.InvariantCulture), double.Parse(f[2], CultureInfo.InvariantCulture)))
            .ToArray();
    });

    private static double[] Apply(double[] x, Func<Vector256<double>, Vector256<double>> f)
    {
        var result = new double[x.Length];
        VectorMath.Apply(x, result, f);
        return result;
    }

    /// <summary>Largest |computed − exact| / |exact| over the function's rows, exact values below the normal range excluded.</summary>
    private static double MaxRelativeError(string function, Func<Vector256<double>, Vector256<double>> f, double minValue = 2.2250738585072014e-308)
    {
        var rows = Reference.Value.Where(r => r.Function == function && Math.Abs(r.Value) >= minValue).ToArray();
        Assert.True(rows.Length > 100, $"{function}: {rows.Length} reference rows");
        var computed = Apply(rows.Select(r => r.X).ToArray(), f);
        double worst = 0;
        for (int i = 0; i < rows.Length; i++)
            worst = Math.Max(worst, Math.Abs(computed[i] - rows[i].Value) / Math.Abs(rows[i].Value));
        return worst;
    }

    // Bounds: exp and ln within about 1.5 ulp; erfc and Φ within about 5 ulp, in the deep tail too.
    [Theory]
    [InlineData("exp", 3e-16)]    // measured 2.13e-16
    [InlineData("ln", 3e-16)]     // measured 2.20e-16
    [InlineData("erfc", 1e-15)]   // measured 6.1e-16 (erfc down to 2.3e-308)
    [InlineData("phi", 1e-15)]    // measured 5.0e-16 (Φ down to 5.7e-300)
    public void MatchesHighPrecisionReference(string function, double bound)
    {
        Func<Vector256<double>, Vector256<double>> f = function switch
        {
            "exp" => VectorMath.Exp,
            "ln" => VectorMath.Log,
            "erfc" => VectorMath.Erfc,
            _ => VectorMath.Phi,
        };
        double worst = MaxRelativeError(function, f);
        Assert.True(worst <= bound, $"{function}: max relative error {worst:R} > {bound:R}");
    }

    [Fact]
    public void ExpAndLogAgreeWithMathOnARandomGrid()
    {
        var rng = new Random(11);
        var x = Enumerable.Range(0, 4003).Select(_ => 1400 * rng.NextDouble() - 700).ToArray();
        var exp = Apply(x, VectorMath.Exp);
        var positive = Enumerable.Range(0, 4003).Select(_ => Math.Exp(1400 * rng.NextDouble() - 700)).ToArray();
        var log = Apply(positive, VectorMath.Log);
        for (int i = 0; i < x.Length; i++)
        {
            // Math.Exp/Math.Log are within 1 ulp, ours within 2: 3 ulp between them.
            Assert.True(Math.Abs(exp[i] - Math.Exp(x[i])) <= 3 * (Math.BitIncrement(Math.Exp(x[i])) - Math.Exp(x[i])) + 1e-300,
                $"exp({x[i]:R}) = {exp[i]:R} vs {Math.Exp(x[i]):R}");
            double l = Math.Log(positive[i]);
            Assert.True(Math.Abs(log[i] - l) <= 3 * (Math.BitIncrement(Math.Abs(l)) - Math.Abs(l)),
                $"ln({positive[i]:R}) = {log[i]:R} vs {l:R}");
        }
    }

    [Fact]
    public void SpecialValues()
    {
        double[] x = [double.NegativeInfinity, -746, -745.2, 0, 709.79, 710, double.PositiveInfinity, double.NaN];
        var exp = Apply(x, VectorMath.Exp);
        Assert.Equal([0, 0, 0, 1, double.PositiveInfinity, double.PositiveInfinity, double.PositiveInfinity, double.NaN], exp);
        // e^−745 = 4.94e-324 is the smallest subnormal; e^−720 (subnormal) rounded once: within one subnormal-scale ulp.
        var sub = Apply([-745, -720, -708.5], VectorMath.Exp);
        Assert.Equal(double.Epsilon, sub[0]);
        Assert.Equal(Math.Exp(-720), sub[1], 2 * Math.BitIncrement(0.0) + 4e-16 * Math.Exp(-720));
        Assert.Equal(Math.Exp(-708.5), sub[2], 1e-15 * Math.Exp(-708.5));

        double[] y = [0, -1, double.PositiveInfinity, double.NaN, double.Epsilon, 1e-310, 1, 2];
        var log = Apply(y, VectorMath.Log);
        Assert.Equal(double.NegativeInfinity, log[0]);
        Assert.True(double.IsNaN(log[1]) && double.IsNaN(log[3]));
        Assert.Equal(double.PositiveInfinity, log[2]);
        Assert.Equal(Math.Log(double.Epsilon), log[4], 1e-15 * 745);   // subnormal inputs: scaled by 2^52 first
        Assert.Equal(Math.Log(1e-310), log[5], 1e-15 * 714);
        Assert.Equal(0, log[6]);
        Assert.Equal(Math.Log(2), log[7], 2e-16);

        var phi = Apply([double.NegativeInfinity, -40, -37.6, 40, double.PositiveInfinity, double.NaN], VectorMath.Phi);
        Assert.Equal([0, 0, 0, 1, 1], phi[..5]);
        Assert.True(double.IsNaN(phi[5]));
        var erfc = Apply([26.6, -30, double.PositiveInfinity, double.NegativeInfinity], VectorMath.Erfc);
        Assert.Equal([0, 2, 0, 2], erfc);
    }

    [Fact]
    public void PhiIsSymmetricAndErfIsOneMinusErfc()
    {
        var rng = new Random(5);
        var z = Enumerable.Range(0, 2001).Select(_ => 16 * rng.NextDouble() - 8).ToArray();
        var phi = Apply(z, VectorMath.Phi);
        var phiNeg = Apply(z.Select(v => -v).ToArray(), VectorMath.Phi);
        var erf = Apply(z, VectorMath.Erf);
        var erfc = Apply(z, VectorMath.Erfc);
        for (int i = 0; i < z.Length; i++)
        {
            Assert.Equal(1.0, phi[i] + phiNeg[i], 3e-16);   // Φ(z) + Φ(−z) = 1
            Assert.Equal(1.0, erf[i] + erfc[i], 3e-16);     // erf + erfc = 1
            // The project's scalar Φ = erfc(−z/√2)/2 carries the rounding of z/√2 into the exponent (≈ z² ulp); ours does not.
            Assert.Equal(ImpliedVolatilityKernels.Phi(z[i]), phi[i], (1e-15 + 2.2e-16 * z[i] * z[i]) * phi[i]);
        }
    }

    [Fact]
    public void ErfMatchesMathNetNearZero()
    {
        // Cody's small-argument rational (|x| ≤ 0.46875) against MathNet's Erf (Boost's method, independent).
        var x = Enumerable.Range(-50, 101).Select(i => i * 0.0125).ToArray();
        var erf = Apply(x, VectorMath.Erf);
        for (int i = 0; i < x.Length; i++)
            Assert.Equal(MathNet.Numerics.SpecialFunctions.Erf(x[i]), erf[i], 4e-16 * Math.Abs(erf[i]) + 1e-300);
    }

    [Fact]
    public void NormalGivesBothTailsAndErfOfTheSameArgument()
    {
        // Φ(−z) against the mpmath Φ rows read at −x (so the lower tail of Φ(−z) is the upper range of z), erf(z/√2)
        // against MathNet's Erf (independent implementation) in absolute terms.
        var rows = Reference.Value.Where(r => r.Function == "phi" && r.Value >= 2.2250738585072014e-308).ToArray();
        var z = rows.Select(r => -r.X).ToArray();
        var phiOfMinus = new double[z.Length];
        var erfHalf = new double[z.Length];
        var buffer = new double[4];
        for (int i = 0; i < z.Length; i += 4)
        {
            int m = Math.Min(4, z.Length - i);
            Array.Clear(buffer);
            z.AsSpan(i, m).CopyTo(buffer);
            VectorMath.Normal(Vector256.Create((ReadOnlySpan<double>)buffer), out _, out var pm, out var e);
            for (int j = 0; j < m; j++) { phiOfMinus[i + j] = pm[j]; erfHalf[i + j] = e[j]; }
        }
        for (int i = 0; i < z.Length; i++)
        {
            Assert.Equal(rows[i].Value, phiOfMinus[i], 1e-15 * rows[i].Value);
            Assert.Equal(MathNet.Numerics.SpecialFunctions.Erf(z[i] / Math.Sqrt(2)), erfHalf[i], 1e-15);
        }
    }
}
