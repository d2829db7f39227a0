using CryptoMargin.Instruments;
using CryptoMargin.Margin;
using CryptoMargin.MarketData;
using CryptoMargin.MarketData.Options;
using CryptoMargin.Portfolios;

namespace CryptoMargin.Calibration.Grid;

/// <summary>
/// Runs any <see cref="IMarginModel"/> as the margin of <see cref="GridBacktest"/> (issue 5 §3: tiered, SPAN, Deribit-PM,
/// Greeks, hybrid on the same seeded books). A sampled book becomes a <see cref="Portfolio"/> of Deribit instruments
/// (<see cref="ToPortfolio"/>); the model is run against the day's <see cref="MarketSnapshot"/> (built once per day by the
/// caller and shared by every model); its initial margins, one per margin currency, are converted to USD at that day's
/// index (<see cref="ToUsd"/>), the unit the harness values books in.
/// <para>Unit convention (chosen once): the harness's P&amp;L is USD (option marks in USD = coin mark × forward, futures legs
/// at the forward), so the model's coin margin for inverse contracts is taken at the index of the margin date: IM_USD =
/// Σ_c IM_c · S_c(t), USD/USDC/USDT at 1. The coin's own move over the horizon is thus not charged to the margin, as a
/// USD-collateralised account would see it.</para>
/// </summary>
public static class ModelBookMargin
{
    /// <summary>
    /// The model's initial margin of a book, USD. <paramref name="market"/> gives the day's market for a chain (it must be
    /// thread-safe: the harness margins books in parallel). A book the model or market cannot value (a
    /// <see cref="DataValidationException"/>: no surface, expired leg) gives NaN, which the harness counts as skipped for
    /// this model, rather than ending the whole run.
    /// </summary>
    public static BookMargin Create(IMarginModel model, Func<OptionChain, MarketSnapshot> market) => Create(model, market, BacktestUnits.Usd);

    /// <summary>
    /// As <see cref="Create(IMarginModel, Func{OptionChain, MarketSnapshot})"/>, the margin in <paramref name="units"/>: USD
    /// (<see cref="ToUsd"/>) or the book's coin, as a coin-collateralised account holds it (<see cref="ToCoin"/>).
    /// </summary>
    public static BookMargin Create(IMarginModel model, Func<OptionChain, MarketSnapshot> market, BacktestUnits units)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(market);
        bool coin = units == BacktestUnits.Coin;
        return (book, chain) =>
        {
            try
            {
                var m = market(chain);
                var results = model.Compute(ToPortfolio(book, chain), m);
                return coin ? ToCoin(results, m, chain.Underlying!) : ToUsd(results, m);
            }
            catch (DataValidationException) { return double.NaN; }
        };
    }

    /// <summary>
    /// A book as a coin-margined Deribit account: option legs by their Deribit name (size in coin); a forward leg (no
    /// option) as the inverse future of its expiry, <c>COIN-DMMMYY</c> (named like the expiry's options), size in USD =
    /// coin size × the expiry's forward (Deribit's API unit for inverse futures).
    /// </summary>
    /// <exception cref="ArgumentException">A leg whose expiry is not in the chain, or a chain without an underlying.</exception>
    public static Portfolio ToPortfolio(IReadOnlyList<BacktestLeg> book, OptionChain chain)
    {
        ArgumentNullException.ThrowIfNull(book);
        ArgumentNullException.ThrowIfNull(chain);
        string coin = chain.Underlying ?? throw new ArgumentException("the chain has no underlying", nameof(chain));
        var positions = new List<Position>(book.Count);
        foreach (var leg in book)
        {
            var e = chain.Expiries.FirstOrDefault(x => x.Expiry == leg.Expiry)
                    ?? throw new ArgumentException($"expiry {leg.Expiry:yyyy-MM-dd} of a leg is not in the {coin} chain", nameof(book));
            if (leg.Option is { } name) { positions.Add(new Position(Instrument.Parse(name), leg.Size)); continue; }
            string option = e.Quotes.Count > 0 ? e.Quotes[0].Instrument
                : throw new ArgumentException($"expiry {leg.Expiry:yyyy-MM-dd} has no quote to name its future", nameof(book));
            int second = option.IndexOf('-', option.IndexOf('-') + 1);
            positions.Add(new Position(Instrument.Parse(option[..second]), leg.Size * e.Forward));
        }
        return new Portfolio(coin, new Dictionary<string, double>(), positions);
    }

    /// <summary>
    /// Σ initial margin over the results in <paramref name="coin"/>: that coin's margin as it is (no conversion: the
    /// collateral is the coin itself); another currency c at the margin date's indices, IM_c · S_c / S_coin (USD stable coins
    /// S = 1). For the books of the backtest (one coin's inverse contracts) only the first term is there.
    /// </summary>
    /// <exception cref="DataValidationException">A currency other than <paramref name="coin"/> with no index price in the market.</exception>
    public static double ToCoin(IReadOnlyList<MarginResult> results, MarketSnapshot market, string coin)
    {
        ArgumentNullException.ThrowIfNull(results);
        ArgumentNullException.ThrowIfNull(market);
        ArgumentException.ThrowIfNullOrEmpty(coin);
        double total = 0;
        foreach (var r in results)
        {
            if (r.Currency == coin) { total += r.InitialMargin; continue; }
            double usd = r.Currency is "USD" or "USDC" or "USDT" ? r.InitialMargin : r.InitialMargin * market.Index(r.Currency);
            total += usd / market.Index(coin);
        }
        return total;
    }

    /// <summary>Σ initial margin over the results, coin currencies at the market's index, USD stable coins at 1 (USD).</summary>
    /// <exception cref="DataValidationException">A margin currency with no index price in the market.</exception>
    public static double ToUsd(IReadOnlyList<MarginResult> results, MarketSnapshot market)
    {
        ArgumentNullException.ThrowIfNull(results);
        ArgumentNullException.ThrowIfNull(market);
        double usd = 0;
        foreach (var r in results)
            usd += r.Currency is "USD" or "USDC" or "USDT" ? r.InitialMargin : r.InitialMargin * market.Index(r.Currency);
        return usd;
    }
}
