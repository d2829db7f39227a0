using System.Globalization;
using CryptoMargin.Pricing;

namespace CryptoMargin.Cli.Tests;

public class ImpliedVolCommandTests
{
    private static double Price(double f, double k, double t, double sigma, OptionType type) => Black76.Price(f, k, t, sigma, type);

    private static string R(double x) => x.ToString("E17", CultureInfo.InvariantCulture);

    [Fact]
    public void SolvesEachRowAndPassesExtraColumnsThroughInOrder()
    {
        using var dir = new TempDir();
        // Prices from the library's Black-76 at known σ (exponent notation), a discounted row, and rows outside the bounds.
        string csv = "id,forward,strike,t,price,type,discount\n" +
                     $"a,100,120,0.5,{R(Price(100, 120, 0.5, 0.8, OptionType.Call))},call,\n" +
                     $"b,100,80,2,{R(Price(100, 80, 2, 0.3, OptionType.Put) * 0.9)},put,0.9\n" +
                     "c,100,90,1,5,call,\n" +       // below intrinsic 10
                     "d,100,90,1,100,call,\n" +     // at the maximum F
                     "e,-1,90,1,5,put,\n";
        var input = dir.Write("chain.csv", csv);
        var output = Path.Combine(dir.Path, "out", "iv.csv");
        var run = CliRun.Of("implied-vol", "--input", input, "--output", output);
        Assert.Equal(0, run.ExitCode);
        Assert.Equal("", run.Stdout);
        var lines = File.ReadAllLines(output);
        Assert.Equal("id,forward,strike,t,price,type,discount,impliedVol,reason", lines[0]);
        Assert.Equal(6, lines.Length);
        var cells = lines.Skip(1).Select(l => l.Split(',')).ToArray();
        Assert.Equal(["a", "b", "c", "d", "e"], cells.Select(c => c[0]));
        Assert.Equal(0.8, double.Parse(cells[0][7], CultureInfo.InvariantCulture), 1e-13);
        Assert.Equal(0.3, double.Parse(cells[1][7], CultureInfo.InvariantCulture), 1e-13);
        Assert.Equal(["solved", "solved", "belowIntrinsic", "aboveMaximum", "nonPositiveForward"], cells.Select(c => c[8]));
        Assert.Equal("", cells[2][7]);
    }

    [Fact]
    public void WithoutOutputTheCsvGoesToStdoutAndJsonSummarises()
    {
        using var dir = new TempDir();
        var input = dir.Write("c.csv", $"forward,strike,t,price,type\n50000,60000,0.25,{R(Price(50000, 60000, 0.25, 0.65, OptionType.Call))},CALL\n50000,60000,0.25,-3,put\n");
        var run = CliRun.Of("implied-vol", "--input", input);
        Assert.Equal(0, run.ExitCode);
        var lines = run.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, lines.Length);
        Assert.Equal(0.65, double.Parse(lines[1].Split(',')[5], CultureInfo.InvariantCulture), 1e-13);

        var json = CliRun.Of("implied-vol", "--input", input, "--json");
        Assert.Equal(0, json.ExitCode);
        var j = json.Json();
        Assert.Equal(2, j.GetProperty("rows").GetInt32());
        Assert.Equal(1, j.GetProperty("solved").GetInt32());
        Assert.Equal(1, j.GetProperty("reasons").GetProperty("negativePrice").GetInt32());
        var results = j.GetProperty("results");
        Assert.Equal(2, results[0].GetProperty("line").GetInt32());
        Assert.Equal(0.65, results[0].GetProperty("impliedVol").GetDouble(), 1e-13);
        Assert.Equal(System.Text.Json.JsonValueKind.Null, results[1].GetProperty("impliedVol").ValueKind);
    }

    [Theory]
    [InlineData("forward,strike,t,price,type\n100,100,1,abc,call\n", 2, "price", "cannot parse 'abc'")]
    [InlineData("forward,strike,t,price,type\n100,100,1,5,call\n100,100,1,5,straddle\n", 3, "type", "not an option type")]
    [InlineData("forward,strike,t,type\n100,100,1,call\n", 1, "price", "missing column")]
    [InlineData("forward,strike,t,price,type\n100,100,1\n", 2, "price", "missing")]
    public void BadCellsExitTwoNamingFileLineAndField(string content, int line, string field, string what)
    {
        using var dir = new TempDir();
        var input = dir.Write("bad.csv", content);
        var run = CliRun.Of("implied-vol", "--input", input);
        Assert.Equal(2, run.ExitCode);
        Assert.Contains($"{input}:{line}: field '{field}':", run.Stderr);
        Assert.Contains(what, run.Stderr);
        Assert.Equal("", run.Stdout);
    }

    [Fact]
    public void MissingFileExitsTwo()
    {
        var run = CliRun.Of("implied-vol", "--input", "/nonexistent/chain.csv");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("file not found", run.Stderr);
    }
}
