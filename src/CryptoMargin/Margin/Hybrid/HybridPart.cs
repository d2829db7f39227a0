using CryptoMargin.Instruments;

namespace CryptoMargin.Margin.Hybrid;

/// <summary>
/// One part of a <see cref="HybridComposition.Sum"/> hybrid: the model that margins the positions whose instrument
/// <see cref="Covers"/> selects (e.g. options by a scenario grid, linear instruments by tiered margin).
/// </summary>
/// <param name="Name">How the breakdown names this part (e.g. <c>options by grid</c>).</param>
/// <param name="Model">The component model.</param>
/// <param name="Covers">Which instruments this part margins; every position must be covered by exactly one part.</param>
public sealed record HybridPart(string Name, IMarginModel Model, Func<Instrument, bool> Covers)
{
    /// <summary>A part margining the options.</summary>
    public static HybridPart Options(IMarginModel model) => new($"options by {model.Name}", model, i => i.Kind == InstrumentKind.Option);

    /// <summary>A part margining the linear instruments: futures, perpetuals and spot.</summary>
    public static HybridPart Linear(IMarginModel model) => new($"linear by {model.Name}", model, i => i.Kind != InstrumentKind.Option);

    /// <summary>A part margining every instrument (the parts of a <see cref="HybridComposition.Max"/> hybrid).</summary>
    public static HybridPart All(IMarginModel model) => new(model.Name, model, _ => true);
}

/// <summary>How a <see cref="HybridMarginModel"/> combines its parts.</summary>
public enum HybridComposition
{
    /// <summary>Every part margins the whole account; IM is the largest of theirs (e.g. max(grid, greeks)).</summary>
    Max,
    /// <summary>Each part margins its own positions; IM is the sum (e.g. options by grid + linear by tiered add-ons).</summary>
    Sum,
}
