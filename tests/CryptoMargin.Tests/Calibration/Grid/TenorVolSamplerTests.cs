using CryptoMargin.Calibration.Grid;
using CryptoMargin.MarketData.Options;
using CryptoMargin.Pricing;

namespace CryptoMargin.Tests.Calibration.Grid;

public class TenorVolSamplerTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 2, 9, 10, 0, TimeSpan.Zero);
    private const double F = 90_000;

    /// <summary>Calls and puts at strikes F·e^{k}, k in ks, out-of-the-money vols from <paramref name="vol"/>(k); in-the-money ones a garbage 3.0.</summary>
    private static IEnumerable<OptionQuote> Slice(double days, IEnumerable<double> ks, Func<double, double> vol, double forward = F)
    {
        foreach (double k in ks)
        {
            double strike = forward * Math.Exp(k);
            foreach (var type in new[] { OptionType.Call, OptionType.Put })
            {
                bool otm = type == OptionType.Call ? strike >= forward : strike < forward;
                yield return new OptionQuote
                {
                    Instrument = $"BTC-{days}-{strike:0}-{(type == OptionType.Call ? "C" : "P")}",
                    Expiry = Now.AddDays(days),
                    T = days / 365.0,
                    Strike = strike,
                    Type = type,
                    Forward = forward,
                    MarkIv = otm ? vol(k) : 3.0,
                };
            }
        }
    }

    private static IEnumerable<double> Ks(double lo, double hi, double step)
    {
        for (double k = lo; k <= hi + 1e-12; k += step) yield return Math.Round(k, 10);
    }

    [Fact]
    public void AtmTermStructureIsLinearInTotalVarianceBetweenExpiries()
    {
        // w(T) = α + βT at every listed expiry ⇒ the sampled vol is √((α + βτ)/τ) at any bracketed τ (closed form).
        const double alpha = 0.0005, beta = 0.36;
        double VolAt(double days) => Math.Sqrt((alpha + beta * days / 365) / (days / 365));
        var expiries = new[] { 0.9, 2, 5, 10, 20, 40, 75, 120, 150 };
        var quotes = expiries.SelectMany(d => Slice(d, Ks(-0.5, 0.5, 0.05), _ => VolAt(d))).ToList();
        quotes.AddRange(Slice(0.3, Ks(-0.5, 0.5, 0.05), _ => 5.0)); // 7 hours to expiry: skipped
        var chain = new OptionChain(Now, "BTC", quotes, hasBook: false);

        var sampled = TenorVolSampler.Sample(chain, TenorGrid.StandardDays, TenorGrid.StandardMoneyness);
        Assert.Equal("BTC", sampled.Underlying);
        Assert.Equal(Now, sampled.Time);
        for (int i = 0; i < TenorGrid.StandardDays.Count; i++)
        {
            double days = TenorGrid.StandardDays[i];
            for (int j = 0; j < TenorGrid.StandardMoneyness.Count; j++)
            {
                if (days > 150) Assert.True(double.IsNaN(sampled.Vol(i, j)), "beyond the last expiry");
                else Assert.Equal(VolAt(days), sampled.Vol(i, j), 1e-12); // flat smiles: every z has the ATM vol
            }
        }
    }

    [Fact]
    public void WingsSitAtStandardisedMoneynessOnALinearSkew()
    {
        // One expiry at exactly 30 days, w(k) = w₀(1 + c·k): linear interpolation in k is exact, so the point at z is
        // w₀(1 + c·z·√w₀); beyond the listed strikes (k ∈ [−0.1, 0.3]) it is NaN.
        const double sigma = 0.6, c = -0.8;
        double t = 30 / 365.0, w0 = sigma * sigma * t;
        var quotes = Slice(30, Ks(-0.1, 0.3, 0.02), k => Math.Sqrt(w0 * (1 + c * k) / t)).ToList();
        var chain = new OptionChain(Now, "ETH", quotes, hasBook: false);
        double[] zs = [-1, -0.5, 0, 0.5, 2];
        var sampled = TenorVolSampler.Sample(chain, [30], zs);
        Assert.True(double.IsNaN(sampled.Vol(0, 0)));
        Assert.True(double.IsNaN(sampled.Vol(0, 4)));
        foreach (int j in new[] { 1, 2, 3 })
            Assert.Equal(Math.Sqrt(w0 * (1 + c * zs[j] * Math.Sqrt(w0)) / t), sampled.Vol(0, j), 1e-12);
        Assert.Equal(2, sampled.AtmIndex);
    }

    [Fact]
    public void HoldsVolFlatBelowTheFirstExpiryOnlyWhenItIsNear()
    {
        var quotes = Slice(1.5, Ks(-0.3, 0.3, 0.05), _ => 0.7).Concat(Slice(40, Ks(-0.3, 0.3, 0.05), _ => 0.5)).ToList();
        var sampled = TenorVolSampler.Sample(new OptionChain(Now, "BTC", quotes, false), [0.7, 1], [0.0]);
        Assert.True(double.IsNaN(sampled.Vol(0, 0)));       // 1.5 days > 2 × 0.7
        Assert.Equal(0.7, sampled.Vol(1, 0), 1e-12);         // 1.5 ≤ 2 × 1
    }

    [Fact]
    public void RefusesAChainWithoutTimeOrUnderlying()
    {
        var quotes = Slice(30, Ks(-0.1, 0.1, 0.05), _ => 0.5).ToList();
        Assert.Contains("valuation time", Assert.Throws<ArgumentException>(() =>
            TenorVolSampler.Sample(new OptionChain(null, "BTC", quotes, false), [30], [0.0])).Message);
        Assert.Contains("underlying", Assert.Throws<ArgumentException>(() =>
            TenorVolSampler.Sample(new OptionChain(Now, null, quotes, false), [30], [0.0])).Message);
        Assert.Throws<ArgumentException>(() => TenorVolSampler.Sample(new OptionChain(Now, "BTC", quotes, false), [0], [0.0]));
    }
}
