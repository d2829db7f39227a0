using CryptoMargin.Instruments;

namespace CryptoMargin.Margin.DeribitPm;

/// <summary>
/// One instrument's P&amp;L per unit of size (USD for inverse futures and perpetuals, coin otherwise) in every scenario of
/// the Deribit-style grid, in its margin currency, account's view (a long's loss &lt; 0): what Deribit's simulate
/// response calls an instrument's risk vector. A position's vector is its size times this; an account's is the sum
/// over its positions, so these vectors are computed once per instrument and reused across accounts.
/// <para>Not a margin: no weights, dampener, offset or add-ons are applied here.</para>
/// </summary>
/// <param name="Instrument">The instrument.</param>
/// <param name="Underlying">Its underlying price F₀ (USD per coin) the shocks apply to (<see cref="MarketData.MarketSnapshot.UnderlyingPrice"/>).</param>
/// <param name="IndexPrice">The coin's index (USD), converting USD amounts (dampener, delta threshold) into coin.</param>
/// <param name="YearsToExpiry">ACT/365 years to expiry (0 for perpetuals and spot).</param>
/// <param name="Volatility">Implied vol σ₀ the option is revalued from (NaN for non-options).</param>
/// <param name="Standard">P&amp;L in the standard scenarios, ordered as <see cref="DeribitPmScenarios"/> says (27 by default).</param>
/// <param name="Extended">Unweighted P&amp;L at each extended move with vol up (8 by default).</param>
/// <param name="Delta">Delta in coin per unit: 1/F₀ for an inverse future's USD, 1 for linear futures and spot, Black-76 Δ for an option, minus its coin mark for an inverse one (Deribit's "net transaction delta").</param>
/// <param name="RollShock">Relative basis move of a dated future in the roll shock (0 otherwise).</param>
/// <param name="RollPnlUp">P&amp;L per unit when this future's price moves by +<paramref name="RollShock"/> alone.</param>
/// <param name="RollPnlDown">P&amp;L per unit when it moves by −<paramref name="RollShock"/> alone.</param>
/// <param name="UnderlyingValue">Value of the underlying per unit in the margin currency (the contingencies' base): 1 coin per option coin (inverse), S per coin (linear), 1/F₀ coin per USD (inverse future), F₀ per coin (linear future).</param>
public sealed record InstrumentRiskVector(
    Instrument Instrument,
    double Underlying,
    double IndexPrice,
    double YearsToExpiry,
    double Volatility,
    double[] Standard,
    double[] Extended,
    double Delta,
    double RollShock,
    double RollPnlUp,
    double RollPnlDown,
    double UnderlyingValue);
