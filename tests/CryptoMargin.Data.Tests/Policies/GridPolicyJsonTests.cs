using CryptoMargin.Calibration.Grid;
using CryptoMargin.Data.Policies;
using CryptoMargin.MarketData;

namespace CryptoMargin.Data.Tests.Policies;

public class GridPolicyJsonTests
{
    private static GridPolicy Policy()
    {
        // Fits of exact points of two known laws (so the fit statistics are those of a real fit).
        TermShockFitResult Fit(TermShockLaw law)
        {
            var days = TenorGrid.StandardDays.ToArray();
            return TermShockFit.Fit(days, days.Select(law.Shock).ToArray());
        }
        var up = Fit(new TermShockLaw(0.23, 0.52, 0.68));
        var down = Fit(new TermShockLaw(0.11, 0.49, 0.55));
        return new GridPolicy(0.99, 2, 2, 0.999,
            [new GridCoinParameters("BTC", 0.132, "historical ES", 0.174, "EVT", up, down)],
            new GridSources("samples/grid/deribit-vol-history.csv (embedded)", 472, new DateOnly(2025, 12, 30), new DateOnly(2026, 8, 22),
                ["samples/data/btc-usd-daily.csv (embedded)"], null));
    }

    [Fact]
    public void RoundTrips()
    {
        using var folder = new TempFolder();
        var path = folder.File("policy.json");
        var policy = Policy();
        GridPolicyJson.Write(policy, path);
        var back = GridPolicyJson.Read(path);
        Assert.Equal(policy.Confidence, back.Confidence);
        Assert.Equal(policy.MporDays, back.MporDays);
        Assert.Equal(policy.ExtendedConfidence, back.ExtendedConfidence);
        Assert.Equal(policy.Sources.First, back.Sources.First);
        Assert.Equal(policy.Sources.Prices, back.Sources.Prices);
        var c = Assert.Single(back.Coins);
        Assert.Equal(policy.Coins[0].VolUp.Law, c.VolUp.Law);
        Assert.Equal(policy.Coins[0].VolDown.Law, c.VolDown.Law);
        Assert.Equal(0.132, c.PriceRange);
        Assert.Equal(File.ReadAllBytes(path), GridPolicyJson.ToUtf8(back));
    }

    [Theory]
    [InlineData("\"priceRange\": 0.132", "\"priceRange\": 1.5", "grid.coins[0].priceRange", "in (0, 1)")]
    [InlineData("\"kUp\": 0.23", "\"kUp\": 0.3", "grid.coins[0].kUp", "must equal volShockUp")]
    [InlineData("\"mporDays\": 2", "\"mporDays\": 2, \"typo\": 1", "grid.typo", "unknown field")]
    public void AnInvalidFieldIsNamedWithItsLine(string from, string to, string field, string reason)
    {
        using var folder = new TempFolder();
        var text = System.Text.Encoding.UTF8.GetString(GridPolicyJson.ToUtf8(Policy()));
        Assert.Contains(from, text);
        var path = folder.Write("policy.json", text.Replace(from, to));
        var e = Assert.Throws<DataValidationException>(() => GridPolicyJson.Read(path));
        Assert.Equal(field, e.Field);
        Assert.Equal(path, e.File);
        Assert.NotNull(e.Line);
        Assert.Contains(reason, e.Reason);
    }
}
