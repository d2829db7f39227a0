using CryptoMargin.MarketData;

namespace CryptoMargin.Instruments;

/// <summary>
/// A listed contract named as Deribit names it. <see cref="Currency"/> is the underlying coin (<c>BTC</c>, <c>ETH</c>);
/// <see cref="SettlementCurrency"/> is null for inverse (coin-settled, coin-margined) contracts and the stable coin
/// (<c>USDC</c>) for linear ones. Position sizes follow the unit Deribit's API reports for the instrument
/// (<see cref="SizeUnit"/>): USD notional for inverse futures and perpetuals, coin for options, spot and linear
/// instruments (Deribit API, <c>private/get_positions</c>, field <c>size</c>).
/// </summary>
public abstract record Instrument(string Name, string Currency, string? SettlementCurrency)
{
    /// <summary>True for coin-settled contracts: P&amp;L and margin in <see cref="Currency"/>.</summary>
    public bool IsInverse => SettlementCurrency is null;

    /// <summary>The currency P&amp;L and margin of this instrument are counted in: the coin for inverse contracts, else the settlement currency.</summary>
    public string MarginCurrency => SettlementCurrency ?? Currency;

    public abstract InstrumentKind Kind { get; }

    /// <summary>The unit of a position's size: <c>USD</c> for inverse futures and perpetuals, else the coin.</summary>
    public string SizeUnit => IsInverse && Kind is InstrumentKind.Future or InstrumentKind.Perpetual ? "USD" : Currency;

    /// <summary>Parses any Deribit instrument name: option, dated future, perpetual or spot pair.</summary>
    /// <exception cref="DataValidationException">A malformed name; the reason says which part is wrong (field <c>instrument</c>).</exception>
    public static Instrument Parse(string name) =>
        TryParse(name, out var instrument, out var error)
            ? instrument
            : throw new DataValidationException(error, field: "instrument");

    /// <summary>Parses any Deribit instrument name; on failure <paramref name="error"/> says what is wrong.</summary>
    public static bool TryParse(string? name, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out Instrument? instrument, out string error)
    {
        instrument = null;
        if (name is null || name.Trim().Length == 0)
        {
            error = "empty instrument name";
            return false;
        }
        string s = name.Trim();
        int dashes = s.AsSpan().Count('-');
        if (dashes == 3)
        {
            bool ok = OptionInstrument.TryParse(s, out var option, out error);
            instrument = option;
            return ok;
        }
        string head = dashes == 0 ? s : s[..s.IndexOf('-')];
        if (!TryParseCurrencies(s, head, out var ccySpan, out var settlementSpan, out error)) return false;
        string ccy = ccySpan.ToString();
        string settlement = settlementSpan.ToString();
        string? settle = settlement.Length == 0 ? null : settlement;
        if (dashes == 0)
        {
            if (settle is null)
            {
                error = $"instrument name '{s}': a spot pair names its quote currency (e.g. BTC_USDC)";
                return false;
            }
            instrument = new SpotInstrument(s, ccy, settle);
            error = "";
            return true;
        }
        if (dashes == 1)
        {
            string tail = s[(s.IndexOf('-') + 1)..];
            if (tail == "PERPETUAL")
            {
                instrument = new FutureInstrument(s, ccy, settle, null);
                error = "";
                return true;
            }
            if (OptionInstrument.TryParseExpiry(tail, out var expiry))
            {
                instrument = new FutureInstrument(s, ccy, settle, expiry);
                error = "";
                return true;
            }
            error = $"instrument name '{s}': '{tail}' is neither PERPETUAL nor an expiry DMMMYY (e.g. 27MAR26)";
            return false;
        }
        error = $"instrument name '{s}' has {dashes + 1} dash-separated parts: expected CCY_QUOTE (spot), CCY-PERPETUAL, CCY-DMMMYY (future) or CCY-DMMMYY-STRIKE-C|P (option)";
        return false;
    }

    /// <summary>
    /// Splits the head of a name (<c>BTC</c>, <c>BTC_USDC</c>) into the coin and the settlement currency (empty for inverse
    /// contracts); on failure <paramref name="error"/> says which part of <paramref name="name"/> is wrong.
    /// </summary>
    internal static bool TryParseCurrencies(ReadOnlySpan<char> name, ReadOnlySpan<char> head,
        out ReadOnlySpan<char> currency, out ReadOnlySpan<char> settlement, out string error)
    {
        currency = head;
        settlement = ReadOnlySpan<char>.Empty;
        int underscore = head.IndexOf('_');
        if (underscore >= 0)
        {
            settlement = head[(underscore + 1)..];
            currency = head[..underscore];
            if (!IsCurrency(settlement))
            {
                error = $"instrument name '{name}': settlement currency '{settlement}' is not 2–10 capital letters";
                return false;
            }
        }
        if (!IsCurrency(currency))
        {
            error = $"instrument name '{name}': currency '{currency}' is not 2–10 capital letters";
            return false;
        }
        error = "";
        return true;
    }

    internal static bool IsCurrency(ReadOnlySpan<char> s)
    {
        if (s.Length is < 2 or > 10) return false;
        foreach (var c in s)
            if (c is < 'A' or > 'Z') return false;
        return true;
    }
}
