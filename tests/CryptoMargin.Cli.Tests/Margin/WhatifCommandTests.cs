using CryptoMargin.Data.Portfolios;

namespace CryptoMargin.Cli.Tests.Margin;

/// <summary><c>cryptomargin whatif</c>: before/after/change of a trade and of a policy change, with stand-in models.</summary>
public class WhatifCommandTests
{
    private static readonly Lazy<Data.Markets.LoadedMarket> Market = new(() => MarginInputs.Market(null));

    [Fact]
    public void TradeChangesMarginByItsOwnNotional()
    {
        using var _ = MarginCommandTests.StandIns();
        var run = CliRun.Of("whatif", "--trade", "BTC-PERPETUAL:-10000", "--model", "tiered", "--json");
        Assert.True(run.ExitCode == 0, run.Stderr);
        var json = run.Json();
        var book = PortfolioReader.Read(File.ReadAllBytes(MarginCommandTests.PortfolioPath("btc-options-book.json")), "book");
        double before = 0.1 * book.Positions.Sum(p => NotionalStandIn.Notional(p, Market.Value.Snapshot));
        // the trade merges with the long 20,000 USD perpetual: 10,000 USD left, notional 10,000/74,012.5 BTC
        double after = before - 0.1 * 10000 / 74012.5;
        Assert.Equal("BTC", json.GetProperty("currency").GetString());
        Assert.Equal(("BTC-PERPETUAL", -10000.0), (json.GetProperty("trade").GetProperty("instrument").GetString(), json.GetProperty("trade").GetProperty("size").GetDouble()));
        Assert.Equal(before, json.GetProperty("before").GetProperty("initialMargin").GetDouble(), 12);
        Assert.Equal(after, json.GetProperty("after").GetProperty("initialMargin").GetDouble(), 12);
        Assert.Equal(after - before, json.GetProperty("change").GetProperty("initialMargin").GetDouble(), 12);
        Assert.Equal((after - before) / 2, json.GetProperty("change").GetProperty("maintenanceMargin").GetDouble(), 12);
        Assert.Equal("BTC", Assert.Single(json.GetProperty("currencies").EnumerateArray()).GetProperty("currency").GetString());
    }

    [Fact]
    public void TradeInAnotherCurrencyAddsThatCurrency()
    {
        using var _ = MarginCommandTests.StandIns();
        var run = CliRun.Of("whatif", "--trade", "ETH_USDC-PERPETUAL:2", "--model", "tiered", "--json");
        Assert.True(run.ExitCode == 0, run.Stderr);
        var json = run.Json();
        Assert.Equal("USDC", json.GetProperty("currency").GetString());
        Assert.Equal(0.0, json.GetProperty("before").GetProperty("initialMargin").GetDouble());
        // linear notional 2 ETH × the ETH perpetual's mark 2,316.55 (perpetual_futures_prices.csv)
        Assert.Equal(0.1 * 2 * 2316.55, json.GetProperty("after").GetProperty("initialMargin").GetDouble(), 9);
        Assert.Equal(["BTC", "USDC"], json.GetProperty("currencies").EnumerateArray().Select(c => c.GetProperty("currency").GetString()));
        var btc = json.GetProperty("currencies")[0];
        Assert.Equal(0.0, btc.GetProperty("change").GetProperty("initialMargin").GetDouble());
    }

    [Fact]
    public void PolicyChangeAloneScalesTheStandInsMargin()
    {
        using var _ = MarginCommandTests.StandIns();
        using var dir = new TempDir();
        var policy = dir.Write("new.json", "{\"rate\": 0.25}");
        var run = CliRun.Of("whatif", "--policy-new", policy, "--model", "all", "--json");
        Assert.True(run.ExitCode == 0, run.Stderr);
        var models = run.Json().GetProperty("models").EnumerateArray().ToList();
        Assert.Equal(["tiered", "span"], models.Select(m => m.GetProperty("model").GetString()));
        foreach (var m in models)
        {
            double before = m.GetProperty("before").GetProperty("initialMargin").GetDouble();
            Assert.Equal(2.5 * before, m.GetProperty("after").GetProperty("initialMargin").GetDouble(), 12);
            Assert.Equal(System.Text.Json.JsonValueKind.Null, m.GetProperty("trade").ValueKind);
            Assert.Equal(policy, m.GetProperty("policyNew").GetString());
        }
    }

    [Theory]
    [InlineData("BTC-PERPETUAL", "is not INSTRUMENT:SIZE")]
    [InlineData("BTC-PERPETUAL:abc", "size 'abc' is not a finite number")]
    [InlineData("BTC-PERPETUAL:0", "size is 0")]
    [InlineData("BTC-PERPETUAL:1e300", "is beyond")]
    [InlineData("BTC-29MAY26-85500-C:1", "BTC-29MAY26-85500-C is not listed in the market snapshot")]
    [InlineData("BTC-10APR26-70000-C:1", "expired at 2026-04-10T08:00:00Z")]
    [InlineData("BTC-29MAY26-85000-Z:1", "option type 'Z' is neither C nor P")]
    [InlineData("BTC_USDC:-1", "negative spot holding")]
    public void BadTradesExitTwo(string trade, string reason)
    {
        using var _ = MarginCommandTests.StandIns();
        var run = CliRun.Of("whatif", "--trade", trade, "--model", "tiered", "--json");
        Assert.Equal(2, run.ExitCode);
        Assert.Equal("", run.Stdout);
        Assert.Contains(reason, run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void NeedsATradeOrAPolicyChange()
    {
        var run = CliRun.Of("whatif", "--json");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("whatif needs --trade", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void TablesWithoutJson()
    {
        using var _ = MarginCommandTests.StandIns();
        var run = CliRun.Of("whatif", "--trade", "BTC-29MAY26-85000-C:-1", "--model", "span");
        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.Contains("IM change", run.Stdout, StringComparison.Ordinal);
    }
}
