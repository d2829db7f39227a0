namespace CryptoMargin.MarketData.Options;

/// <summary>
/// The forward of one expiry implied by put-call parity, next to the forward the snapshot carries.
/// <see cref="Implied"/> is the median over <see cref="Strikes"/> near-the-money strikes of
/// Fₖ = K + (C − P) (undiscounted USD) or, for inverse quotes, Fₖ = K / (1 − (c − p)) (coin prices c, p); null when no
/// strike has both a call and a put with bid and ask. <see cref="RelativeDifference"/> = Implied / Snapshot − 1;
/// <see cref="Mismatch"/> when its size exceeds <see cref="OptionCleaningSettings.ForwardTolerance"/>.
/// </summary>
public sealed record ImpliedForward(
    DateTimeOffset? Expiry, double T, double Snapshot, double? Implied, IReadOnlyList<double> Strikes, double? RelativeDifference, bool Mismatch);
