using System.CommandLine;
using CryptoMargin.Data.Markets;

namespace CryptoMargin.Cli;

/// <summary>Options shared by commands, named as in DESIGN.md's CLI contract.</summary>
internal static class CliOptions
{
    public static Option<string?> Prices() => new("--prices", "--input")
    {
        Description = "Price history file (CSV, CSV.gz or Parquet). Default: the shipped BTC-USD daily sample.",
    };

    public static Option<string?> Column() => new("--column")
    {
        Description = "Value column to use (default: recognised by header: close, price, adj close).",
    };

    public static Option<bool> Json() => new("--json")
    {
        Description = "Print exactly one JSON document on stdout and nothing else there.",
    };

    public static Option<string> Vols() => new("--vols")
    {
        Description = "Where a Deribit snapshot's volatility comes from: svi (default: SVI on the cleaned chain's OTM mark IVs), " +
                      "marks (Deribit's mark IV of every listed strike, interpolated; exact at listed strikes) or svi-marks (SVI on every listed strike's OTM mark IV).",
        DefaultValueFactory = _ => "svi",
    };

    /// <summary>The <c>--vols</c> value as a <see cref="VolSource"/>; an unknown name is a usage error (exit 2).</summary>
    public static VolSource ParseVols(string? text) =>
        VolSources.TryParse(text, out var source) ? source
            : throw new CliUsageException($"--vols must be {string.Join(", ", VolSources.Names)}, not '{text}'");
}
