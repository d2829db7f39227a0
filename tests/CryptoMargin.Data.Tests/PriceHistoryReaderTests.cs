using CryptoMargin.Data.Prices;
using CryptoMargin.MarketData;

namespace CryptoMargin.Data.Tests;

public class PriceHistoryReaderTests
{
    private static readonly PriceReadOptions Prices = PriceReadOptions.Default;
    private static readonly PriceReadOptions Returns = new() { ValuesAreReturns = true };

    private static DateTimeOffset Utc(int y, int m, int d, int h = 0, int min = 0) => new(y, m, d, h, min, 0, TimeSpan.Zero);

    [Fact]
    public void ReadsDateAndCloseWithPhysicalLines()
    {
        using var tmp = new TempFolder();
        var path = tmp.Write("p.csv", "date,open,close\n2024-01-01,1,100.5\n2024-01-02,2,101.25\n");
        var h = PriceHistoryReader.Read(path, Prices);
        Assert.Equal(path, h.Source);
        Assert.Equal(2, h.Rows);
        Assert.Empty(h.ParseFindings);
        Assert.Equal([100.5, 101.25], h.Series.Values);
        Assert.Equal([2, 3], h.Series.Lines);
        Assert.Equal([Utc(2024, 1, 1), Utc(2024, 1, 2)], h.Series.Times!);
        Assert.Equal(("close", "date"), (h.Series.ValueField, h.Series.TimeField));
    }

    [Theory]
    [InlineData("Date,Close", "Date", "Close")]
    [InlineData(" DATE , Close ", "DATE", "Close")]
    [InlineData("timestamp,price", "timestamp", "price")]
    [InlineData("time,Adj Close", "time", "Adj Close")]
    [InlineData("datetime,adj_close", "datetime", "adj_close")]
    [InlineData("unix,volume,price,close", "unix", "close")] // close preferred over price
    [InlineData("date,Adj Close,close", "date", "close")] // close preferred over adj close
    public void RecognisesHeaderVariants(string header, string timeField, string valueField)
    {
        using var tmp = new TempFolder();
        int n = header.Split(',').Length;
        string row(string t, string v) => t + string.Concat(Enumerable.Repeat("," + v, n - 1));
        var path = tmp.Write("p.csv", $"{header}\n{row("1706659200", "5")}\n{row("1706745600", "6")}\n");
        var h = PriceHistoryReader.Read(path, Prices);
        Assert.Equal((valueField, timeField), (h.Series.ValueField, h.Series.TimeField));
        Assert.Equal([5.0, 6.0], h.Series.Values);
    }

    [Fact]
    public void ColumnOptionsOverrideRecognition()
    {
        using var tmp = new TempFolder();
        var path = tmp.Write("p.csv", "date,when,close,mark\n2024-01-01,2024-02-01,100,99\n");
        var h = PriceHistoryReader.Read(path, new PriceReadOptions { Column = "MARK", TimeColumn = "when" });
        Assert.Equal(("mark", "when"), (h.Series.ValueField, h.Series.TimeField));
        Assert.Equal([99.0], h.Series.Values);
        Assert.Equal([Utc(2024, 2, 1)], h.Series.Times!);
    }

    [Theory]
    [InlineData("2024-01-31", 2024, 1, 31, 0, 0)]
    [InlineData("2024-01-31T12:30:00Z", 2024, 1, 31, 12, 30)]
    [InlineData("2024-01-31T12:30:00+02:00", 2024, 1, 31, 10, 30)]
    [InlineData("2024-01-31T12:30:00", 2024, 1, 31, 12, 30)] // no offset = UTC
    [InlineData("2024-01-31 12:30:00", 2024, 1, 31, 12, 30)]
    [InlineData("2024-01-31T12:30", 2024, 1, 31, 12, 30)]
    [InlineData("2024-01-31T12:30:00.000Z", 2024, 1, 31, 12, 30)]
    [InlineData("1706704200", 2024, 1, 31, 12, 30)] // Unix seconds
    [InlineData("1706704200000", 2024, 1, 31, 12, 30)] // Unix milliseconds (> 1e11)
    [InlineData("1706704200.0", 2024, 1, 31, 12, 30)] // seconds written as a float (CryptoDataDownload)
    [InlineData("2020-11-20 07-AM", 2020, 11, 20, 7, 0)] // CryptoDataDownload legacy
    [InlineData("2020-11-20 07-PM", 2020, 11, 20, 19, 0)]
    public void ParsesTimestampFormatsToUtc(string text, int y, int m, int d, int h, int min)
    {
        using var tmp = new TempFolder();
        var path = tmp.Write("p.csv", $"timestamp,close\n{text},1\n");
        var history = PriceHistoryReader.Read(path, Prices);
        Assert.Empty(history.ParseFindings);
        var t = Assert.Single(history.Series.Times!);
        Assert.Equal(Utc(y, m, d, h, min), t);
        Assert.Equal(TimeSpan.Zero, t.Offset);
    }

    [Fact]
    public void ReadsGzipTransparently()
    {
        using var tmp = new TempFolder();
        const string text = "date,close\n2024-01-01,100\n2024-01-02,NaN\n2024-01-03,abc\n";
        var gz = PriceHistoryReader.Read(tmp.WriteGzip("p.csv.gz", text), Prices);
        var plain = PriceHistoryReader.Read(tmp.Write("p.csv", text), Prices);
        Assert.Equal(plain.Series.Values, gz.Series.Values);
        Assert.Equal(plain.Series.Times!, gz.Series.Times!);
        Assert.Equal(plain.Series.Lines, gz.Series.Lines);
        Assert.Equal(plain.ParseFindings, gz.ParseFindings);
    }

    [Fact]
    public void ReadsAStreamUnderItsDisplayName()
    {
        using var stream = new MemoryStream("date,close\n2024-01-01,x\n"u8.ToArray());
        var h = PriceHistoryReader.Read(stream, "embedded:btc", PriceFileFormat.Csv, Prices);
        Assert.Equal("embedded:btc", h.Source);
        var e = Assert.Throws<DataValidationException>(() => PriceHistoryValidation.Validate(h, ValidationSettings.Default).ThrowIfErrors());
        Assert.Equal("embedded:btc:2: field 'close': cannot parse 'x' as a number", e.Message);
    }

    [Fact]
    public void UnparsableValueOnLineNIsReportedOnLineNAndLeftOut()
    {
        using var tmp = new TempFolder();
        var path = tmp.Write("p.csv", "date,close\n2024-01-01,100\n2024-01-02,101\n2024-01-03,abc\n2024-01-04,103\n");
        var h = PriceHistoryReader.Read(path, Prices);
        var f = Assert.Single(h.ParseFindings);
        Assert.Equal(new ValidationFinding(4, "close", FindingKind.Unparsable, "cannot parse 'abc' as a number"), f);
        Assert.Equal(4, h.Rows);
        Assert.Equal([2, 3, 5], h.Series.Lines);

        var report = PriceHistoryValidation.Validate(h, ValidationSettings.Default);
        Assert.True(report.HasErrors);
        var e = Assert.Throws<DataValidationException>(report.ThrowIfErrors);
        Assert.Equal($"{path}:4: field 'close': cannot parse 'abc' as a number", e.Message);
        Assert.Equal((path, 4, "close"), (e.File, e.Line, e.Field));
    }

    [Fact]
    public void UnparsableTimeEmptyCellAndShortRowAreFindings()
    {
        using var tmp = new TempFolder();
        var path = tmp.Write("p.csv", "date,close\n2024-13-45,100\n2024-01-02,\n2024-01-03\n2024-01-04,104\n");
        var h = PriceHistoryReader.Read(path, Prices);
        Assert.Equal(
            [
                new ValidationFinding(2, "date", FindingKind.Unparsable, "cannot parse '2024-13-45' as a timestamp"),
                new ValidationFinding(3, "close", FindingKind.Unparsable, "cannot parse '' (empty cell) as a number"),
                new ValidationFinding(4, "close", FindingKind.Unparsable, "missing: the row has 1 field, the header 2"),
            ],
            h.ParseFindings);
        Assert.Equal(4, h.Rows);
        Assert.Equal([5], h.Series.Lines);
    }

    [Fact]
    public void NaNAndInfinityParseIntoTheSeriesAndAreFlaggedByTheValidator()
    {
        using var tmp = new TempFolder();
        var path = tmp.Write("p.csv", "date,close\n2024-01-01,NaN\n2024-01-02,inf\n2024-01-03,-Infinity\n2024-01-04,nan\n2024-01-05,100\n");
        var h = PriceHistoryReader.Read(path, Prices);
        Assert.Empty(h.ParseFindings);
        Assert.Equal([double.NaN, double.PositiveInfinity, double.NegativeInfinity, double.NaN, 100], h.Series.Values);
        var report = PriceHistoryValidation.Validate(h, ValidationSettings.Default);
        Assert.Equal([2, 3, 4, 5], report.Findings.Where(f => f.Kind == FindingKind.NonFinite).Select(f => f.Line));
    }

    [Fact]
    public void QuotedLineBreaksAndBlankLinesKeepPhysicalLineNumbers()
    {
        using var tmp = new TempFolder();
        // line 1 header; 2 data; 3–4 one record (quoted line break); 5 blank; 6 bad value; 7 data.
        var text = "date,close,note\n2024-01-01,100,ok\n2024-01-02,101,\"two\nlines\"\n\n2024-01-03,bad,x\n2024-01-04,103,y\n";
        var h = PriceHistoryReader.Read(tmp.Write("p.csv", text), Prices);
        Assert.Equal([2, 3, 7], h.Series.Lines);
        Assert.Equal(6, Assert.Single(h.ParseFindings).Line);
        Assert.Equal(4, h.Rows);
    }

    [Fact]
    public void CrLfLineEndingsAndByteOrderMarkAreHandled()
    {
        using var tmp = new TempFolder();
        var path = tmp.File("p.csv");
        File.WriteAllText(path, "date,close\r\n2024-01-01,100\r\n2024-01-02,oops\r\n", new System.Text.UTF8Encoding(true));
        var h = PriceHistoryReader.Read(path, Prices);
        Assert.Equal("date", h.Series.TimeField);
        Assert.Equal([100.0], h.Series.Values);
        Assert.Equal(3, Assert.Single(h.ParseFindings).Line);
    }

    [Fact]
    public void BannerLineBeforeTheHeaderIsSkipped()
    {
        using var tmp = new TempFolder();
        var path = tmp.Write("p.csv", "https://www.CryptoDataDownload.com\nunix,date,symbol,close\n1660953600,2022-08-20 00:00:00,BTC/USD,20957.00\n");
        var h = PriceHistoryReader.Read(path, Prices);
        Assert.Equal([3], h.Series.Lines);
        Assert.Equal([Utc(2022, 8, 20)], h.Series.Times!);
    }

    [Fact]
    public void ReturnsFileWithoutTimeColumnUsesItsOnlyNumericColumn()
    {
        var h = PriceHistoryReader.Read(Repo.Sample("dem2gbp.csv"), Returns);
        // samples/data/PROVENANCE.md: 1974 observations, `obs,dem2gbp_pct_return`; first two values 0.12533286, 0.028874268.
        Assert.Equal(1974, h.Rows);
        Assert.Equal(1974, h.Series.Count);
        Assert.Null(h.Series.Times);
        Assert.Equal("dem2gbp_pct_return", h.Series.ValueField);
        Assert.Equal([0.12533286, 0.028874268], h.Series.Values.Take(2));
        Assert.Equal([2, 3], h.Series.Lines.Take(2));
    }

    [Fact]
    public void ReturnsFileWithASingleColumnUsesIt()
    {
        using var tmp = new TempFolder();
        var h = PriceHistoryReader.Read(tmp.Write("r.csv", "dlog\n0.5\n-0.25\n"), Returns);
        Assert.Equal("dlog", h.Series.ValueField);
        Assert.Equal([0.5, -0.25], h.Series.Values);
        Assert.Null(h.Series.Times);
    }

    [Fact]
    public void ReturnsFileWithTwoCandidateColumnsNeedsColumn()
    {
        using var tmp = new TempFolder();
        var path = tmp.Write("r.csv", "a,b\n0.5,1\n");
        var e = Assert.Throws<DataValidationException>(() => PriceHistoryReader.Read(path, Returns));
        Assert.Equal($"{path}:1: no value column (expected one of: close, price, adj close, adj_close, return, returns, log_return, ret, or name it with --column); columns found: a, b", e.Message);
        Assert.Equal([1.0], PriceHistoryReader.Read(path, Returns with { Column = "b" }).Series.Values);
    }

    [Fact]
    public void ReturnsFileWithTimeColumnKeepsTheTimes()
    {
        using var tmp = new TempFolder();
        var h = PriceHistoryReader.Read(tmp.Write("r.csv", "date,log_return\n2024-01-01,-0.01\n2024-01-02,0.02\n"), Returns);
        Assert.Equal([-0.01, 0.02], h.Series.Values);
        Assert.Equal("log_return", h.Series.ValueField);
        Assert.NotNull(h.Series.Times);
    }

    // ---- whole-file errors -------------------------------------------------------------------------------------

    private static DataValidationException Fails(string path, PriceReadOptions? options = null) =>
        Assert.Throws<DataValidationException>(() => PriceHistoryReader.Read(path, options ?? Prices));

    [Fact]
    public void MissingFile()
    {
        using var tmp = new TempFolder();
        var path = tmp.File("nope.csv");
        var e = Fails(path);
        Assert.Equal($"{path}: file not found", e.Message);
        Assert.Equal((path, (int?)null, (string?)null), (e.File, e.Line, e.Field));
    }

    [Fact]
    public void EmptyFile()
    {
        using var tmp = new TempFolder();
        var path = tmp.Write("empty.csv", "");
        Assert.Equal($"{path}: file is empty", Fails(path).Message);
        var gz = tmp.WriteGzip("empty.csv.gz", "");
        Assert.Equal($"{gz}: file is empty", Fails(gz).Message);
        var pq = tmp.Write("empty.parquet", "");
        Assert.Equal($"{pq}: file is empty", Fails(pq).Message);
    }

    [Fact]
    public void HeaderOnly()
    {
        using var tmp = new TempFolder();
        var path = tmp.Write("h.csv", "date,close\n");
        Assert.Equal($"{path}: no data rows", Fails(path).Message);
    }

    [Fact]
    public void NoTimeColumnNamesTheColumnsFound()
    {
        using var tmp = new TempFolder();
        var path = tmp.Write("t.csv", "obs,close\n1,100\n");
        var e = Fails(path);
        Assert.Equal($"{path}:1: no time column (expected one of: date, timestamp, time, datetime, timestamp_utc, unix); columns found: obs, close", e.Message);
        Assert.Equal(1, e.Line);
    }

    [Fact]
    public void NoValueColumnNamesTheColumnsFound()
    {
        using var tmp = new TempFolder();
        var path = tmp.Write("v.csv", "date,open,volume\n2024-01-01,1,2\n");
        Assert.Equal($"{path}:1: no value column (expected one of: close, price, adj close, adj_close, or name it with --column); columns found: date, open, volume",
            Fails(path).Message);
    }

    [Fact]
    public void NamedColumnNotInTheHeader()
    {
        using var tmp = new TempFolder();
        var path = tmp.Write("c.csv", "date,close\n2024-01-01,1\n");
        var e = Fails(path, new PriceReadOptions { Column = "mark" });
        Assert.Equal($"{path}:1: field 'mark': column not found; columns found: date, close", e.Message);
        Assert.Equal(("mark", 1), (e.Field, e.Line));
        Assert.Equal($"{path}:1: field 'ts': column not found; columns found: date, close",
            Fails(path, new PriceReadOptions { TimeColumn = "ts" }).Message);
    }

    [Fact]
    public void UnsupportedExtensionAndBadGzip()
    {
        using var tmp = new TempFolder();
        var txt = tmp.Write("p.txt", "date,close\n2024-01-01,1\n");
        Assert.Equal($"{txt}: unsupported file type 'p.txt': expected .csv, .csv.gz or .parquet", Fails(txt).Message);
        var gz = tmp.Write("p.csv.gz", "date,close\n2024-01-01,1\n");
        Assert.StartsWith($"{gz}: not a valid gzip file", Fails(gz).Message);
        var pq = tmp.Write("p.parquet", "date,close\n2024-01-01,1\n");
        Assert.StartsWith($"{pq}: not a readable Parquet file", Fails(pq).Message);
    }
}
