using CryptoMargin.Pricing;

namespace CryptoMargin.Tests.Pricing;

public class ImpliedVolatilityKernelsTests
{
    // a(h) = 1 + hY(h), Y = Φ/φ = √(π/2)·erfcx(−h/√2), by mpmath at 40 digits: the small-t series' piecewise polynomial
    // (−10.125 ≤ h ≤ 0: piece centres, edges, the far end) to 4e-16 relative, where the direct form 1 + hY loses about h² ulps
    // (at h = −9.9 some 150), and the direct form itself beyond (−10.5).
    [Theory]
    [InlineData(0, 1.0)]
    [InlineData(-1e-6, 0.99999874668686268387)]
    [InlineData(-0.1, 0.88407376003812636713)]
    [InlineData(-0.125, 0.85781363484954943565)]
    [InlineData(-1, 0.34432045758120152846)]
    [InlineData(-2.37, 0.12374234571536462087)]
    [InlineData(-5.875, 0.02675977318709565301)]
    [InlineData(-6, 0.025734034618795229106)]
    [InlineData(-8.3, 0.013925506228544523227)]
    [InlineData(-9.9, 0.0099056229650583966201)]
    [InlineData(-10.125, 0.0094822007478491052711)]
    [InlineData(-10.5, 0.0088340194201439531263)]
    public void MillsSlopeMatchesHighPrecisionValues(double h, double expected)
    {
        double actual = ImpliedVolatilityKernels.MillsSlope(h), tolerance = h >= -10.125 ? 4e-16 : 3e-14;
        Assert.True(Math.Abs(actual / expected - 1) <= tolerance, $"h {h}: {actual:R} against {expected:R}, {Math.Abs(actual / expected - 1):E2}");
    }

    // b(x, s_c)/b_max = (1 − erfcx(s_c/√2))/2 by mpmath at 30 digits (/usr/bin/python3: (1 − exp(z²)·erfc(z))/2, z = s_c/√2):
    // the one-step path's piecewise polynomial (s_c < 5.875: each piece, the centre s_c = 0.125 and 3.875 of two, a piece's
    // edge 0.6629) and Cody's erfcx beyond.
    [Theory]
    [InlineData(1e-9, 3.9894228015143267807e-10)]
    [InlineData(0.001, 0.00039869241331971939749)]
    [InlineData(0.1, 0.037521214712464388792)]
    [InlineData(0.125, 0.046206777959107644003)]
    [InlineData(0.3, 0.10032470265674485638)]
    [InlineData(0.6629, 0.18396276703651509286)]
    [InlineData(1, 0.23842170813487662832)]
    [InlineData(2.5, 0.3586686686194246903)]
    [InlineData(3.875, 0.40285300653472315944)]
    [InlineData(4, 0.40558935869803106333)]
    [InlineData(5.6, 0.43084324198866740784)]
    [InlineData(5.87, 0.43385863507353347515)]
    [InlineData(5.875, 0.43391205524031529802)]
    [InlineData(6.5, 0.43998432465682816957)]
    [InlineData(11, 0.46402511037886565032)]
    public void InflectionRatioMatchesHighPrecisionValues(double sc, double expected)
    {
        double actual = ImpliedVolatility.InflectionRatio(sc);
        Assert.True(Math.Abs(actual / expected - 1) <= 1e-12, $"s_c {sc}: {actual:R} against {expected:R}");
    }

    // D = Y(h + t) − Y(h − t), Y = Φ/φ, by mpmath at 50 digits (/usr/bin/python3: ncdf(z)/npdf(z) differenced).
    [Theory]
    [InlineData(-12.0, 0.3, 4.0851741117940564836e-3)]     // asymptotic branch (h < −10, small t)
    [InlineData(-10.02, 0.19, 3.6782625386443569135e-3)]   // asymptotic branch at its edge
    [InlineData(-3.0, 0.2, 3.458451253594411526e-2)]       // small-t branch
    [InlineData(-3.0, 0.22, 3.8064474792586141424e-2)]     // erfcx branch
    [InlineData(-0.2, 1.2, 2.9376941267867875186)]         // plain Φ difference
    [InlineData(-5.0, 0.0001, 7.1918952869726820864e-6)]   // small-t, 1 + hY cancels ~h² ulp
    public void BranchesMatchHighPrecisionValues(double h, double t, double expected)
    {
        // 1e-13 relative: the σ error this causes is smaller still, divided by s·∂ln b/∂s ≥ 1 (≈ h² in the wings).
        ImpliedVolatilityKernels.NormalisedOtmCall(h * 2 * t, 2 * t, out double d, out _);
        Assert.Equal(expected, d, 1e-13 * expected);
    }

    // erfcx(z) = e^{z²}erfc(z) by mpmath at 50 digits.
    [Theory]
    [InlineData(0.0, 1.0)]
    [InlineData(0.3, 7.3459933456765514992e-1)]
    [InlineData(2.0, 2.5539567631050574387e-1)]
    [InlineData(-0.4, 1.6762339566888590015)]
    [InlineData(7.0, 7.980005432915293349e-2)]
    [InlineData(30.0, 1.8795888861416751497e-2)]
    [InlineData(150.0, 3.76118031224799193e-3)]
    public void ErfcxMatchesHighPrecisionValues(double z, double expected) =>
        Assert.Equal(expected, ImpliedVolatilityKernels.Erfcx(z), 1e-15 * expected);

    // erfc(z) by mpmath at 40 digits, down to the edge of the double range.
    [Theory]
    [InlineData(0.1, 8.875370839817151016e-1)]
    [InlineData(-1.0, 1.8427007929497148693)]
    [InlineData(5.0, 1.5374597944280348502e-12)]
    [InlineData(20.0, 5.3958656116079009289e-176)]
    [InlineData(26.0, 5.6631924088561428465e-296)]
    public void ErfcMatchesHighPrecisionValues(double z, double expected) =>
        Assert.Equal(expected, ImpliedVolatilityKernels.Erfc(z), 2e-15 * expected);

    // (b_max − b)/b′ = (e^{x/2}Φ(−h − t) + e^{−x/2}Φ(h − t))·√(2π)e^{(h² + t²)/2}, by mpmath at 50 digits
    // (/usr/bin/python3: ncdf and exp of the definition, not the erfcx identity the kernel uses).
    [Theory]
    [InlineData(-0.5, 1.2, 1.739137361344272895)]
    [InlineData(-2.0, 2.5, 1.3188548753047923867)]
    [InlineData(-0.01, 0.2, 2.3212035241276368124)]
    [InlineData(-8.0, 12.0, 0.32833490487688675857)]
    [InlineData(0.0, 40.0, 0.099751851963673567316)]
    [InlineData(-30.0, 8.0, 1.1648078133391637729)]
    public void DistanceToMaximumOverVegaMatchesHighPrecisionValues(double x, double s, double expected) =>
        Assert.Equal(expected, ImpliedVolatilityKernels.DistanceToMaximumOverVega(x, s), 2e-15 * expected);

    [Fact]
    public void DistanceToMaximumOverVegaIsNaNBelowTheInflectionPoint() =>
        Assert.True(double.IsNaN(ImpliedVolatilityKernels.DistanceToMaximumOverVega(-2.0, 1.0))); // s < s_c = 2

    [Fact]
    public void NormalisedBlackMatchesBlack76()
    {
        // b(x, s)·√(FK) is the Black-76 price of the out-of-the-money call.
        foreach (double sigma in new[] { 0.1, 0.5, 2 })
            foreach (double strike in new[] { 100.0, 120, 300 })
            {
                double x = Math.Log(100 / strike), s = sigma;
                double b = ImpliedVolatilityKernels.NormalisedOtmCall(x, s, out _, out _);
                double price = Black76.Price(100, strike, 1, sigma, OptionType.Call);
                Assert.Equal(price, b * Math.Sqrt(100 * strike), 1e-12 * price + 1e-14);
            }
    }

    [Theory]
    [InlineData(1e-300)]
    [InlineData(1e-20)]
    [InlineData(0.001)]
    [InlineData(0.3)]
    [InlineData(0.5)]
    [InlineData(0.97)]
    public void InversePhiInvertsPhiWellEnoughForAGuess(double p)
    {
        // Against MathNet's Φ⁻¹ (an independent implementation): a guess needs ~1e-9, not machine precision.
        double expected = MathNet.Numerics.Distributions.Normal.InvCDF(0, 1, p);
        Assert.Equal(expected, ImpliedVolatilityKernels.InversePhi(p), 1e-9 * Math.Max(1, Math.Abs(expected)));
    }

    // Wichura's AS 241 (PPND16) claims about 1e-16 relative: Φ⁻¹(Φ(z)) must return z to a few ulp, with Φ from Cody's erfc
    // (an independent approximation). Rounding p = Φ(z) itself moves z by about ε·Φ/(φ·|z|) ≤ ε, inside the tolerance.
    [Theory]
    [InlineData(-37.0)]
    [InlineData(-20.0)]
    [InlineData(-7.5)]
    [InlineData(-3.0)]
    [InlineData(-1.2)]
    [InlineData(-0.3)]
    [InlineData(0.1)]
    [InlineData(1.0)]
    [InlineData(2.5)]
    public void InversePhiIsAccurateToMachinePrecision(double z)
    {
        double p = ImpliedVolatilityKernels.Phi(z);
        Assert.Equal(z, ImpliedVolatilityKernels.InversePhi(p), 2e-15 * Math.Max(1, Math.Abs(z)));
    }

    [Theory]
    [InlineData(1e-300)]
    [InlineData(1e-20)]
    [InlineData(0.001)]
    [InlineData(0.3)]
    [InlineData(0.97)]
    public void InversePhiMatchesMathNetClosely(double p)
    {
        double expected = MathNet.Numerics.Distributions.Normal.InvCDF(0, 1, p);
        Assert.Equal(expected, ImpliedVolatilityKernels.InversePhi(p), 1e-13 * Math.Max(1, Math.Abs(expected)));
    }

    // Φ⁻¹ from ln p (the solver's direct lower guess): Φ⁻¹(Φ(z)) = z with ln Φ(z) as input, Φ from Cody's erfc (independent of
    // AS 241), on both sides of the tail/central switch at p = 0.075 (z ≈ −1.44). Rounding ln p moves z by ≈ ε|ln p|Φ/φ ≤ ε|z|.
    [Theory]
    [InlineData(-37.0)]
    [InlineData(-20.0)]
    [InlineData(-7.5)]
    [InlineData(-3.0)]
    [InlineData(-1.45)]
    [InlineData(-1.43)]
    [InlineData(-0.5)]
    [InlineData(-0.13)]
    public void InversePhiOfLogInvertsPhi(double z)
    {
        double logP = Math.Log(ImpliedVolatilityKernels.Phi(z));
        Assert.Equal(z, ImpliedVolatilityKernels.InversePhiOfLog(logP), 4e-15 * Math.Max(1, Math.Abs(z)));
        double mathNet = MathNet.Numerics.Distributions.Normal.InvCDF(0, 1, Math.Exp(logP));
        Assert.Equal(mathNet, ImpliedVolatilityKernels.InversePhiOfLog(logP), 1e-13 * Math.Max(1, Math.Abs(z)));
    }

    [Fact]
    public void InversePhiOfLogIsNaNAtOrAbovePointFourFive()
    {
        Assert.True(double.IsNaN(ImpliedVolatilityKernels.InversePhiOfLog(Math.Log(0.45))));
        Assert.True(double.IsNaN(ImpliedVolatilityKernels.InversePhiOfLog(-0.1)));
        Assert.True(double.IsNaN(ImpliedVolatilityKernels.InversePhiOfLog(double.NaN)));
        Assert.True(double.IsNaN(ImpliedVolatilityKernels.InversePhiOfLog(double.PositiveInfinity)));
        Assert.Equal(MathNet.Numerics.Distributions.Normal.InvCDF(0, 1, 0.449), ImpliedVolatilityKernels.InversePhiOfLog(Math.Log(0.449)), 1e-13);
    }

    [Fact]
    public void InversePhiOutsideTheOpenIntervalIsInfiniteOrNaN()
    {
        Assert.Equal(double.NegativeInfinity, ImpliedVolatilityKernels.InversePhi(0));
        Assert.Equal(double.PositiveInfinity, ImpliedVolatilityKernels.InversePhi(1));
        Assert.True(double.IsNaN(ImpliedVolatilityKernels.InversePhi(double.NaN)));
    }

    // erfcx for z ≥ 4 against Laplace's continued fraction erfcx(z) = (1/√π)/(z + (1/2)/(z + 1/(z + (3/2)/(z + …)))),
    // evaluated bottom-up with 200 levels (A&S 7.1.14); an expansion independent of Cody's rational forms.
    [Theory]
    [InlineData(4.2)]
    [InlineData(6.0)]
    [InlineData(11.0)]
    [InlineData(55.0)]
    public void ErfcxMatchesTheContinuedFraction(double z)
    {
        double f = z;
        for (int k = 200; k >= 1; k--) f = z + 0.5 * k / f;
        Assert.Equal(1 / (Math.Sqrt(Math.PI) * f), ImpliedVolatilityKernels.Erfcx(z), 2e-15 / (Math.Sqrt(Math.PI) * f));
    }

    // erfc for 0 ≤ z ≤ 1.2 against the series erf(z) = (2/√π)e^{−z²}Σ 2ⁿz^{2n+1}/(1·3···(2n+1)) (A&S 7.1.6; positive
    // terms), across Cody's first (|z| ≤ 0.46875) and second approximation; 1 − erf loses at most a digit here (erfc ≥ 0.09).
    [Theory]
    [InlineData(0.05)]
    [InlineData(0.3)]
    [InlineData(0.46)]
    [InlineData(0.48)]
    [InlineData(0.9)]
    [InlineData(1.2)]
    public void ErfcMatchesThePositiveSeries(double z)
    {
        double term = z, sum = z;
        for (int n = 1; n < 80; n++)
        {
            term *= 2 * z * z / (2 * n + 1);
            sum += term;
        }
        double expected = 1 - 2 / Math.Sqrt(Math.PI) * Math.Exp(-z * z) * sum;
        Assert.Equal(expected, ImpliedVolatilityKernels.Erfc(z), 4e-15 * expected);
        Assert.Equal(2 - expected, ImpliedVolatilityKernels.Erfc(-z), 4e-15 * (2 - expected));
    }

    [Fact]
    public void InlineExpIsWithinTwoUlpOfTheLibraryExp()
    {
        // Math.Exp (the C library's, correctly rounded in practice) as the reference over the whole range the solver uses, at
        // 20,000 seeded points plus the edges where ExpInline defers to Math.Exp
        var random = new Random(20261125);
        double worst = 0;
        for (int i = 0; i < 20_000; i++)
        {
            double x = i < 10_000 ? -707.9 + 1416.8 * random.NextDouble() : -2 + 4 * random.NextDouble();
            double expected = Math.Exp(x), actual = ImpliedVolatilityKernels.ExpInline(x);
            worst = Math.Max(worst, Math.Abs(actual - expected) / (Math.BitIncrement(expected) - expected));
        }
        Assert.True(worst <= 2, $"worst {worst} ulp");
        Assert.Equal(1.0, ImpliedVolatilityKernels.ExpInline(0));
        Assert.Equal(Math.Exp(-745.0), ImpliedVolatilityKernels.ExpInline(-745.0));
        Assert.Equal(double.PositiveInfinity, ImpliedVolatilityKernels.ExpInline(710));
        Assert.True(double.IsNaN(ImpliedVolatilityKernels.ExpInline(double.NaN)));
    }

    [Fact]
    public void InlineLogIsWithinOneUlpOfTheLibraryLog()
    {
        // Math.Log (the C library's, correctly rounded in practice) as the reference: seeded points over the whole normal range,
        // near 1 (where ln x → 0 and only relative accuracy counts: 1 is the centre of a table cut, with no separate branch), and
        // at powers of two
        var random = new Random(20261125);
        double worst = 0, worstAt = 0;
        for (int i = 0; i < 40_000; i++)
        {
            double x = (i % 4) switch
            {
                0 => Math.Exp(-700 + 1400 * random.NextDouble()),
                1 => 1 + 0.2 * (random.NextDouble() - 0.5),
                2 => 1 + 1e-6 * (random.NextDouble() - 0.5),
                _ => 0.5 + 1.5 * random.NextDouble(),
            };
            double expected = Math.Log(x), actual = ImpliedVolatilityKernels.LogInline(x);
            double ulps = expected == 0 ? Math.Abs(actual) : Math.Abs(actual - expected) / (Math.BitIncrement(Math.Abs(expected)) - Math.Abs(expected));
            if (ulps > worst) (worst, worstAt) = (ulps, x);
        }
        Assert.True(worst <= 1, $"worst {worst} ulp at {worstAt:R}");
        Assert.Equal(0.0, ImpliedVolatilityKernels.LogInline(1));
        Assert.Equal(Math.Log(2), ImpliedVolatilityKernels.LogInline(2), 2.3e-16); // one ulp
        Assert.Equal(Math.Log(1e-310), ImpliedVolatilityKernels.LogInline(1e-310));
        Assert.Equal(double.NegativeInfinity, ImpliedVolatilityKernels.LogInline(0));
        Assert.True(double.IsNaN(ImpliedVolatilityKernels.LogInline(-1)));
        Assert.Equal(double.PositiveInfinity, ImpliedVolatilityKernels.LogInline(double.PositiveInfinity));
    }
}
