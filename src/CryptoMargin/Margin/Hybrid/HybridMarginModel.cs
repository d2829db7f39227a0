using System.Globalization;
using CryptoMargin.MarketData;
using CryptoMargin.Portfolios;

namespace CryptoMargin.Margin.Hybrid;

/// <summary>
/// The <c>hybrid</c> margin model: a composition of other <see cref="IMarginModel"/>s, per margin currency.
/// <list type="bullet">
/// <item><see cref="HybridComposition.Max"/>: IM = max over the parts of their IM on the whole account (e.g.
/// max(grid, greeks)); the breakdown is the binding part's (its binding scenario, add-ons prefixed with its name, its
/// Euler contributions: the derivative of a maximum is the binding term's where the maximum is strict), MM = the
/// largest part MM. One add-on per part reports its IM and whether it binds.</item>
/// <item><see cref="HybridComposition.Sum"/>: each position goes to the one part whose selector covers it; IM and MM
/// are the sums of the parts' figures on their own sub-accounts (e.g. options by grid + linear instruments by tiered
/// add-ons). One add-on per part holds its IM (these add up to IM); each part's Euler contributions sum to its IM, so
/// all of them sum to IM. The binding scenario is that of the part with the largest IM that has one.</item>
/// </list>
/// Incremental margin is the hybrid's own: hybrid IM − hybrid IM of the account without the position, taken from the
/// parts' own incremental margins (exact, since each part's is its IM − its IM without the position; no part is
/// recomputed, so n positions cost one evaluation of each part, not n + 1). Open orders go with the positions (to the parts that cover them); each part applies its own rule.
/// </summary>
public sealed class HybridMarginModel : IMarginModel
{
    private readonly HybridPart[] _parts;

    public HybridMarginModel(HybridComposition composition, IReadOnlyList<HybridPart> parts)
    {
        ArgumentNullException.ThrowIfNull(parts);
        if (parts.Count == 0) throw new ArgumentException("a hybrid margin model needs at least one part", nameof(parts));
        for (int i = 0; i < parts.Count; i++)
            if (parts[i] is null || parts[i].Model is null || parts[i].Covers is null)
                throw new ArgumentException($"hybrid part {i} is null or has no model or selector", nameof(parts));
        if (parts.Select(p => p.Name).Distinct().Count() != parts.Count)
            throw new ArgumentException("hybrid parts need distinct names: " + string.Join(", ", parts.Select(p => p.Name)), nameof(parts));
        Composition = composition;
        _parts = [.. parts];
    }

    /// <summary>max(models…) on the whole account.</summary>
    public static HybridMarginModel Max(params IMarginModel[] models) =>
        new(HybridComposition.Max, models.Select(HybridPart.All).ToArray());

    /// <summary>The sum of the parts, each on the positions it covers.</summary>
    public static HybridMarginModel Sum(params HybridPart[] parts) => new(HybridComposition.Sum, parts);

    public string Name => "hybrid";

    public HybridComposition Composition { get; }

    public IReadOnlyList<HybridPart> Parts => _parts;

    /// <inheritdoc/>
    /// <exception cref="DataValidationException">(Sum) a position no part covers, or that two parts cover; the reason names it.</exception>
    public IReadOnlyList<MarginResult> Compute(Portfolio portfolio, MarketSnapshot market)
    {
        ArgumentNullException.ThrowIfNull(portfolio);
        ArgumentNullException.ThrowIfNull(market);
        var combined = Combine(portfolio, market, out var partResults, out var partOf);
        var results = new List<MarginResult>(combined.Count);
        var partUsed = new Dictionary<(int Part, string Currency), bool[]>();
        foreach (var c in combined)
        {
            var positions = new List<PositionMargin>();
            var used = new bool[c.Positions.Count];
            for (int i = 0; i < portfolio.Positions.Count; i++)
            {
                var p = portfolio.Positions[i];
                if (p.Instrument.MarginCurrency != c.Currency) continue;
                double without = WithoutFromParts(c, i, p, partResults, partOf, partUsed)
                    ?? Combine(portfolio.Without(i), market, out _, out _).FirstOrDefault(r => r.Currency == c.Currency)?.InitialMargin ?? 0;
                int j = Match(c.Positions, used, p);
                var part = j >= 0 ? c.Positions[j] : null;
                positions.Add(new PositionMargin(p.Instrument.Name, p.Size, part?.PnlInBindingScenario, part?.Contribution ?? 0, c.InitialMargin - without));
            }
            // Entries a part reports beyond the account's positions (open orders it charged): kept as the part gave them.
            for (int j = 0; j < used.Length; j++)
                if (!used[j]) positions.Add(c.Positions[j]);
            results.Add(c with { Positions = positions });
        }
        return results;
    }

    /// <summary>
    /// The hybrid's IM in <paramref name="c"/>'s currency without position <paramref name="i"/>, from the parts' own
    /// incremental margins (each part's is its IM − its IM without the position, <see cref="PositionMargin.Incremental"/>),
    /// so no part is recomputed. Max: max(0, max_k (IM_k − inc_k)), since the hybrid without the position is the maximum of
    /// the parts without it. Sum: hybrid IM − inc_k of the one part k that covers the position (the other parts' sub-accounts
    /// do not change). Null when a part reports no entry for the position in that currency: the caller then recomputes.
    /// </summary>
    private double? WithoutFromParts(MarginResult c, int i, Position p, IReadOnlyList<MarginResult>[] partResults, int[]? partOf,
        Dictionary<(int Part, string Currency), bool[]> partUsed)
    {
        if (Composition == HybridComposition.Sum)
        {
            int k = partOf![i];
            var entry = PartEntry(k, c.Currency, p, partResults, partUsed, out _);
            return entry is null ? null : c.InitialMargin - entry.Incremental;
        }
        double without = 0;
        for (int k = 0; k < partResults.Length; k++)
        {
            var entry = PartEntry(k, c.Currency, p, partResults, partUsed, out double partIm);
            if (entry is null) return null;
            without = Math.Max(without, partIm - entry.Incremental);
        }
        return without;
    }

    /// <summary>Part <paramref name="k"/>'s entry for the position in a currency, matched in position order (as <see cref="Match"/>).</summary>
    private static PositionMargin? PartEntry(int k, string currency, Position p, IReadOnlyList<MarginResult>[] partResults,
        Dictionary<(int Part, string Currency), bool[]> partUsed, out double partIm)
    {
        partIm = 0;
        var r = partResults[k].FirstOrDefault(x => x.Currency == currency);
        if (r is null) return null;
        partIm = r.InitialMargin;
        if (!partUsed.TryGetValue((k, currency), out var used)) partUsed[(k, currency)] = used = new bool[r.Positions.Count];
        int j = Match(r.Positions, used, p);
        return j >= 0 ? r.Positions[j] : null;
    }

    private static int Match(IReadOnlyList<PositionMargin> entries, bool[] used, Position p)
    {
        for (int j = 0; j < entries.Count; j++)
        {
            if (used[j] || entries[j].Instrument != p.Instrument.Name || entries[j].Size != p.Size) continue;
            used[j] = true;
            return j;
        }
        return -1;
    }

    /// <summary>The hybrid's results per currency, positions as the parts report them (incremental margins not yet the hybrid's).</summary>
    /// <param name="partResults">Each part's own results (Max: on the whole account; Sum: on its sub-account).</param>
    /// <param name="partOf">(Sum) the part covering each position; null for Max.</param>
    private List<MarginResult> Combine(Portfolio portfolio, MarketSnapshot market, out IReadOnlyList<MarginResult>[] partResults, out int[]? partOf)
    {
        if (Composition == HybridComposition.Max)
        {
            partOf = null;
            return CombineMax(portfolio, market, out partResults);
        }
        return CombineSum(portfolio, market, out partResults, out partOf);
    }

    private List<MarginResult> CombineMax(Portfolio portfolio, MarketSnapshot market, out IReadOnlyList<MarginResult>[] partResults)
    {
        partResults = _parts.Select(p => p.Model.Compute(portfolio, market)).ToArray();
        var results = new List<MarginResult>();
        foreach (var currency in Currencies(partResults))
        {
            var rs = partResults.Select(list => list.FirstOrDefault(r => r.Currency == currency)).ToArray();
            int bind = 0;
            for (int k = 1; k < rs.Length; k++)
                if ((rs[k]?.InitialMargin ?? 0) > (rs[bind]?.InitialMargin ?? 0)) bind = k;
            var b = rs[bind];
            var addOns = new List<MarginAddOn>();
            var notes = new List<string>
            {
                string.Create(CultureInfo.InvariantCulture, $"max({string.Join(", ", _parts.Select(p => p.Name))}): {_parts[bind].Name} binds with IM {b?.InitialMargin ?? 0:G6} {currency}") +
                    (rs.Length > 1 ? string.Create(CultureInfo.InvariantCulture, $" (others: {string.Join(", ", Enumerable.Range(0, rs.Length).Where(k => k != bind).Select(k => $"{_parts[k].Name} {rs[k]?.InitialMargin ?? 0:G6}"))})") : ""),
            };
            for (int k = 0; k < rs.Length; k++)
                addOns.Add(new MarginAddOn($"{_parts[k].Name} IM ({(k == bind ? "binds" : "does not bind")})", rs[k]?.InitialMargin ?? 0));
            if (b is not null)
            {
                addOns.AddRange(b.AddOns.Select(a => a with { Name = $"{_parts[bind].Name}: {a.Name}" }));
                notes.AddRange(b.Notes.Select(n => $"{_parts[bind].Name}: {n}"));
            }
            double im = b?.InitialMargin ?? 0;
            double mm = Math.Min(im, rs.Max(r => r?.MaintenanceMargin ?? 0));
            results.Add(new MarginResult(Name, currency, im, mm, b?.BindingScenario, addOns, b?.Positions ?? [], notes));
        }
        return results;
    }

    private List<MarginResult> CombineSum(Portfolio portfolio, MarketSnapshot market, out IReadOnlyList<MarginResult>[] partResults, out int[]? partOf)
    {
        var positions = new List<Position>[_parts.Length];
        var orders = new List<Position>[_parts.Length];
        for (int k = 0; k < _parts.Length; k++)
        {
            positions[k] = [];
            orders[k] = [];
        }
        partOf = Assign(portfolio.Positions, positions, "position");
        Assign(portfolio.OpenOrders, orders, "open order");
        partResults = new IReadOnlyList<MarginResult>[_parts.Length];
        for (int k = 0; k < _parts.Length; k++)
            partResults[k] = positions[k].Count + orders[k].Count == 0 ? []
                : _parts[k].Model.Compute(new Portfolio(portfolio.AccountCurrency, portfolio.Collateral, positions[k], orders[k], portfolio.Name), market);
        var results = new List<MarginResult>();
        foreach (var currency in Currencies(partResults))
        {
            var rs = partResults.Select(list => list.FirstOrDefault(r => r.Currency == currency)).ToArray();
            var addOns = new List<MarginAddOn>();
            var notes = new List<string>();
            var list = new List<PositionMargin>();
            double im = 0, mm = 0, largest = -1;
            BindingScenario? binding = null;
            string? bindingPart = null;
            for (int k = 0; k < rs.Length; k++)
            {
                var r = rs[k];
                if (r is null) continue;
                im += r.InitialMargin;
                mm += r.MaintenanceMargin;
                addOns.Add(new MarginAddOn($"{_parts[k].Name} IM", r.InitialMargin));
                list.AddRange(r.Positions);
                notes.AddRange(r.Notes.Select(n => $"{_parts[k].Name}: {n}"));
                if (r.BindingScenario is not null && r.InitialMargin > largest)
                {
                    largest = r.InitialMargin;
                    binding = r.BindingScenario;
                    bindingPart = _parts[k].Name;
                }
            }
            for (int k = 0; k < rs.Length; k++)
                if (rs[k] is { } r)
                    addOns.AddRange(r.AddOns.Select(a => a with { Name = $"{_parts[k].Name}: {a.Name}" }));
            notes.Insert(0, string.Create(CultureInfo.InvariantCulture,
                $"sum of parts: {string.Join(" + ", Enumerable.Range(0, rs.Length).Where(k => rs[k] is not null).Select(k => $"{_parts[k].Name} {rs[k]!.InitialMargin:G6}"))} = {im:G6} {currency}; the '… IM' add-ons sum to IM, the prefixed ones break each part down") +
                (bindingPart is null ? "" : $"; binding scenario from {bindingPart}"));
            results.Add(new MarginResult(Name, currency, im, mm, binding, addOns, list, notes));
        }
        return results;
    }

    private int[] Assign(IReadOnlyList<Position> source, List<Position>[] target, string what)
    {
        var partOf = new int[source.Count];
        for (int i = 0; i < source.Count; i++)
        {
            int found = -1;
            for (int k = 0; k < _parts.Length; k++)
            {
                if (!_parts[k].Covers(source[i].Instrument)) continue;
                if (found >= 0)
                    throw new DataValidationException($"{what} {i} ({source[i].Instrument.Name}) is covered by two hybrid parts, '{_parts[found].Name}' and '{_parts[k].Name}'", field: "instrument");
                found = k;
            }
            if (found < 0)
                throw new DataValidationException($"{what} {i} ({source[i].Instrument.Name}) is covered by no hybrid part (parts: {string.Join(", ", _parts.Select(p => p.Name))})", field: "instrument");
            target[found].Add(source[i]);
            partOf[i] = found;
        }
        return partOf;
    }

    private static IEnumerable<string> Currencies(IReadOnlyList<MarginResult>[] partResults) =>
        partResults.SelectMany(l => l.Select(r => r.Currency)).Distinct().Order(StringComparer.Ordinal);
}
