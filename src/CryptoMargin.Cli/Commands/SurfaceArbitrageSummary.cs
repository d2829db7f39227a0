using System.Globalization;
using CryptoMargin.Pricing;
using CryptoMargin.Surfaces;

namespace CryptoMargin.Cli.Commands;

/// <summary>
/// The <c>arbitrage</c> section of <c>fit-surface</c> for the models whose smiles are not SVI: counts of violating grid
/// points of <see cref="SurfaceArbitrage.Check(IReadOnlyList{SmileSlice}, double?, double?, int, double, double)"/> and a
/// note saying how they were checked and where the butterfly violations sit.
/// </summary>
internal static class SurfaceArbitrageSummary
{
    /// <summary>
    /// Heston tolerance on g(k): its w comes from a numerically integrated price inverted to a vol (relative error
    /// about 1e-10), so w'' by central differences with h ≈ 3e-3√θ carries an error of about 4·1e-10·w/h² ≈ 5e-5;
    /// 1e-3 leaves a margin of 20 and is far below any density a trader would call arbitrage.
    /// </summary>
    public const double HestonDensityTolerance = 1e-3;

    /// <summary>Heston tolerance on a calendar fall of w: ten times the 1e-10 relative error of a total variance of order 1.</summary>
    public const double HestonCalendarTolerance = 1e-9;

    public static FitSurfaceCommand.ArbitrageCounts Counts(ArbitrageReport report, string how) =>
        new(report.Butterfly.Count, report.Calendar.Count,
            $"{how}: grid points with g(k) < 0 (butterfly) or w(k) decreasing in t (calendar), k in [{G(report.KMin)}, {G(report.KMax)}], {report.GridPoints} points{Where(report)}");

    public static FitSurfaceCommand.ArbitrageCounts Sabr(ArbitrageReport report) =>
        Counts(report, "SABR (Hagan's lognormal expansion, not guaranteed arbitrage-free), w', w'' by central differences h = 1e-4 sqrt(w(0))");

    public static FitSurfaceCommand.ArbitrageCounts Heston(HestonParameters p, (double T, double Forward)[] slices)
    {
        var smiles = slices.Select(s => new SmileSlice(s.T, ModelSmiles.Heston(p, s.Forward, s.T))).ToArray();
        var report = SurfaceArbitrage.Check(smiles, densityTolerance: HestonDensityTolerance, calendarTolerance: HestonCalendarTolerance, perSliceRange: true);
        return Counts(report, $"Heston implied vols of its prices (free of static arbitrage in theory: a count > 0 is numerical), w', w'' by central differences h = 3e-3 sqrt(w(0)), tolerance g >= -{G(HestonDensityTolerance)}, w falls <= {G(HestonCalendarTolerance)}, each slice on its own k in +-3 sqrt(w(0)) (calendar: the earlier slice's range)");
    }

    private static string Where(ArbitrageReport report)
    {
        var text = "";
        var regions = report.ButterflyRegions();
        if (regions.Count > 0)
            text += "; g(k) < 0 at " + string.Join("; ", regions.Select(r =>
                $"t = {F(r.Expiry)}: k in [{G(r.KFrom)}, {G(r.KTo)}] ({r.Points} points, min g {G(r.MinDensity)})"));
        // Calendar: per pair of consecutive expiries, how many grid points and between which k.
        var pairs = report.Calendar.GroupBy(c => (c.EarlierExpiry, c.LaterExpiry)).ToList();
        if (pairs.Count > 0)
            text += "; w falls " + string.Join("; ", pairs.Select(g =>
                $"from t = {F(g.Key.EarlierExpiry)} to {F(g.Key.LaterExpiry)} at {g.Count()} points with k in [{G(g.Min(c => c.LogMoneyness))}, {G(g.Max(c => c.LogMoneyness))}]"));
        return text;
    }

    private static string F(double t) => t.ToString("F4", CultureInfo.InvariantCulture);

    private static string G(double x) => x.ToString("G4", CultureInfo.InvariantCulture);
}
