using CryptoMargin.MarketData.Options;
using CryptoMargin.Pricing;

namespace CryptoMargin.Calibration.Grid;

/// <summary>
/// A plain price × vol scenario grid with the calibrated parameters, to exercise <see cref="GridBacktest"/> (not a venue
/// model: no extended moves, add-ons or contingencies). Scenarios: relative forward moves s ∈ {−R, …, +R} in
/// <c>priceSteps</c> equal steps × vol {unchanged, ·(1 + k_up(30/DTE)^p), ·(1 − k_down(30/DTE)^p)}, each option repriced by
/// Black-76 at F(1 + s), its mark IV so shocked and T − h/365 (Black 1976); futures legs gain size·F·s. Margin =
/// max(0, −min over scenarios of the book's P&amp;L against today's Black-76 value), USD.
/// <para>In coin (<see cref="BacktestUnits.Coin"/>, a coin-collateralised account) each scenario's P&amp;L is the same
/// revaluation in coin: an option worth V (USD, Black-76) is worth V/F coin, so it gains V(F(1+s))/(F(1+s)) − V(F)/F; an
/// inverse futures leg of USD size N = size·F gains N·(1/F − 1/(F(1+s))) = size·s/(1 + s) coin.</para>
/// </summary>
public static class ReferenceGridMargin
{
    public static BookMargin Create(GridCoinParameters parameters, int horizonDays, int priceSteps = 9) =>
        Create(parameters, horizonDays, priceSteps, BacktestUnits.Usd);

    /// <summary>The grid's margin in <paramref name="units"/> (USD, or coin for a coin-collateralised account).</summary>
    public static BookMargin Create(GridCoinParameters parameters, int horizonDays, int priceSteps, BacktestUnits units)
    {
        bool coin = units == BacktestUnits.Coin;
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
                        if (leg.Option is null) { pnl += coin ? leg.Size * s / (1 + s) : leg.Size * e.Forward * s; continue; }
                        var q = e.Quotes.First(x => x.Instrument == leg.Option);
                        double sigma = q.MarkIv ?? throw new ArgumentException($"{leg.Option} has no mark IV", nameof(chain));
                        double days = e.T * 365;
                        double shocked = v switch { 1 => sigma * (1 + up.Shock(days)), 2 => sigma * Math.Max(1 - down.Shock(days), 0.01), _ => sigma };
                        double t1 = Math.Max(e.T - horizonDays / 365.0, 1e-6);
                        double v1 = Black76.Price(e.Forward * (1 + s), q.Strike, t1, shocked, q.Type), v0 = Black76.Price(e.Forward, q.Strike, e.T, sigma, q.Type);
                        pnl += coin ? leg.Size * (v1 / (e.Forward * (1 + s)) - v0 / e.Forward) : leg.Size * (v1 - v0);
                    }
                    worst = Math.Min(worst, pnl);
                }
            }
            return -worst;
        };
    }
}
