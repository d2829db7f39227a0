using System.Globalization;
using System.IO.Compression;
using CryptoMargin.Surfaces;

namespace CryptoMargin.Tests.Surfaces;

/// <summary>
/// SVI per expiry and SSVI on one real Deribit BTC option chain (the team's shared data, ../shared/data, skipped
/// where absent; columns per its PROVENANCE.md). Out-of-the-money quotes only (puts below the forward, calls at or
/// above), Deribit mark IV, forward = the row's <c>underlying</c>, expiry 08:00 UTC from the instrument name, ACT/365.
/// </summary>
public class DeribitSnapshotSviTests(ITestOutputHelper output)
{
    private const string Snapshot = "deribit_options_snapshot_20260302T093957Z.csv.gz";

    [Fact]
    public void SviFitsEveryBtcExpiryOfOneSnapshot()
    {
        var folder = SharedSnapshots();
        Assert.SkipWhen(folder is null, "shared data ../shared/data/deribit-options-snapshots/daily is absent");
        var files = Directory.GetFiles(folder!, "*.csv.gz").Order(StringComparer.Ordinal).ToArray();
        Assert.SkipWhen(files.Length == 0, "no snapshot files in " + folder);
        string path = files.FirstOrDefault(f => Path.GetFileName(f) == Snapshot) ?? files[files.Length / 2];
        var slices = BtcSlices(path, out var valuation);
        output.WriteLine($"{Path.GetFileName(path)} valued {valuation:O}: {slices.Count} BTC expiries with ≥ 8 OTM quotes");
        Assert.True(slices.Count >= 5);

        output.WriteLine("expiry(y)  quotes  SVI RMSE(vol pts)  SVI max|err|  ATM-flat RMSE  butterfly  ");
        var fitted = new List<SurfaceSlice>();
        foreach (var s in slices)
        {
            var fit = SviCalibration.Fit(s);
            fit.Parameters.Validate();
            // Reference: the best flat smile (the quotes' mean vol); SVI must beat it by a wide margin.
            double mean = s.ImpliedVolatilities.Average();
            double flat = Math.Sqrt(s.ImpliedVolatilities.Average(v => (v - mean) * (v - mean)));
            var bf = SurfaceArbitrage.Butterfly(fit.Parameters, s.Expiry, s.LogMoneyness.Min(), s.LogMoneyness.Max());
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{s.Expiry,9:F4}  {s.Count,6}  {100 * fit.Rmse,17:F3}  {100 * fit.MaxAbsError,12:F3}  {100 * flat,13:F3}  {bf.Count,9}"));
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"           a {fit.Parameters.A:F5} b {fit.Parameters.B:F5} ρ {fit.Parameters.Rho:F4} m {fit.Parameters.M:F4} σ {fit.Parameters.Sigma:F4}, converged {fit.Converged}, {fit.Iterations} iterations"));
            Assert.True(fit.Rmse < 0.02, $"t = {s.Expiry}: SVI RMSE {fit.Rmse}");
            Assert.True(fit.Rmse < 0.5 * flat || flat < 0.005, $"t = {s.Expiry}: SVI RMSE {fit.Rmse} vs flat {flat}");
            fitted.Add(new SurfaceSlice(s.Expiry, fit.Parameters));

        }
        var report = SurfaceArbitrage.Check(fitted.ToArray());
        output.WriteLine($"per-slice SVI surface on ±{report.KMax:F3}: {report.Butterfly.Count} butterfly, {report.Calendar.Count} calendar violations");

        var ssvi = SsviCalibration.Fit(slices);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"SSVI ρ = {ssvi.Parameters.Rho:F4}, η = {ssvi.Parameters.Eta:F4}, γ = {ssvi.Parameters.Gamma:F4}: RMSE {100 * ssvi.Rmse:F3} vol pts, max {100 * ssvi.MaxAbsError:F3}"));
        for (int j = 0; j < ssvi.Expiries.Length; j++)
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  SSVI t = {ssvi.Expiries[j]:F4}: RMSE {100 * ssvi.SliceRmse[j]:F3}, max {100 * ssvi.SliceMaxAbsError[j]:F3}"));
        var ssviReport = SurfaceArbitrage.Check(ssvi.Slices());
        output.WriteLine($"SSVI surface: {ssviReport.Butterfly.Count} butterfly, {ssviReport.Calendar.Count} calendar violations");
        Assert.True(ssviReport.IsArbitrageFree);
    }

    private static string? SharedSnapshots()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "data", "deribit-options-snapshots", "daily");
            if (Directory.Exists(candidate)) return candidate;
        }
        return null;
    }

    /// <summary>Tiny parser: BTC rows of one snapshot, grouped by expiry; OTM quotes within 4 ATM standard deviations; expiries with ≥ 8 such quotes and ≥ 1 day left.</summary>
    internal static List<VolSlice> BtcSlices(string path, out DateTimeOffset valuation)
    {
        using var reader = new StreamReader(new GZipStream(File.OpenRead(path), CompressionMode.Decompress));
        var header = reader.ReadLine()!.Split(',');
        int Col(string name) => Array.IndexOf(header, name) is var i and >= 0 ? i : throw new InvalidDataException($"{path}: no column '{name}'");
        int cTime = Col("timestamp"), cName = Col("instrument_name"), cUnd = Col("underlying"), cIv = Col("implied_volatility");
        valuation = default;
        var byExpiry = new SortedDictionary<DateTimeOffset, List<(double Strike, double Forward, double Iv, bool Call)>>();
        string? line;
        while ((line = reader.ReadLine()) is not null)
        {
            var f = line.Split(',');
            var parts = f[cName].Split('-'); // BTC-27DEC24-60000-C
            if (parts.Length != 4 || parts[0] != "BTC") continue;
            valuation = DateTimeOffset.Parse(f[cTime], CultureInfo.InvariantCulture);
            var expiry = ExpiryOf(parts[1]);
            if (!byExpiry.TryGetValue(expiry, out var rows)) byExpiry[expiry] = rows = [];
            rows.Add((double.Parse(parts[2], CultureInfo.InvariantCulture), double.Parse(f[cUnd], CultureInfo.InvariantCulture),
                double.Parse(f[cIv], CultureInfo.InvariantCulture), parts[3] == "C"));
        }
        var slices = new List<VolSlice>();
        foreach (var (expiry, rows) in byExpiry)
        {
            double t = (expiry - valuation).TotalDays / 365.0;
            if (t < 1 / 365.0) continue;
            double forward = rows[0].Forward;
            // ATM vol: the OTM quote nearest the forward; keep |k| ≤ 4 σ_atm √t (4 standard deviations), where the
            // marks are driven by quotes: beyond it Deribit's marks flatten (a wing SVI's linear asymptote cannot follow).
            var otmAll = rows.Where(r => r.Call ? r.Strike >= forward : r.Strike < forward).OrderBy(r => r.Strike).ToArray();
            if (otmAll.Length == 0) continue;
            double atm = otmAll.MinBy(r => Math.Abs(Math.Log(r.Strike / forward))).Iv;
            var otm = otmAll.Where(r => Math.Abs(Math.Log(r.Strike / forward)) <= 4 * atm * Math.Sqrt(t)).ToArray();
            if (otm.Length < 8) continue;
            slices.Add(new VolSlice(t, forward, otm.Select(r => Math.Log(r.Strike / forward)).ToArray(), otm.Select(r => r.Iv).ToArray()));
        }
        return slices;
    }

    private static readonly string[] Months = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"];

    /// <summary>"27DEC24" → 2024-12-27 08:00 UTC (Deribit's expiry time).</summary>
    private static DateTimeOffset ExpiryOf(string code)
    {
        int day = int.Parse(code[..^5], CultureInfo.InvariantCulture);
        int month = Array.IndexOf(Months, code[^5..^2]) + 1;
        int year = 2000 + int.Parse(code[^2..], CultureInfo.InvariantCulture);
        if (month == 0) throw new InvalidDataException($"bad expiry code '{code}'");
        return new DateTimeOffset(year, month, day, 8, 0, 0, TimeSpan.Zero);
    }
}
