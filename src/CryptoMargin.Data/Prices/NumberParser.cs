using System.Globalization;

namespace CryptoMargin.Data.Prices;

/// <summary>Numbers in the invariant culture; NaN and infinities (<c>nan</c>, <c>inf</c>, <c>-Infinity</c>, …) parse.</summary>
internal static class NumberParser
{
    internal static bool TryParse(string text, out double value)
    {
        var s = text.Trim();
        if (double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out value)) return true;
        switch (s.ToLowerInvariant())
        {
            case "nan" or "+nan" or "-nan":
                value = double.NaN;
                return true;
            case "inf" or "+inf" or "infinity" or "+infinity":
                value = double.PositiveInfinity;
                return true;
            case "-inf" or "-infinity":
                value = double.NegativeInfinity;
                return true;
            default:
                return false;
        }
    }
}
