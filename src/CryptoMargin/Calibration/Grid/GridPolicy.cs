namespace CryptoMargin.Calibration.Grid;

/// <summary>
/// The calibrated parameters of a price × vol scenario grid (the <c>grid</c> section of a policy): per underlying the
/// price range and extended move (relative moves over the MPOR) and the term-scaled vol shocks IV·(1 ± k·(30/DTE)^p).
/// <para>Not a margin model: <c>deribitPm</c> and the other grid models read these parameters.</para>
/// </summary>
public sealed record GridPolicy(
    double Confidence,
    int MporDays,
    int VolShockHorizonDays,
    double ExtendedConfidence,
    IReadOnlyList<GridCoinParameters> Coins,
    GridSources Sources);

/// <summary>
/// One underlying's grid parameters. <see cref="PriceRange"/> and <see cref="ExtendedMove"/> are relative price moves
/// (0.16 = ±16 %); <see cref="VolUp"/> and <see cref="VolDown"/> the ATM term laws of the upper and lower vol-change
/// quantiles (VolDown's k is the magnitude of the fall: IV·(1 − k·(30/DTE)^p)). The fits carry their statistics.
/// </summary>
public sealed record GridCoinParameters(
    string Underlying,
    double PriceRange,
    string PriceRangeSource,
    double ExtendedMove,
    string ExtendedMoveSource,
    TermShockFitResult VolUp,
    TermShockFitResult VolDown);

/// <summary>Where the calibration's inputs came from, for the record (names, counts, dates).</summary>
public sealed record GridSources(
    string Chains,
    int Snapshots,
    DateOnly First,
    DateOnly Last,
    IReadOnlyList<string> Prices,
    string? Policy);
