using System.IO.Compression;
using System.Text;
using CryptoMargin.Data.Prices;

namespace CryptoMargin.Data.Tests;

public class AssetColumnTests
{
    [Theory]
    [InlineData("date,symbol,close\n2024-01-01,SOL/USD,101.5\n", "SOL/USD")]
    [InlineData("Date,Asset,Close\n\n2024-01-01, \"DOGE\" ,0.1\n", "DOGE")]
    [InlineData("https://www.cryptodatadownload.com\nunix,date,symbol,open,close\n1,2024-01-01,BTC/USD,1,2\n", "BTC/USD")]
    [InlineData("date,close\n2024-01-01,1\n", null)]
    [InlineData("date,symbol,close\n2024-01-01,,1\n", null)]
    public void FirstDataRowNamesTheAsset(string csv, string? expected) =>
        Assert.Equal(expected, AssetColumn.Find(Encoding.UTF8.GetBytes(csv), PriceFileFormat.Csv));

    [Fact]
    public void ReadsGzip()
    {
        using var buffer = new MemoryStream();
        using (var gz = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
            gz.Write(Encoding.UTF8.GetBytes("date,symbol,close\n2024-01-01,ETHUSDT,3000\n"));
        Assert.Equal("ETHUSDT", AssetColumn.Find(buffer.ToArray(), PriceFileFormat.CsvGzip));
    }
}
