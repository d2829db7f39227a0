using System.Text;
using CryptoMargin.Calibration.Grid;
using CryptoMargin.Data.Options;
using CryptoMargin.MarketData;
using CryptoMargin.Pricing;

namespace CryptoMargin.Data.Tests.Options;

public class SnapshotHistoryTests
{
    private static readonly double[] Days = [1, 30, 180];
    private static readonly double[] Zs = [-0.5, 0, 0.5];

    private static TenorVols Entry(DateTimeOffset time, string coin, int seed)
    {
        var rng = new Random(seed);
        var vols = Enumerable.Range(0, 9).Select(_ => 0.3 + rng.NextDouble()).ToArray();
        vols[0] = double.NaN;
        return new TenorVols(time, coin, Days, Zs, vols);
    }

    [Fact]
    public void CompactCsvRoundTripsToSixDecimals()
    {
        var t0 = new DateTimeOffset(2026, 1, 2, 9, 18, 9, TimeSpan.Zero);
        var history = new[] { Entry(t0, "BTC", 1), Entry(t0.AddDays(1), "BTC", 2), Entry(t0, "ETH", 3) };
        var writer = new StringWriter();
        SnapshotHistory.WriteCsv(history, writer);
        var text = writer.ToString();
        Assert.StartsWith("time,underlying,iv_1d_z-0.5,iv_1d_z0,iv_1d_z0.5,iv_30d_z-0.5,", text);
        var back = SnapshotHistory.ReadCsv(new MemoryStream(Encoding.UTF8.GetBytes(text)), "test.csv");
        Assert.Equal(3, back.Count);
        for (int i = 0; i < 3; i++)
        {
            Assert.Equal(history[i].Time, back[i].Time);
            Assert.Equal(history[i].Underlying, back[i].Underlying);
            Assert.Equal(Days, back[i].TenorDays);
            Assert.Equal(Zs, back[i].Moneyness);
            Assert.True(double.IsNaN(back[i].Vols[0]));
            for (int c = 1; c < 9; c++) Assert.Equal(history[i].Vols[c], back[i].Vols[c], 5e-7);
        }
    }

    [Theory]
    [InlineData("time,underlying,iv_1d_z0\n2026-01-01T09:00:00Z,BTC,-0.3\n", 2, "iv_1d_z0", "not a positive volatility")]
    [InlineData("time,underlying,iv_1d_z0\n2026-01-01T09:00:00Z,BTC,0.3\nyesterday,BTC,0.3\n", 3, "time", "UTC time")]
    [InlineData("time,underlying,iv_1d_z0\n2026-01-01T09:00:00Z,BTC\n", 2, null, "2 fields")]
    [InlineData("time,underlying,vol30\n", 1, "vol30", "iv_<DAYS>d_z<Z>")]
    [InlineData("time,underlying,iv_1d_z0,iv_1d_z1,iv_2d_z1,iv_2d_z0\n", 1, "iv_2d_z1", "tenor-major")]
    public void BadRowsNameTheLineAndColumn(string csv, int line, string? field, string reason)
    {
        var e = Assert.Throws<DataValidationException>(() =>
            SnapshotHistory.ReadCsv(new MemoryStream(Encoding.UTF8.GetBytes(csv)), "bad.csv"));
        Assert.Equal("bad.csv", e.File);
        Assert.Equal(line, e.Line);
        Assert.Equal(field, e.Field);
        Assert.Contains(reason, e.Reason);
    }

    [Fact]
    public void DailyKeepsTheSnapshotNearestNineTen()
    {
        var day = new DateTimeOffset(2026, 2, 1, 0, 0, 0, TimeSpan.Zero);
        var kept = SnapshotHistory.Daily([
            Entry(day.AddHours(3.1), "BTC", 1), Entry(day.AddHours(9.5), "BTC", 2), Entry(day.AddHours(15.2), "BTC", 3),
            Entry(day.AddHours(21.1), "ETH", 4), Entry(day.AddDays(1).AddHours(3), "ETH", 5)]);
        Assert.Equal([day.AddHours(9.5), day.AddHours(21.1), day.AddDays(1).AddHours(3)], kept.Select(k => k.Time));
        Assert.Equal(["BTC", "ETH", "ETH"], kept.Select(k => k.Underlying));
    }

    [Fact]
    public void AMissingFolderIsNamed()
    {
        var e = Assert.Throws<DataValidationException>(() => SnapshotHistory.Files("/no/such/folder"));
        Assert.Equal("/no/such/folder", e.File);
        using var empty = new TempFolder();
        empty.Write("MANIFEST.csv", "file\n");
        Assert.Contains("no option snapshot", Assert.Throws<DataValidationException>(() => SnapshotHistory.Files(empty.Path)).Reason);
    }

    [Fact]
    public void RealSnapshotsReproduceTheShippedSampleAndStayWithinTheirQuotedVols()
    {
        var daily = Path.Combine(Repo.SharedData, "deribit-options-snapshots", "daily");
        Assert.SkipUnless(Directory.Exists(daily), "../shared/data/deribit-options-snapshots/daily is absent");
        var files = SnapshotHistory.Files(daily).Take(3).ToList();
        using var folder = new TempFolder();
        foreach (var f in files) File.Copy(f, folder.File(Path.GetFileName(f)));
        folder.Write("MANIFEST.csv", "file,source_commit,snapshot_utc\n");

        var loaded = SnapshotHistory.Load(folder.Path, ["BTC", "ETH"], TenorGrid.StandardDays, TenorGrid.StandardMoneyness, maxDegreeOfParallelism: 2);
        Assert.Equal(6, loaded.Count);

        // The shipped sample is what this loader derives (scripts/derive-grid-vol-history.sh).
        using var sampleStream = File.OpenRead(Path.Combine(Repo.Root, "samples", "grid", "deribit-vol-history.csv"));
        var sample = SnapshotHistory.ReadCsv(sampleStream, "deribit-vol-history.csv");
        foreach (var entry in loaded)
        {
            var shipped = sample.Single(s => s.Underlying == entry.Underlying && s.Time == entry.Time);
            for (int c = 0; c < entry.Vols.Length; c++)
            {
                if (double.IsNaN(entry.Vols[c])) Assert.True(double.IsNaN(shipped.Vols[c]));
                else Assert.Equal(entry.Vols[c], shipped.Vols[c], 5e-7);
            }

            // Independent of the interpolation: the 30-day ATM vol lies between the smallest and largest mark IV quoted
            // within ±5 % of the forward on the two expiries around 30 days.
            var chain = OptionChainReader.Read(files.Single(f => OptionChainReader.Read(f, entry.Underlying).ValuationTime == entry.Time), entry.Underlying);
            var around = chain.Expiries.Where(e => e.T * 365 >= 0.5).ToList();
            int above = around.FindIndex(e => e.T * 365 > 30);
            var near = new[] { around[above - 1], around[above] }
                .SelectMany(e => e.Quotes.Where(q => Math.Abs(Math.Log(q.Strike / e.Forward)) < 0.05 && q.MarkIv is > 0))
                .Select(q => q.MarkIv!.Value).ToList();
            int i30 = TenorGrid.StandardDays.ToList().IndexOf(30);
            double atm30 = entry.Vol(i30, entry.AtmIndex);
            Assert.InRange(atm30, near.Min(), near.Max());
        }
    }
}
