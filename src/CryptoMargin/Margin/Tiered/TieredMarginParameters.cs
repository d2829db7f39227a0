using CryptoMargin.MarketData;

namespace CryptoMargin.Margin.Tiered;

/// <summary>
/// Deribit standard-margin rates of one coin's futures and perpetuals, fractions of notional:
/// IM rate = <see cref="InitialBase"/> + <see cref="InitialPerCoin"/>·|size in coin|, MM rate likewise
/// (<see cref="TieredMarginKernels.SizeLinearRate"/>).
/// </summary>
public readonly record struct FuturesMarginRates(double InitialBase, double InitialPerCoin, double MaintenanceBase, double MaintenancePerCoin)
{
    /// <summary>BTC: 2% + 0.005%/BTC, 1% + 0.005%/BTC (https://support.deribit.com/hc/en-us/articles/25944826427293-11-January-2022).</summary>
    public static FuturesMarginRates DeribitBtc => new(0.02, 0.00005, 0.01, 0.00005);

    /// <summary>ETH: 2% + 0.0004%/ETH, 1% + 0.0004%/ETH (same page).</summary>
    public static FuturesMarginRates DeribitEth => new(0.02, 0.000004, 0.01, 0.000004);

    /// <summary>SOL (linear SOL_USDC): 4% + 0.0005%/SOL, 2% + 0.0005%/SOL (https://support.deribit.com/hc/en-us/articles/25944738177565-Linear-Perpetual).</summary>
    public static FuturesMarginRates DeribitSol => new(0.04, 0.000005, 0.02, 0.000005);
}

/// <summary>
/// Deribit standard margin of options, per unit of size, in units of the underlying price (coin for inverse options,
/// multiplied by the underlying for linear ones): short call IM = max(<see cref="ShortInitialBase"/> − OTM/F,
/// <see cref="ShortInitialFloor"/>) + mark, MM = <see cref="ShortMaintenance"/> + mark; short put IM = max(that IM, MM),
/// MM = max(<see cref="ShortMaintenance"/>, <see cref="ShortMaintenance"/>·mark) + mark. A long option is charged its
/// premium (mark value) as IM and MM when <see cref="ChargeLongPremium"/> (Deribit's options page: "Long call/put:
/// initial margin = reference price of the option; maintenance margin = same as initial margin",
/// https://deribit.freshdesk.com/support/solutions/articles/1000197268-margin-requirements-options), else nothing.
/// </summary>
public sealed record OptionMarginRates(double ShortInitialBase = 0.15, double ShortInitialFloor = 0.1, double ShortMaintenance = 0.075, bool ChargeLongPremium = true)
{
    /// <summary>Deribit's 0.15 / 0.1 / 0.075 (see <see cref="TieredMarginKernels.ShortOptionInitial"/>).</summary>
    public static OptionMarginRates Deribit { get; } = new();
}

/// <summary>
/// dYdX v4 open-interest scaling of the initial margin: with the market's open notional N (USD), the IM rate r becomes
/// min(r + max((N − <see cref="LowerCap"/>)/(<see cref="UpperCap"/> − <see cref="LowerCap"/>), 0)·(1 − r), 1)
/// (<see cref="TieredMarginKernels.OpenInterestInitialFraction"/>).
/// </summary>
public readonly record struct OpenInterestScaling(double LowerCap, double UpperCap)
{
    /// <summary>dYdX's "Mid-Cap" liquidity tier: open-interest caps 40M and 100M USDC (proposal "Liquidity Tier Maintenance", https://dydx.forum/t/liquidity-tier-maintenance/2939).</summary>
    public static OpenInterestScaling DydxMidCap => new(40_000_000, 100_000_000);
}

/// <summary>
/// The <c>tiered</c> section of a margin policy: per coin, the futures rates (Deribit standard margin), optionally a
/// maintenance bracket schedule replacing the futures' size-linear MM (Binance style), optionally an open-interest
/// scaling of the futures' IM (dYdX v4 style); and the option rates. Coins absent from <see cref="Futures"/> cannot be
/// margined (a clear error, never a silent default).
/// </summary>
public sealed record TieredMarginParameters
{
    public required IReadOnlyDictionary<string, FuturesMarginRates> Futures { get; init; }
    public OptionMarginRates Options { get; init; } = OptionMarginRates.Deribit;
    /// <summary>Per coin: a maintenance schedule of the futures/perpetuals' USD notional, used instead of the size-linear MM.</summary>
    public IReadOnlyDictionary<string, MaintenanceBrackets> MaintenanceBrackets { get; init; } = new Dictionary<string, MaintenanceBrackets>();
    /// <summary>Per coin: open-interest caps scaling the futures/perpetuals' IM (needs that coin's open notional, given to the model).</summary>
    public IReadOnlyDictionary<string, OpenInterestScaling> OpenInterest { get; init; } = new Dictionary<string, OpenInterestScaling>();

    /// <summary>Deribit's published BTC, ETH and SOL futures rates and its option rates; no brackets, no OI scaling.</summary>
    public static TieredMarginParameters Deribit { get; } = new()
    {
        Futures = new Dictionary<string, FuturesMarginRates>
        {
            ["BTC"] = FuturesMarginRates.DeribitBtc,
            ["ETH"] = FuturesMarginRates.DeribitEth,
            ["SOL"] = FuturesMarginRates.DeribitSol,
        },
    };

    /// <summary>Checks every rate; the reason names the coin and the field.</summary>
    /// <exception cref="DataValidationException">A rate outside [0, 1], an MM base above the IM base, caps not 0 ≤ lower &lt; upper.</exception>
    public void Validate()
    {
        foreach (var (coin, r) in Futures)
        {
            Check(r.InitialBase, coin, "initialBase");
            Check(r.MaintenanceBase, coin, "maintenanceBase");
            if (!(r.InitialPerCoin >= 0 && double.IsFinite(r.InitialPerCoin))) throw Bad(coin, "initialPerCoin", r.InitialPerCoin, "must be finite and ≥ 0");
            if (!(r.MaintenancePerCoin >= 0 && double.IsFinite(r.MaintenancePerCoin))) throw Bad(coin, "maintenancePerCoin", r.MaintenancePerCoin, "must be finite and ≥ 0");
            if (r.MaintenanceBase > r.InitialBase || r.MaintenancePerCoin > r.InitialPerCoin)
                throw Bad(coin, "maintenanceBase", r.MaintenanceBase, "maintenance rates must not exceed the initial ones");
        }
        Check(Options.ShortInitialBase, "options", "shortInitialBase");
        Check(Options.ShortInitialFloor, "options", "shortInitialFloor");
        Check(Options.ShortMaintenance, "options", "shortMaintenance");
        foreach (var (coin, oi) in OpenInterest)
            if (!(oi.LowerCap >= 0 && oi.UpperCap > oi.LowerCap && double.IsFinite(oi.UpperCap)))
                throw Bad(coin, "openInterest", oi.UpperCap, $"caps must satisfy 0 ≤ lower ({oi.LowerCap}) < upper, finite");
    }

    private static void Check(double rate, string coin, string field)
    {
        if (!(rate >= 0 && rate <= 1)) throw Bad(coin, field, rate, "must be in [0, 1]");
    }

    private static DataValidationException Bad(string coin, string field, double value, string what) =>
        new($"tiered margin parameter {field} of {coin} is {value}: {what}", field: "tiered." + field);
}
