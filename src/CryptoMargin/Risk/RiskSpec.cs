using System.Globalization;

namespace CryptoMargin.Risk;

/// <summary>
/// What to measure and how: the method, confidence c, horizon h (days), side, lookback window and the volatility
/// model behind the parametric and filtered methods.
/// </summary>
public sealed record RiskSpec
{
    public RiskMethod Method { get; init; } = RiskMethod.Historical;

    /// <summary>Confidence level c ∈ (0.5, 1), e.g. 0.99.</summary>
    public double Confidence { get; init; } = 0.99;

    /// <summary>Horizon h in days (the margin period of risk), ≥ 1.</summary>
    public int HorizonDays { get; init; } = 2;

    public PositionSide Side { get; init; } = PositionSide.Long;

    /// <summary>Only the last this-many daily returns are used (null = all history).</summary>
    public int? LookbackDays { get; init; }

    /// <summary>
    /// normal / t / fhs: EWMA with this fixed λ and zero mean (RiskMetrics); null = GARCH(1,1) with constant mean
    /// fitted by maximum likelihood, Normal innovations for <c>normal</c>, Student-t for <c>t</c> and <c>fhs</c>.
    /// Not used by hs and evt.
    /// </summary>
    public double? Lambda { get; init; }

    /// <summary>fhs: simulated h-day paths (h = 1 uses every residual instead).</summary>
    public int Paths { get; init; } = 10_000;

    /// <summary>fhs: seed of the bootstrap.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>evt: the threshold is the empirical loss quantile at this level.</summary>
    public double ThresholdQuantile { get; init; } = 0.90;

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first setting out of range.</summary>
    public void Validate()
    {
        if (!(Confidence > 0.5 && Confidence < 1)) throw Bad(nameof(Confidence), Confidence, "must lie in (0.5, 1)");
        if (HorizonDays < 1) throw Bad(nameof(HorizonDays), HorizonDays, "must be ≥ 1");
        if (LookbackDays is { } l && l < 2) throw Bad(nameof(LookbackDays), l, "must be ≥ 2 (or null for all history)");
        if (Lambda is { } lambda && !(lambda > 0 && lambda < 1)) throw Bad(nameof(Lambda), lambda, "must lie in (0, 1)");
        if (Paths < 1) throw Bad(nameof(Paths), Paths, "must be ≥ 1");
        if (!(ThresholdQuantile > 0 && ThresholdQuantile < 1)) throw Bad(nameof(ThresholdQuantile), ThresholdQuantile, "must lie in (0, 1)");
    }

    private static ArgumentOutOfRangeException Bad(string name, object value, string what) =>
        new(name, value, string.Create(CultureInfo.InvariantCulture, $"{name} {what}, not {value}"));
}
