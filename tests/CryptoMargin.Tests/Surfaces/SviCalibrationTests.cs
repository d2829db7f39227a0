using CryptoMargin.MarketData;
using CryptoMargin.Surfaces;
using MathNet.Numerics.Distributions;

namespace CryptoMargin.Tests.Surfaces;

public class SviCalibrationTests
{
    internal static VolSlice Synthetic(SviParameters p, double t, int n, double kMin, double kMax, double volNoise, int seed)
    {
        var normal = new Normal(0, 1, new Random(seed));
        var k = new double[n];
        var vol = new double[n];
        for (int i = 0; i < n; i++)
        {
            k[i] = kMin + (kMax - kMin) * i / (n - 1);
            vol[i] = p.ImpliedVolatility(k[i], t) + volNoise * normal.Sample();
        }
        return new VolSlice(t, 90_000, k, vol);
    }

    public static TheoryData<double, double, double, double, double, double> Smiles() => new()
    {
        // a, b, ρ, m, σ, t: crypto-like smiles (short-dated, high vol, either skew).
        { 0.004, 0.05, -0.2, 0.02, 0.08, 0.05 },
        { 0.02, 0.12, 0.25, -0.05, 0.15, 0.25 },
        { 0.06, 0.18, -0.45, 0.1, 0.3, 1.0 },
        { 0.01, 0.3, 0.0, 0.0, 0.05, 0.5 },
    };

    [Theory]
    [MemberData(nameof(Smiles))]
    public void RecoversExactSviParameters(double a, double b, double rho, double m, double sigma, double t)
    {
        var truth = new SviParameters(a, b, rho, m, sigma);
        double w0 = Math.Sqrt(truth.TotalVariance(0));
        var fit = SviCalibration.Fit(Synthetic(truth, t, 31, -4 * w0, 4 * w0, 0, 1));
        Assert.True(fit.Converged);
        Assert.True(fit.Rmse < 1e-6, $"RMSE {fit.Rmse}");
        Assert.Equal(a, fit.Parameters.A, 1e-4);
        Assert.Equal(b, fit.Parameters.B, 1e-4 + 1e-3 * b);
        Assert.Equal(rho, fit.Parameters.Rho, 1e-3);
        Assert.Equal(m, fit.Parameters.M, 1e-3);
        Assert.Equal(sigma, fit.Parameters.Sigma, 1e-3);
        fit.Parameters.Validate();
    }

    [Theory]
    [MemberData(nameof(Smiles))]
    public void NoisyDataFitIsAtLeastAsGoodAsTheTruthAndCloseToIt(double a, double b, double rho, double m, double sigma, double t)
    {
        var truth = new SviParameters(a, b, rho, m, sigma);
        double w0 = Math.Sqrt(truth.TotalVariance(0));
        const double noise = 0.003; // 0.3 vol points, seeded
        var slice = Synthetic(truth, t, 41, -4 * w0, 4 * w0, noise, 42);
        var fit = SviCalibration.Fit(slice);
        var (truthRmse, _) = SviCalibration.Errors(slice, truth);
        // A global least-squares optimum is no worse than the data-generating parameters (slack: the fit minimises the
        // vega-linearised objective, not the exact vol SSE).
        Assert.True(fit.Rmse <= truthRmse * 1.01, $"fit RMSE {fit.Rmse} vs truth {truthRmse}");
        Assert.InRange(fit.Rmse, 0.5 * noise, 1.5 * noise);
        // The fitted smile tracks the true smile within about the noise level over the quoted range.
        for (double k = -3 * w0; k <= 3 * w0; k += w0 / 10)
            Assert.Equal(truth.ImpliedVolatility(k, t), fit.ImpliedVolatility(k), 2 * noise);
        fit.Parameters.Validate();
    }

    [Fact]
    public void WeightsSteerTheFit()
    {
        // A smile SVI cannot match exactly (a kink); weighting one side makes that side's error smaller.
        var k = Enumerable.Range(0, 21).Select(i => -0.4 + 0.04 * i).ToArray();
        var vol = k.Select(x => 0.6 + (x < 0 ? 0.5 * x * x : 0.1 * Math.Abs(x)) + 0.05 * Math.Sin(12 * x)).ToArray();
        var left = k.Select(x => x < 0 ? 10.0 : 0.1).ToArray();
        var right = k.Select(x => x < 0 ? 0.1 : 10.0).ToArray();
        var fl = SviCalibration.Fit(new VolSlice(0.1, 1, k, vol, left));
        var fr = SviCalibration.Fit(new VolSlice(0.1, 1, k, vol, right));
        double LeftError(SviFit f) => k.Select((x, i) => x < 0 ? Math.Abs(f.ImpliedVolatility(x) - vol[i]) : 0).Max();
        Assert.True(LeftError(fl) < LeftError(fr), $"{LeftError(fl)} vs {LeftError(fr)}");
    }

    [Fact]
    public void BadInputIsNamed()
    {
        var ex = Assert.Throws<DataValidationException>(() => new VolSlice(0.1, 1, [0, 0.1], [0.5, -0.2]));
        Assert.Equal("impliedVolatility", ex.Field);
        ex = Assert.Throws<DataValidationException>(() => new VolSlice(0, 1, [0], [0.5]));
        Assert.Equal("expiry", ex.Field);
        ex = Assert.Throws<DataValidationException>(() => new VolSlice(0.1, 1, [0, 0.1], [0.5]));
        Assert.Contains("2 log-moneyness values but 1", ex.Message);
        ex = Assert.Throws<DataValidationException>(() => SviCalibration.Fit(new VolSlice(0.1, 1, [0, 0.1, 0.2, 0.3], [0.5, 0.5, 0.5, 0.5])));
        Assert.Contains("at least 5 quotes", ex.Message);
    }
}
