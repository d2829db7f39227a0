namespace CryptoMargin.Risk;

/// <summary>Loss of a linear position as a fraction of its value, for a log return r over the horizon.</summary>
public static class PositionLoss
{
    /// <summary>Long: 1 − eʳ; short: eʳ − 1. Positive = loss.</summary>
    public static double Of(double logReturn, PositionSide side) =>
        side == PositionSide.Long ? -ExpMinusOne(logReturn) : ExpMinusOne(logReturn);

    /// <summary>
    /// eˣ − 1 without cancellation: u = eˣ, then (u − 1)·x / ln u, whose rounding errors cancel (Kahan's trick;
    /// Goldberg 1991, "What every computer scientist should know about floating-point arithmetic", Thm. 4 analogue).
    /// </summary>
    public static double ExpMinusOne(double x)
    {
        double u = Math.Exp(x);
        if (u == 1.0) return x;
        double um1 = u - 1.0;
        if (um1 == -1.0 || double.IsInfinity(u)) return um1;
        return um1 * x / Math.Log(u);
    }
}
