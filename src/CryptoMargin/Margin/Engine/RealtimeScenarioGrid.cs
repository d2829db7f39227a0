using CryptoMargin.MarketData;

namespace CryptoMargin.Margin.Engine;

/// <summary>
/// The scenario grid and simplified add-on of the real-time engine, Deribit-style (Deribit support, "Portfolio Margin",
/// https://support.deribit.com/hc/en-us/articles/25944756247837-Portfolio-Margin): the price range ±<see cref="PriceRange"/>
/// in <see cref="PriceSteps"/> evenly spaced buckets including zero, each under vol down / same / up; plus an extended
/// table of large moves (<see cref="ExtendedMoves"/>) taken only with vol up and only at the fraction
/// <see cref="ExtendedWeight"/> of the simulated P&amp;L. Default: 9 × 3 + 8 = 35 scenarios.
/// <para>Term-scaled vol shock (the law; Deribit's archived PM page uses (30/DTE)^0.30·38 % and, earlier,
/// √(30/DTE)·40 %): σ₁ = σ₀·max(<see cref="MinVolFactor"/>, 1 + v·(30/DTE)^p) with p = <see cref="ShortTermPower"/> for
/// DTE &lt; 30 days and <see cref="LongTermPower"/> otherwise; the floor keeps σ₁ positive for a vol-down shock on an
/// option a day from expiry, where (30/DTE)^p is large.</para>
/// <para>Add-on (the only one kept here, the shape of Deribit's archived contingency "1 % of underlying value of all
/// options in portfolio", https://www.deribit.com/docs/category/uncategorized/): <see cref="OptionContingency"/> × |size|
/// × one unit of underlying value in the margin currency (1 coin for a coin-settled option, F₀ USDC for a linear one),
/// summed over the option positions of the margin currency. MM = <see cref="MaintenanceFactor"/> × IM.</para>
/// <para>The defaults are the shape of Deribit's grid with illustrative values, not Deribit's current parameters (which
/// it changes without notice) and not calibrated ones; the extended table's dampener is not modelled.</para>
/// </summary>
public sealed record RealtimeScenarioGrid
{
    /// <summary>The most scenarios a grid may have (the engine's accumulators are sized for it).</summary>
    public const int MaxScenarios = 64;

    public double PriceRange { get; init; } = 0.16;
    public int PriceSteps { get; init; } = 9;
    public double VolUp { get; init; } = 0.40;
    public double VolDown { get; init; } = -0.25;
    public double ShortTermPower { get; init; } = 0.5;
    public double LongTermPower { get; init; } = 0.3;
    public double MinVolFactor { get; init; } = 0.1;
    public IReadOnlyList<double> ExtendedMoves { get; init; } = [-0.66, -0.33, 0.5, 1.0, 2.0, 3.0, 4.0, 5.0];
    public double ExtendedWeight { get; init; } = 0.25;
    public double OptionContingency { get; init; } = 0.01;
    public double MaintenanceFactor { get; init; } = 0.8;

    /// <summary>The default grid: ±16 % in 9 buckets × (−25 %, 0, +40 %) vol at 30 days, 8 extended moves at ¼ weight.</summary>
    public static RealtimeScenarioGrid DeribitStyle { get; } = new();

    /// <summary>Relative vol multiplier σ₁/σ₀ of a 30-day relative shock <paramref name="volShock"/> for an option <paramref name="days"/> days from expiry.</summary>
    public double VolMultiplier(double volShock, double days)
    {
        if (volShock == 0) return 1;
        double p = days < 30 ? ShortTermPower : LongTermPower;
        return Math.Max(MinVolFactor, 1 + volShock * Math.Pow(30 / days, p));
    }

    /// <summary>The scenarios in engine order: the main table price-major (vol down, same, up per bucket), then the extended table.</summary>
    /// <exception cref="DataValidationException">A parameter out of range, naming it.</exception>
    public IReadOnlyList<RealtimeScenario> Scenarios()
    {
        Validate();
        var list = new List<RealtimeScenario>(PriceSteps * 3 + ExtendedMoves.Count);
        for (int i = 0; i < PriceSteps; i++)
        {
            double s = PriceSteps == 1 ? 0 : -PriceRange + 2 * PriceRange * i / (PriceSteps - 1);
            if (PriceSteps % 2 == 1 && i == PriceSteps / 2) s = 0;
            list.Add(new RealtimeScenario($"price {s:+0.##%;-0.##%;0%} vol down", s, VolDown, 1, false));
            list.Add(new RealtimeScenario($"price {s:+0.##%;-0.##%;0%} vol same", s, 0, 1, false));
            list.Add(new RealtimeScenario($"price {s:+0.##%;-0.##%;0%} vol up", s, VolUp, 1, false));
        }
        foreach (var s in ExtendedMoves)
            list.Add(new RealtimeScenario($"extended price {s:+0.##%;-0.##%} vol up", s, VolUp, ExtendedWeight, true));
        return list;
    }

    private void Validate()
    {
        static void Fail(string field, double value, string what) =>
            throw new DataValidationException($"scenario grid: {field} = {value} {what}", field: field);
        if (!(PriceRange >= 0 && PriceRange < 1)) Fail(nameof(PriceRange), PriceRange, "must be in [0, 1)");
        if (PriceSteps < 1) Fail(nameof(PriceSteps), PriceSteps, "must be at least 1");
        if (!(VolUp >= 0 && double.IsFinite(VolUp))) Fail(nameof(VolUp), VolUp, "must be ≥ 0 and finite");
        if (!(VolDown <= 0 && VolDown > -1)) Fail(nameof(VolDown), VolDown, "must be in (−1, 0]");
        if (!(ShortTermPower >= 0 && ShortTermPower <= 2)) Fail(nameof(ShortTermPower), ShortTermPower, "must be in [0, 2]");
        if (!(LongTermPower >= 0 && LongTermPower <= 2)) Fail(nameof(LongTermPower), LongTermPower, "must be in [0, 2]");
        if (!(MinVolFactor > 0 && MinVolFactor <= 1)) Fail(nameof(MinVolFactor), MinVolFactor, "must be in (0, 1]");
        if (!(ExtendedWeight >= 0 && ExtendedWeight <= 1)) Fail(nameof(ExtendedWeight), ExtendedWeight, "must be in [0, 1]");
        if (!(OptionContingency >= 0 && double.IsFinite(OptionContingency))) Fail(nameof(OptionContingency), OptionContingency, "must be ≥ 0 and finite");
        if (!(MaintenanceFactor > 0 && MaintenanceFactor <= 1)) Fail(nameof(MaintenanceFactor), MaintenanceFactor, "must be in (0, 1]");
        ArgumentNullException.ThrowIfNull(ExtendedMoves);
        foreach (var s in ExtendedMoves)
            if (!(s > -1 && double.IsFinite(s))) Fail(nameof(ExtendedMoves), s, "must be a relative move > −1");
        if (PriceSteps * 3 + ExtendedMoves.Count > MaxScenarios)
            Fail("scenarios", PriceSteps * 3 + ExtendedMoves.Count, $"exceed the engine's {MaxScenarios}");
    }
}
