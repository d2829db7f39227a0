using CryptoMargin.Pricing;

namespace CryptoMargin.Tests.Pricing;

public class SabrTests
{
    /// <summary>
    /// Hagan, Kumar, Lesniewski &amp; Woodward (2002, Wilmott Magazine, eq. 2.17a), written out independently of the
    /// library's factorised form: σ = α / {(FK)^{(1−β)/2} [1 + (1−β)²/24 ln²(F/K) + (1−β)⁴/1920 ln⁴(F/K)]} · z/x(z) ·
    /// {1 + [(1−β)²α²/(24(FK)^{1−β}) + ρβνα/(4(FK)^{(1−β)/2}) + (2−3ρ²)ν²/24] T}, z = (ν/α)(FK)^{(1−β)/2} ln(F/K).
    /// </summary>
    private static double Hagan(double alpha, double beta, double rho, double nu, double f, double k, double t)
    {
        double b = 1 - beta, lfk = Math.Log(f / k), fkb = Math.Pow(f * k, b / 2);
        double z = nu / alpha * fkb * lfk;
        double zx = Math.Abs(z) < 1e-12 ? 1 : z / Math.Log((Math.Sqrt(1 - 2 * rho * z + z * z) + z - rho) / (1 - rho));
        double denominator = fkb * (1 + b * b / 24 * lfk * lfk + Math.Pow(b, 4) / 1920 * Math.Pow(lfk, 4));
        double correction = b * b * alpha * alpha / (24 * fkb * fkb) + rho * beta * nu * alpha / (4 * fkb) + (2 - 3 * rho * rho) * nu * nu / 24;
        return alpha / denominator * zx * (1 + correction * t);
    }

    private static readonly double[] LogMoneyness = [-0.3, -0.2, -0.1, -0.03, -1e-4, 0, 1e-4, 0.03, 0.1, 0.2, 0.3];

    [Fact]
    public void ZeroVolOfVolWithBetaOneIsBlackWithVolAlpha()
    {
        // ν = 0, β = 1: the forward is lognormal with volatility α, so every strike has implied vol α.
        var p = new SabrParameters(0.65, 1, -0.4, 0);
        foreach (double x in LogMoneyness)
            Assert.Equal(0.65, Sabr.ImpliedVolatility(p, 40_000, 40_000 * Math.Exp(x), 0.5), 1e-14);
    }

    [Theory]
    [InlineData(1.0, 0.3, 0.8)]
    [InlineData(1.0, -0.7, 2.5)]
    [InlineData(0.5, 0.0, 0.0)]
    public void AgreesWithHaganWhereObłójAndHaganCoincide(double beta, double rho, double nu)
    {
        // For β = 1 Obłój's leading term is Hagan's (z = ν ln(F/K)/α in both); for ν = 0 Obłój's CEV factor
        // (1−β)ln(F/K)/(F^{1−β} − K^{1−β}) expands as Hagan's denominator series (sinh(y/2)/(y/2), y = (1−β)ln(F/K)),
        // which Hagan truncates after y⁴: the two then differ by about y⁶/322560 only (3.5e-11 at y = 0.15).
        const double forward = 3000, t = 0.75;
        double alpha = 0.8 * Math.Pow(forward, 1 - beta);
        var p = new SabrParameters(alpha, beta, rho, nu);
        foreach (double x in LogMoneyness)
        {
            double k = forward * Math.Exp(x);
            Assert.Equal(Hagan(alpha, beta, rho, nu, forward, k, t), Sabr.ImpliedVolatility(p, forward, k, t), 1e-10);
        }
    }

    [Fact]
    public void ObłójDiffersFromHaganOnlyInTheWingsForBetaBelowOne()
    {
        // β = 0.5, ν > 0: z differs at O(ln²(F/K)) relative, so the smiles agree closely near the money.
        const double forward = 100, t = 1;
        var p = new SabrParameters(0.3 * Math.Sqrt(forward), 0.5, -0.3, 0.9);
        foreach (double x in new[] { -0.05, -0.01, 0, 0.01, 0.05 })
        {
            double k = forward * Math.Exp(x);
            Assert.Equal(Hagan(p.Alpha, 0.5, -0.3, 0.9, forward, k, t), Sabr.ImpliedVolatility(p, forward, k, t), 2e-4);
        }
    }

    [Theory]
    [InlineData(1.0)]
    [InlineData(0.5)]
    [InlineData(0.0)]
    public void AtTheMoneyIsHagansAtmFormulaAndContinuous(double beta)
    {
        // Hagan et al. (2002, eq. 2.18): σ_ATM = α/F^{1−β} {1 + [(1−β)²α²/(24F^{2−2β}) + ρβνα/(4F^{1−β}) + (2−3ρ²)ν²/24] T}.
        const double forward = 250, t = 0.4, rho = -0.25, nu = 1.3;
        double f1b = Math.Pow(forward, 1 - beta), alpha = 0.7 * f1b;
        double atm = alpha / f1b * (1 + ((1 - beta) * (1 - beta) * alpha * alpha / (24 * f1b * f1b) + rho * beta * nu * alpha / (4 * f1b) + (2 - 3 * rho * rho) * nu * nu / 24) * t);
        var p = new SabrParameters(alpha, beta, rho, nu);
        Assert.Equal(atm, Sabr.ImpliedVolatility(p, forward, forward, t), 1e-14);
        Assert.Equal(atm, Sabr.ImpliedVolatility(p, forward, forward * (1 + 1e-9), t), 1e-8);
        Assert.Equal(atm, Sabr.ImpliedVolatility(p, forward, forward * (1 - 1e-9), t), 1e-8);
        // And α solved back from that ATM vol is the α we started from.
        Assert.Equal(alpha, Sabr.AlphaFromAtmVolatility(atm, forward, t, beta, rho, nu), 1e-12 * alpha);
    }

    public static TheoryData<double, double, double, double, double> Smiles() => new()
    {
        // β, α (as ATM-vol level), ρ, ν, T: crypto-like (lognormal backbone) and a CEV case.
        { 1.0, 0.62, 0.15, 1.8, 30.0 / 365 },
        { 1.0, 0.85, -0.35, 3.5, 7.0 / 365 },
        { 0.5, 0.55, -0.2, 0.9, 0.5 },
    };

    [Theory]
    [MemberData(nameof(Smiles))]
    public void RecoversKnownParametersFromASyntheticSmile(double beta, double level, double rho, double nu, double t)
    {
        const double forward = 60_000;
        var truth = new SabrParameters(level * Math.Pow(forward, 1 - beta), beta, rho, nu);
        double[] strikes = [.. Enumerable.Range(-7, 15).Select(i => forward * Math.Exp(i * 0.25 * level * Math.Sqrt(t)))];
        var vols = new double[strikes.Length];
        Sabr.ImpliedVolatilities(truth, forward, t, strikes, vols);

        var fit = SabrCalibration.Fit(forward, t, strikes, vols, new SabrCalibrationOptions { Beta = beta });
        Assert.True(fit.Converged, fit.ExitCondition);
        Assert.Equal(truth.Alpha, fit.Parameters.Alpha, 1e-6 * truth.Alpha);
        Assert.Equal(rho, fit.Parameters.Rho, 1e-6);
        Assert.Equal(nu, fit.Parameters.Nu, 1e-6 * nu);
        Assert.True(fit.RmseVolPoints < 1e-6, $"RMSE {fit.RmseVolPoints} vol points");

        // With α tied to the ATM vol: two free parameters, same answer, ATM reproduced exactly.
        double atm = Sabr.ImpliedVolatility(truth, forward, forward, t);
        var tied = SabrCalibration.Fit(forward, t, strikes, vols, new SabrCalibrationOptions { Beta = beta, AtmVolatility = atm });
        Assert.True(tied.Converged, tied.ExitCondition);
        Assert.Equal(truth.Alpha, tied.Parameters.Alpha, 1e-6 * truth.Alpha);
        Assert.Equal(rho, tied.Parameters.Rho, 1e-6);
        Assert.Equal(nu, tied.Parameters.Nu, 1e-6 * nu);
        Assert.Equal(atm, Sabr.ImpliedVolatility(tied.Parameters, forward, forward, t), 1e-12);
    }

    [Fact]
    public void FitOfNoisyQuotesReportsItsErrorInVolPoints()
    {
        // Seeded ±0.5 vol-point noise on a known smile: the fit's reported RMSE is the RMSE of its own residuals,
        // and lies near the noise level.
        const double forward = 2_500, t = 0.25;
        var truth = new SabrParameters(0.7, 1, 0.1, 2);
        double[] strikes = [.. Enumerable.Range(-10, 21).Select(i => forward * Math.Exp(i * 0.05))];
        var random = new Random(7);
        double[] vols = [.. strikes.Select(k => Sabr.ImpliedVolatility(truth, forward, k, t) + 0.005 * (2 * random.NextDouble() - 1))];
        var fit = SabrCalibration.Fit(forward, t, strikes, vols);
        double sumSq = 0;
        for (int i = 0; i < strikes.Length; i++) sumSq += Math.Pow(Sabr.ImpliedVolatility(fit.Parameters, forward, strikes[i], t) - vols[i], 2);
        Assert.Equal(100 * Math.Sqrt(sumSq / strikes.Length), fit.RmseVolPoints, 1e-12);
        Assert.InRange(fit.RmseVolPoints, 0.05, 0.5); // uniform ±0.5 has RMS 0.29 vol points
    }

    [Fact]
    public void StandardErrorsMatchTheSpreadOfRepeatedFits()
    {
        // 300 smiles from one model with seeded Gaussian noise of 0.5 vol points: the reported least-squares standard
        // errors must match the empirical spread of the fitted ρ, ν, α (the estimate of a std from 300 draws is good
        // to ≈ 4 %, tolerance 20 %).
        const double forward = 2_500, t = 0.25, noise = 0.005;
        var truth = new SabrParameters(0.7, 1, -0.2, 1.5);
        double[] strikes = [.. Enumerable.Range(-10, 21).Select(i => forward * Math.Exp(i * 0.04))];
        double[] clean = [.. strikes.Select(k => Sabr.ImpliedVolatility(truth, forward, k, t))];
        var random = new Random(2024);
        var fits = new List<SabrFit>();
        for (int run = 0; run < 300; run++)
        {
            double[] vols = [.. clean.Select(v => v + noise * Normal(random))];
            fits.Add(SabrCalibration.Fit(forward, t, strikes, vols));
        }
        Check(fits.Select(f => f.Parameters.Rho), fits.Select(f => f.StandardErrors.Rho));
        Check(fits.Select(f => f.Parameters.Nu), fits.Select(f => f.StandardErrors.Nu));
        Check(fits.Select(f => f.Parameters.Alpha), fits.Select(f => f.StandardErrors.Alpha));

        static void Check(IEnumerable<double> estimates, IEnumerable<double> reported)
        {
            var x = estimates.ToArray();
            double mean = x.Average(), spread = Math.Sqrt(x.Sum(v => (v - mean) * (v - mean)) / (x.Length - 1));
            Assert.Equal(spread, reported.Average(), 0.2 * spread);
        }
    }

    [Fact]
    public void ShortExpirySmileAgreesWithConditionalMonteCarlo()
    {
        // β = 1: given the volatility path (exact: α_t = α e^{νW₂(t) − ν²t/2}), ln F_T is Gaussian, so each path's
        // call is Black-76 with forward F e^{ρ(α_T − α)/ν − ρ²V/2} and variance (1 − ρ²)V, V = ∫α² dt (trapezoid on 200
        // steps) — the mixing ("conditional") Monte Carlo of Romano & Touzi (1997, Math. Finance 7), with the effective
        // forward as control variate. 20,000 seeded
        // paths; the expansion (Hagan's O(T) correction, ν²T = 0.19 here) is asserted within 0.2 vol points plus 4 MC
        // standard errors.
        const double forward = 100, t = 30.0 / 365, alpha = 0.6, rho = -0.3, nu = 1.5;
        const int paths = 20_000, steps = 200;
        double[] strikes = [75, 85, 95, 100, 105, 115, 130];
        var sum = new double[strikes.Length];
        var sumSq = new double[strikes.Length];
        var sumCross = new double[strikes.Length];
        double sumF = 0, sumFSq = 0;
        var random = new Random(31);
        double dt = t / steps, sqrtDt = Math.Sqrt(dt);
        for (int path = 0; path < paths; path++)
        {
            double w = 0, a = alpha, v = 0;
            for (int s = 0; s < steps; s++)
            {
                w += sqrtDt * Normal(random);
                double next = alpha * Math.Exp(nu * w - 0.5 * nu * nu * (s + 1) * dt);
                v += 0.5 * (a * a + next * next) * dt;
                a = next;
            }
            double effectiveForward = forward * Math.Exp(rho * (a - alpha) / nu - 0.5 * rho * rho * v);
            double effectiveVol = Math.Sqrt((1 - rho * rho) * v / t);
            sumF += effectiveForward;
            sumFSq += effectiveForward * effectiveForward;
            for (int i = 0; i < strikes.Length; i++)
            {
                // The out-of-the-money option per path.
                double c = Black76.Price(effectiveForward, strikes[i], t, effectiveVol, strikes[i] >= forward ? OptionType.Call : OptionType.Put);
                sum[i] += c;
                sumSq[i] += c * c;
                sumCross[i] += c * effectiveForward;
            }
        }
        // Control variate: the effective forward's mean is F exactly (F is a martingale), so
        // estimate = mean(c) − b (mean(F_eff) − F), b = cov(c, F_eff)/var(F_eff); SE from the residual variance.
        double meanF = sumF / paths, varF = sumFSq / paths - meanF * meanF;
        var p = new SabrParameters(alpha, 1, rho, nu);
        for (int i = 0; i < strikes.Length; i++)
        {
            double mean = sum[i] / paths, varC = sumSq[i] / paths - mean * mean, cov = sumCross[i] / paths - mean * meanF;
            double b = cov / varF;
            double estimate = mean - b * (meanF - forward);
            double se = Math.Sqrt(Math.Max(varC - b * cov, 0) / paths);
            var type = strikes[i] >= forward ? OptionType.Call : OptionType.Put;
            double mcVol = HestonImpliedVolatility.FromPrice(estimate, forward, strikes[i], t, type);
            double seVol = se / HestonImpliedVolatility.Vega(forward, strikes[i], t, mcVol);
            double sabr = Sabr.ImpliedVolatility(p, forward, strikes[i], t);
            Assert.True(Math.Abs(sabr - mcVol) < 0.002 + 4 * seVol, $"K={strikes[i]}: SABR {sabr}, MC {mcVol} ± {seVol}");
        }
    }

    private static double Normal(Random random)
    {
        double u1 = 1 - random.NextDouble(), u2 = random.NextDouble();
        return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }

    [Fact]
    public void RejectsBadInputNamingIt()
    {
        var p = new SabrParameters(0.5, 1, 0, 1);
        Assert.Equal("Rho", Assert.Throws<ArgumentOutOfRangeException>(() => Sabr.ImpliedVolatility(p with { Rho = -1 }, 100, 100, 1)).ParamName);
        Assert.Equal("Beta", Assert.Throws<ArgumentOutOfRangeException>(() => Sabr.ImpliedVolatility(p with { Beta = 1.5 }, 100, 100, 1)).ParamName);
        Assert.Equal("strike", Assert.Throws<ArgumentOutOfRangeException>(() => Sabr.ImpliedVolatility(p, 100, 0, 1)).ParamName);
        Assert.Equal("vols", Assert.Throws<ArgumentOutOfRangeException>(() => SabrCalibration.Fit(100, 1, [90, 100, 110], [0.5, -0.1, 0.5])).ParamName);
        Assert.Equal("vols", Assert.Throws<ArgumentException>(() => SabrCalibration.Fit(100, 1, [90, 100, 110], [0.5, 0.5])).ParamName);
        Assert.Equal("strikes", Assert.Throws<ArgumentException>(() => SabrCalibration.Fit(100, 1, [90, 100], [0.5, 0.5])).ParamName);
    }
}
