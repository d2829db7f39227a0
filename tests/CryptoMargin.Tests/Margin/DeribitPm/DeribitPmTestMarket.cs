using CryptoMargin.Instruments;
using CryptoMargin.MarketData;
using CryptoMargin.Portfolios;
using CryptoMargin.Surfaces;

namespace CryptoMargin.Tests.Margin.DeribitPm;

/// <summary>A flat-vol surface with forwards S·e^{b t}: every figure of a test can be recomputed by hand from it.</summary>
internal sealed class FlatSurface(double spot, double vol, double basis = 0) : IVolSurface
{
    public double Forward(double t) => spot * Math.Exp(basis * t);
    public double ImpliedVolatility(double strike, double t) => vol;
}

internal static class DeribitPmTestMarket
{
    public static readonly DateTimeOffset Now = new(2026, 1, 15, 8, 0, 0, TimeSpan.Zero);

    /// <summary>BTC at 90,000 and ETH at 3,000, flat vols 0.5 / 0.7, no basis unless given; futures marks as given.</summary>
    public static MarketSnapshot Create(double btc = 90_000, double eth = 3_000, double btcVol = 0.5, double ethVol = 0.7,
        double basis = 0, IReadOnlyDictionary<string, double>? marks = null) =>
        new(Now,
            new Dictionary<string, double> { ["BTC"] = btc, ["ETH"] = eth },
            marks ?? new Dictionary<string, double>(),
            new Dictionary<string, IVolSurface> { ["BTC"] = new FlatSurface(btc, btcVol, basis), ["ETH"] = new FlatSurface(eth, ethVol, basis) });

    public static Portfolio Book(params (string Name, double Size)[] positions) =>
        new("BTC", new Dictionary<string, double>(), [.. positions.Select(p => new Position(Instrument.Parse(p.Name), p.Size))]);
}
