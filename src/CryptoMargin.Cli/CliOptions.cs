using System.CommandLine;

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
}
