using CryptoMargin.MarketData;

namespace CryptoMargin.Data.Prices;

/// <summary>Which header columns hold the time and the value (shared by the CSV and Parquet readers).</summary>
internal sealed record PriceColumns(int? Time, int Value)
{
    internal static readonly string[] TimeNames = ["date", "timestamp", "time", "datetime", "timestamp_utc", "unix"];
    internal static readonly string[] ValueNames = ["close", "price", "adj close", "adj_close"];
    internal static readonly string[] ReturnNames = ["return", "returns", "log_return", "ret"];
    private static readonly string[] IndexNames = ["", "obs", "index", "id", "row", "n", "#"];

    /// <param name="names">Header names as in the file.</param>
    /// <param name="isNumeric">Whether column i holds numbers (used only for a returns file without a recognised column).</param>
    /// <param name="source">File or display name for errors.</param>
    /// <param name="headerLine">Physical line of the header, for errors.</param>
    internal static PriceColumns Choose(IReadOnlyList<string> names, PriceReadOptions options, Func<int, bool> isNumeric,
        string source, int headerLine)
    {
        var norm = names.Select(n => n.Trim().ToLowerInvariant()).ToArray();
        string found = string.Join(", ", names.Select(n => n.Trim()));

        int? time;
        if (options.TimeColumn is { } tc)
        {
            time = Find(norm, tc) ?? throw NotFound(tc, found, source, headerLine);
        }
        else
        {
            time = First(norm, TimeNames);
            if (time is null && !options.ValuesAreReturns)
                throw new DataValidationException(
                    $"no time column (expected one of: {string.Join(", ", TimeNames)}); columns found: {found}",
                    file: source, line: headerLine);
        }

        int value;
        if (options.Column is { } vc)
        {
            value = Find(norm, vc) ?? throw NotFound(vc, found, source, headerLine);
        }
        else
        {
            int? v = First(norm, ValueNames);
            if (v is null && options.ValuesAreReturns)
            {
                v = First(norm, ReturnNames);
                if (v is null)
                {
                    var numeric = Enumerable.Range(0, norm.Length)
                        .Where(i => i != time && !IndexNames.Contains(norm[i]) && isNumeric(i)).ToList();
                    if (numeric.Count == 1) v = numeric[0];
                }
            }
            value = v ?? throw new DataValidationException(
                $"no value column (expected one of: {string.Join(", ", options.ValuesAreReturns ? [.. ValueNames, .. ReturnNames] : ValueNames)}, "
                + $"or name it with --column); columns found: {found}",
                file: source, line: headerLine);
        }
        if (time == value)
            throw new DataValidationException($"the time and value columns are the same column '{names[value].Trim()}'",
                file: source, line: headerLine, field: names[value].Trim());
        return new PriceColumns(time, value);
    }

    private static int? Find(string[] norm, string name)
    {
        int i = Array.IndexOf(norm, name.Trim().ToLowerInvariant());
        return i < 0 ? null : i;
    }

    private static int? First(string[] norm, string[] candidates)
    {
        foreach (var c in candidates)
            if (Find(norm, c) is int i) return i;
        return null;
    }

    private static DataValidationException NotFound(string name, string found, string source, int headerLine) =>
        new($"column not found; columns found: {found}", file: source, line: headerLine, field: name);
}
