namespace CryptoMargin.Margin.DeribitPm;

/// <summary>
/// The margin of the positions of one underlying coin that settle in one currency (a Deribit "currency pair" book,
/// e.g. BTC options and futures margined in BTC), with every part of it. Amounts in <see cref="MarginCurrency"/>.
/// </summary>
/// <param name="MarginCurrency">BTC, ETH (inverse) or USDC (linear).</param>
/// <param name="Underlying">The underlying coin.</param>
/// <param name="Standard">Aggregated standard vector: Σ size × unit vector, each gain g replaced by min(pnl_offset·g, max_offsetable_pnl) (Deribit's <c>aggregated_risk_vectors.standard</c>).</param>
/// <param name="Extended">Aggregated extended vector after weight (and, for a coin-margined book, the factor 1 + m: see <see cref="DeribitPortfolioMargin"/>) and dampener: a weighted loss L counts as min(0, L + D), D the dampener in the margin currency; gains as in <paramref name="Standard"/>.</param>
/// <param name="ScenarioLoss">max(0, −min of both vectors).</param>
/// <param name="BindingIndex">Index of the worst scenario: 0 … standard count − 1 for the standard table, then the extended moves.</param>
/// <param name="DeltaTotal">Net delta in coin.</param>
/// <param name="DeltaShock">Delta/size shock add-on.</param>
/// <param name="RollShock">Roll (basis) shock add-on.</param>
/// <param name="Contingency">Contingency minimum (legacy Deribit charges).</param>
/// <param name="InitialMargin">max(scenario loss + delta shock + roll shock, contingency).</param>
public sealed record DeribitPmBook(
    string MarginCurrency,
    string Underlying,
    double[] Standard,
    double[] Extended,
    double ScenarioLoss,
    int BindingIndex,
    double DeltaTotal,
    double DeltaShock,
    double RollShock,
    double Contingency,
    double InitialMargin)
{
    /// <summary>Top-up that lifts the risk-based margin to the contingency minimum (0 when it does not bind).</summary>
    public double ContingencyTopUp => Math.Max(0, Contingency - (ScenarioLoss + DeltaShock + RollShock));
}
