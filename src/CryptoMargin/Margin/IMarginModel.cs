using CryptoMargin.MarketData;

namespace CryptoMargin.Margin;

/// <summary>
/// A portfolio margin model (tiered, SPAN-style, Deribit-style PM, Greeks-based, hybrid). It computes one
/// <see cref="MarginResult"/> per margin currency of the account's positions (coin for inverse contracts, USDC for
/// linear ones), each with its breakdown.
/// </summary>
public interface IMarginModel
{
    /// <summary>Model name as the CLI spells it (<c>tiered</c>, <c>span</c>, <c>deribit-pm</c>, <c>greeks</c>, <c>hybrid</c>).</summary>
    string Name { get; }

    /// <exception cref="DataValidationException">A position the market snapshot cannot value (unknown instrument, expired option, no vol); the reason names the position.</exception>
    IReadOnlyList<MarginResult> Compute(Portfolios.Portfolio portfolio, MarketSnapshot market);
}
