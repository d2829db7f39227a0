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
}
