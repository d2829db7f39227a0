namespace CryptoMargin.Cli;

/// <summary>The shipped samples, embedded in the CLI so that commands run from any directory and as an installed tool.</summary>
internal static class SampleData
{
    public const string DefaultPrices = "btc-usd-daily.csv";

    public static Stream Open(string name) =>
        typeof(SampleData).Assembly.GetManifestResourceStream("samples/" + name)
        ?? throw new InvalidOperationException($"embedded sample '{name}' is missing from the build");

    /// <summary>How the embedded default is named in messages and reports.</summary>
    public static string DisplayName(string name) => $"samples/data/{name} (embedded)";
}
