namespace CryptoMargin.Cli.Tests;

/// <summary>
/// Bad input: a clear message on stderr naming file (and line and field where there is one), exit code 2,
/// nothing on stdout. One test per case listed in issue 2.
/// </summary>
public class BadInputTests
{
    private static string Prices(int n, Func<int, string>? value = null)
    {
        var lines = new List<string> { "date,close" };
        var day = new DateTime(2024, 1, 1);
        var rng = new Random(7);
        double p = 100;
        for (int i = 0; i < n; i++)
        {
            p *= Math.Exp(0.02 * (rng.NextDouble() - 0.5));
            lines.Add($"{day.AddDays(i):yyyy-MM-dd},{value?.Invoke(i) ?? p.ToString("R", System.Globalization.CultureInfo.InvariantCulture)}");
        }
        return string.Join('\n', lines) + "\n";
    }

    [Theory]
    [InlineData("fit-returns")]
    [InlineData("validate")]
    public void MissingFile(string command)
    {
        using var dir = new TempDir();
        var path = Path.Combine(dir.Path, "nope.csv");
        var run = CliRun.Of(command, "--prices", path);
        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith(path + ":", run.Stderr);
        Assert.Contains("not found", run.Stderr);
        Assert.Equal("", run.Stdout);
    }

    [Theory]
    [InlineData("fit-returns")]
    [InlineData("validate")]
    public void EmptyFile(string command)
    {
        using var dir = new TempDir();
        var path = dir.Write("empty.csv", "");
        var run = CliRun.Of(command, "--prices", path);
        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith(path + ":", run.Stderr);
        Assert.Contains("empty", run.Stderr);
        Assert.Equal("", run.Stdout);
    }

    [Theory]
    [InlineData("fit-returns")]
    [InlineData("validate")]
    public void HeaderOnly(string command)
    {
        using var dir = new TempDir();
        var path = dir.Write("header.csv", "date,close\n");
        var run = CliRun.Of(command, "--prices", path);
        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith(path + ":", run.Stderr);
        Assert.Contains("no data rows", run.Stderr);
        Assert.Equal("", run.Stdout);
    }

    [Fact]
    public void NonNumericValueNamesFileLineAndField()
    {
        using var dir = new TempDir();
        // Data row 37 (0-based 36) is on physical line 38: the header is line 1.
        var path = dir.Write("bad.csv", Prices(300, i => i == 36 ? "abc" : null!));
        var run = CliRun.Of("fit-returns", "--prices", path);
        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith($"{path}:38: field 'close': ", run.Stderr);
        Assert.Contains("abc", run.Stderr);
        Assert.Equal("", run.Stdout);
    }

    [Fact]
    public void ValidateListsTheNonNumericValueAndExitsZero()
    {
        using var dir = new TempDir();
        var path = dir.Write("bad.csv", Prices(300, i => i == 36 ? "abc" : null!));
        var run = CliRun.Of("validate", "--prices", path, "--json");
        Assert.Equal(0, run.ExitCode);
        var json = run.Json();
        var finding = Assert.Single(json.GetProperty("findings").EnumerateArray(), f => f.GetProperty("kind").GetString() == "unparsable");
        Assert.Equal(38, finding.GetProperty("line").GetInt32());
        Assert.Equal("close", finding.GetProperty("field").GetString());
    }

    [Theory]
    [InlineData("garch")]
    [InlineData("gjr")]
    [InlineData("ewma")]
    public void TooFewObservationsForTheModel(string model)
    {
        using var dir = new TempDir();
        var path = dir.Write("short.csv", Prices(12));
        var run = CliRun.Of("fit-returns", "--prices", path, "--model", model);
        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith(path + ":", run.Stderr);
        Assert.Contains("too few", run.Stderr);
        Assert.Equal("", run.Stdout);
    }

    [Fact]
    public void AllEqualPrices()
    {
        using var dir = new TempDir();
        var path = dir.Write("flat.csv", Prices(400, _ => "100.0"));
        var run = CliRun.Of("fit-returns", "--prices", path);
        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith(path + ":", run.Stderr);
        Assert.Contains("constant", run.Stderr);
        Assert.Equal("", run.Stdout);
    }

    [Fact]
    public void NonPositivePriceIsAnError()
    {
        using var dir = new TempDir();
        var path = dir.Write("neg.csv", Prices(300, i => i == 99 ? "-5" : null!));
        var run = CliRun.Of("fit-returns", "--prices", path);
        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith($"{path}:101: field 'close': ", run.Stderr);
    }

    [Fact]
    public void UnknownColumnListsTheColumns()
    {
        using var dir = new TempDir();
        var path = dir.Write("p.csv", Prices(300));
        var run = CliRun.Of("fit-returns", "--prices", path, "--column", "mid");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("mid", run.Stderr);
        Assert.Contains("close", run.Stderr);
    }

    [Fact]
    public void UnknownModelIsAUsageError()
    {
        var run = CliRun.Of("fit-returns", "--model", "arima");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("arima", run.Stderr);
        Assert.Equal("", run.Stdout);
    }

    [Fact]
    public void BayesRejectsEwma()
    {
        var run = CliRun.Of("fit-returns", "--model", "ewma", "--method", "bayes");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("ewma", run.Stderr);
    }
}
