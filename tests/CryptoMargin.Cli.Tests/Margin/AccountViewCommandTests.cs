using System.Text.Json;
using CryptoMargin.Data.Portfolios;
using CryptoMargin.Instruments;
using CryptoMargin.Pricing;

namespace CryptoMargin.Cli.Tests.Margin;

/// <summary>
/// The account view in <c>margin</c> and <c>whatif</c> (docs/margin/accounts-and-collateral.md): equity against an
/// independent recomputation (Black-76 at the snapshot's surface; Deribit's own marks within a tolerance), the cross
/// view under a policy's haircuts, liquidation distances, the policy's <c>tiered</c> section, bad policies exit 2.
/// </summary>
public class AccountViewCommandTests
{
    private static readonly Lazy<Data.Markets.LoadedMarket> Market = new(() => MarginInputs.Market(null));

    [Fact]
    public void MarginJsonCarriesTheAccountBesideTheModelsFigures()
    {
        using var _ = MarginCommandTests.StandIns();
        var run = CliRun.Of("margin", "--model", "tiered", "--json");
        Assert.True(run.ExitCode == 0, run.Stderr);
        var json = run.Json();
        var account = json.GetProperty("account");
        Assert.Equal("segregated", account.GetProperty("mode").GetString());
        Assert.Equal(JsonValueKind.Null, account.GetProperty("cross").ValueKind);
        var btc = Assert.Single(account.GetProperty("currencies").EnumerateArray());

        // equity = 10.5 BTC + Σ size·C/F of the options (Black-76 at the surface's vol and forward); the perpetual has no average price
        var market = Market.Value;
        var book = PortfolioReader.Read(File.ReadAllBytes(MarginCommandTests.PortfolioPath("btc-options-book.json")), "book");
        double options = 0, deribit = 0;
        foreach (var p in book.Positions)
        {
            if (p.Instrument is not OptionInstrument o) continue;
            double t = market.Snapshot.YearsTo(o.Expiry), f = market.Snapshot.Surface("BTC").Forward(t);
            double vol = market.Snapshot.Surface("BTC").ImpliedVolatility(o.Strike, t);
            options += p.Size * Black76.Price(f, o.Strike, t, vol, o.Type) / f;
            deribit += p.Size * market.OptionMarks[o.Name].PriceCoin!.Value;
        }
        Assert.Equal(10.5, btc.GetProperty("collateral").GetDouble());
        Assert.Equal(options, btc.GetProperty("optionsValue").GetDouble(), 12);
        Assert.Equal(0.0, btc.GetProperty("futuresPnl").GetDouble());
        double equity = 10.5 + options;
        Assert.Equal(equity, btc.GetProperty("equity").GetDouble(), 12);
        // the surface reprices Deribit's marks to within a fraction of a vol point (portfolios-and-markets.md §2.2): 0.005 BTC on the book's 14 contracts
        Assert.True(Math.Abs(options - deribit) < 0.005, $"surface {options} vs Deribit marks {deribit}");
        double im = json.GetProperty("initialMargin").GetDouble(), mm = json.GetProperty("maintenanceMargin").GetDouble();
        Assert.Equal(im, btc.GetProperty("initialMargin").GetDouble());
        Assert.Equal(equity - im, btc.GetProperty("availableFunds").GetDouble(), 12);
        Assert.Equal(mm / equity, btc.GetProperty("marginRatio").GetDouble(), 12);
        Assert.Equal(("ok", 0.0), (btc.GetProperty("status").GetString(), btc.GetProperty("shortfall").GetDouble()));
        var liq = Assert.Single(account.GetProperty("liquidation").EnumerateArray());
        Assert.Equal(("BTC", "BTC"), (liq.GetProperty("account").GetString(), liq.GetProperty("coin").GetString()));
    }

    [Fact]
    public void DeribitPmOnTheShippedBookIsLiquidatedOnlyByAFall()
    {
        var run = CliRun.Of("margin", "--model", "deribit-pm", "--json");
        Assert.True(run.ExitCode == 0, run.Stderr);
        var liq = Assert.Single(run.Json().GetProperty("account").GetProperty("liquidation").EnumerateArray());
        double down = liq.GetProperty("down").GetDouble();
        Assert.InRange(down, -0.99, -0.05);
        Assert.Equal(down, liq.GetProperty("nearest").GetDouble());
        // short 5 inverse calls lose at most 5 BTC in coin as the price rises: 10.5 BTC never falls to MM going up
        Assert.Equal(JsonValueKind.Null, liq.GetProperty("up").ValueKind);
        Assert.Contains("99", liq.GetProperty("reason").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void CrossPolicyValuesEachAssetAfterItsHaircutTiers()
    {
        using var dir = new TempDir();
        string policy = dir.Write("cross.json", """
            {"collateral": {"mode": "cross", "haircuts": {
              "USDC": [{"haircut": 0}],
              "BTC": [{"upTo": 20000, "haircut": 0.05}, {"haircut": 0.1}]}}}
            """);
        var run = CliRun.Of("margin", "--model", "tiered", "--portfolio", MarginCommandTests.PortfolioPath("usdc-linear-book.json"),
            "--policy", policy, "--json");
        Assert.True(run.ExitCode == 0, run.Stderr);
        var json = run.Json();
        var account = json.GetProperty("account");
        Assert.Equal("cross", account.GetProperty("mode").GetString());
        var cross = account.GetProperty("cross");
        Assert.Equal("USDC", cross.GetProperty("currency").GetString());
        double index = Market.Value.Snapshot.Index("BTC");
        // USDC: 20,000 (the perpetuals have no average price); BTC: the 0.5 BTC balance + the 0.5 BTC spot holding, which
        // joins the pool as BTC (a spot trade moves balances) and so takes BTC's haircut tiers
        double usdc = 20_000, btcUsd = (0.5 + 0.5) * index;
        double discounted = usdc + 20_000 * 0.95 + (btcUsd - 20_000) * 0.9;
        Assert.Equal(discounted, cross.GetProperty("discountedEquity").GetDouble(), 8);
        double im = json.GetProperty("initialMargin").GetDouble();
        Assert.Equal(im, cross.GetProperty("initialMargin").GetDouble(), 9); // all margin is in USDC at 1
        Assert.Equal(discounted - im, cross.GetProperty("availableFunds").GetDouble(), 8);
        Assert.Contains(account.GetProperty("liquidation").EnumerateArray(), l => l.GetProperty("account").GetString() == "cross");
        var assets = cross.GetProperty("assets").EnumerateArray().ToDictionary(a => a.GetProperty("asset").GetString()!, a => a.GetProperty("equity").GetDouble());
        Assert.Equal(20_000, assets["USDC"], 9);
        Assert.Equal(1.0, assets["BTC"], 12);
    }

    [Fact]
    public void TieredSectionScalesInitialMarginWithTheInstrumentsOpenNotional()
    {
        using var dir = new TempDir();
        string book = dir.Write("perp.json", """{"accountCurrency": "BTC", "collateral": {"BTC": 1}, "positions": [{"instrument": "BTC-PERPETUAL", "size": 100000}]}""");
        string policy = dir.Write("tiered.json", """
            {"tiered": {"openInterest": {"BTC": {"lowerCap": 40000000, "upperCap": 100000000}},
                        "openNotional": {"BTC-PERPETUAL": 70000000}}}
            """);
        var run = CliRun.Of("margin", "--model", "tiered", "--portfolio", book, "--policy", policy, "--json");
        Assert.True(run.ExitCode == 0, run.Stderr);
        // dYdX v4: s = (70M − 40M)/(100M − 40M) = 0.5, IMF = r + 0.5(1 − r), r = 2% + 0.005%·n, n = 100,000/74,012.5 BTC
        double n = 100_000 / 74_012.5, r = 0.02 + 0.00005 * n, imf = r + 0.5 * (1 - r);
        Assert.Equal(imf * n, run.Json().GetProperty("initialMargin").GetDouble(), 12);
    }

    [Theory]
    [InlineData("{\n\"collateral\": {\"haircuts\": {\"BTC\": [\n{\"haircut\": 1.2}]}}}", "bad.json:3: field 'collateral.haircuts.BTC[0].haircut'")]
    [InlineData("{\n\"tiered\": {\"futures\": {\"BTC\": {\"initialBase\": \"2%\"}}}}", "bad.json:2: field 'tiered.futures.BTC.initialBase'")]
    [InlineData("{\"collateral\": {\"mode\": \"cross\"}}", "bad.json: field 'collateral.haircuts.BTC': cross-collateral mode needs a haircut schedule for BTC")]
    public void BadPolicySectionsExitTwoNamingFileAndField(string json, string message)
    {
        using var dir = new TempDir();
        string bad = dir.Write("bad.json", json);
        var run = CliRun.Of("margin", "--model", "tiered", "--policy", bad, "--json");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains(message, run.Stderr.Replace(dir.Path + Path.DirectorySeparatorChar, "", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Equal("", run.Stdout);
    }

    [Fact]
    public void WhatifKeepsEquityAndMovesAvailableFundsByTheMarginChange()
    {
        using var _ = MarginCommandTests.StandIns();
        var run = CliRun.Of("whatif", "--trade", "BTC-29MAY26-85000-C:-3", "--model", "tiered", "--json");
        Assert.True(run.ExitCode == 0, run.Stderr);
        var json = run.Json();
        var before = json.GetProperty("before");
        var after = json.GetProperty("after");
        var change = json.GetProperty("change");
        double equity = before.GetProperty("equity").GetDouble();
        Assert.Equal(equity, after.GetProperty("equity").GetDouble(), 12);   // a trade at the mark
        Assert.Equal(0.0, change.GetProperty("equity").GetDouble(), 12);
        Assert.Equal(equity - after.GetProperty("initialMargin").GetDouble(), after.GetProperty("availableFunds").GetDouble(), 12);
        Assert.Equal(-change.GetProperty("initialMargin").GetDouble(), change.GetProperty("availableFunds").GetDouble(), 12);
        Assert.Equal(after.GetProperty("maintenanceMargin").GetDouble() / equity, after.GetProperty("marginRatio").GetDouble(), 12);
        Assert.Equal(("ok", "ok"), (before.GetProperty("status").GetString(), after.GetProperty("status").GetString()));
        Assert.Equal("segregated", json.GetProperty("collateralMode").GetString());
    }

    [Fact]
    public void WhatifInCrossModeReportsThePoolBeforeAndAfter()
    {
        using var dir = new TempDir();
        string policy = dir.Write("cross.json", """
            {"collateral": {"mode": "cross", "haircuts": {"USDC": [{"haircut": 0}], "BTC": [{"haircut": 0.1}]}}}
            """);
        var run = CliRun.Of("whatif", "--portfolio", MarginCommandTests.PortfolioPath("usdc-linear-book.json"), "--trade", "BTC-PERPETUAL:10000",
            "--model", "tiered", "--policy", policy, "--json");
        Assert.True(run.ExitCode == 0, run.Stderr);
        var json = run.Json();
        Assert.Equal("cross", json.GetProperty("collateralMode").GetString());
        var cross = json.GetProperty("cross");
        Assert.Equal("USDC", cross.GetProperty("currency").GetString());
        var change = cross.GetProperty("change");
        Assert.Equal(0.0, change.GetProperty("equity").GetDouble(), 9);   // a trade at the mark
        Assert.Equal(-change.GetProperty("initialMargin").GetDouble(), change.GetProperty("availableFunds").GetDouble(), 9);
        // the new BTC margin, converted at the BTC index, is the pool's IM change
        double index = Market.Value.Snapshot.Index("BTC");
        var btc = json.GetProperty("currencies").EnumerateArray().Single(c => c.GetProperty("currency").GetString() == "BTC");
        Assert.Equal(btc.GetProperty("change").GetProperty("initialMargin").GetDouble() * index, change.GetProperty("initialMargin").GetDouble(), 6);
        Assert.True(change.GetProperty("initialMargin").GetDouble() > 0);
    }

    [Fact]
    public void TablesShowTheAccountBlock()
    {
        using var _ = MarginCommandTests.StandIns();
        var run = CliRun.Of("margin", "--model", "tiered");
        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.Contains("tiered · account (segregated)", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("liquidation down", run.Stdout, StringComparison.Ordinal);
    }
}
