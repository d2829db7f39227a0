using CryptoMargin.Data.Policies;
using CryptoMargin.MarketData;

namespace CryptoMargin.Data.Tests.Policies;

/// <summary>The {"policies": [ … ]} bundle that calibrate writes for several assets.</summary>
public class PolicyBundleTests
{
    [Fact]
    public void BundleRoundTripsAndASinglePolicyFileReadsAsOne()
    {
        var dir = Directory.CreateTempSubdirectory("cm-bundle-").FullName;
        try
        {
            var btc = PolicyJsonTests.Policy();
            var eth = btc with { Asset = "ETH", InitialMarginRate = 0.2 };
            var bundle = Path.Combine(dir, "policy.json");
            PolicyJson.WriteAll([btc, eth], bundle);
            var read = PolicyJson.ReadAll(bundle);
            Assert.Equal(["BTC", "ETH"], read.Select(p => p.Asset).ToArray());
            Assert.Equal(0.2, read[1].InitialMarginRate);
            Assert.Equal(PolicyJson.ToUtf8(btc), PolicyJson.ToUtf8(read[0]));

            var single = Path.Combine(dir, "one.json");
            PolicyJson.Write(eth, single);
            Assert.Equal("ETH", Assert.Single(PolicyJson.ReadAll(single)).Asset);
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public void AnInvalidFieldInTheSecondPolicyIsNamedWithItsPathAndLine()
    {
        var dir = Directory.CreateTempSubdirectory("cm-bundle-").FullName;
        try
        {
            var bundle = Path.Combine(dir, "policy.json");
            var btc = PolicyJsonTests.Policy();
            PolicyJson.WriteAll([btc, btc with { Asset = "ETH" }], bundle);
            var lines = File.ReadAllLines(bundle);
            int second = Array.FindIndex(lines, l => l.Contains("\"asset\": \"ETH\""));
            int confidence = Array.FindIndex(lines, second, l => l.Contains("\"confidence\":"));
            lines[confidence] = lines[confidence].Replace("0.99", "1.5");
            File.WriteAllLines(bundle, lines);

            var ex = Assert.Throws<DataValidationException>(() => PolicyJson.ReadAll(bundle));
            Assert.Equal("policies[1].confidence", ex.Field);
            Assert.Equal(confidence + 1, ex.Line);
            Assert.Contains("1.5", ex.Reason);
        }
        finally { Directory.Delete(dir, true); }
    }
}
