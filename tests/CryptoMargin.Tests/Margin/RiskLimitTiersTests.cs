using CryptoMargin.Margin;

namespace CryptoMargin.Tests.Margin;

public class RiskLimitTiersTests
{
    [Fact]
    public void AddOnIsTheSquareRootLawAtEachTierBound()
    {
        // IM 10%, MM 5%, σ = 4%/day, ADV = 1e9 USD, k = 1.
        // Q = 1e6: add-on = 0.04·√0.001 = 0.001264911064; Q = 1e7: 0.04·√0.01 = 0.004; Q = 1e8: 0.04·√0.1 = 0.01264911064
        var tiers = RiskLimitTiers.Build(0.10, 0.05, 0.04, 1e9, new TierSettings(1.0, [1e6, 1e7, 1e8]));
        Assert.Equal(3, tiers.Count);
        Assert.Equal(1e6, tiers[0].MaxNotional);
        Assert.Equal(0.101264911064, tiers[0].InitialMarginRate, 1e-11);
        Assert.Equal(0.104, tiers[1].InitialMarginRate, 1e-12);
        Assert.Equal(0.11264911064, tiers[2].InitialMarginRate, 1e-11);
        // MM keeps MM/IM = 0.5
        Assert.Equal(0.052, tiers[1].MaintenanceMarginRate, 1e-12);
        Assert.Equal(0.05632455532, tiers[2].MaintenanceMarginRate, 1e-11);
    }

    [Fact]
    public void ImpactCoefficientScalesTheAddOn()
    {
        // k = 2.5, σ = 0.05, Q/ADV = 0.04: add-on = 2.5·0.05·0.2 = 0.025
        var tiers = RiskLimitTiers.Build(0.2, 0.1, 0.05, 1e8, new TierSettings(2.5, [4e6]));
        Assert.Equal(0.225, tiers[0].InitialMarginRate, 1e-12);
        Assert.Equal(0.1125, tiers[0].MaintenanceMarginRate, 1e-12);
    }

    [Fact]
    public void RatesRiseWithSizeAndStopAtOne()
    {
        var bounds = Enumerable.Range(0, 30).Select(i => 1e5 * Math.Pow(2, i)).ToArray();
        var tiers = RiskLimitTiers.Build(0.08, 0.04, 0.5, 1e6, new TierSettings(1.0, bounds));
        for (int i = 1; i < tiers.Count; i++)
        {
            Assert.True(tiers[i].InitialMarginRate >= tiers[i - 1].InitialMarginRate);
            Assert.True(tiers[i].MaintenanceMarginRate >= tiers[i - 1].MaintenanceMarginRate);
            Assert.True(tiers[i].MaintenanceMarginRate <= tiers[i].InitialMarginRate);
        }
        Assert.Equal(1.0, tiers[^1].InitialMarginRate); // 0.5·√(5e13/1e6) ≫ 1: capped, no leverage
        Assert.Equal(0.5, tiers[^1].MaintenanceMarginRate);
        Assert.True(tiers[0].InitialMarginRate < 1);
    }

    [Fact]
    public void BadSettingsAreRejected()
    {
        Assert.Throws<ArgumentException>(() => RiskLimitTiers.Build(0.1, 0.05, 0.04, 1e9, new TierSettings(1, [1e7, 1e6])));
        Assert.Throws<ArgumentException>(() => RiskLimitTiers.Build(0.1, 0.05, 0.04, 1e9, new TierSettings(1, [])));
        Assert.Throws<ArgumentOutOfRangeException>(() => RiskLimitTiers.Build(0.1, 0.2, 0.04, 1e9, TierSettings.Default));
        Assert.Throws<ArgumentOutOfRangeException>(() => RiskLimitTiers.Build(0.1, 0.05, 0.04, 0, TierSettings.Default));
    }
}
