using System.Globalization;

namespace CryptoMargin.MarketData.Options;

/// <summary>
/// Thresholds of <see cref="OptionChainCleaner"/>. What the defaults do on the shipped Deribit sample is in
/// <c>docs/options/option-chains.md</c>.
/// </summary>
public sealed record OptionCleaningSettings
{
    /// <summary>The defaults: spread ≤ 100 % of mid, expiry ≥ 1 day away, quotes ≤ 1 h old, arbitrage tolerance 1e-4·F,
    /// parity on the 5 strikes nearest the forward, forward mismatch above 0.5 %.</summary>
    public static OptionCleaningSettings Default { get; } = new();

    /// <summary>
    /// Largest accepted relative spread (ask − bid)/mid. Default 1.0: a 0.0001/0.0002 BTC deep out-of-the-money quote
    /// (spread 67 % of mid) stays, a 0.0001/0.0005 one goes. Must be &gt; 0.
    /// </summary>
    public double MaxRelativeSpread { get; init; } = 1.0;

    /// <summary>Shortest accepted time from the valuation time to expiry. Default 1 day. Must be ≥ 0.</summary>
    public TimeSpan MinTimeToExpiry { get; init; } = TimeSpan.FromDays(1);

    /// <summary>Oldest accepted quote (valuation time − quote time), where quotes carry their own time. Default 1 h. Must be &gt; 0.</summary>
    public TimeSpan MaxQuoteAge { get; init; } = TimeSpan.FromHours(1);

    /// <summary>
    /// A static-arbitrage condition counts as broken when it fails by more than this fraction of the expiry's forward
    /// (in undiscounted USD). Default 1e-4 (8 USD at F = 80,000: about one Deribit price tick of 0.0001 BTC). Must be ≥ 0.
    /// </summary>
    public double ArbitrageTolerance { get; init; } = 1e-4;

    /// <summary>
    /// Judge static arbitrage on mid prices instead of executable ones (buy at the ask, sell at the bid). Default false: on
    /// mids, bid/ask noise on wide deep in-the-money quotes reads as arbitrage (see docs/options/option-chains.md).
    /// </summary>
    public bool ArbitrageOnMids { get; init; }

    /// <summary>Check monotonicity and convexity in strike (and reject the offending quotes). Default true.</summary>
    public bool CheckStaticArbitrage { get; init; } = true;

    /// <summary>How many strikes nearest the snapshot forward (in |ln K/F|) enter the median put-call-parity forward. Default 5. Must be ≥ 1.</summary>
    public int ParityStrikes { get; init; } = 5;

    /// <summary>|implied / snapshot forward − 1| above this flags <see cref="ImpliedForward.Mismatch"/>. Default 0.005. Must be &gt; 0.</summary>
    public double ForwardTolerance { get; init; } = 0.005;

    internal void Check()
    {
        if (!(MaxRelativeSpread > 0))
            throw new DataValidationException($"the largest relative spread must be positive, got {Fmt(MaxRelativeSpread)}", field: "maxRelativeSpread");
        if (MinTimeToExpiry < TimeSpan.Zero)
            throw new DataValidationException($"the shortest time to expiry must not be negative, got {MinTimeToExpiry}", field: "minTimeToExpiry");
        if (MaxQuoteAge <= TimeSpan.Zero)
            throw new DataValidationException($"the largest quote age must be positive, got {MaxQuoteAge}", field: "maxQuoteAge");
        if (!(ArbitrageTolerance >= 0) || double.IsInfinity(ArbitrageTolerance))
            throw new DataValidationException($"the arbitrage tolerance must be a finite number ≥ 0, got {Fmt(ArbitrageTolerance)}", field: "arbitrageTolerance");
        if (ParityStrikes < 1)
            throw new DataValidationException($"put-call parity needs at least 1 strike, got {ParityStrikes}", field: "parityStrikes");
        if (!(ForwardTolerance > 0))
            throw new DataValidationException($"the forward tolerance must be positive, got {Fmt(ForwardTolerance)}", field: "forwardTolerance");
    }

    private static string Fmt(double v) => v.ToString("G10", CultureInfo.InvariantCulture);
}
