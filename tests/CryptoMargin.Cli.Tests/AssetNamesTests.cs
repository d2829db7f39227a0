namespace CryptoMargin.Cli.Tests;

public class AssetNamesTests
{
    [Theory]
    [InlineData("sol-usd_daily_2020-04-10_2025-11-20.csv", "SOL")]
    [InlineData("/data/btc-usd-daily.csv", "BTC")]
    [InlineData("ETH.parquet", "ETH")]
    [InlineData("doge_usdt.csv.gz", "DOGE")]
    public void LeadingTokenUpperCased(string path, string expected) => Assert.Equal(expected, AssetNames.FromFileName(path));

    [Fact]
    public void NoTokenIsAUsageError() => Assert.Throws<CliUsageException>(() => AssetNames.FromFileName("_x.csv"));
}
