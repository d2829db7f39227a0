using CryptoMargin.Margin.Tiered;
using CryptoMargin.MarketData;

namespace CryptoMargin.Tests.Margin.Tiered;

public class TieredMarginBatchTests
{
    [Fact]
    public void BatchEqualsTheModelPositionByPosition()
    {
        // The batch kernel against the model (one linear position per call), random sizes and prices from a seeded generator.
        var rng = new Random(5);
        const int n = 200;
        var sizes = new double[n];
        var prices = new double[n];
        for (int k = 0; k < n; k++)
        {
            sizes[k] = (rng.NextDouble() - 0.5) * 400;
            prices[k] = 50_000 + rng.NextDouble() * 100_000;
        }
        foreach (var brackets in new[] { null, MaintenanceBrackets.BinanceBtcUsdtExample })
        {
            var im = new double[n];
            var mm = new double[n];
            TieredMarginKernels.FuturesMargins(sizes, prices, FuturesMarginRates.DeribitBtc, brackets, im, mm);
            var parameters = brackets is null ? TieredMarginParameters.Deribit : TieredMarginParameters.Deribit with
            {
                MaintenanceBrackets = new Dictionary<string, MaintenanceBrackets> { ["BTC"] = brackets },
            };
            var model = new TieredMarginModel(parameters);
            for (int k = 0; k < n; k++)
            {
                var market = new MarketSnapshot(DateTimeOffset.UnixEpoch, new Dictionary<string, double> { ["BTC"] = prices[k] },
                    new Dictionary<string, double>(), new Dictionary<string, CryptoMargin.Surfaces.IVolSurface>());
                var book = new CryptoMargin.Portfolios.Portfolio("USD", new Dictionary<string, double>(),
                    [new CryptoMargin.Portfolios.Position(CryptoMargin.Instruments.Instrument.Parse("BTC_USDC-PERPETUAL"), sizes[k])]);
                var r = Assert.Single(model.Compute(book, market));
                Assert.Equal(r.InitialMargin, im[k], 1e-9 * r.InitialMargin);
                Assert.Equal(r.MaintenanceMargin, mm[k], 1e-9 * r.InitialMargin);
            }
        }
        Assert.Throws<ArgumentException>(() => TieredMarginKernels.FuturesMargins(sizes, prices.AsSpan(1), FuturesMarginRates.DeribitBtc, null, new double[n], new double[n]));
    }
}
