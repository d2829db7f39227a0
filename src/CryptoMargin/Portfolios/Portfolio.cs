using CryptoMargin.MarketData;

namespace CryptoMargin.Portfolios;

/// <summary>
/// An account: its currency (the currency margin is reported in when one figure is wanted), collateral balances by
/// asset (coin or stable coin amounts, ≥ 0 unless the venue allows borrowing), open positions, and open orders (each
/// a position it would add if filled; margin models charge the worse of with and without them, as venues do).
/// </summary>
public sealed record Portfolio
{
    public Portfolio(string accountCurrency, IReadOnlyDictionary<string, double> collateral, IReadOnlyList<Position> positions,
        IReadOnlyList<Position>? openOrders = null, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(accountCurrency);
        ArgumentNullException.ThrowIfNull(collateral);
        ArgumentNullException.ThrowIfNull(positions);
        foreach (var (asset, amount) in collateral)
            if (!double.IsFinite(amount))
                throw new DataValidationException($"collateral balance of {asset} is {amount}", field: "collateral");
        for (int i = 0; i < positions.Count; i++)
        {
            double size = positions[i].Size;
            if (!double.IsFinite(size) || Math.Abs(size) > MaxAbsSize)
                throw new DataValidationException($"position {i} ({positions[i].Instrument.Name}): size {size} is not a finite number within ±{MaxAbsSize:G3}", field: "size");
            if (positions[i].AveragePrice is double avg)
            {
                if (positions[i].Instrument is not Instruments.FutureInstrument)
                    throw new DataValidationException($"position {i} ({positions[i].Instrument.Name}): averagePrice applies to futures and perpetuals only (an option or spot holding is valued at its mark; what was paid is already out of the balance)", field: "averagePrice");
                if (!(avg > 0 && double.IsFinite(avg)))
                    throw new DataValidationException($"position {i} ({positions[i].Instrument.Name}): averagePrice {avg} is not a positive finite price (USD per coin)", field: "averagePrice");
            }
        }
        AccountCurrency = accountCurrency;
        Collateral = collateral;
        Positions = positions;
        OpenOrders = openOrders ?? [];
        Name = name;
    }

    /// <summary>The largest |size| accepted (1e15): beyond it products with prices lose integer precision.</summary>
    public const double MaxAbsSize = 1e15;

    public string? Name { get; }
    public string AccountCurrency { get; }
    public IReadOnlyDictionary<string, double> Collateral { get; }
    public IReadOnlyList<Position> Positions { get; }
    public IReadOnlyList<Position> OpenOrders { get; }

    /// <summary>
    /// The same account with one more position (a what-if trade); sizes of the same instrument add and the existing
    /// position keeps its <see cref="Position.AveragePrice"/> (a trade at the mark changes no equity: the account view
    /// of a what-if takes the equity before the trade, <c>AccountMargin.Compute(…, equity)</c>).
    /// </summary>
    public Portfolio With(Position trade)
    {
        var list = new List<Position>(Positions.Count + 1);
        bool merged = false;
        foreach (var p in Positions)
        {
            if (!merged && p.Instrument.Name == trade.Instrument.Name)
            {
                list.Add(p with { Size = p.Size + trade.Size });
                merged = true;
            }
            else list.Add(p);
        }
        if (!merged) list.Add(trade);
        return new Portfolio(AccountCurrency, Collateral, list, OpenOrders, Name);
    }

    /// <summary>The same account without position <paramref name="index"/> (incremental margin).</summary>
    public Portfolio Without(int index)
    {
        var list = new List<Position>(Positions);
        list.RemoveAt(index);
        return new Portfolio(AccountCurrency, Collateral, list, OpenOrders, Name);
    }
}
