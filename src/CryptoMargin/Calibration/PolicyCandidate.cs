using CryptoMargin.Margin;
using CryptoMargin.Risk;

namespace CryptoMargin.Calibration;

/// <summary>One policy to try: a risk measure (method, lookback, EWMA λ) at (confidence, MPOR) plus an APC treatment.</summary>
public sealed record PolicyCandidate(
    RiskMethod Method, int LookbackDays, double? Lambda, AntiProcyclicality Apc, double Confidence, int MporDays)
{
    /// <summary>The part that decides the raw risk series (candidates that differ only in APC share it).</summary>
    public RiskKey Risk => new(Method, LookbackDays, Lambda, Confidence, MporDays);

    public override string ToString() =>
        $"{Method.ToName()} {LookbackDays}d{(Lambda is double l ? $" λ={l}" : "")} {Apc.Label}";
}

/// <summary>What determines a raw VaR/ES series.</summary>
public readonly record struct RiskKey(RiskMethod Method, int LookbackDays, double? Lambda, double Confidence, int MporDays);
