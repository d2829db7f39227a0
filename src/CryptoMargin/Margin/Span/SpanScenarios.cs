namespace CryptoMargin.Margin.Span;

/// <summary>
/// One of SPAN's 16 risk scenarios: the underlying moves by <see cref="PriceMove"/> price scan ranges (the extreme
/// ones by <see cref="PriceMove"/> × the extreme multiple), the implied vol moves up (+1), down (−1) or not (0).
/// </summary>
/// <param name="Number">1–16, CME's numbering.</param>
/// <param name="Name">As CME words it ("price up 1/3 range, vol up").</param>
/// <param name="PriceMove">0, ±1/3, ±2/3, ±1 of the price scan range; ±1 of the extreme move for 15 and 16.</param>
/// <param name="VolDirection">+1 vol up, −1 vol down, 0 unchanged (the extreme scenarios).</param>
/// <param name="IsExtreme">Scenarios 15 and 16, whose loss counts at the extreme coverage only.</param>
public readonly record struct SpanScenario(int Number, string Name, double PriceMove, int VolDirection, bool IsExtreme);

/// <summary>
/// The 16 standard SPAN risk scenarios in CME's order (CME Group, "CME SPAN: Standard Portfolio Analysis of Risk",
/// risk-array scenario table, https://www.cmegroup.com/clearing/span-methodology.html; the same order in the CME SPAN
/// risk-array report, https://www.cmegroup.com/confluence/display/pubspan/Risk+Arrays): 1–2 price unchanged vol up/down;
/// 3–14 price up/down 1/3, 2/3, 3/3 of the range, each with vol up then vol down; 15–16 price up/down the extreme move
/// with vol unchanged, 35% of the loss covered (CME).
/// </summary>
public static class SpanScenarios
{
    /// <summary>Number of scenarios (16).</summary>
    public const int Count = 16;

    private static readonly SpanScenario[] All = Build();

    /// <summary>The 16 scenarios, index k = scenario number − 1.</summary>
    public static ReadOnlySpan<SpanScenario> Standard => All;

    private static SpanScenario[] Build()
    {
        var list = new List<SpanScenario>(Count)
        {
            new(1, "price unchanged, vol up", 0, +1, false),
            new(2, "price unchanged, vol down", 0, -1, false),
        };
        string[] thirds = ["1/3", "2/3", "3/3"];
        for (int j = 1; j <= 3; j++)
            foreach (int dir in new[] { +1, -1 })
                foreach (int vol in new[] { +1, -1 })
                    list.Add(new(list.Count + 1, $"price {(dir > 0 ? "up" : "down")} {thirds[j - 1]} range, vol {(vol > 0 ? "up" : "down")}", dir * j / 3.0, vol, false));
        list.Add(new(15, "price up extreme move", +1, 0, true));
        list.Add(new(16, "price down extreme move", -1, 0, true));
        return [.. list];
    }
}
