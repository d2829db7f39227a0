namespace CryptoMargin.Margin.Tiered;

/// <summary>
/// The per-position formulas of tiered (non-portfolio) margin, as rates or amounts per unit, allocation-free. Each
/// cites the venue page it comes from; <c>docs/margin/tiered.md</c> collects them with the conventions.
/// </summary>
public static class TieredMarginKernels
{
    /// <summary>
    /// Deribit standard margin rate of a future or perpetual: <c>base + perCoin·|size in coin|</c>, a fraction of the
    /// position's notional. BTC: IM 2% + 0.005%·|BTC|, MM 1% + 0.005%·|BTC|; ETH: IM 2% + 0.0004%·|ETH|,
    /// MM 1% + 0.0004%·|ETH| (Deribit, "11 January 2022" margin change,
    /// https://support.deribit.com/hc/en-us/articles/25944826427293-11-January-2022; worked examples on
    /// https://support.deribit.com/hc/en-us/articles/25944738177565-Linear-Perpetual). Capped at 1 (no more than the
    /// notional).
    /// </summary>
    public static double SizeLinearRate(double baseRate, double ratePerCoin, double sizeInCoin) =>
        Math.Min(1, baseRate + ratePerCoin * Math.Abs(sizeInCoin));

    /// <summary>
    /// Out-of-the-money amount per unit of the underlying price: max(K − F, 0)/F for a call, max(F − K, 0)/F for a put
    /// (F the underlying's mark, K the strike).
    /// </summary>
    public static double OutOfTheMoneyFraction(bool isCall, double underlying, double strike) =>
        (isCall ? Math.Max(strike - underlying, 0) : Math.Max(underlying - strike, 0)) / underlying;

    /// <summary>
    /// Maintenance margin of one short option, per unit, in units of the underlying price (multiply by F for USD,
    /// use as is for coin): call <c>mm + mark</c>; put <c>max(mm, mm·mark) + mark</c>, where <paramref name="mark"/> is
    /// the option's mark in the same units (coin for inverse: C/F). Deribit standard margin for options ("Short call:
    /// MM = 0.075 + mark price; short put: MM = max(0.075, 0.075·mark price) + mark price", the formulas Deribit
    /// documented for coin-settled options, quoted at
    /// https://doc.tslab.pro/tslab/eng/data-providers/connection-to-broker/deribit-cryptocurrency-exchange/deribit-margin-requirements-calculation).
    /// </summary>
    public static double ShortOptionMaintenance(bool isCall, double mark, double maintenanceRate) =>
        isCall ? maintenanceRate + mark : Math.Max(maintenanceRate, maintenanceRate * mark) + mark;

    /// <summary>
    /// Initial margin of one short option, per unit, in units of the underlying price (coin for inverse options):
    /// call <c>max(base − OTM/F, floor) + mark</c>; put <c>max(max(base − OTM/F, floor) + mark, MM)</c> with Deribit's
    /// base 0.15 and floor 0.1 (same source as <see cref="ShortOptionMaintenance"/>).
    /// </summary>
    public static double ShortOptionInitial(bool isCall, double otmFraction, double mark, double baseRate, double floorRate, double maintenanceRate)
    {
        double im = Math.Max(baseRate - otmFraction, floorRate) + mark;
        return isCall ? im : Math.Max(im, ShortOptionMaintenance(false, mark, maintenanceRate));
    }

    /// <summary>
    /// dYdX v4 open-interest-based initial margin fraction: with open notional N (USDC) and caps L &lt; U,
    /// <c>s = (N − L)/(U − L)</c>, <c>IMF = min(base + max(s·(1 − base), 0), 1)</c>: the base IMF up to the lower cap, rising
    /// linearly to 100% at the upper cap (dYdX, "Open Interest Initial Margin Fraction",
    /// https://help.dydx.trade/en/articles/228341-open-interest-initial-margin-fraction). The maintenance fraction does not
    /// scale.
    /// </summary>
    public static double OpenInterestInitialFraction(double baseFraction, double openNotional, double lowerCap, double upperCap)
    {
        double s = (openNotional - lowerCap) / (upperCap - lowerCap);
        return Math.Min(baseFraction + Math.Max(s * (1 - baseFraction), 0), 1);
    }

    /// <summary>
    /// The maintenance amount ("cum") of bracket n of a Binance-style maintenance schedule:
    /// <c>cum_n = cum_{n−1} + floor_n·(rate_n − rate_{n−1})</c>, cum_0 = 0 (Binance, "How to Calculate Liquidation Price of
    /// USDⓈ-M Futures Contracts", https://www.binance.com/en/support/faq/b3c689c1f50a44cabb3a84e663b81d93). It makes
    /// <c>MM(N) = N·rate_n − cum_n</c> continuous at every floor: at N = floor_n both brackets give
    /// floor_n·rate_{n−1} − cum_{n−1}.
    /// </summary>
    public static double NextMaintenanceAmount(double previousAmount, double floor, double rate, double previousRate) =>
        previousAmount + floor * (rate - previousRate);

    /// <summary>
    /// IM and MM in USD of many futures/perpetual positions of one coin at once (the re-margin of a book after a mark
    /// tick): position k of |<paramref name="sizesInCoin"/>[k]| coin at price <paramref name="prices"/>[k] is charged
    /// notional·(size-linear IM rate) and notional·(size-linear MM rate), or <paramref name="brackets"/>' MM where given,
    /// with MM capped at IM as the model does. Divide by the price for an inverse contract's coin amounts. No allocation.
    /// </summary>
    /// <exception cref="ArgumentException">Spans of different lengths.</exception>
    public static void FuturesMargins(ReadOnlySpan<double> sizesInCoin, ReadOnlySpan<double> prices, FuturesMarginRates rates,
        MaintenanceBrackets? brackets, Span<double> initialUsd, Span<double> maintenanceUsd)
    {
        int n = sizesInCoin.Length;
        if (prices.Length != n || initialUsd.Length != n || maintenanceUsd.Length != n)
            throw new ArgumentException($"spans of different lengths: sizes {n}, prices {prices.Length}, initial {initialUsd.Length}, maintenance {maintenanceUsd.Length}");
        for (int k = 0; k < n; k++)
        {
            double coins = Math.Abs(sizesInCoin[k]);
            double notional = coins * prices[k];
            double im = SizeLinearRate(rates.InitialBase, rates.InitialPerCoin, coins) * notional;
            double mm = brackets is null
                ? SizeLinearRate(rates.MaintenanceBase, rates.MaintenancePerCoin, coins) * notional
                : brackets.MaintenanceMargin(notional);
            initialUsd[k] = im;
            maintenanceUsd[k] = Math.Min(mm, im);
        }
    }
}
