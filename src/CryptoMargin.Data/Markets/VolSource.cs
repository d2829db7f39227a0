namespace CryptoMargin.Data.Markets;

/// <summary>
/// Where a Deribit snapshot's volatility surface comes from (<c>--vols</c>); see docs/margin/portfolios-and-markets.md §2.5.
/// </summary>
public enum VolSource
{
    /// <summary>
    /// <c>svi</c> (default): raw SVI per expiry fitted to the out-of-the-money mark IVs of the chain cleaned by
    /// <see cref="MarketData.Options.OptionChainCleaner"/>, as <c>fit-surface --model svi</c> does. The far wings the
    /// cleaner drops (quotes without a bid) are SVI extrapolations.
    /// </summary>
    Svi,

    /// <summary>
    /// <c>marks</c>: per expiry an <see cref="Surfaces.InterpolatedSmile"/> through Deribit's mark IV of every listed
    /// strike (the out-of-the-money option's: call for K ≥ F, put for K &lt; F), exact at every strike.
    /// </summary>
    Marks,

    /// <summary><c>svi-marks</c>: raw SVI per expiry fitted to the mark IVs of every listed out-of-the-money strike (not the cleaned quotes), weights 1.</summary>
    SviMarks,
}

/// <summary>The command-line names of <see cref="VolSource"/>.</summary>
public static class VolSources
{
    /// <summary>svi, marks, svi-marks.</summary>
    public static IReadOnlyList<string> Names { get; } = ["svi", "marks", "svi-marks"];

    /// <summary>The source named <paramref name="name"/> (case-sensitive, as listed in <see cref="Names"/>); false for any other text.</summary>
    public static bool TryParse(string? name, out VolSource source)
    {
        switch (name)
        {
            case "svi": source = VolSource.Svi; return true;
            case "marks": source = VolSource.Marks; return true;
            case "svi-marks": source = VolSource.SviMarks; return true;
            default: source = VolSource.Svi; return false;
        }
    }

    /// <summary>The command-line name of <paramref name="source"/>.</summary>
    public static string Name(this VolSource source) => source switch
    {
        VolSource.Svi => "svi",
        VolSource.Marks => "marks",
        VolSource.SviMarks => "svi-marks",
        _ => throw new ArgumentOutOfRangeException(nameof(source), source, "unknown vol source"),
    };
}
