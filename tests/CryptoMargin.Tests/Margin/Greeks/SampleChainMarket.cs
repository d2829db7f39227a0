using System.Globalization;
using System.IO.Compression;
using CryptoMargin.MarketData;
using CryptoMargin.Surfaces;

namespace CryptoMargin.Tests.Margin.Greeks;

/// <summary>
/// A <see cref="MarketSnapshot"/> from the shipped Deribit chain (samples/options, 2026-08-22 09:35:36 UTC; columns per
/// its PROVENANCE.md) with the chain's own marks as the surface: per coin and expiry the row's <c>underlying</c> as the
/// forward and Deribit's mark IV at each listed strike (linear in strike between listed strikes, flat beyond). Marks,
/// not a fit, so a listed option is revalued at exactly Deribit's mark vol. Index = the first row's index per coin.
/// </summary>
internal static class SampleChainMarket
{
    private static readonly Lazy<(MarketSnapshot Market, string[] Instruments)?> Loaded = new(Load);

    /// <summary>The snapshot and the option names in the chain, or null where samples/options is absent.</summary>
    public static (MarketSnapshot Market, string[] Instruments)? Get() => Loaded.Value;

    public static string? SamplesFolder()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "samples");
            if (File.Exists(Path.Combine(candidate, "options", "deribit_options_snapshot_20260822T093536Z.csv.gz"))) return candidate;
        }
        return null;
    }

    private static (MarketSnapshot, string[])? Load()
    {
        var folder = SamplesFolder();
        if (folder is null) return null;
        var path = Path.Combine(folder, "options", "deribit_options_snapshot_20260822T093536Z.csv.gz");
        using var reader = new StreamReader(new GZipStream(File.OpenRead(path), CompressionMode.Decompress));
        var header = reader.ReadLine()!.Split(',');
        int Col(string name) => Array.IndexOf(header, name) is var i and >= 0 ? i : throw new InvalidDataException($"no column {name}");
        int cTime = Col("timestamp"), cName = Col("instrument_name"), cUnd = Col("underlying"), cIv = Col("implied_volatility"),
            cExp = Col("expiry_datetime"), cStrike = Col("strike"), cCcy = Col("currency"), cIndex = Col("index_price");
        var index = new Dictionary<string, double>();
        var slices = new Dictionary<string, SortedDictionary<DateTimeOffset, (double Forward, SortedDictionary<double, List<double>> Vols)>>();
        var names = new List<string>();
        DateTimeOffset valuation = default;
        string? line;
        while ((line = reader.ReadLine()) is not null)
        {
            var f = line.Split(',');
            string ccy = f[cCcy];
            valuation = DateTimeOffset.Parse(f[cTime], CultureInfo.InvariantCulture);
            index.TryAdd(ccy, double.Parse(f[cIndex], CultureInfo.InvariantCulture));
            if (!slices.TryGetValue(ccy, out var byExpiry)) slices[ccy] = byExpiry = [];
            var expiry = DateTimeOffset.Parse(f[cExp], CultureInfo.InvariantCulture);
            if (!byExpiry.TryGetValue(expiry, out var slice))
                byExpiry[expiry] = slice = (double.Parse(f[cUnd], CultureInfo.InvariantCulture), new SortedDictionary<double, List<double>>());
            double strike = double.Parse(f[cStrike], CultureInfo.InvariantCulture);
            if (!slice.Vols.TryGetValue(strike, out var list)) slice.Vols[strike] = list = [];
            list.Add(double.Parse(f[cIv], CultureInfo.InvariantCulture));
            names.Add(f[cName]);
        }
        var surfaces = new Dictionary<string, IVolSurface>();
        foreach (var (ccy, byExpiry) in slices)
            surfaces[ccy] = new MarkSurface(byExpiry.Select(e => ((e.Key - valuation).TotalDays / 365.0, e.Value.Forward,
                e.Value.Vols.Keys.ToArray(), e.Value.Vols.Values.Select(v => v.Average()).ToArray())).ToArray());
        return (new MarketSnapshot(valuation, index, new Dictionary<string, double>(), surfaces), names.ToArray());
    }

    /// <summary>Marks per listed expiry; an expiry between two listed ones takes the nearer one's smile (not needed for listed options).</summary>
    private sealed class MarkSurface((double T, double Forward, double[] Strikes, double[] Vols)[] slices) : IVolSurface
    {
        private (double T, double Forward, double[] Strikes, double[] Vols) Nearest(double t) => slices.MinBy(s => Math.Abs(s.T - t));

        public double Forward(double t) => Nearest(t).Forward;

        public double ImpliedVolatility(double strike, double t)
        {
            var s = Nearest(t);
            int j = Array.BinarySearch(s.Strikes, strike);
            if (j >= 0) return s.Vols[j];
            j = ~j;
            if (j == 0) return s.Vols[0];
            if (j == s.Strikes.Length) return s.Vols[^1];
            double u = (strike - s.Strikes[j - 1]) / (s.Strikes[j] - s.Strikes[j - 1]);
            return (1 - u) * s.Vols[j - 1] + u * s.Vols[j];
        }
    }
}
