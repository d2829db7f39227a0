using CryptoMargin.Data.Prices;

namespace CryptoMargin.Cli.Tests;

public class ParquetInputTests
{
    [Fact]
    public void FitOnParquetEqualsFitOnTheSameCsv()
    {
        using var dir = new TempDir();
        var csv = RepoPaths.Sample("eth-usd-daily.csv");
        var history = PriceHistoryReader.Read(csv, PriceReadOptions.Default);
        var parquet = Path.Combine(dir.Path, "eth.parquet");
        ParquetPriceWriter.Write(history.Series, parquet);

        var fromCsv = CliRun.Of("fit-returns", "--prices", csv, "--dist", "t", "--json").Json();
        var fromParquet = CliRun.Of("fit-returns", "--prices", parquet, "--dist", "t", "--json").Json();
        Assert.Equal(fromCsv.GetProperty("n").GetInt32(), fromParquet.GetProperty("n").GetInt32());
        Assert.Equal(fromCsv.GetProperty("parameters").GetRawText(), fromParquet.GetProperty("parameters").GetRawText());
        Assert.Equal(fromCsv.GetProperty("logLikelihood").GetDouble(), fromParquet.GetProperty("logLikelihood").GetDouble());
    }
}
