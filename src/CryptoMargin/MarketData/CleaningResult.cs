namespace CryptoMargin.MarketData;

/// <summary>
/// The output of <see cref="PriceCleaner.Clean"/>: the cleaned series and every change made (nothing is applied
/// silently). <see cref="DroppedRows"/> + the rows of <see cref="Series"/> = the rows of the input.
/// </summary>
public sealed record CleaningResult(
    PriceSeries Series,
    CleaningPolicy Policy,
    int DroppedRows,
    int WinsorizedRows,
    IReadOnlyList<CleaningAction> Actions);
