namespace CryptoMargin.Reporting;

/// <summary>
/// One market quote on a smile chart: where it sits (log-moneyness k = ln(K/F) and strike K, USD) and its implied vols
/// as decimals (0.45, not 45). <see cref="BidVol"/>/<see cref="AskVol"/> are null where the market gave no bid or ask
/// or no vol could be implied from it. Not a quote's prices: only what a chart draws.
/// </summary>
public readonly record struct SmileQuote(double LogMoneyness, double Strike, double MarketVol, double? BidVol, double? AskVol);

/// <summary>
/// One expiry of a fitted surface as the charts and the report see it: a label (the expiry date, or <c>t = …</c>), the
/// year fraction <see cref="T"/> (ACT/365), the forward F (USD), the market quotes, and the fitted smile
/// <see cref="FittedVol"/>: implied vol (decimal) as a function of log-moneyness k = ln(K/F).
/// <see cref="FittedVolIsExact"/> is false when the model's smile between quotes is not known and the curve only joins
/// the model vols at the quotes (the chart then says so). Parameters and errors are shown as given (vol decimals).
/// </summary>
public sealed record SmileChartSlice(
    string Label,
    double T,
    double Forward,
    IReadOnlyList<SmileQuote> Quotes,
    Func<double, double> FittedVol,
    bool FittedVolIsExact,
    IReadOnlyList<KeyValuePair<string, double>> Parameters,
    double RmseVol,
    double MaxAbsErrorVol);

/// <summary>What <see cref="SurfaceCharts"/> draws: a title (model, underlying, time) and the slices, ordered by T.</summary>
public sealed record SurfaceChartModel(string Model, string Underlying, DateTimeOffset? ValuationTime, IReadOnlyList<SmileChartSlice> Slices);

/// <summary>
/// What <see cref="SurfaceReport"/> writes besides the charts: the chain's source, quote counts, the surface errors
/// (vol decimals), surface-wide parameters (null for per-slice models), whether the fit converged, and the arbitrage
/// findings (counts of violating grid points; null = not checked) with the note that says how they were counted.
/// </summary>
public sealed record SurfaceReportModel(
    SurfaceChartModel Charts,
    string Source,
    int QuotesInput,
    int QuotesUsed,
    int QuotesRejected,
    IReadOnlyList<KeyValuePair<string, int>> RejectedByReason,
    double RmseVol,
    double MaxAbsErrorVol,
    IReadOnlyList<KeyValuePair<string, double>>? Parameters,
    bool Converged,
    int? ButterflyViolations,
    int? CalendarViolations,
    string ArbitrageNote);
