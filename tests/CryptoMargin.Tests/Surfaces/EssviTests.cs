using CryptoMargin.MarketData;
using CryptoMargin.Surfaces;
using MathNet.Numerics.Distributions;

namespace CryptoMargin.Tests.Surfaces;

public class EssviTests
{
    /// <summary>
    /// A known eSSVI surface (ρ rising from −0.6 to −0.1 with maturity, the Hendriks–Martini motivation): θ from a
    /// rising ATM vol, ψ_t = 0.9 ψ_max(θ_t, ρ_t) capped so both wings grow. Checked admissible below.
    /// </summary>
    internal static (double[] T, EssviSlice[] Slices) KnownSurface()
    {
        double[] t = [7 / 365.0, 30 / 365.0, 91 / 365.0, 182 / 365.0, 365 / 365.0];
        double[] rho = [-0.6, -0.45, -0.3, -0.2, -0.1];
        var slices = new EssviSlice[t.Length];
        for (int j = 0; j < t.Length; j++)
        {
            double vol = 0.55 + 0.1 * Math.Sqrt(t[j]), theta = vol * vol * t[j];
            double psi = 0.6 * EssviSlice.MaxButterflyFreePsi(theta, rho[j]);
            if (j > 0)
            {
                var p = slices[j - 1];
                psi = Math.Max(psi, 1.05 * Math.Max(p.Psi * (1 + p.Rho) / (1 + rho[j]), p.Psi * (1 - p.Rho) / (1 - rho[j])));
            }
            slices[j] = new EssviSlice(theta, rho[j], psi);
        }
        return (t, slices);
    }

    private static List<VolSlice> Chain(double[] t, EssviSlice[] slices, double noise, int seed)
    {
        var normal = new Normal(0, 1, new Random(seed));
        var chain = new List<VolSlice>();
        for (int j = 0; j < t.Length; j++)
        {
            double half = 3 * Math.Sqrt(slices[j].Theta);
            var k = new double[31];
            var vol = new double[31];
            for (int i = 0; i < k.Length; i++)
            {
                k[i] = -half + 2 * half * i / (k.Length - 1);
                vol[i] = slices[j].ImpliedVolatility(k[i], t[j]) + noise * normal.Sample();
            }
            chain.Add(new VolSlice(t[j], 100, k, vol));
        }
        return chain;
    }

    [Theory]
    [InlineData(0.0, 0.04, -0.5, 0.2)]
    [InlineData(0.3, 0.5, 0.3, 0.8)]
    [InlineData(-1.1, 0.01, -0.9, 0.05)]
    public void SliceDerivativesAndSviFormAgreeWithIndependentReferences(double k, double theta, double rho, double psi)
    {
        var e = new EssviSlice(theta, rho, psi);
        // SSVI form of Gatheral & Jacquier (2014) eq. 4.1 with φ = ψ/θ.
        double phi = psi / theta;
        double reference = theta / 2 * (1 + rho * phi * k + Math.Sqrt((phi * k + rho) * (phi * k + rho) + 1 - rho * rho));
        Assert.Equal(reference, e.TotalVariance(k), 1e-15);
        Assert.Equal(theta, e.TotalVariance(0), 1e-15);
        Assert.Equal(reference, e.ToSvi().TotalVariance(k), 1e-14);
        // Central differences with h = 1e-4: truncation ~h²w'''/6, rounding ~1e-16·w/h.
        double h = 1e-4;
        Assert.Equal((e.TotalVariance(k + h) - e.TotalVariance(k - h)) / (2 * h), e.Slope(k), 1e-7);
        Assert.Equal((e.Slope(k + h) - e.Slope(k - h)) / (2 * h), e.Curvature(k), 1e-5 * Math.Max(1, e.Curvature(k)));
        var (w, w1, w2) = e.Evaluate(k);
        Assert.Equal((e.TotalVariance(k), e.Slope(k), e.Curvature(k)), (w, w1, w2));
    }

    [Fact]
    public void CrossingSignIsTheSignOfTheCalendarGap()
    {
        // Random pairs of slices: C(k) > 0 exactly where w₂(k) < w₁(k) (away from ties).
        var rng = new Random(20260822);
        int checkedPoints = 0, crossingPoints = 0;
        for (int n = 0; n < 200; n++)
        {
            var a = new EssviSlice(0.01 + 0.2 * rng.NextDouble(), 1.8 * rng.NextDouble() - 0.9, 0.05 + 0.5 * rng.NextDouble());
            var b = new EssviSlice(a.Theta * (0.8 + 0.6 * rng.NextDouble()), 1.8 * rng.NextDouble() - 0.9, 0.05 + 0.5 * rng.NextDouble());
            for (double k = -2; k <= 2; k += 0.05)
            {
                double gap = b.TotalVariance(k) - a.TotalVariance(k);
                if (Math.Abs(gap) < 1e-9) continue;
                checkedPoints++;
                if (gap < 0) crossingPoints++;
                Assert.Equal(gap < 0, a.Crossing(b, k) > 0);
            }
        }
        Assert.True(crossingPoints > 100 && checkedPoints - crossingPoints > 100);
    }

    [Fact]
    public void KnownSurfaceIsAdmissible()
    {
        var (t, s) = KnownSurface();
        for (int j = 0; j < s.Length; j++)
        {
            Assert.True(s[j].IsButterflyFree);
            if (j > 0)
            {
                Assert.True(s[j - 1].WingsOrdered(s[j]));
                Assert.True(EssviCalibration.MaxCrossing(s[j - 1], s[j]) <= 0);
            }
        }
        Assert.True(SurfaceArbitrage.Check(s.Select((x, j) => new SmileSlice(t[j], x)).ToArray()).IsArbitrageFree);
    }

    [Fact]
    public void RecoversKnownParametersFromExactVols()
    {
        var (t, known) = KnownSurface();
        var fit = EssviCalibration.Fit(Chain(t, known, 0, 1));
        Assert.True(fit.Rmse < 1e-5, $"RMSE {fit.Rmse}");
        for (int j = 0; j < t.Length; j++)
        {
            Assert.Equal(known[j].Theta, fit.Slices[j].Theta, 1e-5 * known[j].Theta);
            Assert.Equal(known[j].Rho, fit.Slices[j].Rho, 1e-3);
            Assert.Equal(known[j].Psi, fit.Slices[j].Psi, 1e-3 * known[j].Psi);
        }
        Assert.True(SurfaceArbitrage.Check(fit.SmileSlices()).IsArbitrageFree);
    }

    [Fact]
    public void RecoversKnownParametersFromNoisyVolsAndStaysArbitrageFree()
    {
        var (t, known) = KnownSurface();
        const double noise = 0.002; // 0.2 vol points
        var fit = EssviCalibration.Fit(Chain(t, known, noise, 7));
        // The fit explains the data down to its noise, and the parameters land near the truth.
        Assert.InRange(fit.Rmse, 0.5 * noise, 1.2 * noise);
        for (int j = 0; j < t.Length; j++)
        {
            Assert.Equal(known[j].Theta, fit.Slices[j].Theta, 0.05 * known[j].Theta);
            Assert.Equal(known[j].Rho, fit.Slices[j].Rho, 0.1);
            Assert.Equal(known[j].Psi, fit.Slices[j].Psi, 0.1 * known[j].Psi);
        }
        Assert.True(SurfaceArbitrage.Check(fit.SmileSlices()).IsArbitrageFree);
    }

    [Fact]
    public void BadInputIsAClearError()
    {
        var ex = Assert.Throws<DataValidationException>(() => EssviCalibration.Fit([new VolSlice(0.1, 100, [0, 0.1], [0.5, 0.5])]));
        Assert.Contains("only 2 quotes", ex.Message);
        Assert.Throws<DataValidationException>(() => EssviCalibration.Fit([]));
        Assert.Throws<DataValidationException>(() => new EssviSlice(0.1, 1.2, 0.3).Validate());
    }
}
