using CryptoMargin.Instruments;
using CryptoMargin.Margin.Span;

namespace CryptoMargin.Tests.Margin.Span;

/// <summary>Published SPAN examples reproduced; each quotes its source and numbers.</summary>
public class SpanPublishedExamplesTests
{
    // L. G. McMillan, "Options as a Strategic Investment", 5th ed., ch. 34 "Futures and Futures Options",
    // pp. 668–670 (the SPAN risk arrays of an S&P 500 future, a long Dec 410 call and the covered write), as P&L of one
    // long contract (gain > 0) in CME's scenario order 1–16. Futures: scan range $10,000 (20 points × $500), extreme move
    // $7,000 (14 points). Not CME's own document: CME's PowerPoint (cmegroup.com/clearing/span-methodology.html) prints
    // no complete array in text that we could retrieve.
    private static readonly double[] McMillanLongFuturePnl =
        [0, 0, 3_330, 3_330, -3_330, -3_330, 6_670, 6_670, -6_670, -6_670, 10_000, 10_000, -10_000, -10_000, 7_000, -7_000];

    private static readonly double[] McMillanLongCallPnl =
        [460, -610, 2_640, 1_730, -1_270, -2_340, 5_210, 4_540, -2_540, -3_430, 8_060, 7_640, -3_380, -3_990, 3_130, -1_500];

    /// <summary>SPAN's risk arrays count losses positive: the book's P&amp;L negated (the edge conversion).</summary>
    private static double[] Losses(double[] pnl) => pnl.Select(p => -p).ToArray();

    [Fact]
    public void McMillanScanningRisksAreTheLargestLosses()
    {
        // "the SPAN requirement would be $3,990 ('futures down three-thirds; volatility down')" for the long call.
        Assert.Equal(3_990, SpanRisk.ScanningRisk(Losses(McMillanLongCallPnl), out int call), 9);
        Assert.Equal(14, SpanScenarios.Standard[call].Number);
        // The future alone: $10,000 (scenario 13, first of the two equal worst ones).
        Assert.Equal(10_000, SpanRisk.ScanningRisk(Losses(McMillanLongFuturePnl), out int fut), 9);
        Assert.Equal(13, SpanScenarios.Standard[fut].Number);
        // Covered write = long future + short call: McMillan's column, worst "-6,620" in "futures down 3/3; vol up".
        var book = new double[16];
        SpanRisk.Accumulate(book, Losses(McMillanLongFuturePnl), 1);
        SpanRisk.Accumulate(book, Losses(McMillanLongCallPnl), -1);
        double[] mcMillanCoveredWrite =
            [-460, 610, 690, 1_600, -2_060, -990, 1_460, 2_130, -4_130, -3_240, 1_940, 2_360, -6_620, -6_010, 3_870, -5_500];
        for (int k = 0; k < 16; k++) Assert.Equal(-mcMillanCoveredWrite[k], book[k], 9);
        Assert.Equal(6_620, SpanRisk.ScanningRisk(book, out int cw), 9);
        Assert.Equal(13, SpanScenarios.Standard[cw].Number);
    }

    [Fact]
    public void FutureRiskArrayByFullRevaluationMatchesMcMillansArray()
    {
        // $500 a point on a future at 410 points: 500 "coins" of a linear future priced at 410. Range 20 points. The
        // extreme move of 14 points = 0.35 × 2 × 20: the older SPAN convention of twice the range at 35% coverage
        // (CME's current one is three times the range).
        var future = Instrument.Parse("SPX_USD-20DEC26");
        var scan = new SpanScan(PriceScanRange: 20.0 / 410, VolScanUp: 0.3, VolScanDown: 0.3, ExtremeMoveMultiple: 2, ExtremeMoveCoverage: 0.35);
        Span<double> unit = stackalloc double[16];
        SpanRisk.UnitRiskArray(future, 410, 0.1, 0, scan, unit);
        for (int k = 0; k < 16; k++)
        {
            // McMillan rounds 3,333.33 to 3,330 and 6,666.67 to 6,670.
            Assert.Equal(-McMillanLongFuturePnl[k], 500 * unit[k], 5.0);
        }
    }

    [Fact]
    public void CmeInterCommoditySpreadCornVersusSoybeans()
    {
        // CME Group, "Spread Calculations", https://www.cmegroup.com/clearing/margins/spread-calc.html: "Corn vs.
        // Soybeans (2:1) - 55% Inter Rate; Outright Rates Corn $1750, Soybeans $2500; $1750*2 + $2500 = $6000 outright
        // margin ... savings of $3300 total (3500*0.55 + 2500*0.55 = $3300) ... final margin charge on this spread $2700."
        // Long 2 corn against short 1 soybean; each leg's price risk is its outright margin.
        SpanRisk.InterCommodityCredit(deltaA: 2, priceRiskA: 2 * 1_750, ratioA: 2, deltaB: -1, priceRiskB: 2_500, ratioB: 1,
            creditRate: 0.55, out double corn, out double soy);
        Assert.Equal(3_500 * 0.55, corn, 9);
        Assert.Equal(2_500 * 0.55, soy, 9);
        Assert.Equal(3_300, corn + soy, 9);
        Assert.Equal(2_700, 2 * 1_750 + 2_500 - (corn + soy), 9);
        // Half the corn: only half a spread forms, so half of each leg's credit.
        SpanRisk.InterCommodityCredit(1, 1_750, 2, -1, 2_500, 1, 0.55, out double corn1, out double soy1);
        Assert.Equal(0.55 * 1_750, corn1, 9);
        Assert.Equal(0.55 * 2_500 / 2, soy1, 9);
        // Same-signed deltas form no spread.
        SpanRisk.InterCommodityCredit(2, 3_500, 2, 1, 2_500, 1, 0.55, out double c0, out double s0);
        Assert.Equal(0, c0 + s0);
    }

    [Theory]
    // CME Group, "Spread Calculations" (same page), intra spreads: "Product X Month 2 - $500, Month 3 - $500, Month 4 - $750;
    // Intra Spread Charge Month 2 vs. 3 - $200, Month 2 vs. 4 - $50, Month 3 vs. 4 - $0; +1 Month 2 and -1 Month 3 has a
    // margin of $200 : ($500 -$500)+$200; +1 Month 2 and -1 Month 4 has a margin of $300 : ($750 -$500)+$50; +1 Month 3
    // and -1 Month 4 has a margin of $250 : ($750 -$500)+$0".
    [InlineData(1, 2, 200)]
    [InlineData(1, 3, 300)]
    [InlineData(2, 3, 250)]
    public void CmeIntraCommoditySpreadMonths(int longTier, int shortTier, double expected)
    {
        // Months 2, 3, 4 as tiers 1, 2, 3; outright margin = price scan range of each month's future (CME: "the price scan
        // range is equal to the current Maintenance Requirement"). Futures priced at 1,000 with relative ranges 0.5, 0.5,
        // 0.75. The page's arithmetic takes the scanning risk as the outright difference, i.e. the extreme scenarios do
        // not bind: true at the older 2 × range × 35% (0.7 of the range); at CME's current 3 × 35% = 1.05 of the range
        // the extreme scenario would give 5% more than the page's difference. The page says its rates are examples.
        double[] ranges = [0.5, 0.5, 0.75];
        var future = Instrument.Parse("XYZ_USD-20DEC26");
        var book = new double[16];
        Span<double> unit = stackalloc double[16];
        foreach (var (tier, size) in new[] { (longTier, 1.0), (shortTier, -1.0) })
        {
            SpanRisk.UnitRiskArray(future, 1_000, 0.2, 0, new SpanScan(ranges[tier - 1], 0.3, 0.3, 2, 0.35), unit);
            SpanRisk.Accumulate(book, unit, size);
        }
        double scan = SpanRisk.ScanningRisk(book, out _);
        Span<double> deltas = stackalloc double[3];
        deltas[longTier - 1] = 1;
        deltas[shortTier - 1] = -1;
        Span<double> charges = stackalloc double[3];
        var spreads = new[] { new SpanTierSpread(1, 2, 200), new SpanTierSpread(1, 3, 50), new SpanTierSpread(2, 3, 0) };
        double intra = SpanRisk.IntraCommoditySpreadCharge(deltas, spreads, valuePerDelta: 1, charges);
        Assert.Equal(expected, scan + intra, 9);
        Assert.Equal(0, deltas[0] + deltas[1] + deltas[2]);
        Assert.Equal(intra, charges[0] + charges[1] + charges[2], 12);
    }
}
