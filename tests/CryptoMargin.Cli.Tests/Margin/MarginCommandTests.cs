using System.Text.Json;
using CryptoMargin.Data.Portfolios;
using CryptoMargin.Margin;

namespace CryptoMargin.Cli.Tests.Margin;

/// <summary>
/// <c>cryptomargin margin</c> on the shipped samples with stand-in models (<see cref="NotionalStandIn"/>, registered only
/// inside these tests): the JSON fields of issue 5 §4, values against an independent recomputation, exit 2 on bad input.
/// </summary>
public class MarginCommandTests
{
    internal static readonly string MarketPath = Path.Combine(RepoPaths.Root, "samples", "market", "deribit_options_snapshot_20260415T102447Z.csv.gz");
    internal static string PortfolioPath(string name) => Path.Combine(RepoPaths.Root, "samples", "portfolios", name);

    internal static IDisposable StandIns() => MarginModels.Use(new Dictionary<string, Func<string?, IMarginModel>>
    {
        ["tiered"] = NotionalStandIn.Factory("tiered", scenario: false),
        ["span"] = NotionalStandIn.Factory("span", scenario: true),
    });

    private static readonly Lazy<Data.Markets.LoadedMarket> Market = new(() => MarginInputs.Market(null));

    [Fact]
    public void OneModelPrintsTheIssuesFields()
    {
        using var _ = StandIns();
        var run = CliRun.Of("margin", "--model", "tiered", "--json");
        Assert.True(run.ExitCode == 0, run.Stderr);
        var json = run.Json();
        Assert.Equal("tiered", json.GetProperty("model").GetString());
        Assert.Equal("BTC", json.GetProperty("currency").GetString());
        Assert.Equal("2026-04-15T10:24:47Z", json.GetProperty("valuationTime").GetString());
        Assert.Contains("btc-options-book.json", json.GetProperty("portfolio").GetString(), StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.Null, json.GetProperty("bindingScenario").ValueKind);

        var book = PortfolioReader.Read(File.ReadAllBytes(PortfolioPath("btc-options-book.json")), "book");
        double expected = 0.1 * book.Positions.Sum(p => NotionalStandIn.Notional(p, Market.Value.Snapshot));
        Assert.Equal(expected, json.GetProperty("initialMargin").GetDouble(), 12);
        Assert.Equal(expected / 2, json.GetProperty("maintenanceMargin").GetDouble(), 12);
        var addOn = Assert.Single(json.GetProperty("addOns").EnumerateArray());
        Assert.Equal(("none", 0.0), (addOn.GetProperty("name").GetString(), addOn.GetProperty("amount").GetDouble()));
        var positions = json.GetProperty("positions").EnumerateArray().ToList();
        Assert.Equal(book.Positions.Select(p => p.Instrument.Name), positions.Select(p => p.GetProperty("instrument").GetString()));
        Assert.Equal(book.Positions.Select(p => p.Size), positions.Select(p => p.GetProperty("size").GetDouble()));
        Assert.All(positions, p => Assert.Equal(JsonValueKind.Null, p.GetProperty("pnlInBindingScenario").ValueKind));
        Assert.Equal(expected, positions.Sum(p => p.GetProperty("contribution").GetDouble()), 12);
        // the perpetual's notional in coin is its USD size over the perpetual's mark (74,012.5, perpetual_futures_prices.csv)
        Assert.Equal(0.1 * 20000 / 74012.5, positions[2].GetProperty("incremental").GetDouble(), 12);
    }

    [Fact]
    public void AllPutsTheAvailableModelsSideBySide()
    {
        using var _ = StandIns();
        var run = CliRun.Of("margin", "--model", "all", "--portfolio", PortfolioPath("eth-options-book.json"), "--market", MarketPath, "--json");
        Assert.True(run.ExitCode == 0, run.Stderr);
        var json = run.Json();
        var models = json.GetProperty("models").EnumerateArray().ToList();
        Assert.Equal(["tiered", "span"], models.Select(m => m.GetProperty("model").GetString()));
        Assert.Equal(["deribit-pm", "greeks", "hybrid"], json.GetProperty("unavailable").EnumerateArray().Select(x => x.GetString()));
        Assert.All(models, m => Assert.Equal("ETH", m.GetProperty("currency").GetString()));

        // span's binding scenario: P&L of each position at −10% by full revaluation, summed; loss < 0 for this long-future book
        var book = PortfolioReader.Read(PortfolioPath("eth-options-book.json"));
        var span = models[1];
        var b = span.GetProperty("bindingScenario");
        Assert.Equal(("down 10%", -0.1, 0.0), (b.GetProperty("name").GetString(), b.GetProperty("priceShock").GetDouble(), b.GetProperty("volShock").GetDouble()));
        double pnl = book.Positions.Sum(p => NotionalStandIn.Pnl(p, Market.Value.Snapshot));
        Assert.Equal(pnl, b.GetProperty("pnl").GetDouble(), 12);
        Assert.True(pnl < 0);
        Assert.Equal(pnl, span.GetProperty("positions").EnumerateArray().Sum(p => p.GetProperty("pnlInBindingScenario").GetDouble()), 12);
    }

    [Theory]
    [InlineData("btc-options-book.json", "BTC")]
    [InlineData("eth-options-book.json", "ETH")]
    [InlineData("usdc-linear-book.json", "USDC")]
    public void ShippedPortfoliosRunOnTheShippedSnapshotFile(string portfolio, string currency)
    {
        using var _ = StandIns();
        var run = CliRun.Of("margin", "--model", "span", "--portfolio", PortfolioPath(portfolio), "--market", MarketPath, "--json");
        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.Equal(currency, run.Json().GetProperty("currency").GetString());
        Assert.Equal(MarketPath, run.Json().GetProperty("market").GetString());
    }

    /// <summary>One model, two margin currencies (an inverse option and a linear perpetual): one result per currency, side by side.</summary>
    [Fact]
    public void SeveralMarginCurrenciesGiveOneResultEach()
    {
        using var _ = StandIns();
        using var dir = new TempDir();
        var path = dir.Write("mixed.json", """
            { "accountCurrency": "USDC", "collateral": { "USDC": 1000 },
              "positions": [ { "instrument": "ETH_USDC-PERPETUAL", "size": 3 }, { "instrument": "BTC-26JUN26-80000-C", "size": -2 } ] }
            """);
        var run = CliRun.Of("margin", "--model", "tiered", "--portfolio", path, "--json");
        Assert.True(run.ExitCode == 0, run.Stderr);
        var models = run.Json().GetProperty("models").EnumerateArray().ToList();
        Assert.Equal(["BTC", "USDC"], models.Select(m => m.GetProperty("currency").GetString()));
        Assert.Equal(0.1 * 2, models[0].GetProperty("initialMargin").GetDouble(), 12);
        Assert.Equal(0.1 * 3 * 2316.55, models[1].GetProperty("initialMargin").GetDouble(), 9);
        Assert.Empty(run.Json().GetProperty("unavailable").EnumerateArray());
    }

    [Fact]
    public void TablesWithoutJson()
    {
        using var _ = StandIns();
        var run = CliRun.Of("margin", "--model", "span");
        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.Contains("initial margin", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("BTC-29MAY26-85000-C", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("down 10%", run.Stdout, StringComparison.Ordinal);
    }

    public static TheoryData<string, int, string, string> BadPortfolios => new()
    {
        { "{ \"instrument\": \"BTC-10APR26-70000-C\", \"size\": 1 }", 4, "positions[0].instrument", "position 0 (BTC-10APR26-70000-C): BTC-10APR26-70000-C expired at 2026-04-10T08:00:00Z" },
        { "{ \"instrument\": \"BTC-29MAY26-85000-Q\", \"size\": 1 }", 4, "positions[0].instrument", "position 0: instrument name 'BTC-29MAY26-85000-Q'" },
        { "{ \"instrument\": \"BTC-29MAY26-85500-C\", \"size\": 1 }", 4, "positions[0].instrument", "not listed in the market snapshot" },
        { "{ \"instrument\": \"BTC-PERPETUAL\", \"size\": 1e300 }", 4, "positions[0].size", "position 0 (BTC-PERPETUAL): 1e300 is beyond" },
        { "{ \"instrument\": \"BTC-PERPETUAL\", \"size\": 1e999 }", 4, "positions[0].size", "overflows a double" },
        { "{ \"instrument\": \"BTC-PERPETUAL\" }", 4, "positions[0].size", "size is missing" },
    };

    /// <summary>Bad portfolios exit 2 with FILE:LINE: field 'NAME': …, also when no model is registered (inputs are read first).</summary>
    [Theory]
    [MemberData(nameof(BadPortfolios))]
    public void BadPortfoliosExitTwoNamingFileLineAndField(string position, int line, string field, string reason)
    {
        using var dir = new TempDir();
        var path = dir.Write("p.json", "{\n  \"accountCurrency\": \"BTC\",\n  \"positions\": [\n    " + position + "\n  ]\n}\n");
        var run = CliRun.Of("margin", "--portfolio", path, "--json");
        Assert.Equal(2, run.ExitCode);
        Assert.Equal("", run.Stdout);
        Assert.StartsWith($"{path}:{line}: field '{field}': ", run.Stderr, StringComparison.Ordinal);
        Assert.Contains(reason, run.Stderr, StringComparison.Ordinal);
        using var _ = StandIns();
        Assert.Equal(2, CliRun.Of("margin", "--portfolio", path, "--model", "tiered", "--json").ExitCode);
    }

    [Fact]
    public void UnavailableAndUnknownModelsAreUsageErrors()
    {
        using (MarginModels.Use(new Dictionary<string, Func<string?, IMarginModel>>()))
        {
            var none = CliRun.Of("margin", "--json");
            Assert.Equal(2, none.ExitCode);
            Assert.Contains("no margin model is available in this build", none.Stderr, StringComparison.Ordinal);
        }
        using var _ = StandIns();
        var greeks = CliRun.Of("margin", "--model", "greeks", "--json");
        Assert.Equal(2, greeks.ExitCode);
        Assert.Contains("model greeks is not available in this build (available: span, tiered)", greeks.Stderr, StringComparison.Ordinal);
        var unknown = CliRun.Of("margin", "--model", "vega-magic");
        Assert.Equal(2, unknown.ExitCode);
        Assert.Contains("--model 'vega-magic' is not one of tiered, span, deribit-pm, greeks, hybrid, all", unknown.Stderr, StringComparison.Ordinal);
        var missingPolicy = CliRun.Of("margin", "--model", "tiered", "--policy", "/nonexistent/policy.json");
        Assert.Equal(2, missingPolicy.ExitCode);
        Assert.Contains("/nonexistent/policy.json: file not found", missingPolicy.Stderr, StringComparison.Ordinal);
    }
}
