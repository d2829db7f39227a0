using CryptoMargin.Data.Options;
using CryptoMargin.Instruments;
using CryptoMargin.Margin.Scenarios;
using CryptoMargin.Margin.Span;
using CryptoMargin.MarketData;
using CryptoMargin.Portfolios;
using CryptoMargin.Pricing;
using CryptoMargin.Surfaces;

namespace CryptoMargin.Data.Tests.Margin.Span;

/// <summary>
/// SPAN on the shipped real Deribit snapshot (samples/options, BTC, 2026-08-22 09:35 UTC): an SVI surface fitted to the
/// mark IVs of every expiry, a short ATM straddle and the same straddle delta-hedged with the perpetual.
/// </summary>
public class SpanOnSampleChainTests
{
    private static MarketSnapshot Snapshot()
    {
        var chain = OptionChainReader.Read(Options.SampleOptionChainTests.SamplePath, "BTC");
        var slices = new List<(double, double, SviParameters)>();
        foreach (var e in chain.Expiries)
        {
            var quotes = e.Quotes.Where(q => q.MarkIv is > 0).ToList();
            if (e.T <= 0 || quotes.Count < 5) continue;
            var slice = new VolSlice(e.T, e.Forward, quotes.Select(q => Math.Log(q.Strike / e.Forward)).ToArray(),
                quotes.Select(q => q.MarkIv!.Value).ToArray());
            slices.Add((e.T, e.Forward, SviCalibration.Fit(slice).Parameters));
        }
        double index = chain.Quotes.First(q => q.IndexPrice is > 0).IndexPrice!.Value;
        return new MarketSnapshot(chain.ValuationTime!.Value, new Dictionary<string, double> { ["BTC"] = index },
            new Dictionary<string, double>(), new Dictionary<string, IVolSurface> { ["BTC"] = new SliceVolSurface(slices) });
    }

    [Fact]
    public void HedgedStraddleNetsAndScanMatchesDirectRevaluation()
    {
        var market = Snapshot();
        var expiry = new DateTimeOffset(2026, 9, 25, 8, 0, 0, TimeSpan.Zero);
        double t = market.YearsTo(expiry);
        var surface = market.Surface("BTC");
        double f = surface.Forward(t);
        var strikes = OptionChainReader.Read(Options.SampleOptionChainTests.SamplePath, "BTC").Quotes
            .Where(q => q.Expiry == expiry).Select(q => q.Strike).Distinct().ToList();
        double k = strikes.MinBy(s => Math.Abs(s - f));
        var call = Instrument.Parse($"BTC-25SEP26-{k:F0}-C");
        var put = Instrument.Parse($"BTC-25SEP26-{k:F0}-P");
        var straddle = new Portfolio("BTC", new Dictionary<string, double>(), [new Position(call, -10), new Position(put, -10)]);
        var model = new SpanMarginModel();
        var naked = Assert.Single(model.Compute(straddle, market));

        // Reference: the 16 scenarios written out and revalued directly on the surface (defaults: r = 0.16, +50%/−25% vol, 3r at 35%).
        double[] move = [0, 0, 1, 1, -1, -1, 2, 2, -2, -2, 3, 3, -3, -3, 9, -9];
        double[] volMove = [0.5, -0.25, 0.5, -0.25, 0.5, -0.25, 0.5, -0.25, 0.5, -0.25, 0.5, -0.25, 0.5, -0.25, 0, 0];
        double vol = surface.ImpliedVolatility(k, t), worst = 0;
        for (int j = 0; j < 16; j++)
        {
            double s = move[j] * 0.16 / 3, cover = j >= 14 ? 0.35 : 1;
            double pnl = cover * -10 * (Revaluation.UnitPnl(call, f, t, vol, s, vol * (1 + volMove[j])) + Revaluation.UnitPnl(put, f, t, vol, s, vol * (1 + volMove[j])));
            worst = Math.Max(worst, -pnl);
        }
        double minimum = 0.01 * 20;
        Assert.Equal(Math.Max(worst, minimum), naked.InitialMargin, 1e-12);
        Assert.Equal("BTC", naked.Currency);

        // Delta hedge with the inverse perpetual (USD size q has q/F coin of delta) against the coin P&L's delta: Deribit's
        // premium-adjusted Δ − C/F per option, not the Black-76 Δ (≈ 0 for an ATM straddle, which would leave the
        // coin value's own sensitivity to F unhedged).
        double delta = -10 * (InverseOption.Greeks(f, k, t, vol, OptionType.Call).DeltaCoin + InverseOption.Greeks(f, k, t, vol, OptionType.Put).DeltaCoin);
        double index = market.Index("BTC");
        var hedged = Assert.Single(model.Compute(new Portfolio("BTC", new Dictionary<string, double>(),
            [new Position(call, -10), new Position(put, -10), new Position(Instrument.Parse("BTC-PERPETUAL"), -delta * index)]), market));
        Assert.True(hedged.InitialMargin <= naked.InitialMargin + 1e-12);
        Assert.True(hedged.InitialMargin >= minimum);
        Assert.Equal(hedged.InitialMargin, hedged.Positions.Sum(p => p.Contribution), 1e-10);
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"F={f:F1} K={k} vol={vol:F4} naked IM={naked.InitialMargin:F6} BTC ({naked.BindingScenario!.Name}) hedged IM={hedged.InitialMargin:F6} BTC ({hedged.BindingScenario!.Name}) delta={delta:F4}");
    }
}
