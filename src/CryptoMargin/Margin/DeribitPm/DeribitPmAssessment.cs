namespace CryptoMargin.Margin.DeribitPm;

/// <summary>
/// Everything the Deribit-style model computed for an account: one <see cref="MarginResult"/> per margin currency, the
/// per-instrument risk vectors (reusable by a fast engine: an account's vector is Σ size × vector), and each
/// (margin currency, underlying) book's aggregated vectors and charges.
/// </summary>
public sealed record DeribitPmAssessment(
    IReadOnlyList<MarginResult> Results,
    IReadOnlyList<InstrumentRiskVector> RiskVectors,
    IReadOnlyList<DeribitPmBook> Books);
