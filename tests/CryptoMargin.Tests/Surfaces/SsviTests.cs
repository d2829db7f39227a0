using CryptoMargin.MarketData;
using CryptoMargin.Surfaces;
using MathNet.Numerics.Distributions;

namespace CryptoMargin.Tests.Surfaces;

public class SsviTests
{
    private static readonly double[] Expiries = [7 / 365.0, 14 / 365.0, 30 / 365.0, 60 / 365.0, 91 / 365.0, 120 / 365.0, 182 / 365.0, 273 / 365.0, 365 / 365.0, 547 / 365.0];

    /// <summary>A synthetic chain from SSVI itself: θ_t = σ_atm(t)² t with a gently rising ATM vol term structure.</summary>
    internal static List<VolSlice> Chain(SsviParameters p, double volNoise, int seed, int quotes = 30)
    {
        var normal = new Normal(0, 1, new Random(seed));
        var chain = new List<VolSlice>();
        foreach (double t in Expiries)
        {
            double atmVol = 0.5 + 0.1 * Math.Sqrt(t), theta = atmVol * atmVol * t, half = 3.5 * Math.Sqrt(theta);
            var k = new double[quotes];
            var vol = new double[quotes];
            for (int i = 0; i < quotes; i++)
            {
                // Include k = 0 so that the market ATM variance is exactly θ for exact data.
                k[i] = -half + 2 * half * i / (quotes - 1);
                if (i == quotes / 2) k[i] = 0;
                vol[i] = Math.Sqrt(p.TotalVariance(k[i], theta) / t) + volNoise * normal.Sample();
            }
            chain.Add(new VolSlice(t, 90_000, k, vol));
        }
        return chain;
    }

    [Theory]
    [InlineData(0.0, 0.8, 0.4, 2.0)]
    [InlineData(0.5, 2.5, 0.8, 0.0)]
    [InlineData(-1.2, 0.3, 1.5, -0.7)]
    public void SliceIsRawSviWithGatheralJacquierMapping(double k, double theta, double eta, double rho)
    {
        rho = Math.Tanh(rho); // any ρ in (−1, 1)
        var p = new SsviParameters(rho, eta / (1 + Math.Abs(rho)), 0.3);
        var svi = p.ToSvi(theta);
        Assert.Equal(p.TotalVariance(k, theta), svi.TotalVariance(k), 1e-14);
        // ATM total variance is θ by construction: w(0, θ) = θ/2 (1 + √(ρ² + 1 − ρ²)) = θ.
        Assert.Equal(theta, p.TotalVariance(0, theta), 1e-15);
    }

    [Fact]
    public void ConditionsMatchTheoremQuantitiesByFiniteDifferences()
    {
        var p = new SsviParameters(-0.4, 1.2, 0.35);
        double[] thetas = [0.001, 0.01, 0.1, 0.5, 2];
        var c = p.Conditions(thetas);
        double b1 = 0, b2 = 0, dMin = double.PositiveInfinity;
        foreach (double th in thetas)
        {
            double phi = p.Phi(th);
            b1 = Math.Max(b1, th * phi * 1.4);
            b2 = Math.Max(b2, th * phi * phi * 1.4);
            double h = 1e-6 * th;
            dMin = Math.Min(dMin, ((th + h) * p.Phi(th + h) - (th - h) * p.Phi(th - h)) / (2 * h));
        }
        Assert.Equal(b1, c.MaxThetaPhi, 1e-12);
        Assert.Equal(b2, c.MaxThetaPhiSquared, 1e-9);
        Assert.Equal(dMin, c.MinSlopeOfThetaPhi, 1e-6 * dMin);
        Assert.True(c.ButterflyFree && c.CalendarFree);
        // Violating the parameter constraint η(1 + |ρ|) ≤ 2 breaks θφ²(1+|ρ|) ≤ 4 at small θ when γ = ½ (θφ² → η²).
        var bad = new SsviParameters(-0.4, 2.5, 0.5);
        Assert.Throws<DataValidationException>(bad.Validate);
        Assert.False(bad.Conditions([1e-6]).ButterflyFree);
    }

    [Theory]
    [InlineData(-0.35, 1.1, 0.4)]
    [InlineData(0.2, 0.7, 0.2)]
    public void FitRecoversExactParameters(double rho, double eta, double gamma)
    {
        var truth = new SsviParameters(rho, eta, gamma);
        var fit = SsviCalibration.Fit(Chain(truth, 0, 1));
        Assert.True(fit.Rmse < 1e-6, $"RMSE {fit.Rmse}");
        Assert.Equal(rho, fit.Parameters.Rho, 1e-4);
        Assert.Equal(eta, fit.Parameters.Eta, 1e-4);
        Assert.Equal(gamma, fit.Parameters.Gamma, 1e-4);
    }

    [Fact]
    public void NoisyFitIsCloseAndArbitrageFree()
    {
        var truth = new SsviParameters(-0.35, 1.1, 0.4);
        const double noise = 0.005;
        var chain = Chain(truth, noise, 11);
        var fit = SsviCalibration.Fit(chain);
        Assert.InRange(fit.Rmse, 0.5 * noise, 1.5 * noise);
        // A least-squares optimum is no worse than the data-generating parameters (same θ_t, same objective).
        double truthSse = 0;
        for (int j = 0; j < chain.Count; j++)
            for (int i = 0; i < chain[j].Count; i++)
                truthSse += Math.Pow(Math.Sqrt(truth.TotalVariance(chain[j].LogMoneyness[i], fit.AtmTotalVariances[j]) / chain[j].Expiry) - chain[j].ImpliedVolatilities[i], 2);
        Assert.True(fit.Objective <= truthSse * (1 + 1e-9), $"fit SSE {fit.Objective} vs truth {truthSse}");
        Assert.Equal(truth.Rho, fit.Parameters.Rho, 0.05);
        Assert.Equal(truth.Eta, fit.Parameters.Eta, 0.1);
        Assert.Equal(truth.Gamma, fit.Parameters.Gamma, 0.05);
        fit.Parameters.Validate();
        for (int j = 1; j < fit.AtmTotalVariances.Length; j++) Assert.True(fit.AtmTotalVariances[j] >= fit.AtmTotalVariances[j - 1]);
        var conditions = fit.Parameters.Conditions(fit.AtmTotalVariances);
        Assert.True(conditions.ButterflyFree && conditions.CalendarFree, conditions.ToString());
        var report = SurfaceArbitrage.Check(fit.Slices());
        Assert.True(report.IsArbitrageFree, $"{report.Butterfly.Count} butterfly, {report.Calendar.Count} calendar violations");
        Assert.True(report.GridPoints >= 1000);
    }

    [Fact]
    public void AtmVariancesAreMadeNonDecreasing()
    {
        var truth = new SsviParameters(-0.2, 1.0, 0.4);
        var chain = Chain(truth, 0, 3);
        // Lower the third expiry's smile so that its ATM variance falls below the second's.
        var s = chain[2];
        chain[2] = new VolSlice(s.Expiry, s.Forward, s.LogMoneyness, s.ImpliedVolatilities.Select(v => v * 0.5).ToArray());
        var fit = SsviCalibration.Fit(chain);
        Assert.Equal(fit.AtmTotalVariances[1], fit.AtmTotalVariances[2]);
        Assert.True(SurfaceArbitrage.Check(fit.Slices()).Calendar.Count == 0);
    }
}
