using System.Text.Json;
using CryptoMargin.Instruments;
using CryptoMargin.MarketData;
using CryptoMargin.MarketData.Options;

namespace CryptoMargin.Data.Options;

/// <summary>
/// The JSON that Deribit's public endpoint <c>/api/v2/public/get_book_summary_by_currency?currency=BTC&amp;kind=option</c>
/// returns (https://docs.deribit.com/api-reference/market-data/public-get_book_summary_by_currency): a JSON-RPC envelope
/// whose <c>result</c> is an array of book summaries; the bare array is accepted too. Per element: <c>instrument_name</c>,
/// <c>underlying_price</c> (the forward, USD), <c>underlying_index</c>, <c>bid_price</c>/<c>ask_price</c>/<c>mark_price</c>
/// (coin for inverse options, USDC for linear ones; null = no quote), <c>mark_iv</c>/<c>bid_iv</c>/<c>ask_iv</c> (percent:
/// divided by 100 here), <c>creation_timestamp</c> (ms since the Unix epoch; the quote's time),
/// <c>estimated_delivery_price</c> (the index), <c>base_currency</c> (selects the underlying). Elements that are not
/// options (a future <c>BTC-27DEC24</c>, a perpetual) are skipped. The valuation time is the latest
/// <c>creation_timestamp</c>. Errors name the line where the element starts and the field.
/// </summary>
internal static class DeribitBookSummaryJson
{
    internal static OptionChain Read(Stream stream, string source, string? underlying)
    {
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        var bytes = buffer.GetBuffer().AsSpan(0, (int)buffer.Length);
        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF])) bytes = bytes[3..];
        if (bytes.Trim((byte)' ').Length == 0) throw new DataValidationException("file is empty", file: source);

        var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        reader.Read();
        if (reader.TokenType == JsonTokenType.StartObject)
        {
            bool found = false;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var name = reader.GetString();
                reader.Read();
                if (name == "result") { found = true; break; }
                if (name == "error")
                {
                    var error = JsonElement.ParseValue(ref reader);
                    var message = error.ValueKind == JsonValueKind.Object && error.TryGetProperty("message", out var m) ? m.ToString() : error.ToString();
                    throw new DataValidationException($"the response is a Deribit error: {message}", line: LineOf(bytes, reader.TokenStartIndex), field: "error");
                }
                reader.Skip();
            }
            if (!found) throw new DataValidationException("no 'result' array in the response object", field: "result");
        }
        if (reader.TokenType != JsonTokenType.StartArray)
            throw new DataValidationException($"expected an array of book summaries, found {reader.TokenType}",
                line: LineOf(bytes, reader.TokenStartIndex), field: "result");

        var currencies = new SortedSet<string>(StringComparer.Ordinal);
        var quotes = new List<OptionQuote>();
        var times = new List<DateTimeOffset>();
        int index = -1, line = 1;
        long counted = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            index++;
            line += Newlines(bytes[(int)counted..(int)reader.TokenStartIndex]);
            counted = reader.TokenStartIndex;
            var element = JsonElement.ParseValue(ref reader);
            var at = new Element(element, index, line);
            if (element.ValueKind != JsonValueKind.Object) throw at.Error("element", $"expected an object, found {element.ValueKind}");
            var name = at.String("instrument_name", required: true)!;
            if (name.Split('-').Length != 4) continue;
            if (!OptionInstrument.TryParse(name, out var instrument, out var error)) throw at.Error("instrument_name", error);
            var ccy = (at.String("base_currency", required: false) ?? instrument.Currency).ToUpperInvariant();
            currencies.Add(ccy);
            if (underlying is not null && ccy != underlying) continue;

            double forward = at.Number("underlying_price") ?? throw at.Error("underlying_price", "missing: the forward the option is marked against");
            if (!(forward > 0)) throw at.Error("underlying_price", $"forward {forward} is not positive");
            double ms = at.Number("creation_timestamp") ?? throw at.Error("creation_timestamp", "missing: the time of the quote");
            DateTimeOffset time;
            try { time = DateTimeOffset.FromUnixTimeMilliseconds(checked((long)ms)); }
            catch (Exception e) when (e is ArgumentOutOfRangeException or OverflowException)
            { throw at.Error("creation_timestamp", $"{ms} is not a time in milliseconds since 1970"); }
            times.Add(time);

            double? bid = at.Number("bid_price"), ask = at.Number("ask_price"), mark = at.Number("mark_price");
            double? Percent(string field) => at.Number(field) is double p ? (p < 0 ? throw at.Error(field, $"implied volatility {p} % is negative") : p / 100) : null;
            quotes.Add(DeribitQuote.Of(instrument, forward, 0, bid, ask, mark) with
            {
                MarkIv = Percent("mark_iv"),
                BidIv = bid > 0 ? Percent("bid_iv") : null,
                AskIv = ask > 0 ? Percent("ask_iv") : null,
                IndexPrice = at.Number("estimated_delivery_price"),
                UnderlyingInstrument = at.String("underlying_index", required: false),
                QuoteTime = time,
                Line = line,
            });
        }
        if (underlying is null && currencies.Count > 1)
            throw new DataValidationException($"the response holds options on {string.Join(" and ", currencies)}: choose one underlying", field: "base_currency");
        if (quotes.Count == 0)
            throw new DataValidationException(currencies.Count == 0
                ? "no options in the response"
                : $"no {underlying} options in the response (it holds {string.Join(", ", currencies)})", field: "instrument_name");

        var valuation = times.Max();
        var withT = quotes.Select(q => q with { T = (q.Expiry!.Value - valuation).TotalDays / 365.0 }).ToList();
        return new OptionChain(valuation, underlying ?? currencies.Single(), withT, hasBook: true);
    }

    private static int LineOf(ReadOnlySpan<byte> bytes, long offset) => 1 + Newlines(bytes[..(int)Math.Min(offset, bytes.Length)]);

    private static int Newlines(ReadOnlySpan<byte> bytes) => bytes.Count((byte)'\n');

    private readonly record struct Element(JsonElement Value, int Index, int Line)
    {
        internal DataValidationException Error(string field, string reason) =>
            new($"result[{Index}]: {reason}", line: Line, field: field);

        internal string? String(string field, bool required)
        {
            if (!Value.TryGetProperty(field, out var v) || v.ValueKind == JsonValueKind.Null)
                return required ? throw Error(field, "missing") : null;
            return v.ValueKind == JsonValueKind.String ? v.GetString()!.Trim() : throw Error(field, $"expected a string, found {v.ValueKind}");
        }

        internal double? Number(string field)
        {
            if (!Value.TryGetProperty(field, out var v) || v.ValueKind == JsonValueKind.Null) return null;
            if (v.ValueKind != JsonValueKind.Number || !v.TryGetDouble(out var x) || !double.IsFinite(x))
                throw Error(field, $"expected a number, found {v.ValueKind} {v.GetRawText()}");
            return x;
        }
    }
}
