using CryptoMargin.MarketData.Options;
using CryptoMargin.Pricing;

namespace CryptoMargin.Tests.MarketData.Options;

public class StaticArbitrageTests
{
    private static readonly double[] Strikes = [40000, 50000, 60000, 65000, 70000, 75000, 80000, 90000, 100000, 120000];

    private static double[] Prices(OptionType type, Func<double, double> sigma) =>
        [.. Strikes.Select(k => Black76.Price(70000, k, 0.25, sigma(k), type))];

    [Theory]
    [InlineData(OptionType.Call)]
    [InlineData(OptionType.Put)]
    public void BlackPricesWithAMildSmileAreFreeOfArbitrage(OptionType type)
    {
        // Prices of one lognormal (or a gentle smile) are monotone and convex in strike (Merton 1973).
        var violations = new ArbitrageViolation[2 * Strikes.Length];
        Assert.Equal(0, StaticArbitrage.FindViolations(Strikes, Prices(type, _ => 0.6), type, 0, violations));
        Assert.Equal(0, StaticArbitrage.FindViolations(Strikes, Prices(type, k => 0.55 + 0.1 * Math.Pow(Math.Log(k / 70000), 2)), type, 0, violations));
    }

    [Fact]
    public void ABumpedCallBreaksConvexityAroundIt()
    {
        var p = Prices(OptionType.Call, _ => 0.6);
        p[4] += 300; // strike 70,000
        var v = new ArbitrageViolation[32];
        int n = StaticArbitrage.FindViolations(Strikes, p, OptionType.Call, 0, v);
        // The bump makes 65/70/75 concave; the neighbouring triples 60/65/70 and 70/75/80 become more convex, not less.
        Assert.Equal(1, n);
        Assert.Equal(new ArbitrageViolation(ArbitrageKind.Convexity, 3, v[0].Amount), v[0]);
        // Excess over the chord, by hand: the unbumped chord excess is ≤ 0, so the excess is at most the bump.
        double w = (75000.0 - 70000) / (75000 - 65000);
        double expected = p[4] - (w * p[3] + (1 - w) * p[5]);
        Assert.Equal(expected, v[0].Amount, 1e-9);
        Assert.Equal(3, v[0].Width);
        // Tolerance above the excess hides it.
        Assert.Equal(0, StaticArbitrage.FindViolations(Strikes, p, OptionType.Call, expected + 1e-6, v));
    }

    [Fact]
    public void APutCheaperAtAHigherStrikeBreaksMonotonicity()
    {
        var p = Prices(OptionType.Put, _ => 0.6);
        p[2] = p[1] - 50; // put at 60,000 below the put at 50,000
        var v = new ArbitrageViolation[32];
        int n = StaticArbitrage.FindViolations(Strikes, p, OptionType.Put, 0, v);
        var mono = v[..n].Where(x => x.Kind == ArbitrageKind.Monotonicity).ToList();
        Assert.Single(mono);
        Assert.Equal(1, mono[0].First);
        Assert.Equal(50, mono[0].Amount, 1e-9);
        Assert.Equal(2, mono[0].Width);
    }

    [Fact]
    public void BadArgumentsAreNamed()
    {
        var v = new ArbitrageViolation[8];
        Assert.Throws<ArgumentException>("prices", () => StaticArbitrage.FindViolations([1, 2, 3], [1, 2], OptionType.Call, 0, v));
        Assert.Throws<ArgumentException>("strikes", () => StaticArbitrage.FindViolations([1, 3, 2], [3, 2, 1], OptionType.Call, 0, v));
        Assert.Throws<ArgumentException>("violations", () => StaticArbitrage.FindViolations([1, 2, 3, 4], [4, 3, 2, 1], OptionType.Call, 0, new ArbitrageViolation[2]));
    }
}
