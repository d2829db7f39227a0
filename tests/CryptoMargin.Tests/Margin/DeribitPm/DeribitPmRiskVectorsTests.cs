using CryptoMargin.Instruments;
using CryptoMargin.Margin.DeribitPm;
using CryptoMargin.Margin.Scenarios;
using CryptoMargin.MarketData;
using CryptoMargin.Pricing;

namespace CryptoMargin.Tests.Margin.DeribitPm;

public class DeribitPmRiskVectorsTests
{
    private static readonly DeribitPmParameters P = DeribitPmParameters.Default;

    // Deribit's documented private/pme/simulate example, result.initial_risk_vectors["BTC-PERPETUAL"].standard
    // (https://docs.deribit.com/api-reference/account-management/private-simulate): the first 19 of 27 entries as the
    // page shows them (the 19th cut at 9 significant digits there). A long position's vector in BTC.
    private static readonly double[] PublishedPerpetual =
    [
        -0.05991206933333334, -0.05991206933333334, -0.05991206933333334,
        -0.04289159509090909, -0.04289159509090909, -0.04289159509090909,
        -0.027351162086956524, -0.027351162086956524, -0.027351162086956524,
        -0.013105765166666668, -0.013105765166666668, -0.013105765166666668,
        0, 0, 0,
        0.012097629384615385, 0.012097629384615385, 0.012097629384615385,
        0.023299138,
    ];

    [Fact]
    public void ReproducesDeribitsPublishedPerpetualRiskVector()
    {
        // Our per-USD vector of BTC-PERPETUAL, times one constant (the position's coin exposure q/F₀, which the page does
        // not give), equals the published vector: same grid order (price-major, 3 vol columns), same bucket spacing,
        // same inverse P&L (q/F₀)(1 − 1/(1+s)).
        var perp = Instrument.Parse("BTC-PERPETUAL");
        var v = DeribitPmRiskVectors.Compute(perp, DeribitPmTestMarket.Create(btc: 66_500), P);
        Assert.Equal(27, v.Standard.Length);
        double exposure = PublishedPerpetual[0] / v.Standard[0]; // q in USD
        Assert.Equal(20_917, exposure, 0.5); // ≈ 0.3145 BTC at 66,500 USD
        for (int j = 0; j < 18; j++)
            Assert.Equal(PublishedPerpetual[j], exposure * v.Standard[j], 1e-15);
        Assert.Equal(PublishedPerpetual[18], exposure * v.Standard[18], 1e-9);
        // Independently: the coin exposure c = q/F₀ recovered from each published entry is one number.
        for (int j = 0; j < 18; j++)
        {
            double s = -0.16 + 0.04 * (j / 3);
            if (s != 0) Assert.Equal(0.314538364, PublishedPerpetual[j] / (1 - 1 / (1 + s)), 1e-9);
        }
    }

    [Fact]
    public void ShortInversePerpetualLosesQTimesOneOverOnePlusSMinusOne()
    {
        // The formula for a short inverse perpetual of q USD: P&L in coin = (q/F₀)(1/(1+s) − 1).
        double f0 = 90_000, q = 50_000;
        var v = DeribitPmRiskVectors.Compute(Instrument.Parse("BTC-PERPETUAL"), DeribitPmTestMarket.Create(btc: f0), P);
        for (int j = 0; j < 27; j++)
        {
            double s = DeribitPmScenarios.StandardPriceShock(j, P);
            Assert.Equal(q / f0 * (1 / (1 + s) - 1), -q * v.Standard[j], 1e-15);
        }
        for (int e = 0; e < 8; e++)
            Assert.Equal(q / f0 * (1 / (1 + P.ExtendedMoves[e]) - 1), -q * v.Extended[e], 1e-14);
        Assert.Equal(1 / f0, v.Delta, 1e-20);
    }

    [Fact]
    public void OptionVectorIsBlack76RevaluationUnderTheShockedVols()
    {
        // Inverse BTC call, 45 days, flat 60% vol: each entry recomputed from Black-76 in coin with the shock law written out.
        var market = DeribitPmTestMarket.Create(btc: 90_000, btcVol: 0.6, basis: 0.05);
        var call = (OptionInstrument)Instrument.Parse("BTC-1MAR26-100000-C");
        var v = DeribitPmRiskVectors.Compute(call, market, P);
        double t = (call.Expiry - DeribitPmTestMarket.Now).TotalDays / 365, dte = t * 365, f0 = 90_000 * Math.Exp(0.05 * t);
        Assert.Equal(45, dte, 1e-9);
        double factor = Math.Pow(30 / dte, 0.13);
        double[] vols = [0.6 * (1 - 0.25 * factor), 0.6, Math.Max(0.6 * (1 + 0.5 * factor), 0.5)];
        double c0 = Black76.Price(f0, 100_000, t, 0.6, OptionType.Call) / f0;
        for (int j = 0; j < 27; j++)
        {
            double f1 = f0 * (1 - 0.16 + 0.04 * (j / 3));
            Assert.Equal(Black76.Price(f1, 100_000, t, vols[j % 3], OptionType.Call) / f1 - c0, v.Standard[j], 1e-14);
        }
        for (int e = 0; e < 8; e++)
        {
            double f1 = f0 * (1 + P.ExtendedMoves[e]);
            Assert.Equal(Black76.Price(f1, 100_000, t, vols[2], OptionType.Call) / f1 - c0, v.Extended[e], 1e-14);
        }
        // The same figures as Revaluation.UnitPnl (the shared convention), scenario by scenario.
        for (int j = 0; j < 27; j++)
            Assert.Equal(Revaluation.UnitPnl(call, f0, t, 0.6, DeribitPmScenarios.StandardPriceShock(j, P), vols[j % 3]), v.Standard[j], 1e-15);
        // Net transaction delta (Deribit): Black delta minus the coin mark; check against a central finite difference of the coin value.
        double h = 1e-3 * f0;
        double fd = (Black76.Price(f0 + h, 100_000, t, 0.6, OptionType.Call) / (f0 + h) - Black76.Price(f0 - h, 100_000, t, 0.6, OptionType.Call) / (f0 - h)) / (2 * h) * f0;
        Assert.Equal(fd, v.Delta, 1e-6);
        Assert.Equal(0.6, v.Volatility);
        Assert.Equal(0, v.RollShock);
    }

    [Fact]
    public void LinearInstrumentsMoveBySizeTimesPriceTimesShock()
    {
        var market = DeribitPmTestMarket.Create(eth: 3_000);
        var v = DeribitPmRiskVectors.Compute(Instrument.Parse("ETH_USDC-PERPETUAL"), market, P);
        for (int j = 0; j < 27; j++) Assert.Equal(3_000 * DeribitPmScenarios.StandardPriceShock(j, P), v.Standard[j], 1e-10);
        // The grid is symmetric: a linear vector is odd around the middle price point.
        for (int b = 0; b < 9; b++) Assert.Equal(-v.Standard[3 * (8 - b) + 1], v.Standard[3 * b + 1], 1e-10);
        Assert.Equal(1, v.Delta);
        Assert.Equal(3_000, v.UnderlyingValue);
    }

    [Fact]
    public void DatedFutureRollShockIsAnnualisedMoveTimesYearsWithAFloor()
    {
        var market = DeribitPmTestMarket.Create(btc: 90_000, basis: 0.1);
        var quarterly = (FutureInstrument)Instrument.Parse("BTC-26JUN26");
        var v = DeribitPmRiskVectors.Compute(quarterly, market, P);
        double t = (quarterly.Expiry!.Value - DeribitPmTestMarket.Now).TotalDays / 365;
        Assert.Equal(0.075 * t, v.RollShock, 1e-15);
        double f0 = 90_000 * Math.Exp(0.1 * t);
        Assert.Equal(f0, v.Underlying, 1e-9);
        Assert.Equal((1 - 1 / (1 + 0.075 * t)) / f0, v.RollPnlUp, 1e-18);
        var weekly = DeribitPmRiskVectors.Compute(Instrument.Parse("BTC-23JAN26"), market, P);
        Assert.Equal(0.01, weekly.RollShock); // 0.075·8/365 < min_annualised_move
        Assert.Equal(0, DeribitPmRiskVectors.Compute(Instrument.Parse("BTC-PERPETUAL"), market, P).RollShock);
    }

    [Fact]
    public void AccumulateIsTheSumOfSizeTimesVector()
    {
        var rng = new Random(7);
        foreach (int n in new[] { 1, 3, 8, 27, 35 })
        {
            var unit = Enumerable.Range(0, n).Select(_ => rng.NextDouble() - 0.5).ToArray();
            var total = Enumerable.Range(0, n).Select(_ => rng.NextDouble()).ToArray();
            var expected = total.Select((x, i) => x + -3.25 * unit[i]).ToArray();
            DeribitPmRiskVectors.Accumulate(unit, -3.25, total);
            for (int i = 0; i < n; i++) Assert.Equal(expected[i], total[i], 1e-15);
        }
        Assert.Throws<ArgumentException>(() => DeribitPmRiskVectors.Accumulate(new double[4], 1, new double[3]));
    }

    [Fact]
    public void AccountScenarioPnlIsTheSparseSumOfRowsAndItsMinimum()
    {
        var rng = new Random(11);
        const int width = 35, instruments = 50;
        var table = Enumerable.Range(0, width * instruments).Select(_ => rng.NextDouble() - 0.5).ToArray();
        int[] which = [.. Enumerable.Range(0, 100).Select(_ => rng.Next(instruments))];
        double[] sizes = [.. which.Select(_ => (rng.NextDouble() - 0.5) * 10)];
        var total = new double[width];
        double worst = DeribitPmRiskVectors.AccountScenarioPnl(table, width, which, sizes, total);
        var expected = new double[width];
        for (int k = 0; k < which.Length; k++)
            for (int j = 0; j < width; j++) expected[j] += sizes[k] * table[which[k] * width + j];
        for (int j = 0; j < width; j++) Assert.Equal(expected[j], total[j], 1e-12);
        Assert.Equal(expected.Min(), worst, 1e-12);
    }

    [Fact]
    public void ExpiredOptionAndMissingSurfaceAreNamed()
    {
        var market = DeribitPmTestMarket.Create();
        var ex = Assert.Throws<DataValidationException>(() => DeribitPmRiskVectors.Compute(Instrument.Parse("BTC-2JAN26-90000-C"), market, P));
        Assert.Contains("BTC-2JAN26-90000-C", ex.Message);
        Assert.Contains("expired", ex.Message);
        var sol = Assert.Throws<DataValidationException>(() => DeribitPmRiskVectors.Compute(Instrument.Parse("SOL_USDC-27MAR26-200-C"), market, P));
        Assert.Contains("SOL_USDC-27MAR26-200-C", sol.Message);
    }
}
