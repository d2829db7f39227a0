namespace CryptoMargin.Margin.Accounts;

/// <summary>Where an account stands against its margin (Deribit: below IM the account is reduce-only, below MM it is liquidated).</summary>
public enum AccountStatus
{
    /// <summary>Equity ≥ IM.</summary>
    Ok,
    /// <summary>MM ≤ equity &lt; IM: no new risk (reduce-only).</summary>
    InitialMarginBreached,
    /// <summary>Equity &lt; MM: liquidation.</summary>
    MaintenanceBreached,
}

/// <summary>
/// One settlement currency's account (Deribit's segregated per-currency account), in that currency:
/// <see cref="Equity"/> = <see cref="Collateral"/> + <see cref="OptionsValue"/> + <see cref="FuturesPnl"/> + <see cref="SpotValue"/>;
/// <see cref="AvailableFunds"/> = equity − IM; <see cref="MarginRatio"/> = MM / equity (Deribit's maintenance margin
/// ratio; null when equity ≤ 0); <see cref="Shortfall"/> = what is missing to the threshold breached (IM − equity or
/// MM − equity), 0 when <see cref="AccountStatus.Ok"/>.
/// </summary>
/// <param name="Collateral">The balance of the currency (after a what-if trade: the balance that keeps the equity of before, premium paid or received included).</param>
/// <param name="OptionsValue">Mark-to-model value of its options, long + and short − (Black-76 at the snapshot's surface).</param>
/// <param name="FuturesPnl">Unrealised P&amp;L of its futures and perpetuals from their average prices (0 for those without).</param>
/// <param name="SpotValue">Value of its spot holdings at the index (linear accounts: BTC_USDC counts in USDC).</param>
public sealed record CurrencyAccount(
    string Currency, double Collateral, double OptionsValue, double FuturesPnl, double SpotValue, double Equity,
    double InitialMargin, double MaintenanceMargin, double AvailableFunds, double? MarginRatio, AccountStatus Status, double Shortfall);

/// <summary>One asset in the cross-collateral pool: its equity (in the asset), USD price, USD value and the USD value after its haircut (a negative equity counts in full).</summary>
public sealed record CollateralAsset(string Asset, double Equity, double Price, double Value, double DiscountedValue);

/// <summary>
/// The cross-collateral view in <see cref="Currency"/> (the portfolio's account currency): the haircut-discounted value
/// of every asset's equity against every currency's IM and MM, all converted at the index. Same definitions as
/// <see cref="CurrencyAccount"/> with <see cref="DiscountedEquity"/> as the equity.
/// </summary>
public sealed record CrossCollateralAccount(
    string Currency, IReadOnlyList<CollateralAsset> Assets, double DiscountedEquity, double InitialMargin, double MaintenanceMargin,
    double AvailableFunds, double? MarginRatio, AccountStatus Status, double Shortfall);

/// <summary>
/// The relative move of <see cref="Coin"/>'s index (all its instruments together, vols unchanged) at which
/// <see cref="Account"/>'s equity falls to its MM: the nearest crossing going down (<see cref="Down"/>, negative) and
/// going up (<see cref="Up"/>), each null where none exists within ±<c>MaxMove</c> (99 %). <see cref="Account"/> is a
/// currency (segregated) or <c>cross</c>. <see cref="Reason"/> says why a side is null, or that the account is already
/// below MM (both 0).
/// </summary>
public sealed record LiquidationDistance(string Account, string Coin, double? Down, double? Up, string? Reason)
{
    /// <summary>The smaller move of the two sides (null when neither exists).</summary>
    public double? Nearest => (Down, Up) switch
    {
        (double d, double u) => Math.Abs(d) <= Math.Abs(u) ? d : u,
        (double d, null) => d,
        (null, double u) => u,
        _ => null,
    };
}

/// <summary>What a risk engineer sees for an account under one model: per-currency accounts, the cross view (cross mode), liquidation distances.</summary>
public sealed record AccountView(
    string Model, CollateralMode Mode, IReadOnlyList<CurrencyAccount> Currencies, CrossCollateralAccount? Cross,
    IReadOnlyList<LiquidationDistance> Liquidation);

/// <summary>Bounds and grid of the liquidation search: moves within ±<see cref="MaxMove"/>, scanned outwards in steps of <see cref="ScanStep"/> to bracket the first crossing, then refined.</summary>
public sealed record LiquidationSearchOptions(double MaxMove = 0.99, double ScanStep = 0.025)
{
    public static LiquidationSearchOptions Default { get; } = new();
}
