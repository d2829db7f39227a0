using CryptoMargin.Data.Policies;
using CryptoMargin.Margin.Accounts;
using CryptoMargin.Margin.Tiered;
using CryptoMargin.MarketData;

namespace CryptoMargin.Data.Tests.Policies;

/// <summary>The <c>collateral</c> and <c>tiered</c> sections of a policy file: every field, and bad input with file, line and field.</summary>
public class AccountPolicyJsonTests
{
    private const string Valid = """
        {
          "deribitPm": { "price_range": 0.2 },
          "collateral": {
            "mode": "cross",
            "haircuts": {
              "BTC": [ { "upTo": 100000000, "haircut": 0 }, { "upTo": 120000000, "haircut": 0.025 }, { "haircut": 0.05 } ],
              "USDC": [ { "haircut": 0 } ]
            }
          },
          "tiered": {
            "futures": { "BTC": { "initialBase": 0.03, "initialPerCoin": 0.0001, "maintenanceBase": 0.015, "maintenancePerCoin": 0.00005 } },
            "options": { "shortMaintenance": 0.08 },
            "maintenanceBrackets": { "BTC": { "floors": [0, 50000, 250000], "rates": [0.004, 0.005, 0.01] } },
            "openInterest": { "BTC": { "lowerCap": 40000000, "upperCap": 100000000 } },
            "openNotional": { "BTC-PERPETUAL": 1.2e9, "BTC": 5e7 }
          }
        }
        """;

    [Fact]
    public void ReadsEveryField()
    {
        using var dir = new TempFolder();
        var a = AccountPolicyJson.Read(dir.Write("p.json", Valid));
        var c = a.Collateral!;
        Assert.Equal(CollateralMode.Cross, c.Mode);
        var btc = c.Haircuts["BTC"];
        Assert.Equal(3, btc.Count);
        Assert.Equal((100e6, 0.0), (btc.UpTo(0), btc.Haircut(0)));
        Assert.Equal((120e6, 0.025), (btc.UpTo(1), btc.Haircut(1)));
        Assert.Equal((double.PositiveInfinity, 0.05), (btc.UpTo(2), btc.Haircut(2)));
        Assert.Equal(HaircutTierUnit.Usd, btc.Unit);
        // the same tiers as Binance's example up to 120M: 6,000 BTC at 20,000 → 119,500,000 USD
        Assert.Equal(119_500_000, btc.DiscountedValue(6_000, 20_000), 1e-6);

        var t = a.Tiered!;
        Assert.Equal(new FuturesMarginRates(0.03, 0.0001, 0.015, 0.00005), Assert.Single(t.Futures).Value);
        Assert.Equal(OptionMarginRates.Deribit with { ShortMaintenance = 0.08 }, t.Options);
        Assert.Equal(0.01, t.MaintenanceBrackets["BTC"].Rate(2));
        Assert.Equal(new OpenInterestScaling(40e6, 100e6), t.OpenInterest["BTC"]);
        Assert.Equal(1.2e9, a.OpenNotional["BTC-PERPETUAL"]);
        Assert.Equal(5e7, a.OpenNotional["BTC"]);
    }

    [Fact]
    public void AbsentFieldsTakeTheDefaults()
    {
        using var dir = new TempFolder();
        var a = AccountPolicyJson.Read(dir.Write("p.json", """{"collateral": {}, "tiered": {}}"""));
        Assert.Equal(CollateralMode.Segregated, a.Collateral!.Mode);
        Assert.Empty(a.Collateral.Haircuts);
        Assert.Same(TieredMarginParameters.Deribit.Futures, a.Tiered!.Futures);
        Assert.Equal(OptionMarginRates.Deribit, a.Tiered.Options);
        Assert.Empty(a.OpenNotional);
    }

    [Theory]
    [InlineData("""{"collateral": {"mode": "cros"}}""", 1, "collateral.mode", "neither")]
    [InlineData("""{"collateral": {"haircut": {}}}""", 1, "collateral.haircut", "unknown field")]
    [InlineData("{\n\"collateral\": {\"haircuts\": {\"BTC\": [\n{\"haircut\": -0.1}]}}}", 3, "collateral.haircuts.BTC[0].haircut", "outside [0, 1]")]
    [InlineData("{\n\"collateral\": {\"haircuts\": {\"BTC\": [\n{\"haircut\": 1.5}]}}}", 3, "collateral.haircuts.BTC[0].haircut", "outside [0, 1]")]
    [InlineData("{\n\"collateral\": {\"haircuts\": {\"BTC\": [\n{\"haircut\": \"0.1\"}]}}}", 3, "collateral.haircuts.BTC[0].haircut", "expected a number")]
    [InlineData("{\n\"collateral\": {\"haircuts\": {\n\"BTC\": [{\"upTo\": 10, \"haircut\": 0}, {\"upTo\": 5, \"haircut\": 0.1}]}}}", 3, "collateral.haircuts.BTC[1].upTo", "tiers must increase")]
    [InlineData("{\n\"collateral\": {\"haircuts\": {\n\"BTC\": [{\"upTo\": 10, \"haircut\": 0.2}, {\"upTo\": 50, \"haircut\": 0.1}]}}}", 3, "collateral.haircuts.BTC[1].haircut", "must not shrink")]
    [InlineData("{\n\"collateral\": {\"haircuts\": {\n\"btc\": []}}}", 3, "collateral.haircuts.btc", "not an asset")]
    [InlineData("{\n\"collateral\": {\"haircuts\": {\n\"BTC\": 0.1}}}", 3, "collateral.haircuts.BTC", "array of tiers")]
    [InlineData("{\"collateral\": {}, \n\"colateral\": {}}", 2, "colateral", "unknown field")]
    [InlineData("{\"tiered\": {\n\"futures\": {\"BTC\": {\"initialBase\": 0.02, \"initialPerCoin\": 0, \"maintenanceBase\": 0.03, \"maintenancePerCoin\": 0}}}}", 2, "tiered.futures.BTC.maintenanceBase", "above initialBase")]
    [InlineData("{\"tiered\": {\n\"futures\": {\"BTC\": {\"initialBase\": 0.02}}}}", 2, "tiered.futures.BTC.initialPerCoin", "is missing")]
    [InlineData("{\"tiered\": {\"maintenanceBrackets\": {\n\"BTC\": {\"floors\": [0, 100, 50], \"rates\": [0.01, 0.02, 0.03]}}}}", 2, "tiered.maintenanceBrackets.BTC", "above the previous floor")]
    [InlineData("{\"tiered\": {\"openInterest\": {\"BTC\": {\"lowerCap\": 10,\n\"upperCap\": 5}}}}", 2, "tiered.openInterest.BTC.upperCap", "is outside")]
    [InlineData("{\"tiered\": {\"openNotional\": {\n\"BTC-29MAY26-85000-C\": 1e6}}}", 2, "tiered.openNotional.BTC-29MAY26-85000-C", "neither a future")]
    [InlineData("{\"tiered\": {\"openNotional\": {\n\"BTC-PERPETUAL\": -1}}}", 2, "tiered.openNotional.BTC-PERPETUAL", "is outside")]
    [InlineData("{\"tiered\": {\"option\": {}}}", 1, "tiered.option", "unknown field")]
    public void BadSectionsNameFileLineAndField(string json, int line, string field, string reason)
    {
        using var dir = new TempFolder();
        string path = dir.Write("bad.json", json);
        var e = Assert.Throws<DataValidationException>(() => AccountPolicyJson.Read(path));
        Assert.Equal((path, line, field), (e.File, e.Line, e.Field));
        Assert.Contains(reason, e.Reason, StringComparison.Ordinal);
    }
}
