using CryptoMargin.Cli.Commands;
using CryptoMargin.Surfaces;

namespace CryptoMargin.Cli.Tests;

/// <summary>
/// eSSVI on the shipped Deribit snapshot (samples/options/deribit_options_snapshot_20260822T093536Z.csv.gz), BTC and
/// ETH: the fitted slices satisfy the conditions the calibration enforces, and an independent check (a wider, denser
/// grid than fit-surface's, w compared directly across expiries, g(k) from the raw-SVI form of each slice) finds no
/// static arbitrage.
/// </summary>
public class EssviShippedChainTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData("BTC")]
    [InlineData("ETH")]
    public void FittedSurfaceIsFreeOfStaticArbitrageAndBeatsSsvi(string underlying)
    {
        var (chain, source) = FitSurfaceCommand.Load(null, underlying);
        var essvi = FitSurfaceCommand.Run(chain, source, "essvi");
        var ssvi = FitSurfaceCommand.Run(chain, source, "ssvi");
        output.WriteLine($"{underlying}: eSSVI RMSE {100 * essvi.RmseVol:F2} vol pts, SSVI {100 * ssvi.RmseVol:F2}");
        Assert.Equal(0, essvi.Arbitrage.Butterfly);
        Assert.Equal(0, essvi.Arbitrage.Calendar);
        // A maturity-dependent ρ and a free ψ per slice nest SSVI's slices: the fit must be better, not just different.
        Assert.True(essvi.RmseVol < ssvi.RmseVol, $"eSSVI {essvi.RmseVol} vs SSVI {ssvi.RmseVol}");

        var slices = essvi.Slices.Select(s => new EssviSlice(P(s, "theta"), P(s, "rho"), P(s, "psi"))).ToArray();
        var t = essvi.Slices.Select(s => s.T).ToArray();
        double half = 5 * Math.Sqrt(slices.Max(s => s.Theta));
        for (int j = 0; j < slices.Length; j++)
        {
            var e = slices[j];
            Assert.True(e.IsButterflyFree, $"t = {t[j]}: {e}");
            // g(k) of the same smile in its raw-SVI form (Gatheral-Jacquier's SSVI-to-SVI map), not the eSSVI derivatives.
            var svi = e.ToSvi();
            for (int i = 0; i <= 4000; i++)
            {
                double k = -half + 2 * half * i / 4000;
                Assert.True(svi.ButterflyDensity(k) >= 0, $"t = {t[j]}, k = {k}");
                if (j > 0) Assert.True(e.TotalVariance(k) >= slices[j - 1].TotalVariance(k) * (1 - 1e-12), $"calendar t = {t[j]}, k = {k}");
            }
            if (j > 0) Assert.True(slices[j - 1].WingsOrdered(e), $"wings t = {t[j]}");
        }
    }

    private static double P(FitSurfaceCommand.SliceResult s, string name) => s.Parameters.Single(p => p.Key == name).Value;

    [Theory]
    [InlineData("BTC")]
    [InlineData("ETH")]
    public void CalendarConditionsCostFitButNeverImproveIt(string underlying)
    {
        // Per-slice eSSVI without the calendar conditions searches a superset of the constrained region, slice by slice.
        var (chain, _) = FitSurfaceCommand.Load(null, underlying);
        var essvi = FitSurfaceCommand.Run(chain, "", "essvi");
        var vol = essvi.Slices.Select(s => new VolSlice(s.T, s.Forward, [.. s.Strikes.Select(k => Math.Log(k / s.Forward))], s.MarketVols)).ToArray();
        var constrained = EssviCalibration.Fit(vol);
        var free = EssviCalibration.Fit(vol, calendar: false);
        output.WriteLine($"{underlying}: eSSVI RMSE {100 * constrained.Rmse:F2} vol pts with calendar conditions, {100 * free.Rmse:F2} per slice alone");
        for (int j = 0; j < vol.Length; j++)
            output.WriteLine($"  t = {vol[j].Expiry:F4}: {100 * constrained.SliceRmse[j]:F2} vs {100 * free.SliceRmse[j]:F2}  free {free.Slices[j]}");
        Assert.Equal(essvi.RmseVol, constrained.Rmse, 1e-12);
        Assert.True(free.Rmse <= constrained.Rmse * (1 + 1e-6), $"free {free.Rmse} vs constrained {constrained.Rmse}");
        Assert.All(free.Slices, s => Assert.True(s.IsButterflyFree));
    }
}
