using CryptoMargin.Instruments;
using CryptoMargin.MarketData;
using CryptoMargin.MarketData.Options;
using CryptoMargin.Surfaces;

namespace CryptoMargin.Margin.Engine;

/// <summary>
/// The live instruments of a Deribit option snapshot and a <see cref="MarketSnapshot"/> to revalue them against, built
/// from the chains of one snapshot (one per coin): every option with time left; every listed future the options are
/// marked against (the quotes' <see cref="OptionQuote.UnderlyingInstrument"/> when it is not a <c>SYN.</c> synthetic
/// forward), its mark the median of those quotes' forwards; the coin's inverse perpetual (<c>BTC-PERPETUAL</c>) and
/// linear perpetual (<c>BTC_USDC-PERPETUAL</c>), marked at the index (entered in the futures marks: the chain holds no perpetual price; the
/// index is the median of the quotes' <see cref="OptionQuote.IndexPrice"/>); and per coin a <see cref="SliceVolSurface"/> of
/// raw-SVI fits (<see cref="SviCalibration"/>) to each expiry's out-of-the-money mark IVs (expiries with fewer than five
/// usable quotes are left to the surface's interpolation). Time to expiry is ACT/365 from the chains' valuation time.
/// </summary>
public sealed record LiveMarket(IReadOnlyList<Instrument> Instruments, MarketSnapshot Snapshot)
{
    /// <exception cref="DataValidationException">No chains, chains without a valuation time or underlying, or at different times.</exception>
    public static LiveMarket FromChains(IReadOnlyList<OptionChain> chains)
    {
        ArgumentNullException.ThrowIfNull(chains);
        if (chains.Count == 0) throw new DataValidationException("no option chains to build a market from", field: "chain");
        var time = chains[0].ValuationTime
            ?? throw new DataValidationException("the option chain has no valuation time (a surface file, not a snapshot)", field: "timestamp");
        var index = new Dictionary<string, double>(StringComparer.Ordinal);
        var marks = new Dictionary<string, double>(StringComparer.Ordinal);
        var surfaces = new Dictionary<string, IVolSurface>(StringComparer.Ordinal);
        var instruments = new List<Instrument>();
        foreach (var chain in chains)
        {
            if (chain.ValuationTime != time)
                throw new DataValidationException($"chains at different times ({chain.ValuationTime:u} vs {time:u})", field: "timestamp");
            string coin = chain.Underlying ?? throw new DataValidationException("an option chain has no underlying", field: "underlying");
            var snapshotForTime = new MarketSnapshot(time, index, marks, surfaces);
            var live = chain.Quotes.Where(q => q.Expiry is DateTimeOffset e && snapshotForTime.YearsTo(e) > 0).ToList();
            if (live.Count == 0) throw new DataValidationException($"{coin}: no option has time left at {time:u}", field: "expiry");
            var indices = live.Where(q => q.IndexPrice is > 0).Select(q => q.IndexPrice!.Value).ToArray();
            if (indices.Length == 0) throw new DataValidationException($"{coin}: no index price in the chain", field: "index_price");
            index[coin] = PriceValidator.Median(indices);
            foreach (var g in live.Where(q => q.UnderlyingInstrument is { } u && !u.StartsWith("SYN.", StringComparison.Ordinal))
                         .GroupBy(q => q.UnderlyingInstrument!).OrderBy(g => g.Key, StringComparer.Ordinal))
            {
                marks[g.Key] = PriceValidator.Median(g.Select(q => q.Forward).ToArray());
                instruments.Add(Instrument.Parse(g.Key));
            }
            foreach (var perpetual in new[] { coin + "-PERPETUAL", coin + "_USDC-PERPETUAL" })
            {
                marks[perpetual] = index[coin];
                instruments.Add(Instrument.Parse(perpetual));
            }
            var slices = new List<(double T, double Forward, SviParameters Parameters)>();
            foreach (var expiry in live.GroupBy(q => q.Expiry!.Value).OrderBy(g => g.Key))
            {
                double t = snapshotForTime.YearsTo(expiry.Key);
                double f = PriceValidator.Median(expiry.Select(q => q.Forward).ToArray());
                var otm = expiry.Where(q => q.MarkIv is > 0 && (q.Type == Pricing.OptionType.Call ? q.Strike >= f : q.Strike < f)).ToList();
                if (otm.Count < 5) continue;
                var slice = new VolSlice(t, f, [.. otm.Select(q => Math.Log(q.Strike / f))], [.. otm.Select(q => q.MarkIv!.Value)]);
                slices.Add((t, f, SviCalibration.Fit(slice).Parameters));
            }
            surfaces[coin] = new SliceVolSurface(slices);
            foreach (var q in live.OrderBy(q => q.Expiry).ThenBy(q => q.Strike).ThenBy(q => q.Type))
                instruments.Add(OptionInstrument.Parse(q.Instrument));
        }
        return new LiveMarket(instruments, new MarketSnapshot(time, index, marks, surfaces));
    }
}
