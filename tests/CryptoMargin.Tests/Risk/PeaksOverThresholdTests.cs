using CryptoMargin.MarketData;
using CryptoMargin.Risk;

namespace CryptoMargin.Tests.Risk;

/// <summary>
/// GPD data with known (ξ, β): excesses over any threshold u are again GPD with ξ and β + ξu (threshold stability),
/// so the fit must recover them within 3 asymptotic SEs, SE(ξ̂) = (1 + ξ)/√N_u, SE(β̂) = β_u√(2(1 + ξ)/N_u)
/// (Smith 1987, valid for ξ &gt; −1/2).
/// </summary>
public class PeaksOverThresholdTests
{
    private static double[] Gpd(int n, double xi, double beta, int seed)
    {
        var rng = new Random(seed);
        var x = new double[n];
        for (int i = 0; i < n; i++)
        {
            double u = 1 - rng.NextDouble(); // (0, 1]
            x[i] = xi == 0 ? -beta * Math.Log(u) : beta / xi * (Math.Pow(u, -xi) - 1);
        }
        return x;
    }

    [Theory]
    [InlineData(0.25, 0.02, 21)]
    [InlineData(0.5, 0.01, 22)]
    [InlineData(0.0, 0.03, 23)]
    [InlineData(-0.2, 0.05, 24)]
    public void RecoversShapeAndScaleOfSimulatedGpd(double xi, double beta, int seed)
    {
        var losses = Gpd(200_000, xi, beta, seed);
        var e = PeaksOverThreshold.Estimate(losses, 0.999);
        Assert.Equal(20_000, e.ExceedancesUsed);
        double betaU = beta + xi * e.Threshold;
        double seXi = (1 + xi) / Math.Sqrt(e.ExceedancesUsed);
        double seBeta = betaU * Math.Sqrt(2 * (1 + xi) / e.ExceedancesUsed);
        Assert.InRange(e.Xi, xi - 3 * seXi, xi + 3 * seXi);
        Assert.InRange(e.Beta, betaU - 3 * seBeta, betaU + 3 * seBeta);

        // The 99.9% quantile lies 100× further into the tail than the threshold (10%), so ln VaR moves by about
        // ln(100)·δξ: allow 3 SE of ξ through that lever (12% at ξ = 0.25, 15% at ξ = 0.5 with N_u = 20,000).
        double trueVar = xi == 0 ? -beta * Math.Log(0.001) : beta / xi * (Math.Pow(0.001, -xi) - 1);
        Assert.InRange(Math.Log(e.Risk.ValueAtRisk / trueVar), -3 * seXi * Math.Log(100), 3 * seXi * Math.Log(100));
        Assert.True(e.Risk.ExpectedShortfall > e.Risk.ValueAtRisk);
        // Threshold: the (N_u + 1)-th largest loss, i.e. the empirical 0.9 quantile of the sample.
        Assert.Equal(losses.OrderByDescending(x => x).ElementAt(20_000), e.Threshold);
    }

    [Fact]
    public void FitIsALocalMaximumOfTheGpdLikelihood()
    {
        var losses = Gpd(5_000, 0.3, 0.02, 31);
        var e = PeaksOverThreshold.Estimate(losses, 0.99);
        var y = losses.Where(x => x > e.Threshold).Select(x => x - e.Threshold).ToArray();
        Assert.Equal(e.ExceedancesUsed, y.Length);
        double LogLik(double xi, double beta) =>
            y.Sum(v => -Math.Log(beta) - (1 + 1 / xi) * Math.Log(1 + xi * v / beta));
        double at = LogLik(e.Xi, e.Beta);
        foreach (var (dx, db) in new[] { (0.01, 0.0), (-0.01, 0.0), (0.0, 0.01), (0.0, -0.01), (0.005, 0.005), (-0.005, 0.005) })
            Assert.True(at > LogLik(e.Xi + dx, e.Beta * (1 + db)), $"perturbation ({dx}, {db}) raises the likelihood");
    }

    [Fact]
    public void VarAndEsFollowMcNeilFreyFormulas()
    {
        var losses = Gpd(3_000, 0.2, 0.03, 41);
        var e = PeaksOverThreshold.Estimate(losses, 0.995, 0.95);
        double ratio = 3000.0 / e.ExceedancesUsed * 0.005;
        double var = e.Threshold + e.Beta / e.Xi * (Math.Pow(ratio, -e.Xi) - 1);
        Assert.Equal(150, e.ExceedancesUsed);
        Assert.Equal(var, e.Risk.ValueAtRisk, 12);
        Assert.Equal((var + e.Beta - e.Xi * e.Threshold) / (1 - e.Xi), e.Risk.ExpectedShortfall, 12);
    }

    [Fact]
    public void FewerThanThirtyExceedancesIsADataError()
    {
        var losses = Gpd(299, 0.2, 0.03, 51); // ⌊299 × 0.1⌋ = 29
        var ex = Assert.Throws<DataValidationException>(() => PeaksOverThreshold.Estimate(losses, 0.99));
        Assert.Contains("29 exceedances", ex.Message);
        Assert.Equal(30, PeaksOverThreshold.Estimate(Gpd(300, 0.2, 0.03, 51), 0.99).ExceedancesUsed);
    }
}
