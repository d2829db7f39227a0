using CryptoMargin.Pricing;

namespace CryptoMargin.Tests.Pricing;

public class HestonTests
{
    // Lewis (2000) reference prices to 50 digits, as pinned in the QuantLib test suite (test-suite/hestonmodel.cpp,
    // "testAnalyticVsReference") and in F. Le Floc'h, "Heston model reference prices" (chasethedevil.github.io,
    // 2019-02-15): S = 100, r = 1 %, q = 2 %, T = 1, v0 = 0.04, κ = 4, θ = 0.25, σ = 1, ρ = −0.5.
    public static TheoryData<double, double, double> Lewis() => new()
    {
        { 80, 26.774758743998854, 7.958878113256768 },
        { 90, 20.933349000596710, 12.017966707346305 },
        { 100, 16.070154917028834, 17.055270961270109 },
        { 110, 12.132211516709845, 23.017825898442801 },
        { 120, 9.024913483457836, 29.811026202682472 },
    };

    [Theory]
    [MemberData(nameof(Lewis))]
    public void MatchesLewisReferencePrices(double strike, double call, double put)
    {
        var p = new HestonParameters(0.04, 4, 0.25, 1, -0.5);
        double df = Math.Exp(-0.01), forward = 100 * Math.Exp(-0.01);
        Assert.Equal(call, df * Heston.Price(p, forward, strike, 1, OptionType.Call), 1e-9);
        Assert.Equal(put, df * Heston.Price(p, forward, strike, 1, OptionType.Put), 1e-9);
    }

    [Fact]
    public void MatchesFangOosterleeReference()
    {
        // Fang & Oosterlee (2008, SIAM J. Sci. Comput. 31, 826–848), Table 4 reference: S = K = 100, r = q = 0, T = 1,
        // κ = 1.5768, θ = 0.0398, σ = 0.5751, ρ = −0.5711, v0 = 0.0175 (Feller condition violated): 5.785155450.
        var p = new HestonParameters(0.0175, 1.5768, 0.0398, 0.5751, -0.5711);
        // The published value is rounded from F&O's own reference computation; the adaptive check below agrees with our
        // rule to 1e-10, so the 2e-8 tolerance reflects the reference's last digit, not our quadrature.
        Assert.Equal(5.785155450, Heston.Price(p, 100, 100, 1, OptionType.Call), 2e-8);
    }

    // Crypto-like cases besides the equity ones: a one-week expiry with 70 % vol, vol of vol 2 and positive skew; a
    // one-day expiry; a three-year one with strong negative correlation.
    public static TheoryData<double, double, double, double, double, double, double> Cases() => new()
    {
        { 0.0175, 1.5768, 0.0398, 0.5751, -0.5711, 1, 0.3 },
        { 0.5, 3, 0.4, 2, 0.2, 7.0 / 365, 0.25 },
        { 0.6, 5, 0.5, 3, -0.1, 1.0 / 365, 0.08 },
        { 0.3, 1, 0.45, 1.2, -0.9, 3, 1.2 },
        { 0.09, 2, 0.09, 1, -0.3, 2.0 / (24 * 365), 0.01 }, // two hours at 30 % vol: w ≈ 2e-5, panels wider than 16
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void FixedQuadratureMatchesAdaptiveIntegration(double v0, double kappa, double theta, double sigma, double rho, double t, double logRange)
    {
        var p = new HestonParameters(v0, kappa, theta, sigma, rho);
        const double forward = 100;
        foreach (double x in new[] { -1.0, -0.5, 0, 0.5, 1.0 })
        {
            double strike = forward * Math.Exp(x * logRange);
            double reference = LewisAdaptive(p, forward, strike, t);
            Assert.Equal(reference, Heston.Price(p, forward, strike, t, OptionType.Call), 2e-10 * forward);
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void PutCallParityAndSliceAgreeWithSinglePrices(double v0, double kappa, double theta, double sigma, double rho, double t, double logRange)
    {
        var p = new HestonParameters(v0, kappa, theta, sigma, rho);
        const double forward = 50_000;
        double[] strikes = [.. Enumerable.Range(-3, 7).Select(i => forward * Math.Exp(i * logRange / 3))];
        OptionType[] calls = [.. strikes.Select(_ => OptionType.Call)], puts = [.. strikes.Select(_ => OptionType.Put)];
        var c = new double[strikes.Length];
        var q = new double[strikes.Length];
        Heston.Prices(p, forward, t, strikes, calls, c);
        Heston.Prices(p, forward, t, strikes, puts, q);
        for (int i = 0; i < strikes.Length; i++)
        {
            Assert.Equal(forward - strikes[i], c[i] - q[i], 1e-9 * forward);
            Assert.Equal(Heston.Price(p, forward, strikes[i], t, OptionType.Call), c[i], 1e-12 * forward);
            // No-arbitrage bounds: intrinsic ≤ call ≤ F.
            Assert.InRange(c[i], Math.Max(forward - strikes[i], 0) - 1e-9 * forward, forward);
        }
    }

    [Theory]
    [InlineData(0.04, 0.0)]
    [InlineData(0.49, 0.0)]
    [InlineData(0.49, -0.6)]
    public void SmallVolOfVolGivesBlackWithVolSqrtTheta(double theta, double rho)
    {
        // σ → 0 with v0 = θ: the variance stays at θ, so the price tends to Black-76 with vol √θ. The deviation is of
        // order ρσ (σ² when ρ = 0): shrinking σ tenfold must shrink it at least that much, down to the 1e-9·F floor set
        // by rounding in ln((1 − g e^{−dT})/(1 − g))/σ² (documented in docs/options/heston-sabr.md).
        const double forward = 100, t = 0.5;
        foreach (double strike in new[] { 60.0, 80, 100, 125, 160 })
        {
            double black = Black76.Price(forward, strike, t, Math.Sqrt(theta), OptionType.Call);
            double Gap(double sigma) => Math.Abs(Heston.Price(new HestonParameters(theta, 2, theta, sigma, rho), forward, strike, t, OptionType.Call) - black);
            double coarse = Gap(1e-3), fine = Gap(1e-4);
            Assert.True(fine <= 0.12 * coarse + 1e-9 * forward, $"K={strike}: gap {coarse} at σ=1e-3, {fine} at σ=1e-4");
            Assert.True(fine < (rho == 0 ? 1e-7 : 1e-4) * forward, $"K={strike}: gap {fine} at σ=1e-4");
        }
    }

    [Fact]
    public void AgreesWithSeededMonteCarloWithinItsStandardError()
    {
        // Full-truncation Euler (Lord, Koekkoek & van Dijk 2010, Quantitative Finance 10, 177–194) on ln F, 400 steps a
        // year: its discretisation bias is far below the 100,000-path standard error for these parameters.
        var p = new HestonParameters(0.09, 2, 0.06, 0.5, -0.6);
        const double forward = 100, t = 0.5;
        const int paths = 100_000, steps = 200;
        double[] strikes = [80, 100, 120];
        var sum = new double[strikes.Length];
        var sumSq = new double[strikes.Length];
        var random = new Random(20260127);
        double dt = t / steps, sqrtDt = Math.Sqrt(dt), rhoBar = Math.Sqrt(1 - p.Rho * p.Rho);
        for (int path = 0; path < paths; path++)
        {
            double x = 0, v = p.V0;
            for (int s = 0; s < steps; s++)
            {
                double z1 = Normal(random), z2 = p.Rho * z1 + rhoBar * Normal(random);
                double vp = Math.Max(v, 0);
                x += -0.5 * vp * dt + Math.Sqrt(vp) * sqrtDt * z1;
                v += p.Kappa * (p.Theta - vp) * dt + p.Sigma * Math.Sqrt(vp) * sqrtDt * z2;
            }
            double f = forward * Math.Exp(x);
            for (int i = 0; i < strikes.Length; i++)
            {
                double payoff = Math.Max(f - strikes[i], 0);
                sum[i] += payoff;
                sumSq[i] += payoff * payoff;
            }
        }
        for (int i = 0; i < strikes.Length; i++)
        {
            double mean = sum[i] / paths, se = Math.Sqrt((sumSq[i] / paths - mean * mean) / paths);
            double price = Heston.Price(p, forward, strikes[i], t, OptionType.Call);
            Assert.True(Math.Abs(price - mean) < 3.5 * se, $"K={strikes[i]}: Heston {price}, MC {mean} ± {se}");
        }
    }

    private static double Normal(Random random)
    {
        double u1 = 1 - random.NextDouble(), u2 = random.NextDouble();
        return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void GradientMatchesCentralDifferences(double v0, double kappa, double theta, double sigma, double rho, double t, double logRange)
    {
        var p = new HestonParameters(v0, kappa, theta, sigma, rho);
        const double forward = 100;
        double[] strikes = [forward * Math.Exp(-logRange), forward, forward * Math.Exp(logRange)];
        OptionType[] types = [OptionType.Put, OptionType.Call, OptionType.Call];
        var prices = new double[3];
        var gradient = new double[3 * Heston.ParameterCount];
        Heston.PricesWithGradient(p, forward, t, strikes, types, prices, gradient);
        double[] values = [v0, kappa, theta, sigma, rho];
        for (int q = 0; q < Heston.ParameterCount; q++)
        {
            double h = 1e-5 * Math.Max(Math.Abs(values[q]), 0.1);
            var up = (double[])values.Clone();
            var down = (double[])values.Clone();
            up[q] += h;
            down[q] -= h;
            for (int i = 0; i < 3; i++)
            {
                double fd = (Heston.Price(Of(up), forward, strikes[i], t, types[i]) - Heston.Price(Of(down), forward, strikes[i], t, types[i])) / (2 * h);
                Assert.Equal(fd, gradient[i * Heston.ParameterCount + q], 1e-5 * (1 + Math.Abs(fd)));
            }
        }

        static HestonParameters Of(double[] x) => new(x[0], x[1], x[2], x[3], x[4]);
    }

    [Fact]
    public void RejectsInvalidInputNamingIt()
    {
        var good = new HestonParameters(0.04, 1, 0.04, 0.5, -0.5);
        Assert.Equal("Rho", Assert.Throws<ArgumentOutOfRangeException>(() => Heston.Price(good with { Rho = 1 }, 100, 100, 1, OptionType.Call)).ParamName);
        Assert.Equal("Sigma", Assert.Throws<ArgumentOutOfRangeException>(() => Heston.Price(good with { Sigma = 0 }, 100, 100, 1, OptionType.Call)).ParamName);
        Assert.Equal("t", Assert.Throws<ArgumentOutOfRangeException>(() => Heston.Price(good, 100, 100, 0, OptionType.Call)).ParamName);
        Assert.Equal("strikes", Assert.Throws<ArgumentOutOfRangeException>(() => Heston.Price(good, 100, -5, 1, OptionType.Call)).ParamName);
        Assert.Equal("forward", Assert.Throws<ArgumentOutOfRangeException>(() => Heston.Price(good, double.NaN, 100, 1, OptionType.Call)).ParamName);
    }

    /// <summary>Lewis's integral by MathNet's adaptive Gauss–Kronrod on [0, ∞): an independent quadrature.</summary>
    internal static double LewisAdaptive(HestonParameters p, double forward, double strike, double t)
    {
        double k = Math.Log(forward / strike);
        double integral = MathNet.Numerics.Integrate.GaussKronrod(
            x => (System.Numerics.Complex.Exp(new System.Numerics.Complex(0, x * k)) * Heston.CharacteristicFunction(p, x, t, [])).Real / (x * x + 0.25),
            0, double.PositiveInfinity, 1e-14, 30, 61);
        return forward - Math.Sqrt(forward * strike) / Math.PI * integral;
    }

    /// <summary>A synthetic surface: the implied vols of the given model's prices (inverted by bisection–Newton).</summary>
    internal static List<HestonQuote> SyntheticSurface(HestonParameters truth, double forward, double[] expiriesDays, int strikesPerExpiry)
    {
        var quotes = new List<HestonQuote>();
        double atm = Math.Sqrt(truth.V0);
        foreach (double days in expiriesDays)
        {
            double t = days / 365;
            for (int i = 0; i < strikesPerExpiry; i++)
            {
                double x = (2.0 * i / (strikesPerExpiry - 1) - 1) * 2 * atm * Math.Sqrt(t); // ±2 standard deviations
                double strike = forward * Math.Exp(x);
                var type = strike >= forward ? OptionType.Call : OptionType.Put;
                double price = Heston.Price(truth, forward, strike, t, type);
                quotes.Add(new HestonQuote(t, forward, strike, HestonImpliedVolatility.FromPrice(price, forward, strike, t, type)));
            }
        }
        return quotes;
    }

    [Fact]
    public void CalibrationRecoversKnownParametersFromASyntheticSurface()
    {
        // 5 expiries × 20 strikes of a crypto-like model (Feller condition violated), fitted from the default start.
        var truth = new HestonParameters(0.36, 3, 0.49, 2, -0.25);
        var quotes = SyntheticSurface(truth, 90_000, [7, 30, 90, 180, 365], 20);
        var fit = HestonCalibration.Calibrate(quotes);
        Assert.True(fit.Converged, fit.ExitCondition);
        Assert.Equal(truth.V0, fit.Parameters.V0, 1e-9 * truth.V0);
        Assert.Equal(truth.Kappa, fit.Parameters.Kappa, 1e-8 * truth.Kappa);
        Assert.Equal(truth.Theta, fit.Parameters.Theta, 1e-9 * truth.Theta);
        Assert.Equal(truth.Sigma, fit.Parameters.Sigma, 1e-8 * truth.Sigma);
        Assert.Equal(truth.Rho, fit.Parameters.Rho, 1e-9);
        Assert.Equal(5, fit.PerExpiry.Count);
        Assert.All(fit.PerExpiry, e => Assert.True(e.MaxErrorVolPoints < 1e-8, $"T={e.Expiry}: max error {e.MaxErrorVolPoints} vol points"));
        Assert.True(fit.RmseVolPoints <= fit.MaxErrorVolPoints);
    }

    [Fact]
    public void CalibrationReportsPerExpiryVolErrorsOfTheFittedModel()
    {
        // Quotes from one model, perturbed by seeded noise: the reported errors are those of the fitted model's own
        // implied vols against the quotes, recomputed here expiry by expiry.
        var truth = new HestonParameters(0.25, 2, 0.3, 1.2, 0.1);
        var random = new Random(11);
        var quotes = SyntheticSurface(truth, 3_000, [14, 60, 200], 12)
            .Select(q => q with { ImpliedVolatility = q.ImpliedVolatility + 0.004 * (2 * random.NextDouble() - 1) }).ToList();
        var fit = HestonCalibration.Calibrate(quotes);
        foreach (var expiry in fit.PerExpiry)
        {
            var slice = quotes.Where(q => q.Expiry == expiry.Expiry).ToList();
            var errors = slice.Select(q =>
            {
                var type = q.Strike >= q.Forward ? OptionType.Call : OptionType.Put;
                double vol = HestonImpliedVolatility.FromPrice(Heston.Price(fit.Parameters, q.Forward, q.Strike, q.Expiry, type), q.Forward, q.Strike, q.Expiry, type);
                // Independent check of the inversion: Black-76 at that vol reprices the model price.
                Assert.Equal(Heston.Price(fit.Parameters, q.Forward, q.Strike, q.Expiry, type), Black76.Price(q.Forward, q.Strike, q.Expiry, vol, type), 1e-9 * q.Forward);
                return 100 * (vol - q.ImpliedVolatility);
            }).ToList();
            Assert.Equal(slice.Count, expiry.Quotes);
            Assert.Equal(Math.Sqrt(errors.Average(e => e * e)), expiry.RmseVolPoints, 1e-9);
            Assert.Equal(errors.Max(Math.Abs), expiry.MaxErrorVolPoints, 1e-9);
            Assert.InRange(expiry.RmseVolPoints, 0.01, 0.6); // noise is uniform ±0.4 vol points (RMS 0.23)
        }
    }

    [Fact]
    public void CalibrationStandardErrorsMatchTheSpreadOfRepeatedFits()
    {
        // 40 surfaces (3 expiries × 12 strikes) with seeded Gaussian noise of 0.3 vol points: the reported standard
        // errors of ρ and v0 must match the empirical spread of the fits (40 draws: the std is good to ≈ 11 %;
        // tolerance 35 %). The objective is vega-weighted prices, i.e. vol errors to first order.
        var truth = new HestonParameters(0.3, 2, 0.4, 1.5, -0.3);
        var clean = SyntheticSurface(truth, 1_000, [20, 90, 270], 12);
        var random = new Random(99);
        var fits = new List<HestonCalibrationResult>();
        for (int run = 0; run < 40; run++)
        {
            var noisy = clean.Select(q => q with { ImpliedVolatility = q.ImpliedVolatility + 0.003 * Normal(random) }).ToList();
            fits.Add(HestonCalibration.Calibrate(noisy, new HestonCalibrationOptions { Initial = truth }));
        }
        Check(fits.Select(f => f.Parameters.Rho), fits.Select(f => f.StandardErrors.Rho));
        Check(fits.Select(f => f.Parameters.V0), fits.Select(f => f.StandardErrors.V0));

        static void Check(IEnumerable<double> estimates, IEnumerable<double> reported)
        {
            var x = estimates.ToArray();
            double mean = x.Average(), spread = Math.Sqrt(x.Sum(v => (v - mean) * (v - mean)) / (x.Length - 1));
            Assert.Equal(spread, reported.Average(), 0.35 * spread);
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void CalibrationJacobianMatchesFiniteDifferencesOfItsResiduals(bool exactVols)
    {
        var quotes = SyntheticSurface(new HestonParameters(0.5, 2, 0.4, 1.5, 0.2), 100, [10, 120], 6);
        var problem = new HestonCalibration.SurfaceProblem(quotes) { ExactVols = exactVols };
        double[] x = [Math.Log(0.3), Math.Log(1), Math.Log(0.6), Math.Log(0.8), Math.Atanh(-0.3)];
        int m = quotes.Count, n = Heston.ParameterCount;
        var r = new double[m];
        var j = new double[m * n];
        problem.Evaluate(x, r, j);
        var up = new double[m];
        var down = new double[m];
        for (int q = 0; q < n; q++)
        {
            const double h = 1e-6;
            var xu = (double[])x.Clone();
            var xd = (double[])x.Clone();
            xu[q] += h;
            xd[q] -= h;
            problem.Evaluate(xu, up, []);
            problem.Evaluate(xd, down, []);
            for (int i = 0; i < m; i++)
                Assert.Equal((up[i] - down[i]) / (2 * h), j[i * n + q], 1e-5 * (1 + Math.Abs(j[i * n + q])));
        }
        if (!exactVols) return;
        // The exact residuals are the implied-vol errors themselves: invert the model prices independently.
        var p = HestonCalibration.SurfaceProblem.ParametersOf(x);
        var residual = quotes.Select(q =>
        {
            var type = q.Strike >= q.Forward ? OptionType.Call : OptionType.Put;
            double price = Heston.Price(p, q.Forward, q.Strike, q.Expiry, type);
            return ImpliedVolatility.Solve(price, q.Forward, q.Strike, q.Expiry, type).Volatility - q.ImpliedVolatility;
        }).Order().ToArray();
        Assert.Equal(residual, r.Order().ToArray(), (a, b) => Math.Abs(a - b) < 1e-9);
    }

    [Fact]
    public void ImpliedVolObjectiveFitsAMisspecifiedSmileNoWorseThanThePriceObjective()
    {
        // A smile Heston cannot match exactly (an SVI-shaped one with a steep short expiry): the exact-vol stage starts at
        // the first-order optimum and can only lower the implied-vol SSE, which is what RmseVolPoints reports.
        var quotes = new List<HestonQuote>();
        foreach (var (t, f) in new[] { (0.02, 100.0), (0.1, 101.0), (0.5, 103.0) })
            for (double k = -0.3; k <= 0.31; k += 0.05)
            {
                double w = 0.04 * t * 10 + 0.1 * (0.3 * (k + 0.02) + Math.Sqrt((k + 0.02) * (k + 0.02) + 0.01)) * Math.Sqrt(t);
                quotes.Add(new HestonQuote(t, f, f * Math.Exp(k), Math.Sqrt(w / t)));
            }
        var price = HestonCalibration.Calibrate(quotes, new HestonCalibrationOptions { Objective = HestonObjective.VegaWeightedPrice });
        var vol = HestonCalibration.Calibrate(quotes);
        Assert.True(vol.RmseVolPoints <= price.RmseVolPoints + 1e-9, $"{vol.RmseVolPoints} vs {price.RmseVolPoints}");
        Assert.True(vol.RmseVolPoints > 0.01, "the smile is misspecified for Heston by construction");
    }

    [Fact]
    public void CalibrationRejectsBadQuotesNamingThem()
    {
        var quotes = SyntheticSurface(new HestonParameters(0.5, 2, 0.4, 1.5, 0.2), 100, [30], 6);
        quotes[3] = quotes[3] with { ImpliedVolatility = -0.2 };
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => HestonCalibration.Calibrate(quotes));
        Assert.Contains("Quote #3: ImpliedVolatility", e.Message);
        Assert.Throws<ArgumentException>(() => HestonCalibration.Calibrate(quotes.Take(3).ToList()));
    }
}
