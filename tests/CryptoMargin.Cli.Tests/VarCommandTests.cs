namespace CryptoMargin.Cli.Tests;

public class VarCommandTests
{
    [Fact]
    public void DefaultsOnTheEmbeddedBtcSamplePrintTheContractFields()
    {
        var run = CliRun.Of("var", "--json");
        Assert.Equal(0, run.ExitCode);
        var j = run.Json();
        Assert.Equal("hs", j.GetProperty("method").GetString());
        Assert.Equal(0.99, j.GetProperty("confidence").GetDouble());
        Assert.Equal(2, j.GetProperty("horizonDays").GetInt32());
        Assert.Equal("long", j.GetProperty("side").GetString());
        Assert.Equal(4588, j.GetProperty("n").GetInt32());
        double var = j.GetProperty("var").GetDouble(), es = j.GetProperty("es").GetDouble();
        // BTC's 2-day 99% loss is in the high single to low double digits of percent; ES beyond VaR.
        Assert.InRange(var, 0.05, 0.3);
        Assert.True(es > var);
        Assert.Equal("2013-04-29T00:00:00Z", j.GetProperty("start").GetString());
        Assert.Equal("2025-11-20T00:00:00Z", j.GetProperty("end").GetString());
        Assert.Contains("btc-usd-daily.csv", j.GetProperty("source").GetString());
    }

    [Fact]
    public void HsAgreesWithALibraryCallOnTheSameFile()
    {
        var file = RepoPaths.Sample("btc-usd-daily.csv");
        var close = File.ReadAllLines(file).Skip(1).Where(l => l.Length > 0)
            .Select(l => double.Parse(l.Split(',')[4], System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        var r = new double[close.Length - 1];
        for (int i = 0; i < r.Length; i++) r[i] = Math.Log(close[i + 1] / close[i]);
        var expected = CryptoMargin.Risk.HistoricalSimulation.Estimate(r[^365..], 2, 0.975, CryptoMargin.Risk.PositionSide.Short);
        var j = CliRun.Of("var", "--prices", file, "--lookback", "365", "--confidence", "0.975", "--side", "short", "--json").Json();
        Assert.Equal(expected.ValueAtRisk, j.GetProperty("var").GetDouble(), 12);
        Assert.Equal(expected.ExpectedShortfall, j.GetProperty("es").GetDouble(), 12);
        Assert.Equal(365, j.GetProperty("n").GetInt32());
        Assert.Equal(365, j.GetProperty("lookbackDays").GetInt32());
    }

    [Fact]
    public void EvtReportsItsThresholdRule()
    {
        var run = CliRun.Of("var", "--method", "evt", "--json");
        Assert.Equal(0, run.ExitCode);
        var evt = run.Json().GetProperty("evt");
        Assert.Equal(0.9, evt.GetProperty("thresholdQuantile").GetDouble());
        Assert.Equal(458, evt.GetProperty("exceedancesUsed").GetInt32()); // ⌊4587 × 0.1⌋ overlapping 2-day losses
        foreach (var name in new[] { "threshold", "xi", "beta", "thresholdRule" }) Assert.True(evt.TryGetProperty(name, out _), name);
    }

    [Theory]
    [InlineData("normal")]
    [InlineData("t")]
    [InlineData("fhs")]
    public void ModelBasedMethodsReportTheVolatilityUsed(string method)
    {
        var run = CliRun.Of("var", "--method", method, "--side", "short", "--json");
        Assert.Equal(0, run.ExitCode);
        var j = run.Json();
        Assert.Equal(method, j.GetProperty("method").GetString());
        Assert.InRange(j.GetProperty("volatility").GetDouble(), 0.005, 0.2);
        Assert.True(j.GetProperty("es").GetDouble() > j.GetProperty("var").GetDouble());
    }

    [Theory]
    [InlineData("--confidence", "1.5", "--confidence")]
    [InlineData("--confidence", "0.3", "--confidence")]
    [InlineData("--horizon", "0", "--horizon")]
    [InlineData("--lambda", "1.2", "--lambda")]
    public void BadOptionsExitTwoNamingTheOption(string option, string value, string named)
    {
        var run = CliRun.Of("var", option, value, "--json");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains(named, run.Stderr);
        Assert.Equal("", run.Stdout);
    }

    [Fact]
    public void HumanModePrintsATable()
    {
        var run = CliRun.Of("var", "--method", "t");
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("VaR", run.Stdout);
        Assert.Contains("ES", run.Stdout);
    }
}
