using CryptoMargin.Calibration;
using CryptoMargin.Data.Policies;
using CryptoMargin.Margin;
using CryptoMargin.MarketData;
using CryptoMargin.Risk;

namespace CryptoMargin.Data.Tests.Policies;

public class CalibrationConfigJsonTests
{
    [Fact]
    public void EmptyObjectGivesTheDefaults()
    {
        using var tmp = new TempFolder();
        var config = CalibrationConfigJson.Read(tmp.Write("c.json", "{}"));
        var d = new CalibrationConfig();
        Assert.Equal(d.Confidence, config.Confidence);
        Assert.Equal(d.MporDays, config.MporDays);
        Assert.Equal(d.Methods, config.Methods);
        Assert.Equal(d.ApcOptions, config.ApcOptions);
        Assert.Equal(d.Max30DayIncrease, config.Max30DayIncrease);
    }

    [Fact]
    public void FieldsOverrideTheDefaults()
    {
        using var tmp = new TempFolder();
        var path = tmp.Write("c.json", """
            {
              "confidence": 0.995,
              "mporDays": 3,
              "methods": ["hs", "t"],
              "lookbackDays": [365, 730],
              "lambdas": [0.97],
              "apcOptions": [{"buffer": 0.3}, {"stressWeight": 0.25, "floor": true}],
              "maxDailyIncrease": 0.2,
              "maxPeakToTrough": 5,
              "max30DayIncrease": null,
              "holdoutFrom": "2023-01-01",
              "reestimationDays": 5,
              "tiers": {"impactCoefficient": 0.8, "maxNotionals": [1000000, 5000000]}
            }
            """);
        var c = CalibrationConfigJson.Read(path);
        Assert.Equal(0.995, c.Confidence);
        Assert.Equal(3, c.MporDays);
        Assert.Equal([RiskMethod.Historical, RiskMethod.StudentT], c.Methods);
        Assert.Equal([365, 730], c.LookbackDays);
        Assert.Equal([0.97], c.Lambdas);
        Assert.Equal([new AntiProcyclicality { Buffer = 0.3 }, new AntiProcyclicality { StressWeight = 0.25, Floor = true }], c.ApcOptions);
        Assert.Equal(0.2, c.MaxDailyIncrease);
        Assert.Equal(5, c.MaxPeakToTrough);
        Assert.Null(c.Max30DayIncrease);
        Assert.Equal(new DateOnly(2023, 1, 1), c.HoldoutFrom);
        Assert.Equal(5, c.ReestimationDays);
        Assert.Equal(0.8, c.Tiers.ImpactCoefficient);
        Assert.Equal([1e6, 5e6], c.Tiers.MaxNotionals);
    }

    [Theory]
    [InlineData("{\n  \"confidence\": 1.5\n}", "confidence", 2)]
    [InlineData("{\n  \"mporDays\": -2\n}", "mporDays", 2)]
    [InlineData("{\n  \"methods\": [\"hs\",\n    \"garch\"]\n}", "methods[1]", 3)]
    [InlineData("{\n  \"lookbackDays\": [1]\n}", "lookbackDays[0]", 2)]
    [InlineData("{\n  \"apcOptions\": [\n    {\"buffer\": 0.1}\n  ]\n}", "apcOptions[0].buffer", 3)]
    [InlineData("{\n  \"apcOptions\": [\n    {\"bufer\": 0.3}\n  ]\n}", "apcOptions[0].bufer", 3)]
    [InlineData("{\n  \"confidense\": 0.99\n}", "confidense", 2)]
    [InlineData("{\n  \"holdoutFraction\": 0\n}", "holdoutFraction", 2)]
    [InlineData("{\n  \"tiers\": {\"impactCoefficient\": 1, \"maxNotionals\": [5, 1]}\n}", "tiers.maxNotionals[1]", 2)]
    public void InvalidFieldIsNamedWithItsLine(string json, string field, int line)
    {
        using var tmp = new TempFolder();
        var path = tmp.Write("config.json", json);
        var e = Assert.Throws<DataValidationException>(() => CalibrationConfigJson.Read(path));
        Assert.Equal(field, e.Field);
        Assert.Equal(line, e.Line);
    }
}
