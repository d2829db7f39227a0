namespace CryptoMargin.Reporting;

// The report's own input model: plain immutable values filled by the caller from a calibration result.
// Rates, confidences and losses are fractions (0.12, not 12). Dates are UTC. Arrays that share an index
// (Dates/Prices, BacktestDates/MarginRates/RealisedLosses/Exceedances) must have equal lengths.

/// <summary>Everything one report.html shows: a title, the inputs it came from, one section per asset.</summary>
public sealed record CalibrationReportModel(
    string Title,
    IReadOnlyList<ReportInputFile> GeneratedFrom,
    IReadOnlyList<AssetReport> Assets);

/// <summary>An input file and the SHA-256 (hex) of its bytes, for provenance.</summary>
public sealed record ReportInputFile(string Path, string Sha256);

/// <summary>One asset's calibration as the report shows it.</summary>
public sealed record AssetReport(
    string Asset,
    IReadOnlyList<DateTimeOffset> Dates,
    IReadOnlyList<double> Prices,
    // Daily log returns; element i is the return from Dates[i] to Dates[i+1] (length Dates.Count − 1).
    IReadOnlyList<double> Returns,
    IReadOnlyList<ValidationFinding> Findings,
    PolicySummary Policy,
    BacktestSeries Backtest,
    IReadOnlyList<FrontierRow> Frontier,
    ResidualDiagnostics Residuals,
    // Conditional daily volatility (decimal), aligned with <see cref="VolatilityDates"/>.
    IReadOnlyList<DateTimeOffset> VolatilityDates,
    IReadOnlyList<double> ConditionalVolatility,
    IReadOnlyList<StressWindowRow> StressWindows,
    IReadOnlyList<TierRow> Tiers,
    IReadOnlyList<TestRow> WholeHistoryTests,
    IReadOnlyList<TestRow> HoldoutTests,
    NormalVarComparison? NormalVarComparison)
{
    /// <summary>More policies to set beside the chosen one in the comparison table (e.g. the same policy with a speed limit).</summary>
    public IReadOnlyList<NormalVarComparison> OtherComparisons { get; init; } = [];
}

/// <summary>A data-validation finding: where it is (date and index into Dates), what kind, and the detail.</summary>
public sealed record ValidationFinding(DateTimeOffset Date, int Index, string Kind, string Detail);

/// <summary>The chosen policy. <see cref="Apc"/> is a short human description of the APC settings.</summary>
public sealed record PolicySummary(
    string Method,
    double Confidence,
    int MporDays,
    int LookbackDays,
    double? Lambda,
    string Apc,
    double InitialMarginRate,
    double MaintenanceMarginRate,
    bool Fallback,
    string? FallbackReason);

/// <summary>
/// The rolling backtest: margin rate on each date, the realised h-day loss that followed (positive = loss,
/// fraction of position value), whether it exceeded the margin, and where the holdout starts (null if none).
/// </summary>
public sealed record BacktestSeries(
    IReadOnlyList<DateTimeOffset> Dates,
    IReadOnlyList<double> MarginRates,
    IReadOnlyList<double> RealisedLosses,
    IReadOnlyList<bool> Exceedances,
    DateTimeOffset? HoldoutStart);

/// <summary>One candidate policy of the search with its calibration-window results.</summary>
public sealed record FrontierRow(
    string Label,
    double AverageMargin,
    int Exceedances,
    double ExpectedExceedances,
    double KupiecPValue,
    double ChristoffersenPValue,
    double ConditionalCoveragePValue,
    double EsBacktestPValue,
    string TrafficLight,
    double PeakToTrough,
    double Max30DayIncrease,
    bool Passes,
    bool Chosen,
    IReadOnlyList<string> Failures);

/// <summary>Standardised residuals and the distribution they were fitted with: Normal, or Student-t with ν (unit variance).</summary>
public sealed record ResidualDiagnostics(IReadOnlyList<double> StandardizedResiduals, string Distribution, double? DegreesOfFreedom);

/// <summary>Procyclicality inside a named stress window.</summary>
public sealed record StressWindowRow(
    string Name, DateTimeOffset Start, DateTimeOffset End,
    double PeakToTrough, double MaxOneDayIncrease, double Max30DayIncrease, double AverageMargin);

/// <summary>A risk-limit tier: positions up to <see cref="MaxNotional"/> (USD; null = no cap) pay these rates.</summary>
public sealed record TierRow(double? MaxNotional, double InitialMarginRate, double MaintenanceMarginRate);

/// <summary>A statistical test result with a one-line reading for the committee.</summary>
public sealed record TestRow(string Name, double? Statistic, double? PValue, bool Passes, string Reading);

/// <summary>How a plain Normal-VaR policy would have fared over the same backtest.</summary>
public sealed record NormalVarComparison(
    string Label, double AverageMargin, int Exceedances, double ExpectedExceedances,
    double KupiecPValue, string TrafficLight, double PeakToTrough, string Reading);
