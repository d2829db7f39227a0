using System.Text.RegularExpressions;
using CryptoMargin.Data.Prices;
using CryptoMargin.MarketData;

namespace CryptoMargin.Data.Tests;

/// <summary>Real messy files from ../shared/data (skipped where it is absent); expected numbers from their PROVENANCE.md.</summary>
public partial class SharedDataTests
{
    private static string Shared(string relative)
    {
        Assert.SkipUnless(Directory.Exists(Repo.SharedData), "shared data folder ../shared/data is absent");
        var path = Path.Combine(Repo.SharedData, relative);
        Assert.SkipUnless(File.Exists(path), $"{relative} is absent");
        return path;
    }

    [Fact]
    public void BitstampEthLeadingZeroRowsAreNonPositive()
    {
        // bitstamp-cryptodatadownload/PROVENANCE.md: the ETH file has 988 leading all-zero rows before the pair listed;
        // the file starts with a CryptoDataDownload banner line, so the header is line 2.
        var path = Shared("bitstamp-cryptodatadownload/Bitstamp_ETHUSD_d.csv");
        var r = PriceHistoryValidation.Validate(PriceHistoryReader.Read(path, PriceReadOptions.Default), ValidationSettings.Default);
        Assert.Equal(988, r.Count(FindingKind.NonPositive));
        Assert.True(r.HasErrors);
        var e = Assert.Throws<DataValidationException>(r.ThrowIfErrors);
        Assert.Equal(path, e.File);
        Assert.Equal("close", e.Field);
        Assert.Equal("price 0 is not positive", e.Reason);
    }

    [Fact]
    public void BinanceRawHourlyHasItsDocumentedDuplicates()
    {
        // binance-spot-hourly-cdd/PROVENANCE.md: two date formats mixed, 2,649 duplicated hours.
        var path = Shared("binance-spot-hourly-cdd/Binance_BTCUSDT_1h.csv.gz");
        var h = PriceHistoryReader.Read(path, PriceReadOptions.Default);
        Assert.Empty(h.ParseFindings);
        var findings = PriceValidator.Validate(h.Series, ValidationSettings.Default);
        Assert.Equal(2649, findings.Count(f => f.Kind == FindingKind.Duplicate));
    }

    [Fact]
    public void BinanceCleanHourlyMisses16Hours()
    {
        // PROVENANCE.md: clean files have 33413 rows and 16 missing hours.
        var path = Shared("binance-spot-hourly-cdd/binance_btcusdt_1h_clean.csv.gz");
        var r = PriceHistoryValidation.Validate(PriceHistoryReader.Read(path, PriceReadOptions.Default), ValidationSettings.Default);
        Assert.Equal(33413, r.Rows);
        Assert.False(r.HasErrors);
        Assert.Equal(0, r.Count(FindingKind.Duplicate) + r.Count(FindingKind.OutOfOrder));
        int missing = r.Findings.Where(f => f.Kind == FindingKind.Gap)
            .Sum(f => int.Parse(MissingPeriods().Match(f.Detail).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(16, missing);
    }

    [GeneratedRegex(@": (\d+) periods? of 1 h missing$")]
    private static partial Regex MissingPeriods();
}
