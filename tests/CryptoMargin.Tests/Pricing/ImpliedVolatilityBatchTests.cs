using System.Globalization;
using System.Runtime.Intrinsics;
using CryptoMargin.Pricing;

namespace CryptoMargin.Tests.Pricing;

/// <summary>
/// The vectorised <see cref="ImpliedVolatility.SolveBatch"/> (four solves per Vector256, scalar pre-pass) against the
/// 50-digit mpmath grid at the scalar solver's bound, against the scalar <see cref="ImpliedVolatility.Solve"/> item by
/// item (a few ulp, or the price-rounding floor where that is larger), on shuffled mixtures of regions and bad inputs of
/// lengths not divisible by four, and its vector erfcx against mpmath and Laplace's continued fraction. Under
/// DOTNET_EnableAVX2=0 the same tests exercise the scalar fallback.
/// </summary>
public class ImpliedVolatilityBatchTests(ITestOutputHelper output)
{
    private const double Epsilon = 1.1102230246251565e-16;

    private static void Batch(IReadOnlyList<ImpliedVolatilityRoundTripTests.Row> rows, double[] vols, ImpliedVolatilityReason[] reasons, double[]? discounts = null)
    {
        int n = rows.Count;
        double[] p = new double[n], f = new double[n], k = new double[n], t = new double[n];
        var types = new OptionType[n];
        for (int i = 0; i < n; i++)
            (p[i], f[i], k[i], t[i], types[i]) = (rows[i].Price * (discounts?[i] ?? 1), rows[i].Forward, rows[i].Strike, rows[i].T, rows[i].Type);
        ImpliedVolatility.SolveBatch(p, f, k, t, types, discounts, vols, reasons);
    }

    /// <summary>
    /// Batch and scalar run the same iteration from guesses that may differ in the last digits, with kernels that differ in
    /// the last ulp (VectorMath's exp/ln/erfcx are not the scalar ones), so the last iterate may differ by the iteration's
    /// rounding noise times the conditioning of σ on the price: allow 16ε·σ (ε = 2^-53) plus 8× the price-rounding floor
    /// ε·P/(σ·vega) (<see cref="ImpliedVolatilityRoundTripTests.ConditioningFloor"/>). Both are held to the mpmath bound separately.
    /// </summary>
    private static double ScalarTolerance(ImpliedVolatilityRoundTripTests.Row r, double sigma) =>
        16 * Epsilon * sigma + 8 * ImpliedVolatilityRoundTripTests.ConditioningFloor(r) * sigma;

    [Fact]
    public void BatchGivesBackEveryGridSigmaToTheScalarBound()
    {
        var rows = ImpliedVolatilityRoundTripTests.Load();
        var vols = new double[rows.Count];
        var reasons = new ImpliedVolatilityReason[rows.Count];
        Batch(rows, vols, reasons);
        double worst = 0, worstExcess = 0;
        var errors = new List<double>();
        for (int i = 0; i < rows.Count; i++)
        {
            var r = rows[i];
            Assert.True(reasons[i] == ImpliedVolatilityReason.Solved, $"{r}: {reasons[i]}");
            double error = Math.Abs(vols[i] - r.Sigma) / r.Sigma, floor = ImpliedVolatilityRoundTripTests.ConditioningFloor(r);
            worstExcess = Math.Max(worstExcess, error / (1e-12 + 8 * floor));
            if (floor > 1e-13) continue;
            errors.Add(error);
            worst = Math.Max(worst, error);
        }
        errors.Sort();
        output.WriteLine(FormattableString.Invariant(
            $"vector {Vector256.IsHardwareAccelerated}: {errors.Count} well-conditioned rows: median {errors[errors.Count / 2]:E2}, p99 {errors[errors.Count * 99 / 100]:E2}, max {worst:E2}; worst error/(1e-12 + 8·floor) {worstExcess:F3}"));
        Assert.True(worst <= 1e-12, $"max relative error {worst:E3}");
        Assert.True(worstExcess <= 1, $"error {worstExcess:F2}× the conditioned tolerance");
    }

    [Fact]
    public void BatchMatchesScalarWithinAFewUlp()
    {
        var rows = ImpliedVolatilityRoundTripTests.Load();
        var vols = new double[rows.Count];
        var reasons = new ImpliedVolatilityReason[rows.Count];
        Batch(rows, vols, reasons);
        double worstUlp = 0, worstRatio = 0;
        int identical = 0;
        for (int i = 0; i < rows.Count; i++)
        {
            var r = rows[i];
            var scalar = ImpliedVolatility.Solve(r.Price, r.Forward, r.Strike, r.T, r.Type);
            Assert.Equal(scalar.Reason, reasons[i]);
            double difference = Math.Abs(vols[i] - scalar.Volatility);
            if (difference == 0) identical++;
            double floor = ImpliedVolatilityRoundTripTests.ConditioningFloor(r);
            if (floor <= 1e-13) worstUlp = Math.Max(worstUlp, difference / (Epsilon * scalar.Volatility));
            worstRatio = Math.Max(worstRatio, difference / ((Epsilon + floor) * scalar.Volatility));
            Assert.True(difference <= ScalarTolerance(r, scalar.Volatility), FormattableString.Invariant($"{r}: batch {vols[i]:R} scalar {scalar.Volatility:R}"));
        }
        output.WriteLine(FormattableString.Invariant(
            $"{identical} of {rows.Count} identical; worst difference on rows with floor ≤ 1e-13 {worstUlp:F1}·ε·σ (ε = 2^-53); worst difference/((ε + floor)·σ) {worstRatio:F2}"));
        Assert.True(worstRatio <= 16, $"{worstRatio} × (ε + floor)·σ");
    }

    [Fact]
    public void AnItemsResultDoesNotDependOnItsNeighbours()
    {
        // Every lane's arithmetic is its own (branches are selected per lane, a finished lane is frozen): the grid in
        // reverse order, and every 13th row alone, give bit-identical volatilities.
        var rows = ImpliedVolatilityRoundTripTests.Load();
        var reversed = rows.Reverse().ToList();
        double[] vols = new double[rows.Count], reversedVols = new double[rows.Count], one = new double[1];
        var reasons = new ImpliedVolatilityReason[rows.Count];
        var oneReason = new ImpliedVolatilityReason[1];
        Batch(rows, vols, reasons);
        Batch(reversed, reversedVols, reasons);
        for (int i = 0; i < rows.Count; i++)
        {
            Assert.Equal(vols[i], reversedVols[rows.Count - 1 - i]);
            if (i % 13 != 0) continue;
            Batch([rows[i]], one, oneReason);
            Assert.Equal(vols[i], one[0]);
        }
    }

    [Fact]
    public void DiscountedBatchMatchesTheUndiscountedSigma()
    {
        var rows = ImpliedVolatilityRoundTripTests.Load().Where((_, i) => i % 5 == 0).ToList();
        double[] discounts = rows.Select(r => Math.Exp(-0.05 * r.T)).ToArray();
        var vols = new double[rows.Count];
        var reasons = new ImpliedVolatilityReason[rows.Count];
        Batch(rows, vols, reasons, discounts);
        for (int i = 0; i < rows.Count; i++)
        {
            var r = rows[i];
            if (ImpliedVolatilityRoundTripTests.ConditioningFloor(r) > 1e-13) continue;
            Assert.Equal(ImpliedVolatilityReason.Solved, reasons[i]);
            Assert.True(Math.Abs(vols[i] - r.Sigma) <= 2e-12 * r.Sigma, $"{r}: {vols[i]:R}");
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(5)]
    [InlineData(127)]
    [InlineData(130)]
    [InlineData(1027)]
    public void ShuffledMixturesWithBadItemsMatchScalarItemByItem(int n)
    {
        // Grid rows in a seeded random order (all regions and kernel branches mixed within each group of four), every
        // 7th item replaced by a bad or out-of-bounds one: reasons must equal the scalar solver's, NaN/0 where it gives them.
        var grid = ImpliedVolatilityRoundTripTests.Load();
        var random = new Random(20251124 + n);
        double[] p = new double[n], f = new double[n], k = new double[n], t = new double[n], d = new double[n], vols = new double[n];
        var types = new OptionType[n];
        var reasons = new ImpliedVolatilityReason[n];
        var rows = new ImpliedVolatilityRoundTripTests.Row?[n];
        for (int i = 0; i < n; i++)
        {
            var r = grid[random.Next(grid.Count)];
            (p[i], f[i], k[i], t[i], types[i], d[i], rows[i]) = (r.Price, r.Forward, r.Strike, r.T, r.Type, 1, r);
            if (i % 7 != 3) continue;
            rows[i] = null;
            switch (random.Next(9))
            {
                case 0: p[i] = double.NaN; break;
                case 1: f[i] = -1; break;
                case 2: k[i] = 0; break;
                case 3: t[i] = 0; break;
                case 4: d[i] = -0.5; break;
                case 5: p[i] = -1e-3; break;
                case 6: p[i] = types[i] == OptionType.Call ? f[i] : k[i]; break; // the σ → ∞ limit
                case 7: p[i] = Black76.Intrinsic(f[i], k[i], types[i]); break; // zero time value
                default: (f[i], k[i], types[i], p[i]) = (100, 50, OptionType.Call, 40); break; // below the intrinsic value 50
            }
        }
        ImpliedVolatility.SolveBatch(p, f, k, t, types, d, vols, reasons);
        for (int i = 0; i < n; i++)
        {
            var scalar = ImpliedVolatility.Solve(p[i], f[i], k[i], t[i], types[i], d[i]);
            Assert.Equal(scalar.Reason, reasons[i]);
            if (rows[i] is { } r) Assert.True(Math.Abs(vols[i] - scalar.Volatility) <= ScalarTolerance(r, scalar.Volatility), FormattableString.Invariant($"item {i} {r}: batch {vols[i]:R} scalar {scalar.Volatility:R}"));
            else Assert.Equal(scalar.Volatility, vols[i]); // NaN, 0 at the intrinsic value, or a solve of the replacement
        }
    }

    [Fact]
    public void RandomPricesFarBeyondTheGridMatchScalar()
    {
        // The scalar fuzz's domain (ImpliedVolatilityTests.RandomPricesFarBeyondTheGridNeverFail): |ln K/F| ≤ 30σ√t,
        // σ√t from 1e-6 to 40, F from 1e-3 to 1e6; batch and scalar must agree on the reason everywhere and on σ to a few
        // ulp times the conditioning ε·P/(σ·vega) (here from Black76 as reference price).
        var random = new Random(11);
        const int n = 8000;
        double[] p = new double[n], f = new double[n], k = new double[n], t = new double[n], sigmas = new double[n], vols = new double[n];
        var types = new OptionType[n];
        var reasons = new ImpliedVolatilityReason[n];
        for (int i = 0; i < n; i++)
        {
            double s = 1e-6 * Math.Pow(4e7, random.NextDouble());
            t[i] = 1e-4 * Math.Pow(5e4, random.NextDouble());
            sigmas[i] = s / Math.Sqrt(t[i]);
            f[i] = Math.Pow(10, -3 + 9 * random.NextDouble());
            k[i] = Math.Clamp(f[i] * Math.Exp((-30 + 60 * random.NextDouble()) * s), 1e-300, 1e300);
            types[i] = random.NextDouble() < 0.5 ? OptionType.Call : OptionType.Put;
            p[i] = Black76.Price(f[i], k[i], t[i], sigmas[i], types[i]);
        }
        ImpliedVolatility.SolveBatch(p, f, k, t, types, default, vols, reasons);
        int solved = 0;
        for (int i = 0; i < n; i++)
        {
            var scalar = ImpliedVolatility.Solve(p[i], f[i], k[i], t[i], types[i]);
            Assert.Equal(scalar.Reason, reasons[i]);
            if (!scalar.IsSolved) { Assert.Equal(scalar.Volatility, vols[i]); continue; }
            solved++;
            double sv = scalar.Volatility, s = sv * Math.Sqrt(t[i]), d1 = Math.Log(f[i] / k[i]) / s + 0.5 * s;
            double vega = f[i] * Math.Exp(-0.5 * d1 * d1) * 0.3989422804014327 * Math.Sqrt(t[i]);
            double tolerance = 16 * Epsilon * sv + (vega > 0 ? 64 * Epsilon * p[i] / vega : double.PositiveInfinity);
            Assert.True(Math.Abs(vols[i] - sv) <= tolerance, FormattableString.Invariant($"F {f[i]:R} K {k[i]:R} t {t[i]:R} {types[i]} price {p[i]:R}: batch {vols[i]:R} scalar {sv:R}"));
        }
        Assert.True(solved > n / 2, $"only {solved} solved");
    }

    // erfcx(z) = e^{z²}erfc(z) by mpmath at 50 digits (the values of ImpliedVolatilityKernelsTests), plus −3 and −26.
    [Theory]
    [InlineData(0.0, 1.0)]
    [InlineData(0.3, 7.3459933456765514992e-1)]
    [InlineData(2.0, 2.5539567631050574387e-1)]
    [InlineData(-0.4, 1.6762339566888590015)]
    [InlineData(7.0, 7.980005432915293349e-2)]
    [InlineData(30.0, 1.8795888861416751497e-2)]
    [InlineData(150.0, 3.76118031224799193e-3)]
    public void VectorErfcxMatchesHighPrecisionValues(double z, double expected)
    {
        var v = VectorMath.Erfcx(Vector256.Create(z, -z, 0.5 * z, z));
        Assert.Equal(expected, v.GetElement(0), 1e-15 * expected);
        Assert.Equal(expected, v.GetElement(3), 1e-15 * expected);
    }

    // erfcx for z ≥ 4 against Laplace's continued fraction (A&S 7.1.14), bottom-up with 200 levels.
    [Theory]
    [InlineData(4.2)]
    [InlineData(6.0)]
    [InlineData(11.0)]
    [InlineData(55.0)]
    public void VectorErfcxMatchesTheContinuedFraction(double z)
    {
        double cf = z;
        for (int k = 200; k >= 1; k--) cf = z + 0.5 * k / cf;
        double expected = 1 / (Math.Sqrt(Math.PI) * cf);
        Assert.Equal(expected, VectorMath.Erfcx(Vector256.Create(z)).GetElement(1), 2e-15 * expected);
    }

    [Fact]
    public void VectorErfcxAgreesWithTheScalarKernelAndItsReflection()
    {
        // Across Cody's three forms and the reflection: within 1e-15 relative of the scalar erfcx (itself checked against
        // mpmath above), and erfcx(−z) + erfcx(z) = 2e^{z²} (the reflection identity, from Math.Exp) within 1e-15.
        var random = new Random(5);
        double worst = 0;
        for (int i = 0; i < 4000; i++)
        {
            double z = -6 + 66 * Math.Pow(random.NextDouble(), 2);
            var v = VectorMath.Erfcx(Vector256.Create(z, -z, z, z));
            double scalar = ImpliedVolatilityKernels.Erfcx(z);
            worst = Math.Max(worst, Math.Abs(v.GetElement(0) / scalar - 1));
            if (Math.Abs(z) < 5)
            {
                double sum = v.GetElement(0) + v.GetElement(1), expected = 2 * Math.Exp(z * z);
                Assert.Equal(expected, sum, 1e-15 * expected * (1 + z * z));
            }
        }
        output.WriteLine($"worst relative difference to the scalar erfcx {worst:E2}");
        Assert.True(worst < 1e-15, $"{worst:E2}");
        var special = VectorMath.Erfcx(Vector256.Create(double.PositiveInfinity, double.NegativeInfinity, double.NaN, -30));
        Assert.Equal(0, special.GetElement(0));
        Assert.Equal(double.PositiveInfinity, special.GetElement(1));
        Assert.True(double.IsNaN(special.GetElement(2)));
        Assert.Equal(double.PositiveInfinity, special.GetElement(3));
    }

    [Fact]
    public void BatchRejectsAShortOutputSpanByName()
    {
        var ex = Assert.Throws<ArgumentException>(() => ImpliedVolatility.SolveBatch(
            new double[5], new double[5], new double[5], new double[5], new OptionType[5], default, new double[5], new ImpliedVolatilityReason[4]));
        Assert.Contains("reasons", ex.Message);
        Assert.Contains(5.ToString(CultureInfo.InvariantCulture), ex.Message);
    }

    // D = Y(h + t) − Y(h − t), Y = Φ/φ, by mpmath at 50 digits (/usr/bin/python3), over the small-t branch (t < 0.21, h ≤ 0)
    // out to h = −9.9, where 1 + hY cancels about h² ulp (the scalar kernel's own test allows 1e-13 there too).
    [Theory]
    [InlineData(0, 1e-4, 0.000200000000666666668)]
    [InlineData(0, 0.05, 0.10008337501488508692)]
    [InlineData(0, 0.15, 0.30226015762617117422)]
    [InlineData(0, 0.2099, 0.42601985295187485275)]
    [InlineData(-0.3, 1e-4, 0.00013988975632756956606)]
    [InlineData(-0.3, 0.05, 0.069993286366162595072)]
    [InlineData(-0.3, 0.15, 0.21114621657380412617)]
    [InlineData(-0.3, 0.2099, 0.29723596914096382066)]
    [InlineData(-1, 1e-4, 0.000068864091642000915958)]
    [InlineData(-1, 0.05, 0.034447770795649493043)]
    [InlineData(-1, 0.15, 0.10372178726550958836)]
    [InlineData(-1, 0.2099, 0.14571522878082771972)]
    [InlineData(-3, 1e-4, 0.000017245820785521104712)]
    [InlineData(-3, 0.05, 0.0086243584733721913949)]
    [InlineData(-3, 0.15, 0.025907872985577952496)]
    [InlineData(-3, 0.2099, 0.036306358317848546734)]
    [InlineData(-6, 1e-4, 5.1468069249681625324e-6)]
    [InlineData(-6, 0.05, 0.0025735546096555191606)]
    [InlineData(-6, 0.15, 0.0077242931448103842204)]
    [InlineData(-6, 0.2099, 0.010814340057173656277)]
    [InlineData(-9.9, 1e-4, 1.9811245932006712242e-6)]
    [InlineData(-9.9, 0.05, 0.00099058592103702317917)]
    [InlineData(-9.9, 0.15, 0.0029723248693136895825)]
    [InlineData(-9.9, 0.2099, 0.0041601289846356432796)]
    public void ClosedFormSmallTSeriesMatchesHighPrecisionValues(double h, double t, double expected)
    {
        var d = ImpliedVolatility.SmallTSeries(Vector256.Create(h), Vector256.Create(t));
        double tolerance = 1e-13 * expected;
        Assert.Equal(expected, d.GetElement(0), tolerance);
        Assert.Equal(expected, d.GetElement(3), tolerance);
        // and the scalar kernel (the same closed form in scalar arithmetic: a consistency check, the mpmath values are the reference)
        ImpliedVolatilityKernels.NormalisedOtmCall(h * 2 * t, 2 * t, out double scalar, out _);
        Assert.Equal(scalar, d.GetElement(0), tolerance);
        // the scalar series itself against mpmath, its polynomials in vector lanes and (as without AVX) lane by lane
        Assert.Equal(expected, ImpliedVolatilityKernels.SmallTD(h, t, vector: true), tolerance);
        Assert.Equal(expected, ImpliedVolatilityKernels.SmallTD(h, t, vector: false), tolerance);
    }

    [Fact]
    public void VectorInflectionRatioIsTheScalarOneOnEveryLane()
    {
        // lanes inside the pieces (s_c < 5.875), past them (Cody's erfcx form) and mixed, at random and at piece edges
        var random = new Random(20261125);
        for (int i = 0; i < 2000; i++)
        {
            double Pick() => (i % 5) switch { 0 => 8 * random.NextDouble(), 1 => 0.125 * random.Next(0, 48), 2 => 5.875 + 1e-3 * (random.NextDouble() - 0.5), _ => 5.9 * random.NextDouble() };
            var sc = Vector256.Create(Pick(), Pick(), Pick(), Pick());
            var lanes = ImpliedVolatility.InflectionRatio(sc);
            for (int j = 0; j < 4; j++)
            {
                double expected = ImpliedVolatility.InflectionRatio(sc.GetElement(j));
                // bit for bit on the pieces; past them (Cody's erfcx form, vector against scalar) to rounding
                Assert.True(BitConverter.DoubleToInt64Bits(expected) == BitConverter.DoubleToInt64Bits(lanes.GetElement(j))
                    || sc.GetElement(j) >= 5.875 && Math.Abs(lanes.GetElement(j) / expected - 1) <= 1e-15, $"s_c {sc.GetElement(j):R}: lane {lanes.GetElement(j):R}, scalar {expected:R}");
            }
        }
    }

    [Fact]
    public void VectorMillsSlopeIsTheScalarOneOnEveryLane()
    {
        // a = 1 + hY(h) for the small-t series: lanes inside the pieces (−10.125 ≤ h ≤ 0), past them and mixed
        var random = new Random(20261126);
        for (int i = 0; i < 2000; i++)
        {
            double Pick() => (i % 4) switch { 0 => -12 * random.NextDouble(), 1 => -0.25 * random.Next(0, 41), 2 => -10.125 + 1e-3 * (random.NextDouble() - 0.5), _ => -10 * random.NextDouble() };
            var h = Vector256.Create(Pick(), Pick(), Pick(), Pick());
            var lanes = ImpliedVolatility.MillsSlope(h);
            for (int j = 0; j < 4; j++)
            {
                // bit for bit on the pieces; past them both use the direct form 1 + hY with their own erfcx (vector and scalar),
                // which loses about h² ulps to cancellation, so there they agree to that
                double expected = ImpliedVolatilityKernels.MillsSlope(h.GetElement(j));
                bool inPieces = h.GetElement(j) >= -10.125;
                Assert.True(BitConverter.DoubleToInt64Bits(expected) == BitConverter.DoubleToInt64Bits(lanes.GetElement(j))
                    || !inPieces && Math.Abs(lanes.GetElement(j) / expected - 1) <= 5e-14, $"h {h.GetElement(j):R}: lane {lanes.GetElement(j):R}, scalar {expected:R}");
            }
        }
    }
}
