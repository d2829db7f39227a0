using CryptoMargin.Data.Markets;
using CryptoMargin.Instruments;
using CryptoMargin.MarketData;

namespace CryptoMargin.Data.Tests.Markets;

/// <summary>The JSON market format: values as written, SVI and flat smiles against their formulas, errors with file/line/field.</summary>
public class MarketJsonTests
{
    private const string Valid = """
        {
          "valuationTime": "2026-04-15T10:00:00Z",
          "index": { "BTC": 74000, "ETH": 2300 },
          "marks": { "BTC-PERPETUAL": 74010, "BTC-26JUN26": 74300 },
          "surfaces": {
            "BTC": { "slices": [
              { "expiry": "26JUN26", "svi": { "a": 0.02, "b": 0.05, "rho": -0.3, "m": 0.01, "sigma": 0.2 } },
              { "expiry": "2026-09-25T08:00:00Z", "forward": 74800, "atmVol": 0.45 }
            ] },
            "ETH": { "slices": [ { "expiry": "29MAY26", "atmVol": 0.6 } ] }
          }
        }
        """;

    [Fact]
    public void ReadsIndexMarksAndSurfaces()
    {
        using var dir = new TempFolder();
        var market = MarketSnapshotLoader.Load(dir.Write("m.json", Valid));
        var s = market.Snapshot;
        Assert.Equal(new DateTimeOffset(2026, 4, 15, 10, 0, 0, TimeSpan.Zero), s.ValuationTime);
        Assert.Equal(74000, s.Index("BTC"));
        Assert.Equal(74300, s.FuturesMarks["BTC-26JUN26"]);

        // SVI slice: forward defaults to the mark of BTC-26JUN26; σ = √(w(k)/t), w = a + b(ρ(k−m) + √((k−m)² + σ²)) (Gatheral 2004).
        double t1 = (new DateTimeOffset(2026, 6, 26, 8, 0, 0, TimeSpan.Zero) - s.ValuationTime).TotalDays / 365.0;
        Assert.Equal(74300, s.Surface("BTC").Forward(t1), 9);
        foreach (double strike in new[] { 60000.0, 74300, 90000 })
        {
            double k = Math.Log(strike / 74300), x = k - 0.01;
            double w = 0.02 + 0.05 * (-0.3 * x + Math.Sqrt(x * x + 0.04));
            Assert.Equal(Math.Sqrt(w / t1), s.Surface("BTC").ImpliedVolatility(strike, t1), 12);
        }
        // Flat smile: 0.45 at every strike of its expiry; ETH forward defaults to the index (no future listed).
        double t2 = (new DateTimeOffset(2026, 9, 25, 8, 0, 0, TimeSpan.Zero) - s.ValuationTime).TotalDays / 365.0;
        Assert.Equal(0.45, s.Surface("BTC").ImpliedVolatility(50000, t2), 12);
        Assert.Equal(0.45, s.Surface("BTC").ImpliedVolatility(120000, t2), 12);
        Assert.Equal(74800, s.Surface("BTC").Forward(t2), 9);
        double t3 = (new DateTimeOffset(2026, 5, 29, 8, 0, 0, TimeSpan.Zero) - s.ValuationTime).TotalDays / 365.0;
        Assert.Equal(2300, s.Surface("ETH").Forward(t3), 9);
        Assert.Equal(0.6, s.Surface("ETH").ImpliedVolatility(2000, t3), 12);
        // Without listed option marks, any unexpired option of a coin with a surface can be valued.
        Assert.Null(market.Problem(Instrument.Parse("ETH-26JUN26-2500-P")));
        Assert.Contains("expired", market.Problem(Instrument.Parse("ETH-10APR26-2500-P")));
    }

    [Theory]
    [InlineData("\"BTC\": 74000,", "\"BTC\": -1,", 3, "index.BTC", "outside")]
    [InlineData("\"BTC-26JUN26\": 74300", "\"BTC-26JUN26-1-C\": 74300", 4, "marks.BTC-26JUN26-1-C", "not a future")]
    [InlineData("\"BTC-26JUN26\": 74300", "\"BTC-26JUX26\": 74300", 4, "marks.BTC-26JUX26", "neither PERPETUAL nor an expiry")]
    [InlineData("\"rho\": -0.3", "\"rho\": -1.3", 7, "surfaces.BTC.slices[0].svi.rho", "outside")]
    [InlineData("\"atmVol\": 0.45", "\"atmVol\": 0.45, \"svi\": {}", 8, "surfaces.BTC.slices[1]", "exactly one")]
    [InlineData("\"expiry\": \"29MAY26\"", "\"expiry\": \"10APR26\"", 10, "surfaces.ETH.slices[0].expiry", "not after the valuation time")]
    [InlineData("\"valuationTime\": \"2026-04-15T10:00:00Z\"", "\"valuationTime\": \"yesterday\"", 2, "valuationTime", "ISO-8601")]
    [InlineData("\"index\": { \"BTC\": 74000, \"ETH\": 2300 }", "\"index\": { \"BTC\": 74000 }", 10, "surfaces.ETH", "needs its index")]
    [InlineData("\"marks\"", "\"mark\"", 4, "mark", "unknown field")]
    public void BadFieldsNameFileLineAndField(string from, string to, int line, string field, string reason)
    {
        string text = Valid.Replace(from, to, StringComparison.Ordinal);
        Assert.NotEqual(Valid, text);
        using var dir = new TempFolder();
        var path = dir.Write("bad.json", text);
        var e = Assert.Throws<DataValidationException>(() => MarketSnapshotLoader.Load(path));
        Assert.Equal(path, e.File);
        Assert.Equal(line, e.Line);
        Assert.Equal(field, e.Field);
        Assert.Contains(reason, e.Reason, StringComparison.Ordinal);
    }
}
