namespace CryptoMargin.Margin;

/// <summary>
/// The margin of an account's positions that settle in one currency, and why. Signs (DESIGN.md): margins are
/// positive amounts; every P&amp;L is from the account's view (loss &lt; 0), in <see cref="Currency"/>.
/// </summary>
/// <param name="Model">The model's name (<see cref="IMarginModel.Name"/>).</param>
/// <param name="Currency">The margin currency (<c>BTC</c> for coin-settled contracts, <c>USDC</c> for linear ones).</param>
/// <param name="InitialMargin">IM, ≥ 0.</param>
/// <param name="MaintenanceMargin">MM, ≥ 0 and ≤ IM.</param>
/// <param name="BindingScenario">The scenario that sets the scenario part of the margin; null for models without scenarios (tiered).</param>
/// <param name="AddOns">Charges on top of (or instead of) the scenario loss, each named.</param>
/// <param name="Positions">Per position: its P&amp;L in the binding scenario, its Euler contribution (the contributions sum to IM) and its incremental margin (IM − IM without it).</param>
/// <param name="Notes">What the user should know (fallbacks, floors that bind, approximations).</param>
public sealed record MarginResult(
    string Model,
    string Currency,
    double InitialMargin,
    double MaintenanceMargin,
    BindingScenario? BindingScenario,
    IReadOnlyList<MarginAddOn> AddOns,
    IReadOnlyList<PositionMargin> Positions,
    IReadOnlyList<string> Notes);

/// <summary>
/// A scenario: <paramref name="PriceShock"/> the relative move of the underlying (−0.16 = down 16%),
/// <paramref name="VolShock"/> the relative implied-vol move at 30 days (+0.5 = ×1.5; shorter and longer tenors are
/// scaled by the model's term law), <paramref name="Pnl"/> the account's P&amp;L in it (loss &lt; 0).
/// </summary>
public sealed record BindingScenario(string Name, double PriceShock, double VolShock, double Pnl);

/// <summary>A named charge (short-option minimum, spread charge, contingency, delta shock, …), ≥ 0 unless a credit says so.</summary>
public sealed record MarginAddOn(string Name, double Amount);

/// <summary>One position's part in the margin (see <see cref="MarginResult"/>); null P&amp;L where the model has no scenario.</summary>
public sealed record PositionMargin(string Instrument, double Size, double? PnlInBindingScenario, double Contribution, double Incremental);
