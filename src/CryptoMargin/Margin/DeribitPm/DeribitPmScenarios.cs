namespace CryptoMargin.Margin.DeribitPm;

/// <summary>The vol scenario of a standard-table column.</summary>
public enum VolScenario
{
    /// <summary>IV·(1 − volatility_range_down·(30/DTE)^p), floored at 0.</summary>
    Down,
    /// <summary>IV unchanged.</summary>
    None,
    /// <summary>max(IV·(1 + volatility_range_up·(30/DTE)^p), min_volatility_for_shock_up).</summary>
    Up,
}

/// <summary>
/// The scenario grid of Deribit's portfolio margin (support article "Portfolio Margin",
/// https://support.deribit.com/hc/en-us/articles/25944756247837-Portfolio-Margin: the ±price_range move "broken down
/// into 9 evenly spaced buckets … including a bucket for zero price movement", vol up / same / down for each, and an
/// extended table of large moves on vol up only). Standard scenario j = price point i × vol scenario v with
/// j = i·vol_scenarios_count + v, price points ordered from −price_range to +price_range and vol scenarios
/// (down, none, up): the order of <c>initial_risk_vectors.standard</c> in Deribit's simulate example, whose 27 entries
/// come in triples of one price move (https://docs.deribit.com/api-reference/account-management/private-simulate).
/// </summary>
public static class DeribitPmScenarios
{
    /// <summary>Relative price move of price point <paramref name="bucket"/> (0 … 2·buckets_count): −range + bucket·range/buckets_count.</summary>
    public static double PriceShock(int bucket, DeribitPmParameters parameters) =>
        parameters.PriceRange * (bucket - parameters.BucketsCount) / parameters.BucketsCount;

    /// <summary>The vol scenario of column <paramref name="v"/> of a price point (0 … vol_scenarios_count − 1).</summary>
    public static VolScenario VolScenarioAt(int v, DeribitPmParameters parameters) =>
        parameters.VolScenariosCount == 1 ? VolScenario.None : (VolScenario)v;

    /// <summary>Price move of standard scenario <paramref name="j"/>.</summary>
    public static double StandardPriceShock(int j, DeribitPmParameters parameters) =>
        PriceShock(j / parameters.VolScenariosCount, parameters);

    /// <summary>Vol scenario of standard scenario <paramref name="j"/>.</summary>
    public static VolScenario StandardVolScenario(int j, DeribitPmParameters parameters) =>
        VolScenarioAt(j % parameters.VolScenariosCount, parameters);

    /// <summary>
    /// The term factor (30/DTE)^p of the vol shock: p = short_term_vega_power below 30 days, long_term_vega_power from
    /// 30 days on (equal to 1 at 30 days either way); DTE floored at min_days_to_expiry.
    /// </summary>
    public static double TermFactor(double daysToExpiry, DeribitPmParameters parameters)
    {
        double dte = Math.Max(daysToExpiry, parameters.MinDaysToExpiry);
        double p = dte < 30 ? parameters.ShortTermVegaPower : parameters.LongTermVegaPower;
        return Math.Pow(30 / dte, p);
    }

    /// <summary>
    /// The shocked implied vol: up max(σ(1 + k_up·(30/DTE)^p), min_volatility_for_shock_up), down max(σ(1 − k_down·(30/DTE)^p), 0).
    /// Formula from the issue and Deribit's parameter names; the floor on the up shock as described by OreOme's
    /// Deribit-mimicking scenario API (https://docs.oreome.com/docs/scenario/risk-scenario-advanced), since Deribit does
    /// not publish it.
    /// </summary>
    public static double ShockedVolatility(double sigma, double daysToExpiry, VolScenario scenario, DeribitPmParameters parameters) => scenario switch
    {
        VolScenario.Up => Math.Max(sigma * (1 + parameters.VolatilityRangeUp * TermFactor(daysToExpiry, parameters)), parameters.MinVolatilityForShockUp),
        VolScenario.Down => Math.Max(sigma * (1 - parameters.VolatilityRangeDown * TermFactor(daysToExpiry, parameters)), 0),
        _ => sigma,
    };

    /// <summary>Relative IV move at 30 days of a vol scenario (+0.5 up, −0.25 down, 0), as <see cref="BindingScenario.VolShock"/> reports it.</summary>
    public static double VolShockAt30Days(VolScenario scenario, DeribitPmParameters parameters) => scenario switch
    {
        VolScenario.Up => parameters.VolatilityRangeUp,
        VolScenario.Down => -parameters.VolatilityRangeDown,
        _ => 0,
    };

    /// <summary>
    /// Weight of extended move m: extended_table_factor · price_range/|m|. Deribit says only "a fraction of simulated
    /// P&amp;L" counts without publishing it; this weight (our assumption) makes a linear position's weighted tail loss
    /// equal its loss at the edge of the standard table, so the extended table binds only for convex (short-option) risk.
    /// </summary>
    public static double ExtendedWeight(double move, DeribitPmParameters parameters) =>
        parameters.ExtendedTableFactor * parameters.PriceRange / Math.Abs(move);

    /// <summary>Name of standard scenario <paramref name="j"/> ("price -16% vol up").</summary>
    public static string StandardName(int j, DeribitPmParameters parameters) =>
        $"price {Percent(StandardPriceShock(j, parameters))} vol {StandardVolScenario(j, parameters).ToString().ToLowerInvariant()}";

    /// <summary>Name of extended scenario <paramref name="e"/> ("extended +500% vol up").</summary>
    public static string ExtendedName(int e, DeribitPmParameters parameters) =>
        $"extended {Percent(parameters.ExtendedMoves[e])} vol up";

    private static string Percent(double x) =>
        (x > 0 ? "+" : "") + (x * 100).ToString("0.##", System.Globalization.CultureInfo.InvariantCulture) + "%";
}
