using System.Globalization;
using CryptoMargin.MarketData;
using CryptoMargin.Pricing;

namespace CryptoMargin.Instruments;

/// <summary>
/// A Deribit option contract as its name spells it: <c>BTC-27DEC24-60000-C</c> = BTC, expiry 27 Dec 2024 at 08:00 UTC,
/// strike 60,000 USD, call. Linear (USDC-settled) contracts name base and settlement currency, e.g.
/// <c>XRP_USDC-30MAY25-0d625-C</c>, where <c>d</c> is the decimal point (strike 0.625). Naming convention from the
/// Deribit API documentation (<c>public/get_instruments</c>, field <c>instrument_name</c>); all Deribit options
/// expire at 08:00 UTC (Deribit contract specifications).
/// <para>This is the contract, not a quote: no prices, no time to expiry (that needs a valuation time).</para>
/// </summary>
/// <param name="Name">The name as given (trimmed).</param>
/// <param name="Currency">The underlying currency (<c>BTC</c>, <c>ETH</c>, <c>XRP</c>).</param>
/// <param name="SettlementCurrency">
/// <c>USDC</c> for linear contracts named <c>XRP_USDC-…</c>; null for inverse (coin-settled) contracts, whose prices are
/// quoted in <see cref="Currency"/>.
/// </param>
/// <param name="Expiry">Expiry date at 08:00 UTC.</param>
/// <param name="Strike">Strike in USD (USDC for linear contracts), &gt; 0.</param>
/// <param name="Type">Call or put.</param>
public sealed record OptionInstrument(
    string Name, string Currency, string? SettlementCurrency, DateTimeOffset Expiry, double Strike, OptionType Type)
    : Instrument(Name, Currency, SettlementCurrency)
{
    public override InstrumentKind Kind => InstrumentKind.Option;

    /// <summary>Deribit expiries are at 08:00 UTC.</summary>
    public static readonly TimeSpan ExpiryTimeOfDay = TimeSpan.FromHours(8);

    /// <summary>Parses a name.</summary>
    /// <exception cref="DataValidationException">A malformed name; the reason says which part is wrong (field <c>instrument_name</c>).</exception>
    public static new OptionInstrument Parse(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return TryParse(name, out var instrument, out var error)
            ? instrument
            : throw new DataValidationException(error, field: "instrument_name");
    }

    /// <summary>Parses a name; on failure <paramref name="error"/> says which part is wrong and the result is null.</summary>
    public static bool TryParse(string? name, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out OptionInstrument? instrument, out string error)
    {
        instrument = null;
        if (name is null || name.Trim().Length == 0)
        {
            error = "empty instrument name";
            return false;
        }
        var s = name.AsSpan().Trim();
        Span<Range> parts = stackalloc Range[5];
        int count = s.Split(parts, '-');
        if (count != 4)
        {
            int dashes = s.Count('-');
            error = $"instrument name '{s}' is not an option name CCY-DMMMYY-STRIKE-C|P ({dashes + 1} dash-separated parts, expected 4)";
            return false;
        }
        if (!Instrument.TryParseCurrencies(s, s[parts[0]], out var ccy, out var settlement, out error)) return false;
        if (!TryParseExpiry(s[parts[1]], out var expiry))
        {
            error = $"instrument name '{s}': expiry '{s[parts[1]]}' is not a date DMMMYY (e.g. 27DEC24)";
            return false;
        }
        if (!TryParseStrike(s[parts[2]], out var strike))
        {
            error = $"instrument name '{s}': strike '{s[parts[2]]}' is not a positive number (digits, 'd' as decimal point)";
            return false;
        }
        var typePart = s[parts[3]];
        OptionType type;
        if (typePart is "C") type = OptionType.Call;
        else if (typePart is "P") type = OptionType.Put;
        else
        {
            error = $"instrument name '{s}': option type '{typePart}' is neither C nor P";
            return false;
        }
        instrument = new OptionInstrument(s.Length == name.Length ? name : s.ToString(), CurrencyName(ccy),
            settlement.IsEmpty ? null : CurrencyName(settlement), expiry, strike, type);
        error = "";
        return true;
    }

    /// <summary>The common currencies without allocating a string per name.</summary>
    private static string CurrencyName(ReadOnlySpan<char> s) => s switch
    {
        "BTC" => "BTC",
        "ETH" => "ETH",
        "USDC" => "USDC",
        _ => s.ToString(),
    };

    /// <summary><c>27DEC24</c> or <c>8JAN26</c> (day without leading zero) → that date at 08:00 UTC.</summary>
    internal static bool TryParseExpiry(ReadOnlySpan<char> s, out DateTimeOffset expiry)
    {
        expiry = default;
        if (s.Length is not (6 or 7)) return false;
        int dayLen = s.Length - 5;
        var dayPart = s[..dayLen];
        var monthPart = s.Slice(dayLen, 3);
        var yearPart = s[(dayLen + 3)..];
        foreach (var c in dayPart) if (c is < '0' or > '9') return false;
        foreach (var c in yearPart) if (c is < '0' or > '9') return false;
        int day = int.Parse(dayPart, NumberStyles.None, CultureInfo.InvariantCulture);
        int year = 2000 + int.Parse(yearPart, NumberStyles.None, CultureInfo.InvariantCulture);
        int month = monthPart switch
        {
            "JAN" => 1, "FEB" => 2, "MAR" => 3, "APR" => 4, "MAY" => 5, "JUN" => 6,
            "JUL" => 7, "AUG" => 8, "SEP" => 9, "OCT" => 10, "NOV" => 11, "DEC" => 12,
            _ => 0,
        };
        if (month == 0 || day < 1 || day > DateTime.DaysInMonth(year, month)) return false;
        expiry = new DateTimeOffset(year, month, day, 8, 0, 0, TimeSpan.Zero);
        return true;
    }

    /// <summary>Digits with an optional <c>d</c> as decimal point (<c>60000</c>, <c>0d625</c>); positive and finite.</summary>
    internal static bool TryParseStrike(ReadOnlySpan<char> s, out double strike)
    {
        strike = 0;
        if (s.Length == 0 || s.Length > 32) return false;
        Span<char> buffer = stackalloc char[s.Length];
        bool point = false;
        for (int i = 0; i < s.Length; i++)
        {
            char c = s[i];
            if (c is >= '0' and <= '9') buffer[i] = c;
            else if (c == 'd' && !point && i > 0 && i < s.Length - 1)
            {
                buffer[i] = '.';
                point = true;
            }
            else return false;
        }
        return double.TryParse(buffer, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out strike)
               && strike > 0 && double.IsFinite(strike);
    }
}
