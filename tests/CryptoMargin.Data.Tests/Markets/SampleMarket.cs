using System.Globalization;
using System.IO.Compression;
using CryptoMargin.Data.Markets;

namespace CryptoMargin.Data.Tests.Markets;

/// <summary>The shipped market sample (samples/market/PROVENANCE.md), loaded once, and its rows read independently (plain text split).</summary>
internal static class SampleMarket
{
    public static string Folder { get; } = Path.Combine(Repo.Root, "samples", "market");
    public static string SnapshotPath { get; } = Path.Combine(Folder, "deribit_options_snapshot_20260415T102447Z.csv.gz");

    private static readonly Lazy<LoadedMarket> Market = new(() => MarketSnapshotLoader.Load(SnapshotPath));
    public static LoadedMarket Loaded => Market.Value;

    /// <summary>The snapshot's rows as column → text, read without the library's CSV code.</summary>
    public static List<Dictionary<string, string>> Rows() => ReadCsv(ReadText(SnapshotPath));

    public static string ReadText(string path)
    {
        using var file = File.OpenRead(path);
        using Stream s = path.EndsWith(".gz", StringComparison.Ordinal) ? new GZipStream(file, CompressionMode.Decompress) : file;
        using var reader = new StreamReader(s);
        return reader.ReadToEnd();
    }

    public static List<Dictionary<string, string>> ReadCsv(string text)
    {
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var header = lines[0].Split(',');
        return [.. lines.Skip(1).Select(l =>
        {
            var f = l.Split(',');
            var row = new Dictionary<string, string>(StringComparer.Ordinal);
            for (int i = 0; i < header.Length; i++) row[header[i]] = i < f.Length ? f[i] : "";
            return row;
        })];
    }

    public static double D(string s) => double.Parse(s, CultureInfo.InvariantCulture);

    public static double Median(IEnumerable<double> values)
    {
        var v = values.Order().ToArray();
        return v.Length % 2 == 1 ? v[v.Length / 2] : 0.5 * (v[v.Length / 2 - 1] + v[v.Length / 2]);
    }
}
