using CryptoMargin.Data.Prices;
using CryptoMargin.MarketData;

namespace CryptoMargin.Cli;

/// <summary>Reads the --prices file (or the embedded sample) the same way for every command.</summary>
internal static class PriceInput
{
    public static PriceHistory Read(string? path, string? column, bool valuesAreReturns)
    {
        var options = new PriceReadOptions { Column = column, ValuesAreReturns = valuesAreReturns };
        if (path is not null) return PriceHistoryReader.Read(path, options);

        if (valuesAreReturns)
            throw new CliUsageException("--returns needs --prices FILE: the shipped sample holds prices");
        using var stream = SampleData.Open(SampleData.DefaultPrices);
        return PriceHistoryReader.Read(stream, SampleData.DisplayName(SampleData.DefaultPrices), PriceFileFormat.Csv, options);
    }

    public static CleaningPolicy ParsePolicy(string text) => text.ToLowerInvariant() switch
    {
        "keep" => CleaningPolicy.Keep,
        "winsorize" => CleaningPolicy.Winsorize,
        "drop" => CleaningPolicy.Drop,
        _ => throw new CliUsageException($"--clean must be keep, winsorize or drop, not '{text}'"),
    };

    public static string Name(this CleaningPolicy policy) => policy switch
    {
        CleaningPolicy.Keep => "keep",
        CleaningPolicy.Winsorize => "winsorize",
        _ => "drop",
    };
}
