using CryptoMargin.Calibration.Grid;
using MathNet.Numerics.Distributions;
using MathNet.Numerics.LinearAlgebra;

namespace CryptoMargin.Tests.Calibration.Grid;

public class TermShockFitTests
{
    [Theory]
    [InlineData(0.5, 0.45, 0.3)]
    [InlineData(0.23, 0.525, 0.684)]
    [InlineData(1.2, 0.1, 0.9)]
    [InlineData(0.08, -0.2, 0.05)]
    public void RecoversAKnownLawFromExactPoints(double k, double pShort, double pLong)
    {
        var law = new TermShockLaw(k, pShort, pLong);
        var days = TenorGrid.StandardDays.ToArray();
        var shocks = days.Select(law.Shock).ToArray();
        // The defining property of the law, computed here from its formula: k·(30/DTE)^p with p by side.
        for (int i = 0; i < days.Length; i++)
            Assert.Equal(k * Math.Pow(30 / days[i], days[i] < 30 ? pShort : pLong), shocks[i], 1e-14);

        var fit = TermShockFit.Fit(days, shocks);
        Assert.Equal(k, fit.Law.K, k * 1e-12);
        Assert.Equal(pShort, fit.Law.PShort, 1e-12);
        Assert.Equal(pLong, fit.Law.PLong, 1e-12);
        Assert.Equal(1, fit.RSquared, 1e-12);
        Assert.Equal(0, fit.RmseLog, 1e-12);
        Assert.Equal(days.Length, fit.Points);
    }

    [Fact]
    public void MatchesOrdinaryLeastSquaresAndItsStandardErrorsOnNoisyData()
    {
        // Simulated data with known parameters: multiplicative log-normal noise around k·(30/DTE)^p on 60 tenors.
        var law = new TermShockLaw(0.35, 0.5, 0.4);
        var rng = new Random(20261124);
        var days = Enumerable.Range(0, 60).Select(i => Math.Exp(Math.Log(1) + i * Math.Log(365.0) / 59)).ToArray();
        var shocks = days.Select(d => law.Shock(d) * Math.Exp(0.05 * Normal.Sample(rng, 0, 1))).ToArray();
        var fit = TermShockFit.Fit(days, shocks);

        // Independent reference: MathNet's QR least squares on the same design (1, x⁺, −x⁻), x = ln(30/DTE).
        var x = Matrix<double>.Build.Dense(days.Length, 3, (i, j) =>
        {
            double xi = Math.Log(30 / days[i]);
            return j == 0 ? 1 : j == 1 ? Math.Max(xi, 0) : -Math.Max(-xi, 0);
        });
        var y = Vector<double>.Build.Dense(shocks.Select(s => Math.Log(s)).ToArray());
        var beta = x.QR().Solve(y);
        Assert.Equal(Math.Exp(beta[0]), fit.Law.K, 1e-10);
        Assert.Equal(beta[1], fit.Law.PShort, 1e-10);
        Assert.Equal(beta[2], fit.Law.PLong, 1e-10);
        var residual = y - x * beta;
        double s2 = residual.DotProduct(residual) / (days.Length - 3);
        var cov = (x.TransposeThisAndMultiply(x)).Inverse() * s2;
        Assert.Equal(Math.Sqrt(cov[1, 1]), fit.PShortStandardError, 1e-10);
        Assert.Equal(Math.Sqrt(cov[2, 2]), fit.PLongStandardError, 1e-10);
        Assert.Equal(fit.Law.K * Math.Sqrt(cov[0, 0]), fit.KStandardError, 1e-10);

        // And the truth lies within 4 standard errors.
        Assert.InRange(fit.Law.PShort, law.PShort - 4 * fit.PShortStandardError, law.PShort + 4 * fit.PShortStandardError);
        Assert.InRange(fit.Law.PLong, law.PLong - 4 * fit.PLongStandardError, law.PLong + 4 * fit.PLongStandardError);
        Assert.InRange(fit.Law.K, law.K - 4 * fit.KStandardError, law.K + 4 * fit.KStandardError);
    }

    [Fact]
    public void RefusesDataThatCannotIdentifyBothExponents()
    {
        var e1 = Assert.Throws<ArgumentException>(() => TermShockFit.Fit([1, 3, 7, 14, 30], [1.0, 0.6, 0.4, 0.3, 0.2]));
        Assert.Contains("p_long", e1.Message);
        var e2 = Assert.Throws<ArgumentException>(() => TermShockFit.Fit([30, 60, 90, 180], [0.2, 0.15, 0.12, 0.08]));
        Assert.Contains("p_short", e2.Message);
        var e3 = Assert.Throws<ArgumentException>(() => TermShockFit.Fit([1, 7, 30, 90], [0.9, -0.1, 0.2, 0.1]));
        Assert.Contains("7 days", e3.Message);
        Assert.Throws<ArgumentException>(() => TermShockFit.Fit([1, 7, 90], [0.9, 0.3, 0.1]));
        Assert.Throws<ArgumentException>(() => TermShockFit.Fit([1, 7, 30, 0], [0.9, 0.3, 0.2, 0.1]));
    }
}
