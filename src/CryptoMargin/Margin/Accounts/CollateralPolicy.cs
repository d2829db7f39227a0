using CryptoMargin.MarketData;

namespace CryptoMargin.Margin.Accounts;

/// <summary>
/// How an account's collateral is pooled (Deribit, "Margin types and usage",
/// https://support.deribit.com/hc/en-us/articles/25944811317149-Margin-types-and-usage).
/// </summary>
public enum CollateralMode
{
    /// <summary>One account per settlement currency: each currency's equity covers only the margin of its own positions (Deribit's default, S:SM / S:PM).</summary>
    Segregated,
    /// <summary>Every asset valued in USD, after its haircut, covers the margin of every position (Deribit X:SM / X:PM; Binance and OKX portfolio margin).</summary>
    Cross,
}

/// <summary>What the bounds of a <see cref="HaircutSchedule"/> count: the asset's USD value or its amount in the asset's own units.</summary>
public enum HaircutTierUnit
{
    /// <summary>USD value (Binance publishes its collateral-ratio tiers in USDT value; OKX's BETH tiers in USD).</summary>
    Usd,
    /// <summary>Amount of the asset (OKX publishes most discount-rate tiers in coin).</summary>
    Coin,
}

/// <summary>One tier of a haircut schedule: the haircut applied to the slice of the holding up to <see cref="UpTo"/> (null: unbounded, last tier only).</summary>
public readonly record struct HaircutTier(double? UpTo, double Haircut);

/// <summary>
/// An amount-tiered collateral haircut, the way Binance ("collateral ratio") and OKX ("discount rate") publish them: the
/// holding is cut into slices at the tier bounds and each slice counts at (1 − its haircut), as income tax brackets;
/// the haircut does not decrease from tier to tier (the discount grows with the amount held). Discounted value of a
/// holding x (in the tier unit) with bounds b₀ = 0 &lt; b₁ &lt; … and haircuts h₁ ≤ h₂ ≤ …:
/// <c>D(x) = Σ_k (min(x, b_k) − b_{k−1})⁺ · (1 − h_k)</c>; beyond a last tier that has a bound, nothing counts
/// (haircut 100 %, as OKX's final "&gt; 8,000,000: 0" tier and Binance's API's open-ended "discountRate 0" tier).
/// Source of the formula: Binance, "Binance Cross Margin Collateral Haircuts",
/// https://www.binance.com/en/support/faq/binance-cross-margin-collateral-haircuts-4bec9126c021472285b20874f9380dfb
/// (its worked example: 6,000 BTC at 20,000 USDT → 100,000,000·100 % + 20,000,000·97.5 % = 119,500,000 USDT).
/// </summary>
public sealed class HaircutSchedule
{
    private readonly double[] _bounds;   // upper bound of each tier (+∞ for an open last tier)
    private readonly double[] _haircuts;

    /// <exception cref="DataValidationException">No tier, a haircut outside [0, 1] or below the previous one, bounds not
    /// positive and strictly increasing, an open bound before the last tier; the reason names the tier.</exception>
    public HaircutSchedule(IReadOnlyList<HaircutTier> tiers, HaircutTierUnit unit = HaircutTierUnit.Usd)
    {
        ArgumentNullException.ThrowIfNull(tiers);
        if (tiers.Count == 0) throw new DataValidationException("a haircut schedule needs at least one tier", field: "haircuts");
        _bounds = new double[tiers.Count];
        _haircuts = new double[tiers.Count];
        for (int i = 0; i < tiers.Count; i++)
        {
            var (upTo, h) = tiers[i];
            if (!(h >= 0 && h <= 1))
                throw new DataValidationException($"tier {i + 1}: haircut {h} is outside [0, 1]", field: $"haircuts[{i}].haircut");
            if (i > 0 && h < _haircuts[i - 1])
                throw new DataValidationException($"tier {i + 1}: haircut {h} is below the previous tier's {_haircuts[i - 1]} (the discount must not shrink as the amount grows)", field: $"haircuts[{i}].haircut");
            double bound = upTo ?? double.PositiveInfinity;
            if (upTo is null && i < tiers.Count - 1)
                throw new DataValidationException($"tier {i + 1}: only the last tier may leave upTo open", field: $"haircuts[{i}].upTo");
            if (upTo is double b && !(b > 0 && double.IsFinite(b)))
                throw new DataValidationException($"tier {i + 1}: upTo {b} is not a positive finite amount", field: $"haircuts[{i}].upTo");
            if (i > 0 && !(bound > _bounds[i - 1]))
                throw new DataValidationException($"tier {i + 1}: upTo {bound} is not above the previous tier's {_bounds[i - 1]} (tiers must increase)", field: $"haircuts[{i}].upTo");
            _bounds[i] = bound;
            _haircuts[i] = h;
        }
        Unit = unit;
    }

    public HaircutTierUnit Unit { get; }

    public int Count => _bounds.Length;

    /// <summary>Upper bound of tier <paramref name="index"/> (+∞ for an open last tier).</summary>
    public double UpTo(int index) => _bounds[index];

    public double Haircut(int index) => _haircuts[index];

    /// <summary>
    /// USD value counted as collateral for <paramref name="amount"/> (≥ 0) of the asset at <paramref name="price"/> USD:
    /// the piecewise sum D(x) above on x = amount·price (USD tiers) or x = amount (coin tiers, then × price). No allocation.
    /// </summary>
    public double DiscountedValue(double amount, double price)
    {
        double x = Unit == HaircutTierUnit.Usd ? amount * price : amount;
        if (!(x > 0)) return 0;
        double counted = 0, floor = 0;
        for (int k = 0; k < _bounds.Length && x > floor; k++)
        {
            counted += (Math.Min(x, _bounds[k]) - floor) * (1 - _haircuts[k]);
            floor = _bounds[k];
        }
        return Unit == HaircutTierUnit.Usd ? counted : counted * price;
    }

    /// <summary>
    /// The tiers of Binance's published worked example for BTC in Cross Margin (collateral ratio 100 % to 100M USDT, 97.5 %
    /// to 120M, 95 % to 150M, 90 % to 180M, 85 % to 200M; haircut = 1 − ratio), as shown on
    /// https://www.binance.com/en/support/faq/binance-cross-margin-collateral-haircuts-4bec9126c021472285b20874f9380dfb
    /// (read 2026-11-24). An example Binance gives to explain the calculation, not its current table (which it changes
    /// without notice and publishes on its margin data page); above 200M nothing counts, as the example lists no tier there.
    /// </summary>
    public static HaircutSchedule BinanceBtcExample { get; } = new(
        [new(100e6, 0), new(120e6, 0.025), new(150e6, 0.05), new(180e6, 0.10), new(200e6, 0.15)], HaircutTierUnit.Usd);
}

/// <summary>
/// The policy's <c>collateral</c> section: segregated or cross; in cross mode the haircut schedule of every asset that
/// may count as collateral. No venue defaults are shipped for haircuts (none of Deribit, Binance, OKX publishes a
/// current BTC/ETH/USDC table in the material this project cites): cross mode refuses an asset without a schedule.
/// </summary>
public sealed record CollateralPolicy
{
    public CollateralMode Mode { get; init; } = CollateralMode.Segregated;

    /// <summary>Per asset (BTC, ETH, USDC, …): its haircut schedule; needed in cross mode for every asset with positive equity.</summary>
    public IReadOnlyDictionary<string, HaircutSchedule> Haircuts { get; init; } = new Dictionary<string, HaircutSchedule>();

    /// <summary>Segregated accounts, no haircuts (Deribit's default account type).</summary>
    public static CollateralPolicy Segregated { get; } = new();
}
