using System.Globalization;
using CryptoMargin.MarketData;
using CryptoMargin.MarketData.Options;
using CryptoMargin.Pricing;

namespace CryptoMargin.Data.Options;

/// <summary>
/// A generic option surface as CSV, recognised by its <c>t</c> and <c>strike</c> headers (case-insensitive):
/// <c>t</c> (years to expiry), <c>strike</c>, <c>forward</c>, and either <c>impliedVol</c> (decimal) or <c>price</c>
/// (present value in USD) with <c>type</c> (<c>call</c>/<c>put</c>/<c>C</c>/<c>P</c>); optional <c>discount</c> (factor to
/// expiry, default 1). With only <c>impliedVol</c> and no <c>type</c>, the quote is the out-of-the-money option (call when
/// K ≥ F) and its mark is the Black-76 price. Marks are stored undiscounted (price ÷ discount). No bid/ask, so the chain
/// has no book; underlying, valuation time and expiry are null.
/// </summary>
internal static class SurfaceCsv
{
    internal static OptionChain Read(OptionCsv csv, string? underlying)
    {
        if (underlying is not null)
            throw new DataValidationException(
                $"a surface file names no underlying, so '{underlying}' cannot be selected: leave the underlying out", line: 1, field: "t");
        int tCol = csv.Require("t", "years to expiry");
        int kCol = csv.Require("strike", "the strike");
        int fCol = csv.Require("forward", "the forward");
        int? ivCol = csv.Column("impliedVol"), priceCol = csv.Column("price"), typeCol = csv.Column("type"), dCol = csv.Column("discount");
        if (ivCol is null && priceCol is null)
            throw new DataValidationException("a surface file needs an 'impliedVol' or a 'price' column", line: 1, field: "impliedVol");
        if (priceCol is not null && typeCol is null)
            throw new DataValidationException("a 'price' column needs a 'type' column (call or put)", line: 1, field: "type");

        var quotes = new List<OptionQuote>(csv.Records.Count);
        foreach (var (fields, line) in csv.Records)
        {
            double t = csv.Required(fields, line, tCol);
            double k = csv.Required(fields, line, kCol);
            if (!(k > 0)) throw OptionCsv.Error($"strike {Fmt(k)} is not positive", line, csv.Header[kCol].Trim());
            double f = csv.Required(fields, line, fCol);
            if (!(f > 0)) throw OptionCsv.Error($"forward {Fmt(f)} is not positive", line, csv.Header[fCol].Trim());
            double d = csv.Number(fields, line, dCol, optional: true) ?? 1.0;
            if (!(d > 0)) throw OptionCsv.Error($"discount factor {Fmt(d)} is not positive", line, csv.Header[dCol!.Value].Trim());
            double? iv = csv.Number(fields, line, ivCol, optional: priceCol is not null);
            if (iv is < 0) throw OptionCsv.Error($"implied volatility {Fmt(iv.Value)} is negative", line, csv.Header[ivCol!.Value].Trim());
            double? price = csv.Number(fields, line, priceCol, optional: ivCol is not null);
            if (price is < 0) throw OptionCsv.Error($"price {Fmt(price.Value)} is negative", line, csv.Header[priceCol!.Value].Trim());
            if (iv is null && price is null)
                throw OptionCsv.Error("neither an implied vol nor a price on this row", line, csv.Header[(ivCol ?? priceCol)!.Value].Trim());

            OptionType type;
            var typeText = typeCol is int tc ? csv.Cell(fields, line, tc) : "";
            if (typeText.Length == 0)
            {
                if (price is not null) throw OptionCsv.Error("empty type: a price needs call or put", line, csv.Header[typeCol!.Value].Trim());
                type = k >= f ? OptionType.Call : OptionType.Put;
            }
            else
            {
                type = typeText.ToLowerInvariant() switch
                {
                    "call" or "c" => OptionType.Call,
                    "put" or "p" => OptionType.Put,
                    _ => throw OptionCsv.Error($"type '{typeText}' is neither call nor put", line, csv.Header[typeCol!.Value].Trim()),
                };
            }
            double mark = price is double p ? p / d : Black76.Price(f, k, Math.Max(t, 0), iv!.Value, type);
            quotes.Add(new OptionQuote
            {
                Instrument = $"T{Fmt(t)}-K{Fmt(k)}-{(type == OptionType.Call ? 'C' : 'P')}",
                T = t,
                Strike = k,
                Type = type,
                Forward = f,
                Discount = d,
                MarkUsd = mark,
                MarkIv = iv,
                Line = line,
            });
        }
        return new OptionChain(null, null, quotes, hasBook: false);
    }

    private static string Fmt(double v) => v.ToString("G10", CultureInfo.InvariantCulture);
}
