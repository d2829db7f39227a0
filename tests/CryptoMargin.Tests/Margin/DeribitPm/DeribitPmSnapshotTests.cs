using System.Globalization;
using CryptoMargin.Instruments;
using CryptoMargin.Margin.DeribitPm;
using CryptoMargin.Margin.Scenarios;
using CryptoMargin.MarketData;
using CryptoMargin.Portfolios;
using CryptoMargin.Surfaces;
using CryptoMargin.Tests.Surfaces;

namespace CryptoMargin.Tests.Margin.DeribitPm;

/// <summary>
/// deribit-pm on one real Deribit BTC chain (the team's shared data, ../shared/data, skipped where absent): SVI slices
/// fitted per expiry as DeribitSnapshotSviTests does, straddles at the strike nearest the forward of the second
/// expiry. Checks bounds that hold whatever the surface: a long option cannot lose more than its value; a short
/// straddle loses at least its P&amp;L at ±16% with unchanged vol.
/// </summary>
public class DeribitPmSnapshotTests(ITestOutputHelper output)
{
    [Fact]
    public void StraddlesOnARealChainRespectTheirBounds()
    {
        var folder = SharedSnapshots();
        Assert.SkipWhen(folder is null, "shared data ../shared/data/deribit-options-snapshots/daily is absent");
        var files = Directory.GetFiles(folder!, "*.csv.gz").Order(StringComparer.Ordinal).ToArray();
        Assert.SkipWhen(files.Length == 0, "no snapshot files in " + folder);
        string path = files[files.Length / 2];
        var slices = DeribitSnapshotSviTests.BtcSlices(path, out var valuation);
        Assert.True(slices.Count >= 3);
        var fitted = slices.Select(s => (s.Expiry, s.Forward, SviCalibration.Fit(s).Parameters)).ToList();
        var surface = new SliceVolSurface(fitted);
        double index = slices[0].Forward;
        var market = new MarketSnapshot(valuation, new Dictionary<string, double> { ["BTC"] = index },
            new Dictionary<string, double>(), new Dictionary<string, IVolSurface> { ["BTC"] = surface });

        var slice = slices[1];
        var expiry = valuation.AddDays(slice.Expiry * 365);
        string code = expiry.Day.ToString(CultureInfo.InvariantCulture) + expiry.ToString("MMMyy", CultureInfo.InvariantCulture).ToUpperInvariant();
        double strike = Math.Round(slice.Forward / 1000) * 1000;
        string call = $"BTC-{code}-{strike.ToString(CultureInfo.InvariantCulture)}-C", put = call[..^1] + "P";
        var model = new DeribitPortfolioMargin();
        var longStraddle = model.Evaluate(Book((call, 10), (put, 10)), market);
        var shortStraddle = model.Evaluate(Book((call, -10), (put, -10)), market);
        var c = (OptionInstrument)Instrument.Parse(call);
        var p = (OptionInstrument)Instrument.Parse(put);
        double t = market.YearsTo(c.Expiry), f = market.UnderlyingPrice(c), vol = surface.ImpliedVolatility(strike, t);
        double value = 10 * (Revaluation.UnitValue(c, f, t, vol) + Revaluation.UnitValue(p, f, t, vol));

        // A long option's coin value never goes below 0: its scenario loss is at most its value.
        Assert.True(longStraddle.Books[0].ScenarioLoss <= value + 1e-12, $"long straddle loss {longStraddle.Books[0].ScenarioLoss} > value {value}");
        // A short straddle loses at least its P&L at ±16% with vol unchanged (both are grid points).
        double worstUnchanged = Math.Max(
            -10 * (Revaluation.UnitPnl(c, f, t, vol, 0.16, vol) + Revaluation.UnitPnl(p, f, t, vol, 0.16, vol)),
            -10 * (Revaluation.UnitPnl(c, f, t, vol, -0.16, vol) + Revaluation.UnitPnl(p, f, t, vol, -0.16, vol)));
        Assert.True(shortStraddle.Books[0].ScenarioLoss >= worstUnchanged - 1e-12, $"short straddle loss {shortStraddle.Books[0].ScenarioLoss} < {worstUnchanged}");
        Assert.True(shortStraddle.Results[0].InitialMargin > longStraddle.Results[0].InitialMargin);
        foreach (var r in new[] { longStraddle.Results[0], shortStraddle.Results[0] })
            Assert.Equal(r.InitialMargin, r.Positions.Sum(x => x.Contribution), 1e-12);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{Path.GetFileName(path)}: {call}/P, F = {f:F0}, σ = {vol:F4}, t = {t:F4}; 10× straddle value {value:F5} BTC; IM long {longStraddle.Results[0].InitialMargin:F5} ({longStraddle.Results[0].BindingScenario!.Name}), short {shortStraddle.Results[0].InitialMargin:F5} BTC ({shortStraddle.Results[0].BindingScenario!.Name})"));
    }

    private static Portfolio Book(params (string Name, double Size)[] positions) =>
        new("BTC", new Dictionary<string, double>(), [.. positions.Select(p => new Position(Instrument.Parse(p.Name), p.Size))]);

    private static string? SharedSnapshots()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "data", "deribit-options-snapshots", "daily");
            if (Directory.Exists(candidate)) return candidate;
        }
        return null;
    }
}
