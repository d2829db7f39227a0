using CryptoMargin.Instruments;
using CryptoMargin.Surfaces;

namespace CryptoMargin.MarketData;

/// <summary>
/// What margin models revalue against, at one instant (<see cref="ValuationTime"/>, the data's own timestamp): index
/// prices per coin (USD), marks of futures and perpetuals by instrument name (USD per coin), option marks where quoted
/// (USD per option, for reporting and checks), and an implied-vol surface per coin.
/// </summary>
public sealed record MarketSnapshot(
    DateTimeOffset ValuationTime,
    IReadOnlyDictionary<string, double> IndexPrices,
    IReadOnlyDictionary<string, double> FuturesMarks,
    IReadOnlyDictionary<string, IVolSurface> Surfaces)
{
    /// <summary>Year fraction ACT/365 from the valuation time to <paramref name="expiry"/>.</summary>
    public double YearsTo(DateTimeOffset expiry) => (expiry - ValuationTime).TotalDays / 365.0;

    /// <summary>The coin's index price.</summary>
    /// <exception cref="DataValidationException">No index price for the coin.</exception>
    public double Index(string currency) =>
        IndexPrices.TryGetValue(currency, out var s) ? s
            : throw new DataValidationException($"market snapshot has no index price for {currency}", field: "index");

    /// <summary>
    /// The price an instrument's P&amp;L moves with, USD per coin: the index for spot; the mark for a future or
    /// perpetual (the inverse contract's mark when the linear one has none, else the index); for an option the
    /// forward of its expiry from the surface.
    /// </summary>
    public double UnderlyingPrice(Instrument instrument) => instrument switch
    {
        SpotInstrument s => Index(s.Currency),
        FutureInstrument f => FuturesMarks.TryGetValue(f.Name, out var m) ? m
            : FuturesMarks.TryGetValue(InverseName(f), out var inv) ? inv
            : f.IsPerpetual ? Index(f.Currency)
            : Surface(f.Currency).Forward(YearsTo(f.Expiry!.Value)),
        OptionInstrument o => Surface(o.Currency).Forward(YearsTo(o.Expiry)),
        _ => throw new ArgumentException($"unknown instrument kind {instrument.GetType().Name}", nameof(instrument)),
    };

    /// <summary>The surface of a coin.</summary>
    /// <exception cref="DataValidationException">No surface for the coin.</exception>
    public IVolSurface Surface(string currency) =>
        Surfaces.TryGetValue(currency, out var s) ? s
            : throw new DataValidationException($"market snapshot has no volatility surface for {currency}", field: "surface");

    private static string InverseName(FutureInstrument f) =>
        f.IsPerpetual ? f.Currency + "-PERPETUAL" : f.Currency + f.Name[f.Name.IndexOf('-')..];
}
