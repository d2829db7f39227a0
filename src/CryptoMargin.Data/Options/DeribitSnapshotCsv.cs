using CryptoMargin.Data.Prices;
using CryptoMargin.Instruments;
using CryptoMargin.MarketData;
using CryptoMargin.MarketData.Options;
using CryptoMargin.Pricing;

namespace CryptoMargin.Data.Options;

/// <summary>
/// A Deribit option-chain snapshot as CSV, one row per option (columns as collected from
/// <c>public/get_book_summary_by_currency</c> + <c>public/ticker</c>; see samples/options/PROVENANCE.md). Used columns:
/// <c>timestamp</c> (snapshot time; the valuation time is the latest one of the selected rows), <c>instrument_name</c>,
/// <c>underlying</c> (forward, USD), <c>bid_price</c>/<c>ask_price</c>/<c>mark_price</c> (coin; empty = no quote),
/// <c>implied_volatility</c> (mark IV, decimal), <c>currency</c> (selects the underlying), optional <c>index_price</c>,
/// <c>underlying_name</c>; <c>strike</c> and <c>option_type</c>, when present, must agree with the name.
/// Time to expiry is recomputed ACT/365 from the valuation time (the file's <c>time_to_maturity</c> is ACT/365.25).
/// </summary>
internal static class DeribitSnapshotCsv
{
    internal static OptionChain Read(OptionCsv csv, string? underlying)
    {
        int nameCol = csv.Require("instrument_name", "the option");
        int timeCol = csv.Require("timestamp", "the snapshot time");
        int fwdCol = csv.Require("underlying", "the forward the option is marked against");
        int? ccyCol = csv.Column("currency");
        int? bidCol = csv.Column("bid_price"), askCol = csv.Column("ask_price"), markCol = csv.Column("mark_price");
        int? ivCol = csv.Column("implied_volatility"), indexCol = csv.Column("index_price");
        int? undNameCol = csv.Column("underlying_name"), strikeCol = csv.Column("strike"), typeCol = csv.Column("option_type");

        var currencies = new SortedSet<string>(StringComparer.Ordinal);
        var rows = new List<(OptionInstrument Instrument, DateTimeOffset Time, string[] Fields, int Line)>();
        foreach (var (fields, line) in csv.Records)
        {
            var name = csv.Cell(fields, line, nameCol);
            if (!OptionInstrument.TryParse(name, out var instrument, out var error))
                throw OptionCsv.Error(error, line, "instrument_name");
            string ccy = ccyCol is int cc ? csv.Cell(fields, line, cc).ToUpperInvariant() : instrument.Currency;
            if (ccy.Length == 0) throw OptionCsv.Error("empty currency", line, "currency");
            currencies.Add(ccy);
            if (underlying is not null && ccy != underlying) continue;
            var timeText = csv.Cell(fields, line, timeCol);
            if (!TimestampParser.TryParse(timeText, out var time))
                throw OptionCsv.Error($"cannot parse '{timeText}' as a timestamp", line, "timestamp");
            rows.Add((instrument, time, fields, line));
        }
        if (underlying is null && currencies.Count > 1)
            throw new DataValidationException(
                $"the file holds options on {string.Join(" and ", currencies)}: choose one underlying", field: "currency");
        if (rows.Count == 0)
            throw new DataValidationException(
                $"no {underlying} options in the file (it holds {string.Join(", ", currencies)})", field: "currency");

        var valuation = rows.Max(r => r.Time);
        var quotes = new List<OptionQuote>(rows.Count);
        foreach (var (instrument, time, fields, line) in rows)
        {
            double forward = csv.Required(fields, line, fwdCol);
            if (!(forward > 0)) throw OptionCsv.Error($"forward {forward} is not positive", line, "underlying");
            if (strikeCol is int sc && csv.Number(fields, line, sc, optional: true) is double k
                && Math.Abs(k - instrument.Strike) > 1e-9 * instrument.Strike)
                throw OptionCsv.Error($"strike {k} disagrees with the instrument name {instrument.Name}", line, "strike");
            if (typeCol is int tc && csv.Cell(fields, line, tc) is { Length: > 0 } typeText)
            {
                var type = typeText.ToLowerInvariant() switch
                {
                    "call" or "c" => OptionType.Call,
                    "put" or "p" => OptionType.Put,
                    _ => throw OptionCsv.Error($"option type '{typeText}' is neither call nor put", line, "option_type"),
                };
                if (type != instrument.Type)
                    throw OptionCsv.Error($"option type '{typeText}' disagrees with the instrument name {instrument.Name}", line, "option_type");
            }
            double? bid = csv.Number(fields, line, bidCol, optional: true);
            double? ask = csv.Number(fields, line, askCol, optional: true);
            double? mark = csv.Number(fields, line, markCol, optional: true);
            double? iv = csv.Number(fields, line, ivCol, optional: true);
            if (iv is < 0) throw OptionCsv.Error($"implied volatility {iv} is negative", line, "implied_volatility");
            quotes.Add(DeribitQuote.Of(instrument, forward, (instrument.Expiry - valuation).TotalDays / 365.0, bid, ask, mark) with
            {
                MarkIv = iv,
                IndexPrice = csv.Number(fields, line, indexCol, optional: true),
                UnderlyingInstrument = undNameCol is int uc && csv.Cell(fields, line, uc) is { Length: > 0 } u ? u : null,
                QuoteTime = time,
                Line = line,
            });
        }
        string chainUnderlying = underlying ?? currencies.Single();
        return new OptionChain(valuation, chainUnderlying, quotes, hasBook: bidCol is not null && askCol is not null);
    }
}
