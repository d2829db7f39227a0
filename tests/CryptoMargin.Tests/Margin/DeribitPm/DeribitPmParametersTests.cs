using System.Text.Json;
using CryptoMargin.Margin.DeribitPm;
using CryptoMargin.MarketData;

namespace CryptoMargin.Tests.Margin.DeribitPm;

public class DeribitPmParametersTests
{
    // The model_params of Deribit's documented private/pme/simulate example response
    // (https://docs.deribit.com/api-reference/account-management/private-simulate), BTC sections, verbatim.
    private const string CurrencyPairBtcUsd = """
        {"extended_table_factor": 1, "m_inc": 0.00005, "min_volatility_for_shock_up": 0.5, "max_delta_shock": 0.1,
         "delta_total_liq_shock_threshold": 20000000, "volatility_range_down": 0.25, "volatility_range_up": 0.5,
         "long_term_vega_power": 0.13, "short_term_vega_power": 0.3, "price_range": 0.16}
        """;
    private const string CurrencyBtc = """
        {"max_offsetable_pnl": 0, "annualised_move_risk": 0.075, "extended_dampener": 100000, "min_annualised_move": 0.01,
         "haircut": 0, "equity_side_impact": "both", "pnl_offset": 0, "correlation_set": false}
        """;
    private const string General = """{"mm_factor": 0.8, "buckets_count": 4, "vol_scenarios_count": 3, "timestamp": 1718619740501}""";

    [Fact]
    public void PublishedSimulateParametersReadUnderTheirOwnNamesAndAreTheDefaults()
    {
        // Every numeric model parameter of the published example that the model uses appears, under the same name and
        // with the same value, in the serialised defaults; and reading a published section sets those fields.
        using var ours = JsonDocument.Parse(JsonSerializer.Serialize(DeribitPmParameters.Default));
        string[] unused = ["m_inc", "haircut", "equity_side_impact", "correlation_set", "timestamp"];
        int matched = 0;
        foreach (var section in new[] { CurrencyPairBtcUsd, CurrencyBtc, General })
        {
            using var published = JsonDocument.Parse(section);
            foreach (var field in published.RootElement.EnumerateObject())
            {
                if (unused.Contains(field.Name)) continue;
                Assert.True(ours.RootElement.TryGetProperty(field.Name, out var mine), $"no field '{field.Name}'");
                Assert.Equal(field.Value.GetDouble(), mine.GetDouble());
                matched++;
            }
        }
        Assert.Equal(17, matched);
        var pair = JsonSerializer.Deserialize<DeribitPmParameters>(CurrencyPairBtcUsd.Replace("0.16", "0.2").Replace("20000000", "1000"))!;
        Assert.Equal(0.2, pair.PriceRange);
        Assert.Equal(1000, pair.DeltaTotalLiqShockThreshold);
    }

    [Fact]
    public void SerialisesUnderSnakeCaseNamesAndRoundTrips()
    {
        var p = DeribitPmParameters.Default with { PriceRange = 0.2, BucketsCount = 5, PnlOffset = 0.5 };
        string json = JsonSerializer.Serialize(p);
        using var doc = JsonDocument.Parse(json);
        foreach (var name in new[] { "price_range", "buckets_count", "vol_scenarios_count", "volatility_range_up", "volatility_range_down",
                     "short_term_vega_power", "long_term_vega_power", "min_volatility_for_shock_up", "extended_table_factor",
                     "extended_dampener", "max_delta_shock", "delta_total_liq_shock_threshold", "annualised_move_risk",
                     "min_annualised_move", "pnl_offset", "max_offsetable_pnl", "mm_factor" })
            Assert.True(doc.RootElement.TryGetProperty(name, out _), name);
        Assert.False(doc.RootElement.TryGetProperty("StandardScenarioCount", out _));
        var back = JsonSerializer.Deserialize<DeribitPmParameters>(json)!;
        Assert.Equal(p with { ExtendedMoves = [] }, back with { ExtendedMoves = [] });
        Assert.Equal(p.ExtendedMoves, back.ExtendedMoves);
    }

    [Theory]
    [InlineData("price_range")]
    [InlineData("buckets_count")]
    [InlineData("vol_scenarios_count")]
    [InlineData("mm_factor")]
    [InlineData("extended_moves")]
    public void AnOutOfRangeFieldIsNamed(string field)
    {
        var p = field switch
        {
            "price_range" => DeribitPmParameters.Default with { PriceRange = -0.1 },
            "buckets_count" => DeribitPmParameters.Default with { BucketsCount = 0 },
            "vol_scenarios_count" => DeribitPmParameters.Default with { VolScenariosCount = 2 },
            "mm_factor" => DeribitPmParameters.Default with { MmFactor = 1.5 },
            _ => DeribitPmParameters.Default with { ExtendedMoves = [-1.2] },
        };
        var ex = Assert.Throws<DataValidationException>(p.Validate);
        Assert.Equal(field, ex.Field);
        Assert.Contains(field, ex.Message);
        Assert.Throws<DataValidationException>(() => new DeribitPortfolioMargin(p));
    }
}
