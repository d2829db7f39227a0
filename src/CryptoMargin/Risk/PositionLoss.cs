namespace CryptoMargin.Risk;

/// <summary>Loss of a linear position as a fraction of its value, for a log return r over the horizon.</summary>
public static class PositionLoss
{
    /// <summary>Long: 1 − eʳ; short: eʳ − 1. Positive = loss.</summary>
    public static double Of(double logReturn, PositionSide side) =>
        side == PositionSide.Long ? -ExpMinusOne(logReturn) : ExpMinusOne(logReturn);

    /// <summary>eˣ − 1 without cancellation for small x.</summary>
    public static double ExpMinusOne(double x) =>
        Math.Abs(x) < 1e-5 ? x + 0.5 * x * x + x * x * x / 6 : Math.Exp(x) - 1;
}
