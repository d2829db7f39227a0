using System.Globalization;
using CryptoMargin.Instruments;
using CryptoMargin.Margin;
using CryptoMargin.Margin.Greeks;
using CryptoMargin.Margin.Scenarios;
using CryptoMargin.MarketData;
using CryptoMargin.Portfolios;
using CryptoMargin.Pricing;
using CryptoMargin.Surfaces;

namespace CryptoMargin.Tests.Margin.Greeks;

public class GreeksMarginModelTests
{
    internal static readonly DateTimeOffset Now = new(2026, 8, 22, 8, 0, 0, TimeSpan.Zero);

    /// <summary>One forward for every expiry and one vol for every strike.</summary>
    internal sealed class FlatSurface(double forward, double vol) : IVolSurface
    {
        public double Forward(double t) => forward;
        public double ImpliedVolatility(double strike, double t) => vol;
    }

    internal static MarketSnapshot Market(double btc = 80_000, double eth = 2_500, double vol = 0.5) =>
        new(Now, new Dictionary<string, double> { ["BTC"] = btc, ["ETH"] = eth }, new Dictionary<string, double>(),
            new Dictionary<string, IVolSurface> { ["BTC"] = new FlatSurface(btc, vol), ["ETH"] = new FlatSurface(eth, vol) });

    internal static Portfolio Book(params (string Name, double Size)[] positions) =>
        new("BTC", new Dictionary<string, double>(), positions.Select(p => new Position(Instrument.Parse(p.Name), p.Size)).ToArray());

    private static readonly GreeksMarginParameters NoCurvature = new() { CurvatureScale = 0 };

    [Theory]
    [InlineData("BTC-25SEP26-85000-C")]
    [InlineData("BTC-25SEP26-70000-P")]
    [InlineData("BTC-23AUG26-80000-C")]
    [InlineData("BTC_USDC-25SEP26-85000-C")]
    [InlineData("BTC_USDC-25SEP26-70000-P")]
    [InlineData("BTC-PERPETUAL")]
    [InlineData("BTC-25SEP26")]
    [InlineData("BTC_USDC-PERPETUAL")]
    public void UnitSensitivitiesAreTheDerivativesOfFullRevaluation(string name)
    {
        // Reference: central finite differences of Revaluation.UnitPnl (the full-revaluation conventions) in s and σ.
        var instrument = Instrument.Parse(name);
        double f = 80_000, vol = 0.55;
        double t = instrument is OptionInstrument o ? (o.Expiry - Now).TotalDays / 365 : 0;
        var g = GreeksApproximation.Sensitivity(instrument, f, t, vol, 1);
        double P(double s, double dv) => Revaluation.UnitPnl(instrument, f, t, vol, s, vol + dv);
        // Central differences with one Richardson step (error O(h⁴)).
        double D(double h) => (P(h, 0) - P(-h, 0)) / (2 * h);
        double G(double h) => (P(h, 0) - 2 * P(0, 0) + P(-h, 0)) / (h * h);
        double V(double h) => (P(0, h) - P(0, -h)) / (2 * h);
        double delta = (4 * D(5e-4) - D(1e-3)) / 3, gamma = (4 * G(5e-3) - G(1e-2)) / 3, vega = (4 * V(5e-5) - V(1e-4)) / 3;
        double scale = instrument.IsInverse && instrument is FutureInstrument ? 1 / f : instrument.IsInverse ? 1 : f;
        Assert.Equal(delta, g.Delta, 1e-6 * scale);
        Assert.Equal(gamma, g.Gamma, 1e-4 * Math.Max(Math.Abs(gamma), scale));
        Assert.Equal(vega, g.Vega, 1e-6 * Math.Max(Math.Abs(vega), scale));
    }

    [Fact]
    public void InverseCallDeltaIsPremiumAdjusted()
    {
        // The coin value C/F of a long call moves by Δ − C/F per unit relative move, not by the USD delta Δ.
        double f = 80_000, t = 34 / 365.0, vol = 0.5;
        var g = GreeksApproximation.Sensitivity(Instrument.Parse("BTC-25SEP26-80000-C"), f, t, vol, 1);
        var usd = Black76.Greeks(f, 80_000, t, vol, OptionType.Call);
        Assert.Equal(usd.Delta - usd.Price / f, g.Delta, 1e-12);
        Assert.True(g.Delta < usd.Delta - 0.01);
    }

    [Fact]
    public void LinearFuturesAggregateWithTheBtcEthCorrelation()
    {
        // Closed form: K_u = |q_u F_u| R; IM = sqrt(K_b² + K_e² + 2ρ K_b K_e); Euler shares K_u(K_u + ρ K_v)/IM.
        var book = Book(("BTC_USDC-PERPETUAL", 2), ("ETH_USDC-PERPETUAL", -30));
        var model = new GreeksMarginModel();
        var r = Assert.Single(model.Compute(book, Market()));
        double kb = 2 * 80_000 * 0.10, ke = 30 * 2_500 * 0.10, rho = 0.81;
        double im = Math.Sqrt(kb * kb + ke * ke + 2 * rho * kb * ke);
        Assert.Equal("USDC", r.Currency);
        Assert.Equal(im, r.InitialMargin, 1e-9 * im);
        Assert.Equal(0.8 * im, r.MaintenanceMargin, 1e-9 * im);
        Assert.Equal(kb * (kb + rho * ke) / im, r.Positions[0].Contribution, 1e-9 * im);
        Assert.Equal(ke * (ke + rho * kb) / im, r.Positions[1].Contribution, 1e-9 * im);
        Assert.Equal(-kb, r.Positions[0].PnlInBindingScenario!.Value, 1e-9 * im);
        Assert.Equal(-ke, r.Positions[1].PnlInBindingScenario!.Value, 1e-9 * im);
        Assert.Equal(im - ke, r.Positions[0].Incremental, 1e-9 * im);
        Assert.Equal(im - kb, r.Positions[1].Incremental, 1e-9 * im);
        Assert.Contains(r.AddOns, a => a.Name == "cross-underlying correlation credit" && Math.Abs(a.Amount - (im - kb - ke)) < 1e-6);
        var perfect = Assert.Single(new GreeksMarginModel(new() { BtcEthCorrelation = 1 }).Compute(book, Market()));
        Assert.Equal(kb + ke, perfect.InitialMargin, 1e-9 * im);
    }

    [Fact]
    public void InverseFutureTaylorLossIsDeltaPlusCoinGamma()
    {
        // Long q USD of an inverse perpetual: Taylor P&L (q/F)(s − s²); worst at s = −R: loss (q/F)(R + R²). The exact
        // loss is (q/F)·R/(1 − R) = (q/F)(R + R² + R³ + …): the difference is O(R³).
        double q = 100_000, f = 80_000, r = 0.10;
        var res = Assert.Single(new GreeksMarginModel().Compute(Book(("BTC-PERPETUAL", q)), Market()));
        Assert.Equal("BTC", res.Currency);
        Assert.Equal(q / f * (r + r * r), res.InitialMargin, 1e-12);
        Assert.Equal(-r, res.BindingScenario!.PriceShock);
        double exact = -q * Revaluation.UnitPnl(Instrument.Parse("BTC-PERPETUAL"), f, 0, 0, -r, 0);
        Assert.InRange(exact - res.InitialMargin, 0, 1.01 * q / f * r * r * r / (1 - r));
        // The mirror (short) loses at +R: Taylor (q/F)(R − R²).
        var mirror = Assert.Single(new GreeksMarginModel().Compute(Book(("BTC-PERPETUAL", -q)), Market()));
        Assert.Equal(q / f * (r - r * r), mirror.InitialMargin, 1e-12);
        Assert.Equal(r, mirror.BindingScenario!.PriceShock);
    }

    [Fact]
    public void BookPlusItsMirrorNetsToZero()
    {
        var legs = new (string, double)[] { ("BTC-25SEP26-90000-C", -3), ("BTC-25SEP26-70000-P", -5), ("BTC-PERPETUAL", 40_000), ("BTC-25DEC26-80000-C", 2) };
        var model = new GreeksMarginModel();
        var book = Assert.Single(model.Compute(Book(legs), Market()));
        var mirror = Assert.Single(model.Compute(Book(legs.Select(l => (l.Item1, -l.Item2)).ToArray()), Market()));
        Assert.True(book.InitialMargin > 0 && mirror.InitialMargin > 0);
        // The mirror's P&L in every scenario is minus the book's: its worst corner is the book's best.
        foreach (var (a, b) in book.Positions.Zip(mirror.Positions)) Assert.Equal(-a.Size, b.Size);
        var both = Assert.Single(model.Compute(Book(legs.Concat(legs.Select(l => (l.Item1, -l.Item2))).ToArray()), Market()));
        Assert.Equal(0, both.InitialMargin, 1e-12);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void PutCallParityHedgeNetsToZeroMargin(bool inverse)
    {
        // Long call − short put at strike K is a forward: in USDC C − P = F − K (delta F per unit s, no gamma or vega); in
        // coin (C − P)/F = 1 − K/F, exactly the P&L of a long K USD inverse future. Hedged with the opposite future the
        // book has no risk: its margin must vanish, while each leg alone has margin.
        double k = 90_000;
        string call = inverse ? "BTC-25SEP26-90000-C" : "BTC_USDC-25SEP26-90000-C", put = call[..^1] + "P";
        (string, double) hedge = inverse ? ("BTC-25SEP26", -k) : ("BTC_USDC-25SEP26", -1);
        var model = new GreeksMarginModel();
        var hedged = Assert.Single(model.Compute(Book((call, 1), (put, -1), hedge), Market()));
        var unhedged = Assert.Single(model.Compute(Book((call, 1), (put, -1)), Market()));
        double scale = unhedged.InitialMargin;
        Assert.True(scale > 0.05 * (inverse ? 1 : 80_000) * 0.1);
        Assert.Equal(0, hedged.InitialMargin, 1e-9 * scale);
        Assert.True(model.Compute(Book((put, -1)), Market())[0].InitialMargin > 0);
    }

    [Fact]
    public void EulerContributionsSumToImAndAreSizeDerivatives()
    {
        // Reference: q_i ∂IM/∂q_i by central differences of the model itself on scaled sizes.
        var legs = new (string Name, double Size)[]
        {
            ("BTC-25SEP26-90000-C", -3), ("BTC-25SEP26-70000-P", -5), ("BTC-PERPETUAL", 40_000), ("BTC-25DEC26-80000-C", 2),
            ("BTC-23AUG26-80000-P", -1), ("BTC-23AUG26-82000-C", 1.5),
        };
        var model = new GreeksMarginModel();
        var market = Market();
        var r = Assert.Single(model.Compute(Book(legs), market));
        Assert.Equal(r.InitialMargin, r.Positions.Sum(p => p.Contribution), 1e-10 * r.InitialMargin);
        for (int i = 0; i < legs.Length; i++)
        {
            double h = 1e-6;
            var up = legs.ToArray();
            var down = legs.ToArray();
            up[i].Size *= 1 + h;
            down[i].Size *= 1 - h;
            double fd = (model.Compute(Book(up), market)[0].InitialMargin - model.Compute(Book(down), market)[0].InitialMargin) / (2 * h);
            Assert.Equal(fd, r.Positions[i].Contribution, 1e-6 * r.InitialMargin);
            double without = model.Compute(Book(legs.Where((_, j) => j != i).ToArray()), market)[0].InitialMargin;
            Assert.Equal(r.InitialMargin - without, r.Positions[i].Incremental, 1e-9 * r.InitialMargin);
        }
    }

    [Fact]
    public void CurvatureIsTheSimmExposureOfShortOptionsOnly()
    {
        // SIMM-like curvature: ½·min(1, 14/DTE)·σ·vega per unit, in coin for inverse options, charged when net short.
        double f = 80_000, vol = 0.5;
        var market = Market(vol: vol);
        var call = (OptionInstrument)Instrument.Parse("BTC-25SEP26-80000-C");
        double t = (call.Expiry - Now).TotalDays / 365, days = t * 365;
        double vegaCoin = f * Math.Exp(-0.5 * Math.Pow(0.5 * vol * Math.Sqrt(t), 2)) / Math.Sqrt(2 * Math.PI) * Math.Sqrt(t) / f; // F φ(d₁) √t / F, d₁ = σ√t/2 at the money
        double expected = 2 * 0.5 * Math.Min(1, 14 / days) * vol * vegaCoin;
        var shortCall = Assert.Single(new GreeksMarginModel().Compute(Book((call.Name, -2)), market));
        Assert.Equal(expected, shortCall.AddOns.Single(a => a.Name == "BTC curvature").Amount, 1e-12);
        var withoutCurvature = Assert.Single(new GreeksMarginModel(NoCurvature).Compute(Book((call.Name, -2)), market));
        Assert.Equal(shortCall.InitialMargin - expected, withoutCurvature.InitialMargin, 1e-12);
        var longCall = Assert.Single(new GreeksMarginModel().Compute(Book((call.Name, 2)), market));
        Assert.Equal(0, longCall.AddOns.Single(a => a.Name == "BTC curvature").Amount);
    }

    [Theory]
    [InlineData(30, 30)]
    [InlineData(15, 15)]
    [InlineData(0.2, 1)] // floored at one day
    [InlineData(120, 120)]
    public void VolShockIsTermScaled(double days, double effectiveDays)
    {
        // Deribit's example: "options expiring in 15 days: IV change of maximum (30/15)^0.30*38.00%".
        Assert.Equal(Math.Pow(30 / effectiveDays, 0.3), new GreeksMarginParameters().TermScale(days / 365), 1e-12);
        Assert.Equal(Math.Pow(30 / Math.Max(days, 1), days < 30 ? 0.5 : 0.1),
            new GreeksMarginParameters { VolPowerShort = 0.5, VolPowerLong = 0.1 }.TermScale(days / 365), 1e-12);
    }

    [Fact]
    public void LongGammaBookFindsTheInteriorWorstMove()
    {
        // a + b s + ½ c s², c > 0: minimum −b²/(2c) at s = −b/c when inside [−R, R] (here −0.04), else at an end.
        var (s, p) = GreeksMarginModel.WorstPriceMove(1, 2, 50, 0.1);
        Assert.Equal(-0.04, s, 1e-15);
        Assert.Equal(1 - 4 / 100.0, p, 1e-15);
        Assert.Equal((0.1, 1 - 0.2 - 0.25), GreeksMarginModel.WorstPriceMove(1, -2, -50, 0.1));
    }

    [Fact]
    public void BadInputNamesThePosition()
    {
        var expired = Assert.Throws<DataValidationException>(() => new GreeksMarginModel().Compute(Book(("BTC-PERPETUAL", 10), ("BTC-21AUG26-80000-C", 1)), Market()));
        Assert.Contains("position 1 (BTC-21AUG26-80000-C)", expired.Message);
        Assert.Contains("expired", expired.Message);
        var noSurface = Assert.Throws<DataValidationException>(() => new GreeksMarginModel().Compute(Book(("SOL-25SEP26-200-C", 1)), Market()));
        Assert.Contains("position 0 (SOL-25SEP26-200-C)", noSurface.Message);
        Assert.Contains("no volatility surface for SOL", noSurface.Message);
        var badVol = new MarketSnapshot(Now, new Dictionary<string, double> { ["BTC"] = 80_000 }, new Dictionary<string, double>(),
            new Dictionary<string, IVolSurface> { ["BTC"] = new FlatSurface(80_000, double.NaN) });
        Assert.Contains("no usable implied vol", Assert.Throws<DataValidationException>(() => new GreeksMarginModel().Compute(Book(("BTC-25SEP26-80000-C", 1)), badVol)).Message);
        var param = Assert.Throws<DataValidationException>(() => new GreeksMarginModel(new() { PriceRange = 1.5 }));
        Assert.Equal("PriceRange", param.Field);
    }

    [Fact]
    public void OpenOrdersCountWhenTheyRaiseMargin()
    {
        var positions = new[] { new Position(Instrument.Parse("BTC-PERPETUAL"), 50_000) };
        var market = Market();
        var model = new GreeksMarginModel();
        double alone = model.Compute(Book(("BTC-PERPETUAL", 50_000)), market)[0].InitialMargin;
        var raising = new Portfolio("BTC", new Dictionary<string, double>(), positions, [new Position(Instrument.Parse("BTC-PERPETUAL"), 30_000)]);
        var r = Assert.Single(model.Compute(raising, market));
        Assert.Equal(model.Compute(Book(("BTC-PERPETUAL", 80_000)), market)[0].InitialMargin, r.InitialMargin, 1e-12);
        Assert.Contains(r.Notes, n => n.StartsWith("open orders included", StringComparison.Ordinal));
        Assert.Equal(r.InitialMargin, r.Positions.Sum(p => p.Contribution), 1e-12);
        var reducing = new Portfolio("BTC", new Dictionary<string, double>(), positions, [new Position(Instrument.Parse("BTC-PERPETUAL"), -30_000)]);
        Assert.Equal(alone, model.Compute(reducing, market)[0].InitialMargin, 1e-12);
    }

    [Fact]
    public void DefaultBtcEthCorrelationIsTheShippedDataEstimate()
    {
        // Independent estimate: Pearson correlation of daily log returns of the shipped closes, last five years of the files.
        var folder = SampleChainMarket.SamplesFolder();
        Assert.SkipWhen(folder is null, "samples/ not found above the test binaries");
        Dictionary<string, double> Closes(string file) => File.ReadLines(Path.Combine(folder!, "data", file)).Skip(1)
            .Select(l => l.Split(',')).ToDictionary(f => f[0], f => double.Parse(f[4], CultureInfo.InvariantCulture));
        var btc = Closes("btc-usd-daily.csv");
        var eth = Closes("eth-usd-daily.csv");
        var dates = btc.Keys.Intersect(eth.Keys).Where(d => string.CompareOrdinal(d, "2020-11-20") >= 0).Order(StringComparer.Ordinal).ToArray();
        var x = new double[dates.Length - 1];
        var y = new double[dates.Length - 1];
        for (int i = 1; i < dates.Length; i++)
        {
            x[i - 1] = Math.Log(btc[dates[i]] / btc[dates[i - 1]]);
            y[i - 1] = Math.Log(eth[dates[i]] / eth[dates[i - 1]]);
        }
        double rho = MathNet.Numerics.Statistics.Correlation.Pearson(x, y);
        Assert.Equal(1826, x.Length);
        Assert.Equal(rho, new GreeksMarginParameters().BtcEthCorrelation, 0.005);
    }
}
