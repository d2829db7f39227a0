namespace CryptoMargin.Cli.Tests;

public class ValidateCommandTests
{
    [Fact]
    public void EmbeddedBtcSampleIsCleanAndContiguous()
    {
        var run = CliRun.Of("validate", "--json");
        Assert.Equal(0, run.ExitCode);
        var j = run.Json();
        // samples/data/PROVENANCE.md: 4,589 contiguous daily rows 2013-04-29 … 2025-11-20, no gaps or duplicates.
        Assert.Equal(4589, j.GetProperty("rows").GetInt32());
        Assert.Equal("2013-04-29T00:00:00Z", j.GetProperty("start").GetString());
        Assert.Equal("2025-11-20T00:00:00Z", j.GetProperty("end").GetString());
        Assert.Equal("keep", j.GetProperty("cleaningPolicy").GetString());
        Assert.Equal(4589, j.GetProperty("cleanedRows").GetInt32());
        var kinds = j.GetProperty("findings").EnumerateArray().Select(f => f.GetProperty("kind").GetString()).ToHashSet();
        Assert.DoesNotContain("gap", kinds);
        Assert.DoesNotContain("duplicate", kinds);
        Assert.DoesNotContain("unparsable", kinds);
    }

    [Fact]
    public void EveryFindingKindIsReportedWithItsLine()
    {
        using var dir = new TempDir();
        string csv = """
            date,close
            2024-01-01,100
            2024-01-02,101
            2024-01-03,abc
            2024-01-04,NaN
            2024-01-05,-3
            2024-01-05,102
            2024-01-02T06:00:00Z,103
            2024-01-09,104
            2024-01-10,104
            2024-01-11,104
            2024-01-12,104
            2024-01-13,104
            2024-01-14,104
            """;
        var path = dir.Write("messy.csv", csv.Replace("\r", "") + "\n");
        var run = CliRun.Of("validate", "--prices", path, "--json", "--stale-periods", "5");
        Assert.Equal(0, run.ExitCode);
        var findings = run.Json().GetProperty("findings").EnumerateArray()
            .Select(f => (Line: f.GetProperty("line").GetInt32(), Kind: f.GetProperty("kind").GetString())).ToList();
        Assert.Contains((4, "unparsable"), findings);
        Assert.Contains((5, "nonFinite"), findings);
        Assert.Contains((6, "nonPositive"), findings);
        Assert.Contains((7, "duplicate"), findings);
        Assert.Contains((8, "outOfOrder"), findings);
        Assert.Contains(findings, f => f.Kind == "gap");
        Assert.Contains(findings, f => f.Kind == "stale");
    }

    [Fact]
    public void PlantedSpikeIsAnOutlierAndDropRemovesIt()
    {
        using var dir = new TempDir();
        var lines = new List<string> { "date,close" };
        var rng = new Random(3);
        double p = 100;
        for (int i = 0; i < 200; i++)
        {
            p *= Math.Exp(0.01 * (rng.NextDouble() - 0.5));
            double v = i == 120 ? p * 3 : p; // a one-day fat-finger print, line 122
            lines.Add($"{new DateTime(2024, 1, 1).AddDays(i):yyyy-MM-dd},{v.ToString("R", System.Globalization.CultureInfo.InvariantCulture)}");
        }
        var path = dir.Write("spike.csv", string.Join('\n', lines) + "\n");
        var run = CliRun.Of("validate", "--prices", path, "--json", "--clean", "drop");
        Assert.Equal(0, run.ExitCode);
        var j = run.Json();
        var outliers = j.GetProperty("findings").EnumerateArray().Where(f => f.GetProperty("kind").GetString() == "outlier").Select(f => f.GetProperty("line").GetInt32()).ToList();
        Assert.Contains(122, outliers);
        Assert.Equal("drop", j.GetProperty("cleaningPolicy").GetString());
        Assert.Equal(200 - outliers.Count, j.GetProperty("cleanedRows").GetInt32());
    }

    [Fact]
    public void TableModeSummarises()
    {
        var run = CliRun.Of("validate");
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("4589", run.Stdout);
        Assert.Contains("btc-usd-daily.csv", run.Stdout);
    }
}
