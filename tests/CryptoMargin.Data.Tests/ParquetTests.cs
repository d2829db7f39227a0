using CryptoMargin.Data.Prices;
using CryptoMargin.MarketData;
using Parquet;
using Parquet.Schema;

namespace CryptoMargin.Data.Tests;

public class ParquetTests
{
    [Fact]
    public void ReturnsOnlySeriesRoundTripsWithoutATimeColumn()
    {
        using var tmp = new TempFolder();
        var s = new PriceSeries(null, [0.1, -0.2, double.NaN], [2, 3, 4], "ret");
        var path = tmp.File("r.parquet");
        ParquetPriceWriter.Write(s, path);
        var back = PriceHistoryReader.Read(path, new PriceReadOptions { ValuesAreReturns = true });
        Assert.Null(back.Series.Times);
        Assert.Equal([0.1, -0.2, double.NaN], back.Series.Values);
    }

    [Fact]
    public void IntradayTimesRoundTripToTheMicrosecond()
    {
        using var tmp = new TempFolder();
        var t0 = new DateTimeOffset(2025, 10, 10, 21, 26, 0, TimeSpan.Zero).AddTicks(1234560); // .123456 s
        var s = new PriceSeries([t0, t0.AddMinutes(1)], [107000.0, 107010.5], [2, 3], "price", "timestamp");
        var path = tmp.File("p.parquet");
        ParquetPriceWriter.Write(s, path);
        var back = PriceHistoryReader.Read(path, PriceReadOptions.Default);
        Assert.Equal([t0, t0.AddMinutes(1)], back.Series.Times!);
        Assert.Equal(("price", "timestamp"), (back.Series.ValueField, back.Series.TimeField));
    }

    [Fact]
    public async Task ReadsUnixMillisecondsAndNullValuesAsUnparsable()
    {
        var ct = TestContext.Current.CancellationToken;
        using var tmp = new TempFolder();
        var path = tmp.File("ms.parquet");
        var time = new DataField<long>("timestamp", false);
        var close = new DataField<double?>("close");
        await using (var file = File.Create(path))
        {
            await using var writer = await ParquetWriter.CreateAsync(new ParquetSchema(time, close), file, cancellationToken: ct);
            using var group = writer.CreateRowGroup();
            // 2024-01-31T12:30:00Z and the next two minutes, in Unix milliseconds.
            await group.WriteAsync<long>(time, new long[] { 1706704200000, 1706704260000, 1706704320000 }.AsMemory(), cancellationToken: ct);
            await group.WriteAsync<double>(close, new double?[] { 1.5, null, 2.5 }.AsMemory(), cancellationToken: ct);
        }
        var h = PriceHistoryReader.Read(path, PriceReadOptions.Default);
        Assert.Equal(3, h.Rows);
        Assert.Equal([new DateTimeOffset(2024, 1, 31, 12, 30, 0, TimeSpan.Zero), new DateTimeOffset(2024, 1, 31, 12, 32, 0, TimeSpan.Zero)], h.Series.Times!);
        Assert.Equal([1.5, 2.5], h.Series.Values);
        Assert.Equal([2, 4], h.Series.Lines);
        Assert.Equal(new ValidationFinding(3, "close", FindingKind.Unparsable, "cannot parse null as a number"), Assert.Single(h.ParseFindings));
    }

    [Fact]
    public async Task ParquetWithoutRecognisableColumnsNamesThem()
    {
        var ct = TestContext.Current.CancellationToken;
        using var tmp = new TempFolder();
        var path = tmp.File("x.parquet");
        var a = new DataField<double>("alpha");
        await using (var file = File.Create(path))
        {
            await using var writer = await ParquetWriter.CreateAsync(new ParquetSchema(a), file, cancellationToken: ct);
            using var group = writer.CreateRowGroup();
            await group.WriteAsync<double>(a, new double[] { 1 }.AsMemory(), cancellationToken: ct);
        }
        var e = Assert.Throws<DataValidationException>(() => PriceHistoryReader.Read(path, PriceReadOptions.Default));
        Assert.Equal($"{path}:1: no time column (expected one of: date, timestamp, time, datetime, timestamp_utc, unix); columns found: alpha", e.Message);
    }
}
