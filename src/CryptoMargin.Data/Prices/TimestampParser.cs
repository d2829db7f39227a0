using System.Globalization;
using System.Text.RegularExpressions;

namespace CryptoMargin.Data.Prices;

/// <summary>
/// Timestamps as they appear in price files, all to UTC:
/// ISO dates (<c>2024-01-31</c>), ISO date-times with <c>T</c> or a space, with or without fractional seconds,
/// with an offset, <c>Z</c> or none (none = UTC); CryptoDataDownload's legacy <c>2020-11-20 07-AM</c>; and Unix
/// times: a plain number is seconds when |x| ≤ 1e11 (up to year 5138) and milliseconds above (from 1973-03-03 on).
/// </summary>
internal static partial class TimestampParser
{
    private const double MillisecondsAbove = 1e11;

    private static readonly string[] Formats = BuildFormats();

    private static string[] BuildFormats()
    {
        var list = new List<string> { "yyyy-MM-dd", "yyyy-MM-dd hh-tt" };
        foreach (var sep in new[] { "'T'", " " })
            foreach (var clock in new[] { "HH:mm", "HH:mm:ss", "HH:mm:ss.FFFFFFF" })
                foreach (var zone in new[] { "", "'Z'", "zzz", "zz" })
                    list.Add($"yyyy-MM-dd{sep}{clock}{zone}");
        return [.. list];
    }

    [GeneratedRegex(@"^[+-]?[0-9]+(\.[0-9]+)?$")]
    private static partial Regex UnixNumber();

    internal static bool TryParse(string text, out DateTimeOffset time)
    {
        var s = text.Trim();
        time = default;
        if (s.Length == 0) return false;
        if (UnixNumber().IsMatch(s))
        {
            if (!double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var x)) return false;
            double seconds = Math.Abs(x) > MillisecondsAbove ? x / 1000.0 : x;
            double ticks = Math.Round(seconds * TimeSpan.TicksPerSecond);
            long unixTicks = DateTimeOffset.UnixEpoch.Ticks;
            if (ticks < -unixTicks || ticks > DateTimeOffset.MaxValue.Ticks - unixTicks) return false;
            // Integers take an exact path (a double carries 15–16 digits: ms since 1970 are exact, ticks may not be).
            if (!s.Contains('.') && long.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n))
                time = Math.Abs(x) > MillisecondsAbove ? DateTimeOffset.FromUnixTimeMilliseconds(n) : DateTimeOffset.FromUnixTimeSeconds(n);
            else
                time = DateTimeOffset.UnixEpoch.AddTicks((long)ticks);
            return true;
        }
        if (DateTimeOffset.TryParseExact(s, Formats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t))
        {
            time = t.ToUniversalTime();
            return true;
        }
        return false;
    }
}
