using CryptoMargin.Data.Markets;
using CryptoMargin.Data.Portfolios;
using CryptoMargin.Data.Tests.Markets;
using CryptoMargin.Instruments;
using CryptoMargin.MarketData;
using CryptoMargin.Portfolios;
using CryptoMargin.Pricing;

namespace CryptoMargin.Data.Tests.Portfolios;

/// <summary>The portfolio JSON format: round trips, the shipped samples, and every bad input with file, line and field.</summary>
public class PortfolioReaderTests
{
    private const string Valid = """
        {
          "name": "test book",
          "accountCurrency": "BTC",
          "collateral": { "BTC": 10.5, "USDC": 20000 },
          "positions": [
            { "instrument": "BTC-29MAY26-85000-C", "size": -5 },
            { "instrument": "BTC-PERPETUAL", "size": 20000 },
            { "instrument": "BTC_USDC", "size": 0.25 }
          ],
          "openOrders": [ { "instrument": "BTC-26JUN26-70000-P", "size": 1.5 } ]
        }
        """;

    private static string PortfolioSample(string name) => Path.Combine(Repo.Root, "samples", "portfolios", name);

    [Fact]
    public void ReadsEveryField()
    {
        using var dir = new TempFolder();
        var p = PortfolioReader.Read(dir.Write("p.json", Valid));
        Assert.Equal("test book", p.Name);
        Assert.Equal("BTC", p.AccountCurrency);
        Assert.Equal(10.5, p.Collateral["BTC"]);
        Assert.Equal(20000, p.Collateral["USDC"]);
        Assert.Equal(3, p.Positions.Count);
        var call = Assert.IsType<OptionInstrument>(p.Positions[0].Instrument);
        Assert.Equal((85000.0, OptionType.Call, -5.0), (call.Strike, call.Type, p.Positions[0].Size));
        Assert.Equal(new DateTimeOffset(2026, 5, 29, 8, 0, 0, TimeSpan.Zero), call.Expiry);
        Assert.Equal(InstrumentKind.Perpetual, p.Positions[1].Instrument.Kind);
        Assert.Equal("USD", p.Positions[1].Instrument.SizeUnit);
        Assert.Equal(InstrumentKind.Spot, p.Positions[2].Instrument.Kind);
        Assert.Equal(1.5, Assert.Single(p.OpenOrders).Size);
    }

    [Fact]
    public void RoundTripsThroughItsOwnJson()
    {
        var original = new Portfolio("USDC", new Dictionary<string, double> { ["USDC"] = 1234.5678, ["ETH"] = 0.1 },
            [new Position(Instrument.Parse("ETH_USDC-PERPETUAL"), -0.123456789012345), new Position(Instrument.Parse("BTC-25SEP26"), 1e12),
             new Position(Instrument.Parse("ETH-26JUN26-2300-P"), 3)],
            [new Position(Instrument.Parse("BTC_USDC"), 0.5)], "round trip");
        var back = PortfolioReader.Read(PortfolioReader.ToUtf8(original), "memory");
        Assert.Equal(original.Name, back.Name);
        Assert.Equal(original.AccountCurrency, back.AccountCurrency);
        Assert.Equal(original.Collateral.OrderBy(x => x.Key), back.Collateral.OrderBy(x => x.Key));
        Assert.Equal(original.Positions, back.Positions);
        Assert.Equal(original.OpenOrders, back.OpenOrders);
        // and the file written atomically reads back the same
        using var dir = new TempFolder();
        PortfolioReader.Write(back, dir.File("p.json"));
        Assert.Equal(original.Positions, PortfolioReader.Read(dir.File("p.json")).Positions);
    }

    /// <summary>The shipped portfolios read against the shipped market; the inverse books' instruments are rows of the snapshot (checked by text).</summary>
    [Theory]
    [InlineData("btc-options-book.json", "BTC", 5)]
    [InlineData("eth-options-book.json", "ETH", 4)]
    [InlineData("usdc-linear-book.json", "USDC", 3)]
    public void ShippedPortfoliosReadAgainstTheShippedMarket(string file, string account, int positions)
    {
        var p = PortfolioReader.Read(PortfolioSample(file), SampleMarket.Loaded);
        Assert.Equal(account, p.AccountCurrency);
        Assert.Equal(positions, p.Positions.Count);
        var listed = SampleMarket.Rows().Select(r => r["instrument_name"]).ToHashSet();
        var futures = SampleMarket.ReadCsv(SampleMarket.ReadText(Path.Combine(SampleMarket.Folder, "term_futures_marks.csv.gz"))).Select(r => r["futures_instrument_name"])
            .Concat(SampleMarket.ReadCsv(SampleMarket.ReadText(Path.Combine(SampleMarket.Folder, "perpetual_futures_prices.csv"))).Select(r => r["instrument_name"])).ToHashSet();
        foreach (var pos in p.Positions.Concat(p.OpenOrders))
        {
            var i = pos.Instrument;
            if (i is OptionInstrument) Assert.Contains(i.Name, listed);
            else if (i is FutureInstrument) Assert.Contains(i.IsInverse ? i.Name : i.Currency + i.Name[i.Name.IndexOf('-')..], futures);
            else Assert.True(SampleMarket.Loaded.Snapshot.IndexPrices.ContainsKey(i.Currency));
        }
    }

    public static TheoryData<string, string, int, string, string> BadInputs => new()
    {
        // from, to, line, field, part of the reason
        { "\"BTC-29MAY26-85000-C\"", "\"BTC-29MAY26-85000-X\"", 6, "positions[0].instrument", "position 0: instrument name 'BTC-29MAY26-85000-X': option type 'X'" },
        { "\"BTC-PERPETUAL\"", "\"BTC-PERPETUA\"", 7, "positions[1].instrument", "position 1: instrument name 'BTC-PERPETUA'" },
        { "\"BTC-PERPETUAL\", \"size\": 20000", "\"BTC-PERPETUAL\"", 7, "positions[1].size", "position 1 (BTC-PERPETUAL): size is missing (in USD" },
        { "\"size\": 20000", "\"size\": \"20000\"", 7, "positions[1].size", "position 1 (BTC-PERPETUAL): expected a number, found \"20000\"" },
        { "\"size\": 20000", "\"size\": 1e400", 7, "positions[1].size", "position 1 (BTC-PERPETUAL): 1e400 overflows a double" },
        { "\"size\": 20000", "\"size\": 2e15", 7, "positions[1].size", "position 1 (BTC-PERPETUAL): 2e15 is beyond" },
        { "\"size\": 0.25", "\"size\": -0.25", 8, "positions[2].size", "position 2 (BTC_USDC): -0.25 is negative (a spot holding" },
        { "\"USDC\": 20000", "\"USDC\": -1", 4, "collateral.USDC", "collateral USDC: -1 is negative" },
        { "{ \"instrument\": \"BTC_USDC\", \"size\": 0.25 }", "{ \"instrument\": \"BTC-PERPETUAL\", \"size\": 10 }", 8, "positions[2].instrument", "position 2 (BTC-PERPETUAL): the instrument is already position 1" },
        { "\"size\": 1.5", "\"size\": 1.5, \"price\": 3", 10, "openOrders[0].price", "unknown field" },
        { "\"accountCurrency\": \"BTC\"", "\"accountCurrency\": \"btc\"", 3, "accountCurrency", "'btc' is not a currency" },
        { "{ \"instrument\": \"BTC_USDC\", \"size\": 0.25 }", "{ \"size\": 0.25 }", 8, "positions[2].instrument", "position 2: instrument is missing" },
        { "\"positions\": [", "\"position\": [", 5, "position", "unknown field" },
    };

    [Theory]
    [MemberData(nameof(BadInputs))]
    public void BadInputNamesFileLineFieldAndPosition(string from, string to, int line, string field, string reason)
    {
        string text = Valid.Replace(from, to, StringComparison.Ordinal);
        Assert.NotEqual(Valid, text);
        using var dir = new TempFolder();
        var path = dir.Write("bad.json", text);
        var e = Assert.Throws<DataValidationException>(() => PortfolioReader.Read(path));
        Assert.Equal(path, e.File);
        Assert.Equal(line, e.Line);
        Assert.Equal(field, e.Field);
        Assert.Contains(reason, e.Reason, StringComparison.Ordinal);
        Assert.StartsWith($"{path}:{line}: field '{field}': ", e.Message, StringComparison.Ordinal);
    }

    /// <summary>Against a market: an option expired at the market's valuation time, an unlisted strike and a future without a mark name the position.</summary>
    [Theory]
    [InlineData("BTC-10APR26-70000-C", "expired at 2026-04-10T08:00:00Z, before the valuation time 2026-04-15T10:24:47Z")]
    [InlineData("BTC-29MAY26-85500-C", "BTC-29MAY26-85500-C is not listed in the market snapshot")]
    [InlineData("BTC-30APR26", "the market has no mark for the future BTC-30APR26")]
    [InlineData("SOL_USDC-PERPETUAL", "no index price for SOL")]
    public void PositionsTheMarketCannotValueAreBadInput(string instrument, string reason)
    {
        string text = Valid.Replace("\"BTC-29MAY26-85000-C\"", $"\"{instrument}\"", StringComparison.Ordinal);
        using var dir = new TempFolder();
        var path = dir.Write("p.json", text);
        Assert.Equal(3, PortfolioReader.Read(path).Positions.Count); // fine without a market
        var e = Assert.Throws<DataValidationException>(() => PortfolioReader.Read(path, SampleMarket.Loaded));
        Assert.Equal((path, 6, "positions[0].instrument"), (e.File, e.Line, e.Field));
        Assert.StartsWith($"position 0 ({instrument}): ", e.Reason, StringComparison.Ordinal);
        Assert.Contains(reason, e.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void MalformedJsonAndMissingFileAreReported()
    {
        using var dir = new TempFolder();
        var path = dir.Write("p.json", "{\n  \"accountCurrency\": \"BTC\",\n  \"positions\": [ { \"instrument\": \"BTC-PERPETUAL\" \"size\": 1 } ]\n}");
        var e = Assert.Throws<DataValidationException>(() => PortfolioReader.Read(path));
        Assert.Equal((path, 3), (e.File, e.Line));
        Assert.Contains("not valid JSON", e.Reason, StringComparison.Ordinal);
        Assert.Equal("file not found", Assert.Throws<DataValidationException>(() => PortfolioReader.Read(dir.File("none.json"))).Reason);
    }

    [Fact]
    public void AveragePriceOfFuturesIsReadAndWrittenBack()
    {
        using var dir = new TempFolder();
        var p = PortfolioReader.Read(dir.Write("p.json", """
            {"accountCurrency": "BTC", "positions": [
              {"instrument": "BTC-PERPETUAL", "size": 20000, "averagePrice": 71500.5},
              {"instrument": "BTC_USDC-PERPETUAL", "size": -0.4, "averagePrice": 73000},
              {"instrument": "BTC-29MAY26-85000-C", "size": -5}]}
            """));
        Assert.Equal([71500.5, 73000, (double?)null], p.Positions.Select(x => x.AveragePrice));
        var back = PortfolioReader.Read(PortfolioReader.ToUtf8(p), "memory");
        Assert.Equal(p.Positions, back.Positions);
    }

    [Theory]
    [InlineData("{\"instrument\": \"BTC-29MAY26-85000-C\", \"size\": -5, \"averagePrice\": 0.05}", "positions[0].averagePrice", "futures and perpetuals only")]
    [InlineData("{\"instrument\": \"BTC_USDC\", \"size\": 1, \"averagePrice\": 70000}", "positions[0].averagePrice", "futures and perpetuals only")]
    [InlineData("{\"instrument\": \"BTC-PERPETUAL\", \"size\": 10, \"averagePrice\": -70000}", "positions[0].averagePrice", "not a positive price")]
    [InlineData("{\"instrument\": \"BTC-PERPETUAL\", \"size\": 10, \"averagePrice\": \"70000\"}", "positions[0].averagePrice", "expected a number")]
    public void BadAveragePriceNamesTheField(string position, string field, string reason)
    {
        using var dir = new TempFolder();
        string path = dir.Write("p.json", "{\"accountCurrency\": \"BTC\",\n\"positions\": [\n" + position + "]}");
        var e = Assert.Throws<DataValidationException>(() => PortfolioReader.Read(path));
        Assert.Equal((path, 3, field), (e.File, e.Line, e.Field));
        Assert.Contains(reason, e.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void AnOpenOrderHasNoAveragePrice()
    {
        using var dir = new TempFolder();
        string path = dir.Write("p.json", "{\"accountCurrency\": \"BTC\", \"positions\": [],\n\"openOrders\": [{\"instrument\": \"BTC-PERPETUAL\", \"size\": 10, \"averagePrice\": 1}]}");
        var e = Assert.Throws<DataValidationException>(() => PortfolioReader.Read(path));
        Assert.Equal("openOrders[0].averagePrice", e.Field);
        Assert.Contains("unknown field", e.Reason, StringComparison.Ordinal);
    }
}
