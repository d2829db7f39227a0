namespace CryptoMargin.Margin.Span;

/// <summary>
/// The parameters of the SPAN-style margin (<see cref="SpanMarginModel"/>), one set for every combined commodity (all
/// instruments on one coin within one margin currency). Every rate is a fraction of the underlying's value, so one
/// figure fits coin-settled and USDC-settled books alike. Defaults and where each comes from (docs/margin/span.md):
/// <list type="bullet">
/// <item><see cref="DefaultPriceScanRange"/> 0.16: Deribit's portfolio-margin <c>price_range</c> for <c>btc_usd</c>
/// (Deribit API <c>private/pme/simulate</c>, documented response); used for every coin without its own range in
/// <see cref="PriceScanRanges"/> (a calibrated policy's <c>InitialMarginRate</c>, <see cref="WithPolicies"/>).</item>
/// <item><see cref="VolScanUp"/> 0.5 and <see cref="VolScanDown"/> 0.25: Deribit's <c>volatility_range_up</c> and
/// <c>volatility_range_down</c> from the same response (relative moves of the implied vol; CME's SPAN scans one
/// symmetric range, set both equal for that).</item>
/// <item><see cref="ExtremeMoveMultiple"/> 3 and <see cref="ExtremeMoveCoverage"/> 0.35: CME SPAN's scenarios 15 and 16
/// (underlying up/down three times the price scan range, 35% of the loss covered).</item>
/// <item><see cref="ShortOptionMinimumRate"/> 0.01: Deribit portfolio margin's contingency of 0.01 BTC per net short
/// option (deribit.com/pages/docs/portfoliomargin), i.e. 1% of the underlying per short option.</item>
/// <item><see cref="TierSpreads"/> rate 0.01 per matched delta: Deribit portfolio margin's contingency of 1% of the
/// underlying value for offsetting futures (same page).</item>
/// <item><see cref="InterCommoditySpreads"/> BTC/ETH credit 0.5: no venue publishes one for crypto; a stated
/// assumption (CME's own example credits run 50–80%), to be calibrated.</item>
/// <item><see cref="InitialToMaintenance"/> 1.1: CME's initial margin of 110% of maintenance.</item>
/// </list>
/// Not a venue's parameter file: no venue runs SPAN on crypto options with these numbers.
/// </summary>
public sealed record SpanParameters
{
    /// <summary>Price scan range per coin (relative move, 0.16 = ±16%); coins not listed use <see cref="DefaultPriceScanRange"/>.</summary>
    public IReadOnlyDictionary<string, double> PriceScanRanges { get; init; } = new Dictionary<string, double>();

    /// <summary>Price scan range of a coin without its own entry, relative.</summary>
    public double DefaultPriceScanRange { get; init; } = 0.16;

    /// <summary>Relative rise of every implied vol in the "vol up" scenarios (0.5 = ×1.5).</summary>
    public double VolScanUp { get; init; } = 0.5;

    /// <summary>Relative fall of every implied vol in the "vol down" scenarios (0.25 = ×0.75), &lt; 1.</summary>
    public double VolScanDown { get; init; } = 0.25;

    /// <summary>Size of the two extreme moves in price scan ranges (CME: 3).</summary>
    public double ExtremeMoveMultiple { get; init; } = 3;

    /// <summary>Fraction of the extreme moves' loss that counts (CME: 0.35).</summary>
    public double ExtremeMoveCoverage { get; init; } = 0.35;

    /// <summary>Charge per short option, as a fraction of the underlying's value per unit of option size.</summary>
    public double ShortOptionMinimumRate { get; init; } = 0.01;

    /// <summary>
    /// Upper ends (days to expiry, inclusive) of the delta tiers but the last: the default {30, 90} gives tier 1
    /// (perpetuals, spot and expiries ≤ 30 days), tier 2 (30–90 days) and tier 3 (&gt; 90 days).
    /// </summary>
    public IReadOnlyList<double> TierBoundariesDays { get; init; } = [30, 90];

    /// <summary>Intra-commodity spreads in priority order: which tiers spread against which, and the charge per matched delta.</summary>
    public IReadOnlyList<SpanTierSpread> TierSpreads { get; init; } =
        [new(1, 2, 0.01), new(2, 3, 0.01), new(1, 3, 0.01)];

    /// <summary>Inter-commodity spreads in priority order (credits between coins of the same margin currency).</summary>
    public IReadOnlyList<SpanInterSpread> InterCommoditySpreads { get; init; } = [new("BTC", "ETH", 0.5)];

    /// <summary>IM / MM (CME: 1.1); MM = IM / this, ≥ 1.</summary>
    public double InitialToMaintenance { get; init; } = 1.1;

    /// <summary>The price scan range of a coin.</summary>
    public double PriceScanRange(string coin) =>
        PriceScanRanges.TryGetValue(coin, out var r) ? r : DefaultPriceScanRange;

    /// <summary>These parameters with each policy's initial-margin rate as its asset's price scan range (calibrated VaR/ES at the policy's confidence and MPOR).</summary>
    public SpanParameters WithPolicies(IEnumerable<MarginPolicy> policies)
    {
        ArgumentNullException.ThrowIfNull(policies);
        var ranges = new Dictionary<string, double>(PriceScanRanges);
        foreach (var p in policies) ranges[p.Asset] = p.InitialMarginRate;
        return this with { PriceScanRanges = ranges };
    }

    /// <summary>The scan settings of one coin.</summary>
    public SpanScan Scan(string coin) => new(PriceScanRange(coin), VolScanUp, VolScanDown, ExtremeMoveMultiple, ExtremeMoveCoverage);

    /// <summary>Checks every parameter.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A parameter out of its range; the message names it.</exception>
    public void Validate()
    {
        foreach (var (coin, r) in PriceScanRanges) CheckRange(r, $"PriceScanRanges[{coin}]");
        CheckRange(DefaultPriceScanRange, nameof(DefaultPriceScanRange));
        Check(VolScanUp, 0, 10, nameof(VolScanUp));
        Check(VolScanDown, 0, 0.99, nameof(VolScanDown));
        Check(ExtremeMoveMultiple, 0, 20, nameof(ExtremeMoveMultiple));
        Check(ExtremeMoveCoverage, 0, 1, nameof(ExtremeMoveCoverage));
        Check(ShortOptionMinimumRate, 0, 1, nameof(ShortOptionMinimumRate));
        Check(InitialToMaintenance, 1, 10, nameof(InitialToMaintenance));
        for (int i = 0; i < TierBoundariesDays.Count; i++)
            if (!(TierBoundariesDays[i] > 0) || !double.IsFinite(TierBoundariesDays[i]) || (i > 0 && !(TierBoundariesDays[i] > TierBoundariesDays[i - 1])))
                throw new ArgumentOutOfRangeException(nameof(TierBoundariesDays), $"tier boundaries must be positive, finite and increasing; entry {i} is {TierBoundariesDays[i]}");
        int tiers = TierBoundariesDays.Count + 1;
        foreach (var s in TierSpreads)
        {
            if (s.TierA < 1 || s.TierA > tiers || s.TierB < 1 || s.TierB > tiers || s.TierA == s.TierB)
                throw new ArgumentOutOfRangeException(nameof(TierSpreads), $"spread tier {s.TierA} vs {s.TierB}: tiers must differ and lie in 1..{tiers}");
            Check(s.Rate, 0, 1, nameof(TierSpreads) + ".Rate");
        }
        foreach (var s in InterCommoditySpreads)
        {
            if (s.CoinA == s.CoinB) throw new ArgumentOutOfRangeException(nameof(InterCommoditySpreads), $"inter-commodity spread {s.CoinA} vs itself");
            Check(s.CreditRate, 0, 1, nameof(InterCommoditySpreads) + ".CreditRate");
        }
    }

    private static void CheckRange(double r, string name) => Check(r, 1e-6, 0.99, name);

    private static void Check(double value, double lo, double hi, string name)
    {
        if (!(value >= lo && value <= hi))
            throw new ArgumentOutOfRangeException(name, value, $"{name} must lie in [{lo}, {hi}]");
    }
}

/// <summary>An intra-commodity (calendar) spread: net delta of tier <paramref name="TierA"/> against the opposite-signed net delta of tier <paramref name="TierB"/>, charged <paramref name="Rate"/> per matched delta (fraction of the underlying's value).</summary>
public sealed record SpanTierSpread(int TierA, int TierB, double Rate);

/// <summary>An inter-commodity spread between two coins: <paramref name="CreditRate"/> of the delta-based price risk of the matched deltas is credited on each leg.</summary>
public sealed record SpanInterSpread(string CoinA, string CoinB, double CreditRate);

/// <summary>The scan settings of one combined commodity: price scan range, vol scans up/down (relative), extreme multiple and coverage.</summary>
public readonly record struct SpanScan(double PriceScanRange, double VolScanUp, double VolScanDown, double ExtremeMoveMultiple, double ExtremeMoveCoverage)
{
    /// <summary>Relative price move of <paramref name="scenario"/>.</summary>
    public double PriceShock(in SpanScenario scenario) =>
        scenario.IsExtreme ? scenario.PriceMove * ExtremeMoveMultiple * PriceScanRange : scenario.PriceMove * PriceScanRange;

    /// <summary>Relative implied-vol move of <paramref name="scenario"/> (+0.5 = ×1.5).</summary>
    public double VolShock(in SpanScenario scenario) =>
        scenario.VolDirection > 0 ? VolScanUp : scenario.VolDirection < 0 ? -VolScanDown : 0;

    /// <summary>The fraction of the scenario's loss that counts.</summary>
    public double Coverage(in SpanScenario scenario) => scenario.IsExtreme ? ExtremeMoveCoverage : 1;
}
