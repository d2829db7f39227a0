using System.Text.Json;

namespace CryptoMargin.Cli.Tests.Margin;

/// <summary>The five real models behind <c>margin --model …</c> and how a <c>--policy</c> file reaches them.</summary>
public class RegisteredModelsTests
{
    private static Dictionary<string, JsonElement> Models(params string[] extra)
    {
        var run = CliRun.Of(["margin", "--model", "all", "--json", .. extra]);
        Assert.True(run.ExitCode == 0, run.Stderr);
        return run.Json().GetProperty("models").EnumerateArray().ToDictionary(m => m.GetProperty("model").GetString()!, m => m.Clone());
    }

    [Fact]
    public void AllFiveModelsRunOnTheShippedSampleAndHybridIsTheLargerOfGridAndGreeks()
    {
        var m = Models();
        Assert.Equal(["tiered", "span", "deribit-pm", "greeks", "hybrid"], m.Keys);
        foreach (var (name, r) in m)
        {
            double im = r.GetProperty("initialMargin").GetDouble(), mm = r.GetProperty("maintenanceMargin").GetDouble();
            Assert.True(im > 0 && mm > 0 && mm <= im, $"{name}: IM {im}, MM {mm}");
            Assert.Equal("BTC", r.GetProperty("currency").GetString());
        }
        double pm = m["deribit-pm"].GetProperty("initialMargin").GetDouble(), greeks = m["greeks"].GetProperty("initialMargin").GetDouble();
        Assert.Equal(Math.Max(pm, greeks), m["hybrid"].GetProperty("initialMargin").GetDouble(), 12);
        // Scenario models report a binding scenario with a relative price shock; tiered has none.
        Assert.Equal(JsonValueKind.Null, m["tiered"].GetProperty("bindingScenario").ValueKind);
        Assert.Equal(-0.16, m["deribit-pm"].GetProperty("bindingScenario").GetProperty("priceShock").GetDouble(), 12);
    }

    [Fact]
    public void DeribitPmSectionOfAPolicyIsReadUnderDeribitsNames()
    {
        using var dir = new TempDir();
        string book = dir.Write("perp.json", """{"accountCurrency": "BTC", "collateral": {"BTC": 1}, "positions": [{"instrument": "BTC-PERPETUAL", "size": 10000}]}""");
        string policy = dir.Write("pm.json", """{"deribitPm": {"price_range": 0.3, "buckets_count": 3}}""");
        var run = CliRun.Of("margin", "--model", "deribit-pm", "--portfolio", book, "--policy", policy, "--json");
        Assert.True(run.ExitCode == 0, run.Stderr);
        var json = run.Json();
        // A long inverse perpetual loses most when the price falls the full range: q/F (1 − 1/(1 − 0.3)) in coin.
        Assert.Equal(-0.3, json.GetProperty("bindingScenario").GetProperty("priceShock").GetDouble(), 12);

        string bad = dir.Write("bad.json", """{"deribitPm": {"price_rang": 0.3}}""");
        var error = CliRun.Of("margin", "--model", "deribit-pm", "--portfolio", book, "--policy", bad, "--json");
        Assert.Equal(2, error.ExitCode);
        Assert.Contains("price_rang", error.Stderr, StringComparison.Ordinal);
        Assert.Contains("bad.json", error.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void AGridPolicyFromCalibrateGridSetsThePriceRanges()
    {
        using var dir = new TempDir();
        var grid = CliRun.Of("calibrate-grid", "--out", dir.Path, "--json");
        Assert.True(grid.ExitCode == 0, grid.Stderr);
        string policy = Path.Combine(dir.Path, "policy.json");
        var coins = grid.Json().GetProperty("grid").GetProperty("coins").EnumerateArray()
            .ToDictionary(c => c.GetProperty("underlying").GetString()!, c => c.GetProperty("priceRange").GetDouble());
        var m = Models("--policy", policy);
        // Deribit-PM takes each coin's own calibrated range (a BTC book: BTC's, not the wider ETH one).
        Assert.Equal(-coins["BTC"], m["deribit-pm"].GetProperty("bindingScenario").GetProperty("priceShock").GetDouble(), 12);
        Assert.True(coins["ETH"] > coins["BTC"]);
        // The Greeks model takes each coin's own range.
        Assert.Equal(coins["BTC"], Math.Abs(m["greeks"].GetProperty("bindingScenario").GetProperty("priceShock").GetDouble()), 12);
    }
}
