using CryptoMargin.Data.Options;
using CryptoMargin.MarketData;
using CryptoMargin.Pricing;
using MathNet.Numerics.Distributions;

namespace CryptoMargin.Data.Tests.Options;

public class OptionChainReaderTests
{
    private const string SnapshotHeader =
        "timestamp,instrument_name,underlying,underlying_name,option_type,strike,bid_price,ask_price,mark_price,implied_volatility,currency,index_price";

    private const string Snapshot = SnapshotHeader + "\n"
        + "2026-08-22T09:35:36.141155+00:00,BTC-25SEP26-120000-P,77536.84,BTC-25SEP26,put,120000.0,0.5425,0.553,0.54841063,0.6142,BTC,77196.65\n"
        + "2026-08-22T09:35:36.141155+00:00,ETH-25SEP26-2500-C,2426.93,ETH-25SEP26,call,2500.0,0.031,0.0325,0.0317,0.55,ETH,2421.4\n"
        + "\n"
        + "2026-08-22T09:35:36.141155+00:00,BTC-8SEP26-94000-C,77289.67,SYN.BTC-8SEP26,call,94000.0,,0.0003,0.00025022,0.6415,BTC,77196.65\n";

    private static readonly DateTimeOffset SnapshotTime = new DateTimeOffset(2026, 8, 22, 9, 35, 36, TimeSpan.Zero).AddTicks(1411550);

    [Theory]
    [InlineData("chain.csv")]
    [InlineData("chain.csv.gz")]
    public void ReadsADeribitSnapshotAndSelectsTheUnderlying(string name)
    {
        using var tmp = new TempFolder();
        var path = name.EndsWith(".gz", StringComparison.Ordinal) ? tmp.WriteGzip(name, Snapshot) : tmp.Write(name, Snapshot);
        var chain = OptionChainReader.Read(path, "btc");
        Assert.Equal("BTC", chain.Underlying);
        Assert.Equal(SnapshotTime, chain.ValuationTime);
        Assert.True(chain.HasBook);
        Assert.Equal(2, chain.Quotes.Count);

        var put = chain.Quotes[0];
        Assert.Equal("BTC-25SEP26-120000-P", put.Instrument);
        Assert.Equal(2, put.Line);
        Assert.Equal(new DateTimeOffset(2026, 9, 25, 8, 0, 0, TimeSpan.Zero), put.Expiry);
        // ACT/365 from the snapshot time: 33 days 22:24:23.858845.
        Assert.Equal((33 + (22 * 3600 + 24 * 60 + 23.858845) / 86400) / 365, put.T, 1e-12);
        Assert.Equal((120000.0, OptionType.Put, 77536.84), (put.Strike, put.Type, put.Forward));
        Assert.True(put.IsInverse);
        Assert.Equal((0.5425, 0.553, 0.54841063), (put.BidCoin, put.AskCoin, put.MarkCoin));
        Assert.Equal(0.5425 * 77536.84, put.BidUsd!.Value, 1e-9);
        Assert.Equal(0.553 * 77536.84, put.AskUsd!.Value, 1e-9);
        Assert.Equal(0.54841063 * 77536.84, put.MarkUsd!.Value, 1e-9);
        Assert.Equal((0.6142, 77196.65, "BTC-25SEP26"), (put.MarkIv, put.IndexPrice, put.UnderlyingInstrument));

        var call = chain.Quotes[1];
        Assert.Equal(5, call.Line); // the blank line 4 is skipped but counted
        Assert.Null(call.BidCoin);
        Assert.Null(call.BidUsd);
        Assert.Null(call.MidUsd);
        Assert.Equal("SYN.BTC-8SEP26", call.UnderlyingInstrument);

        var eth = OptionChainReader.Read(path, "ETH");
        Assert.Equal("ETH-25SEP26-2500-C", Assert.Single(eth.Quotes).Instrument);
        Assert.Equal(3, eth.Quotes[0].Line);
    }

    [Fact]
    public void SeveralCurrenciesNeedASelection()
    {
        using var tmp = new TempFolder();
        var path = tmp.Write("chain.csv", Snapshot);
        var e = Assert.Throws<DataValidationException>(() => OptionChainReader.Read(path));
        Assert.Equal((path, "currency"), (e.File, e.Field));
        Assert.Equal("the file holds options on BTC and ETH: choose one underlying", e.Reason);
        var none = Assert.Throws<DataValidationException>(() => OptionChainReader.Read(path, "SOL"));
        Assert.Equal("no SOL options in the file (it holds BTC, ETH)", none.Reason);
    }

    public static TheoryData<string, string, int, string, string> BadSnapshots() => new()
    {
        { "malformed name", "BTC-25SEP26-120000-P", 2, "instrument_name", "strike 'x1' is not a positive number" },
        { "bad number", "0.5425,", 2, "bid_price", "cannot parse 'abc' as a finite number" },
        { "empty forward", "77536.84", 2, "underlying", "empty cell, expected a number" },
        { "strike disagrees", "put,120000.0", 2, "strike", "strike 125000 disagrees with the instrument name BTC-25SEP26-120000-P" },
        { "type disagrees", "put,120000.0", 2, "option_type", "option type 'call' disagrees" },
        { "bad time", "2026-08-22T09:35:36.141155+00:00,BTC-25SEP26", 2, "timestamp", "cannot parse 'yesterday' as a timestamp" },
        { "negative iv", "0.6142", 2, "implied_volatility", "implied volatility -0.6142 is negative" },
    };

    [Theory]
    [MemberData(nameof(BadSnapshots))]
    public void BadRowsNameFileLineAndField(string what, string find, int line, string field, string reason)
    {
        string replace = what switch
        {
            "malformed name" => "BTC-25SEP26-x1-P",
            "bad number" => "abc,",
            "empty forward" => "",
            "strike disagrees" => "put,125000.0",
            "type disagrees" => "call,120000.0",
            "bad time" => "yesterday,BTC-25SEP26",
            "negative iv" => "-0.6142",
            _ => throw new ArgumentOutOfRangeException(nameof(what)),
        };
        var lines = Snapshot.Split('\n');
        lines[line - 1] = ReplaceFirst(lines[line - 1], find, replace);
        using var tmp = new TempFolder();
        var path = tmp.Write("bad.csv", string.Join('\n', lines));
        var e = Assert.Throws<DataValidationException>(() => OptionChainReader.Read(path, "BTC"));
        Assert.Equal((path, line, field), (e.File, e.Line, e.Field));
        Assert.Contains(reason, e.Reason);
        Assert.StartsWith($"{path}:{line}: field '{field}': ", e.Message);
    }

    private static string ReplaceFirst(string s, string find, string replace)
    {
        int i = s.IndexOf(find, StringComparison.Ordinal);
        Assert.True(i >= 0, $"'{find}' not in '{s}'");
        return s[..i] + replace + s[(i + find.Length)..];
    }

    [Fact]
    public void AMissingColumnIsNamedOnTheHeaderLine()
    {
        using var tmp = new TempFolder();
        var path = tmp.Write("chain.csv", "timestamp,instrument_name,currency\n2026-08-22T09:35:36Z,BTC-25SEP26-120000-P,BTC\n");
        var e = Assert.Throws<DataValidationException>(() => OptionChainReader.Read(path));
        Assert.Equal((1, "underlying"), (e.Line, e.Field));
        Assert.Contains("missing column 'underlying'", e.Reason);
    }

    private const string BookSummary = """
        {
          "jsonrpc": "2.0",
          "id": 7,
          "result": [
            {
              "volume": 12.3, "underlying_price": 77536.84, "underlying_index": "BTC-25SEP26", "quote_currency": "BTC",
              "open_interest": 174.5, "mid_price": 0.54775, "mark_price": 0.54841063, "mark_iv": 61.42, "low": null,
              "interest_rate": 0.0, "instrument_name": "BTC-25SEP26-120000-P", "estimated_delivery_price": 77196.65,
              "creation_timestamp": 1787391336141, "bid_price": 0.5425, "bid_iv": 60.1, "ask_iv": 63.0,
              "base_currency": "BTC", "ask_price": 0.553
            },
            { "instrument_name": "BTC-25SEP26", "underlying_price": 77536.84, "mark_price": 77536.84,
              "creation_timestamp": 1787391336141, "base_currency": "BTC" },
            {
              "underlying_price": 77289.67, "underlying_index": "SYN.BTC-8SEP26", "mark_price": 0.00025022, "mark_iv": 64.15,
              "instrument_name": "BTC-8SEP26-94000-C", "creation_timestamp": 1787391396141, "bid_price": null,
              "ask_price": 0.0003, "bid_iv": 0.0, "ask_iv": 70.0, "base_currency": "BTC"
            }
          ],
          "usIn": 1787391396141000, "usOut": 1787391396141500, "usDiff": 500, "testnet": false
        }
        """;

    [Theory]
    [InlineData("summary.json")]
    [InlineData("summary.json.gz")]
    public void ReadsTheBookSummaryJson(string name)
    {
        using var tmp = new TempFolder();
        var path = name.EndsWith(".gz", StringComparison.Ordinal) ? tmp.WriteGzip(name, BookSummary) : tmp.Write(name, BookSummary);
        var chain = OptionChainReader.Read(path);
        Assert.Equal("BTC", chain.Underlying);
        // The latest creation_timestamp: 1787391396141 ms = 2026-08-22T09:36:36.141Z.
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1787391396141), chain.ValuationTime);
        Assert.Equal(new DateTimeOffset(2026, 8, 22, 9, 36, 36, 141, TimeSpan.Zero), chain.ValuationTime);
        Assert.Equal(2, chain.Quotes.Count); // the future is skipped
        var put = chain.Quotes[0];
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1787391336141), put.QuoteTime);
        Assert.Equal(0.6142, put.MarkIv!.Value, 1e-15);
        Assert.Equal(0.601, put.BidIv!.Value, 1e-15);
        Assert.Equal(0.63, put.AskIv!.Value, 1e-15);
        Assert.Equal(0.5425 * 77536.84, put.BidUsd!.Value, 1e-9);
        Assert.Equal(77196.65, put.IndexPrice);
        Assert.Equal(5, put.Line); // the line where its object starts
        Assert.Equal((chain.Quotes[0].Expiry!.Value - chain.ValuationTime!.Value).TotalDays / 365, put.T, 1e-15);
        var call = chain.Quotes[1];
        Assert.Null(call.BidUsd);
        Assert.Null(call.BidIv); // bid_iv 0 without a bid is no vol
        Assert.Equal(0.7, call.AskIv!.Value, 1e-15);
        Assert.Equal(14, call.Line);

        // The bare result array reads the same.
        var bare = tmp.Write("bare.json", BookSummary[BookSummary.IndexOf('[', StringComparison.Ordinal)..(BookSummary.LastIndexOf(']') + 1)]);
        var b = OptionChainReader.Read(bare, "BTC");
        Assert.Equal(chain.Quotes.Select(q => (q.Instrument, q.BidUsd, q.AskUsd, q.T)), b.Quotes.Select(q => (q.Instrument, q.BidUsd, q.AskUsd, q.T)));
    }

    [Theory]
    [InlineData("\"bid_price\": 0.5425", "\"bid_price\": \"0.5425\"", 5, "bid_price", "result[0]: expected a number, found String")]
    [InlineData("\"underlying_price\": 77289.67, ", "", 14, "underlying_price", "result[2]: missing: the forward")]
    [InlineData("BTC-8SEP26-94000-C", "BTC-8SEP26-94000-Q", 14, "instrument_name", "option type 'Q' is neither C nor P")]
    [InlineData("\"mark_iv\": 61.42", "\"mark_iv\": -61.42", 5, "mark_iv", "implied volatility -61.42 % is negative")]
    public void BadJsonElementsNameLineAndField(string find, string replace, int line, string field, string reason)
    {
        using var tmp = new TempFolder();
        var path = tmp.Write("bad.json", BookSummary.Replace(find, replace, StringComparison.Ordinal));
        var e = Assert.Throws<DataValidationException>(() => OptionChainReader.Read(path));
        Assert.Equal((path, line, field), (e.File, e.Line, e.Field));
        Assert.Contains(reason, e.Reason);
    }

    [Fact]
    public void ADeribitErrorOrBrokenJsonIsAClearError()
    {
        using var tmp = new TempFolder();
        var err = tmp.Write("err.json", """{"jsonrpc":"2.0","error":{"message":"Invalid params","code":-32602},"testnet":false}""");
        var e = Assert.Throws<DataValidationException>(() => OptionChainReader.Read(err));
        Assert.Equal("the response is a Deribit error: Invalid params", e.Reason);
        var broken = tmp.Write("broken.json", "{\n \"result\": [\n {\"instrument_name\": \"BTC-25SEP26-1-C\",,}\n]}");
        var b = Assert.Throws<DataValidationException>(() => OptionChainReader.Read(broken));
        Assert.StartsWith("malformed JSON", b.Reason);
        Assert.Equal(3, b.Line);
        var empty = tmp.Write("empty.json", "{\"result\": []}");
        Assert.Equal("no options in the response", Assert.Throws<DataValidationException>(() => OptionChainReader.Read(empty)).Reason);
    }

    [Fact]
    public void ReadsASurfaceOfImpliedVols()
    {
        using var tmp = new TempFolder();
        var path = tmp.Write("surface.csv", "t,strike,impliedVol,forward\n0.25,100,0.8,100\n0.25,90,0.9,100\n1.0,120,0.7,105\n");
        var chain = OptionChainReader.Read(path);
        Assert.Null(chain.ValuationTime);
        Assert.Null(chain.Underlying);
        Assert.False(chain.HasBook);
        Assert.Equal(2, chain.Expiries.Count);
        var atm = chain.Quotes[0];
        Assert.Null(atm.Expiry);
        Assert.Equal(OptionType.Call, atm.Type); // K ≥ F: the out-of-the-money call
        Assert.Equal(OptionType.Put, chain.Quotes[1].Type);
        // At the money the Black-76 call is F·(2Φ(σ√t/2) − 1).
        Assert.Equal(100 * (2 * Normal.CDF(0, 1, 0.8 * 0.5 / 2) - 1), atm.MarkUsd!.Value, 1e-10);
        Assert.Equal("T0.25-K100-C", atm.Instrument);
        Assert.Equal(0.8, atm.MarkIv);
    }

    [Fact]
    public void ReadsASurfaceOfDiscountedPrices()
    {
        using var tmp = new TempFolder();
        var path = tmp.Write("surface.csv", "T,Strike,Price,Type,Forward,Discount\n0.5,100,9.8,call,100,0.98\n0.5,100,9.8,P,100,\n");
        var chain = OptionChainReader.Read(path);
        Assert.Equal(10.0, chain.Quotes[0].MarkUsd!.Value, 1e-12); // 9.8 / 0.98
        Assert.Equal(0.98, chain.Quotes[0].Discount);
        Assert.Equal(9.8, chain.Quotes[1].MarkUsd!.Value, 1e-12); // discount defaults to 1
        Assert.Equal(OptionType.Put, chain.Quotes[1].Type);
    }

    [Theory]
    [InlineData("t,strike,price,forward\n0.5,100,9.8,100\n", 1, "type", "a 'price' column needs a 'type' column")]
    [InlineData("t,strike,forward\n0.5,100,100\n", 1, "impliedVol", "needs an 'impliedVol' or a 'price' column")]
    [InlineData("t,strike,price,type,forward\n0.5,100,9.8,straddle,100\n", 2, "type", "type 'straddle' is neither call nor put")]
    [InlineData("t,strike,impliedVol,forward\n0.5,-100,0.5,100\n", 2, "strike", "strike -100 is not positive")]
    [InlineData("t,strike,impliedVol,forward\n0.5,100,0.5,100\nsoon,100,0.5,100\n", 3, "t", "cannot parse 'soon' as a finite number")]
    [InlineData("t,strike,impliedVol,forward,discount\n0.5,100,0.5,100,0\n", 2, "discount", "discount factor 0 is not positive")]
    [InlineData("t,strike,impliedVol,forward\n0.5,100,,100\n", 2, "impliedVol", "empty cell")]
    [InlineData("t,strike,impliedVol,forward\n0.5,100\n", 2, "forward", "missing: the row has 2 fields, the header 4")]
    public void BadSurfaceFilesNameLineAndField(string text, int line, string field, string reason)
    {
        using var tmp = new TempFolder();
        var path = tmp.Write("surface.csv", text);
        var e = Assert.Throws<DataValidationException>(() => OptionChainReader.Read(path));
        Assert.Equal((path, line, field), (e.File, e.Line, e.Field));
        Assert.Contains(reason, e.Reason);
    }

    [Fact]
    public void WholeFileProblemsAreNamed()
    {
        using var tmp = new TempFolder();
        Assert.Equal("file not found", Assert.Throws<DataValidationException>(() => OptionChainReader.Read(tmp.File("none.csv"))).Reason);
        Assert.Contains("unsupported file type 'chain.txt'", Assert.Throws<DataValidationException>(() => OptionChainReader.Read(tmp.Write("chain.txt", "x"))).Reason);
        Assert.StartsWith("not a valid gzip file", Assert.Throws<DataValidationException>(() => OptionChainReader.Read(tmp.Write("chain.csv.gz", "not gzip"))).Reason);
        Assert.Equal("file is empty", Assert.Throws<DataValidationException>(() => OptionChainReader.Read(tmp.Write("empty.csv", ""))).Reason);
        Assert.Equal("no data rows", Assert.Throws<DataValidationException>(() => OptionChainReader.Read(tmp.Write("header.csv", SnapshotHeader + "\n"))).Reason);
        var other = Assert.Throws<DataValidationException>(() => OptionChainReader.Read(tmp.Write("prices.csv", "date,close\n2024-01-01,1\n")));
        Assert.Equal(1, other.Line);
        Assert.Contains("not an option chain", other.Reason);
        var surface = tmp.Write("surface.csv", "t,strike,impliedVol,forward\n0.5,100,0.5,100\n");
        Assert.Contains("a surface file names no underlying", Assert.Throws<DataValidationException>(() => OptionChainReader.Read(surface, "BTC")).Reason);
    }
}
