using CryptoMargin.Instruments;
using CryptoMargin.MarketData;
using CryptoMargin.Surfaces;

namespace CryptoMargin.Tests.Margin.Engine;

/// <summary>
/// A small market for the engine tests: BTC and ETH, each with an SVI surface of three expiries (skewed, like crypto
/// smiles), inverse options at strikes 0.5F … 2F, inverse dated futures, inverse and linear perpetuals, linear
/// (USDC) options and a spot pair; valuation 2026-08-22 09:35 UTC. Parameters are made up for the test, not fitted.
/// </summary>
internal static class SyntheticMarket
{
    public static readonly DateTimeOffset Time = new(2026, 8, 22, 9, 35, 36, TimeSpan.Zero);

    public static (List<Instrument> Instruments, MarketSnapshot Snapshot) Build()
    {
        var expiries = new[] { new DateTimeOffset(2026, 8, 23, 8, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 9, 25, 8, 0, 0, TimeSpan.Zero),
            new DateTimeOffset(2026, 12, 25, 8, 0, 0, TimeSpan.Zero) };
        var index = new Dictionary<string, double> { ["BTC"] = 77_200, ["ETH"] = 2_421 };
        var marks = new Dictionary<string, double>();
        var surfaces = new Dictionary<string, IVolSurface>();
        var instruments = new List<Instrument>();
        foreach (var (coin, s0) in index)
        {
            var slices = new List<(double, double, SviParameters)>();
            for (int e = 0; e < expiries.Length; e++)
            {
                double t = (expiries[e] - Time).TotalDays / 365.0;
                double f = s0 * (1 + 0.05 * t);
                slices.Add((t, f, new SviParameters(0.25 * t, 0.08 + 0.05 * e, -0.25, 0.02, 0.15)));
                string tag = expiries[e].ToString("dMMMyy", System.Globalization.CultureInfo.InvariantCulture).ToUpperInvariant();
                if (e > 0)
                {
                    marks[$"{coin}-{tag}"] = f;
                    instruments.Add(Instrument.Parse($"{coin}-{tag}"));
                }
                foreach (double m in new[] { 0.5, 0.8, 0.95, 1.0, 1.05, 1.25, 2.0 })
                {
                    double k = Math.Round(f * m / (coin == "BTC" ? 1000 : 50)) * (coin == "BTC" ? 1000 : 50);
                    instruments.Add(Instrument.Parse($"{coin}-{tag}-{k:0}-C"));
                    instruments.Add(Instrument.Parse($"{coin}-{tag}-{k:0}-P"));
                    if (e == 1 && m is 0.95 or 1.05) instruments.Add(Instrument.Parse($"{coin}_USDC-{tag}-{k:0}-C"));
                }
            }
            surfaces[coin] = new SliceVolSurface(slices);
            instruments.Add(Instrument.Parse($"{coin}-PERPETUAL"));
            instruments.Add(Instrument.Parse($"{coin}_USDC-PERPETUAL"));
            instruments.Add(Instrument.Parse($"{coin}_USDC"));
        }
        return (instruments, new MarketSnapshot(Time, index, marks, surfaces));
    }
}
