using CryptoMargin.MarketData.Options;
using CryptoMargin.Pricing;

namespace CryptoMargin.Calibration.Grid;

/// <summary>
/// A plain price × vol scenario grid with the calibrated parameters, to exercise <see cref="GridBacktest"/> (not a venue
/// model: no extended moves, add-ons or contingencies). Scenarios: relative forward moves s ∈ {−R, …, +R} in
/// <c>priceSteps</c> equal steps × vol {unchanged, ·(1 + k_up(30/DTE)^p), ·(1 − k_down(30/DTE)^p)}, each option repriced by
/// Black-76 at F(1 + s), its mark IV so shocked and T − h/365 (Black 1976); futures legs gain size·F·s. Margin =
/// max(0, −min over scenarios of the book's P&amp;L against today's Black-76 value), USD.
/// </summary>
public static class ReferenceGridMargin
{
    public static BookMargin Create(GridCoinParameters parameters, int horizonDays, int priceSteps = 9)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentOutOfRangeException.ThrowIfLessThan(priceSteps, 2);
        ArgumentOutOfRangeException.ThrowIfLessThan(horizonDays, 1);
        var up = parameters.VolUp.Law;
        var down = parameters.VolDown.Law;
        double range = parameters.PriceRange;
        return (book, chain) =>
        {
            double worst = 0;
            for (int i = 0; i < priceSteps; i++)
            {
                double s = -range + 2 * range * i / (priceSteps - 1);
                for (int v = 0; v < 3; v++)
                {
                    double pnl = 0;
                    foreach (var leg in book)
                    {
                        var e = chain.Expiries.First(x => x.Expiry == leg.Expiry);
                        if (leg.Option is null) { pnl += leg.Size * e.Forward * s; continue; }
                        var q = e.Quotes.First(x => x.Instrument == leg.Option);
                        double sigma = q.MarkIv ?? throw new ArgumentException($"{leg.Option} has no mark IV", nameof(chain));
                        double days = e.T * 365;
                        double shocked = v switch { 1 => sigma * (1 + up.Shock(days)), 2 => sigma * Math.Max(1 - down.Shock(days), 0.01), _ => sigma };
                        double t1 = Math.Max(e.T - horizonDays / 365.0, 1e-6);
                        pnl += leg.Size * (Black76.Price(e.Forward * (1 + s), q.Strike, t1, shocked, q.Type) - Black76.Price(e.Forward, q.Strike, e.T, sigma, q.Type));
                    }
                    worst = Math.Min(worst, pnl);
                }
            }
            return -worst;
        };
    }
}
