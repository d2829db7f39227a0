using CryptoMargin.Data.Prices;
using CryptoMargin.MarketData;

namespace CryptoMargin.Data.Tests;

/// <summary>
/// The shipped samples against their provenance (samples/data/PROVENANCE.md): BTC 4589 rows 2013-04-29 … 2025-11-20,
/// ETH 3758 rows 2015-08-08 … 2025-11-20, each contiguous (one row per calendar day, no gaps, no duplicates), no
/// NaN/empty/non-positive prices.
/// </summary>
public class SampleDataTests
{
    private static ValidationReport Validate(string name) =>
        PriceHistoryValidation.Validate(PriceHistoryReader.Read(Repo.Sample(name), PriceReadOptions.Default), ValidationSettings.Default);

    [Theory]
    [InlineData("btc-usd-daily.csv", 4589, "2013-04-29", "2025-11-20")]
    [InlineData("eth-usd-daily.csv", 3758, "2015-08-08", "2025-11-20")]
    public void SampleMatchesItsProvenance(string name, int rows, string start, string end)
    {
        var r = Validate(name);
        Assert.Equal(rows, r.Rows);
        Assert.Equal(DateTimeOffset.Parse(start + "T00:00:00Z"), r.Start);
        Assert.Equal(DateTimeOffset.Parse(end + "T00:00:00Z"), r.End);
        Assert.False(r.HasErrors);
        Assert.DoesNotContain(r.Findings, f => f.Kind.IsError());
        Assert.Equal(0, r.Count(FindingKind.Gap));
        Assert.Equal(0, r.Count(FindingKind.Duplicate));
        Assert.Equal(0, r.Count(FindingKind.OutOfOrder));
        r.ThrowIfErrors();
    }

    [Fact]
    public void BtcAnchorsFromTheProvenance()
    {
        // PROVENANCE.md sanity anchors: BTC close 2020-03-12 = 4,970.79; 2022-11-09 = 15,880.78; 2025-10-10 = 113,214.37.
        var s = PriceHistoryReader.Read(Repo.Sample("btc-usd-daily.csv"), PriceReadOptions.Default).Series;
        double close(string day)
        {
            int i = s.Times!.ToList().IndexOf(DateTimeOffset.Parse(day + "T00:00:00Z"));
            Assert.True(i >= 0, day);
            return s.Values[i];
        }
        Assert.Equal(4970.79, close("2020-03-12"), 0.005);
        Assert.Equal(15880.78, close("2022-11-09"), 0.005);
        Assert.Equal(113214.37, close("2025-10-10"), 0.005);
    }

    [Fact]
    public void BtcRoundTripsThroughParquetBitForBit()
    {
        using var tmp = new TempFolder();
        var csv = PriceHistoryReader.Read(Repo.Sample("btc-usd-daily.csv"), PriceReadOptions.Default);
        var path = tmp.File("btc.parquet");
        ParquetPriceWriter.Write(csv.Series, path);
        var back = PriceHistoryReader.Read(path, PriceReadOptions.Default);

        Assert.Equal(4589, back.Rows);
        Assert.Empty(back.ParseFindings);
        Assert.Equal(("close", "date"), (back.Series.ValueField, back.Series.TimeField));
        Assert.Equal(csv.Series.Times!, back.Series.Times!);
        Assert.Equal(csv.Series.Values.Select(BitConverter.DoubleToInt64Bits), back.Series.Values.Select(BitConverter.DoubleToInt64Bits));
        Assert.Equal(Enumerable.Range(2, 4589), back.Series.Lines);
        Assert.Empty(Directory.GetFiles(tmp.Path, "*.tmp"));
    }
}
