using CryptoMargin.Instruments;
using CryptoMargin.Margin.Scenarios;
using CryptoMargin.Margin.Span;

namespace CryptoMargin.Tests.Margin.Span;

public class SpanRiskTests
{
    [Fact]
    public void AccountScanEqualsThePositionByPositionSum()
    {
        // 30 instruments' unit arrays, 100 positions drawn with a seeded generator; reference: the plain double loop.
        var rng = new Random(20260301);
        var scan = new SpanParameters().Scan("BTC");
        var unit = new double[30 * 16];
        for (int i = 0; i < 30; i++)
        {
            var option = Instrument.Parse($"BTC_USDC-27MAR26-{60_000 + 2_000 * i}-{(i % 2 == 0 ? "C" : "P")}");
            SpanRisk.UnitRiskArray(option, 90_000, 0.07, 0.5 + 0.01 * i, scan, unit.AsSpan(16 * i, 16));
        }
        var idx = new int[100];
        var sizes = new double[100];
        var reference = new double[16];
        for (int j = 0; j < 100; j++)
        {
            idx[j] = rng.Next(30);
            sizes[j] = Math.Round(rng.NextDouble() * 20 - 10, 1);
            for (int k = 0; k < 16; k++) reference[k] += sizes[j] * unit[16 * idx[j] + k];
        }
        var book = new double[16];
        double risk = SpanRisk.AccountScanningRisk(unit, idx, sizes, book, out int binding);
        for (int k = 0; k < 16; k++) Assert.Equal(reference[k], book[k], 1e-9 * (1 + Math.Abs(reference[k])));
        Assert.Equal(Math.Max(0, reference.Max()), risk, 1e-9 * (1 + risk));
        Assert.Equal(Array.IndexOf(reference, reference.Max()), binding);
        Assert.Throws<ArgumentException>(() => SpanRisk.AccountScanningRisk(unit, [30], [1.0], book, out _));
        Assert.Throws<ArgumentException>(() => SpanRisk.AccountScanningRisk(unit, [1, 2], [1.0], book, out _));
    }

    [Fact]
    public void OptionRiskArrayIsCoveredFullRevaluationOnShiftedVol()
    {
        // A coin-settled put: each entry is −coverage × (P(F(1+s), σ(1+v))/(F(1+s)) − P(F, σ)/F).
        var put = Instrument.Parse("BTC-26JUN26-80000-P");
        var scan = new SpanScan(0.2, 0.4, 0.3, 3, 0.35);
        Span<double> unit = stackalloc double[16];
        SpanRisk.UnitRiskArray(put, 85_000, 0.32, 0.6, scan, unit);
        double[] move = [0, 0, 0.2 / 3, 0.2 / 3, -0.2 / 3, -0.2 / 3, 0.4 / 3, 0.4 / 3, -0.4 / 3, -0.4 / 3, 0.2, 0.2, -0.2, -0.2, 0.6, -0.6];
        double[] vol = [0.4, -0.3, 0.4, -0.3, 0.4, -0.3, 0.4, -0.3, 0.4, -0.3, 0.4, -0.3, 0.4, -0.3, 0, 0];
        for (int k = 0; k < 16; k++)
        {
            double f1 = 85_000 * (1 + move[k]);
            double p0 = CryptoMargin.Pricing.Black76.Price(85_000, 80_000, 0.32, 0.6, CryptoMargin.Pricing.OptionType.Put) / 85_000;
            double p1 = CryptoMargin.Pricing.Black76.Price(f1, 80_000, 0.32, 0.6 * (1 + vol[k]), CryptoMargin.Pricing.OptionType.Put) / f1;
            double cover = k >= 14 ? 0.35 : 1;
            Assert.Equal(-cover * (p1 - p0), unit[k], 1e-15);
        }
        // A put loses most when the price rises and vol falls (scenario 12).
        SpanRisk.ScanningRisk(unit, out int worst);
        Assert.Equal(12, SpanScenarios.Standard[worst].Number);
        Assert.Equal(Revaluation.UnitPnl(put, 85_000, 0.32, 0.6, 0.2, 0.42), -unit[11], 1e-15);
    }
}
