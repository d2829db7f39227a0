using CryptoMargin.Data.Markets;
using CryptoMargin.Data.Portfolios;
using CryptoMargin.Margin.DeribitPm;

namespace CryptoMargin.Cli.Tests.Margin;

/// <summary>
/// <c>--vols svi|marks|svi-marks</c> on <c>margin</c>, <c>whatif</c> and <c>calibrate-grid</c>: an unknown value is bad
/// input (exit 2, one clear message); each source gives the margin the library computes on the market loaded with that
/// source; the default is <c>svi</c>.
/// </summary>
public class VolsOptionTests
{
    [Theory]
    [InlineData("margin")]
    [InlineData("whatif", "--trade", "BTC-PERPETUAL:100")]
    [InlineData("calibrate-grid")]
    public void AnUnknownVolSourceExitsTwoNamingTheChoices(string command, params string[] extra)
    {
        using var dir = new TempDir();
        string[] args = command == "calibrate-grid"
            ? [command, "--vols", "smile", "--out", dir.Path, "--json"]
            : [command, .. extra, "--vols", "smile", "--json"];
        var run = CliRun.Of(args);
        Assert.Equal(2, run.ExitCode);
        Assert.Equal("error: --vols must be svi, marks, svi-marks, not 'smile'", run.Stderr.Trim());
        Assert.Equal("", run.Stdout);
    }

    /// <summary>
    /// Deribit-PM initial margin of the BTC book through the CLI equals Deribit-PM computed directly on the market loaded
    /// with the same source; no <c>--vols</c> is <c>svi</c>; <c>marks</c> gives a different figure.
    /// </summary>
    [Fact]
    public void EachSourceGivesTheMarginOnTheMarketLoadedWithIt()
    {
        var margins = new Dictionary<string, double>();
        foreach (var name in VolSources.Names)
        {
            var run = CliRun.Of("margin", "--model", "deribit-pm", "--market", MarginCommandTests.MarketPath, "--vols", name, "--json");
            Assert.True(run.ExitCode == 0, run.Stderr);
            Assert.True(VolSources.TryParse(name, out var source));
            var market = MarketSnapshotLoader.Load(MarginCommandTests.MarketPath, source);
            var book = PortfolioReader.Read(MarginCommandTests.PortfolioPath("btc-options-book.json"), market);
            double expected = new DeribitPortfolioMargin().Compute(book, market.Snapshot).Single().InitialMargin;
            margins[name] = run.Json().GetProperty("initialMargin").GetDouble();
            Assert.Equal(expected, margins[name], 12);
        }
        var plain = CliRun.Of("margin", "--model", "deribit-pm", "--market", MarginCommandTests.MarketPath, "--json");
        Assert.Equal(margins["svi"], plain.Json().GetProperty("initialMargin").GetDouble(), 15);
        Assert.NotEqual(margins["svi"], margins["marks"], 6);
    }

    /// <summary>The 16APR26 expiry has no SVI slice (the cleaner drops it) but has a marks smile: a position in it is bad input only under svi.</summary>
    [Fact]
    public void TheNearestExpiryIsOfTheSnapshotUnderMarks()
    {
        using var dir = new TempDir();
        string book = dir.Write("near.json", """{"accountCurrency": "BTC", "collateral": {"BTC": 1}, "positions": [{"instrument": "BTC-16APR26-72000-P", "size": -1}]}""");
        var svi = CliRun.Of("margin", "--model", "deribit-pm", "--portfolio", book, "--json");
        Assert.Equal(2, svi.ExitCode);
        Assert.Contains("no fitted volatility", svi.Stderr, StringComparison.Ordinal);
        var marks = CliRun.Of("margin", "--model", "deribit-pm", "--portfolio", book, "--vols", "marks", "--json");
        Assert.True(marks.ExitCode == 0, marks.Stderr);
        Assert.True(marks.Json().GetProperty("initialMargin").GetDouble() > 0);
    }
}
