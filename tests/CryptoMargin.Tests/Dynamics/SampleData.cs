using System.Globalization;

namespace CryptoMargin.Tests.Dynamics;

/// <summary>Reads the series shipped in samples/data (see samples/data/PROVENANCE.md).</summary>
internal static class SampleData
{
    public static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "CryptoMargin.slnx"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("CryptoMargin.slnx not found above " + AppContext.BaseDirectory);
    }

    public static double[] Column(string relativePath, string column)
    {
        var lines = File.ReadAllLines(Path.Combine(RepoRoot(), relativePath));
        int index = Array.IndexOf(lines[0].Split(','), column);
        if (index < 0) throw new InvalidOperationException($"no column {column} in {relativePath}");
        return lines.Skip(1).Where(l => l.Length > 0)
            .Select(l => double.Parse(l.Split(',')[index], CultureInfo.InvariantCulture)).ToArray();
    }

    /// <summary>DEM/GBP daily percentage returns, 1,974 observations (Bollerslev–Ghysels 1996).</summary>
    public static double[] DemGbp() => Column("samples/data/dem2gbp.csv", "dem2gbp_pct_return");

    /// <summary>Log returns of the last <paramref name="count"/> + 1 BTC-USD daily closes.</summary>
    public static double[] BtcLogReturns(int count)
    {
        var close = Column("samples/data/btc-usd-daily.csv", "close");
        var last = close[^(count + 1)..];
        var r = new double[count];
        for (int i = 0; i < count; i++) r[i] = Math.Log(last[i + 1] / last[i]);
        return r;
    }
}
