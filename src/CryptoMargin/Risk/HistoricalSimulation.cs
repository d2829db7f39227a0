namespace CryptoMargin.Risk;

/// <summary>
/// Historical simulation: VaR and ES of the empirical distribution of overlapping h-day log returns
/// r_j + … + r_{j+h−1}, j = 0 … n − h, mapped to losses by <see cref="PositionLoss.Of"/>. Quantile and tail-mean
/// definitions: VaR = L₍⌈cN⌉₎, ES = mean of L₍⌈cN⌉₎ … L₍N₎ (docs/methodology.md §4).
/// </summary>
public static class HistoricalSimulation
{
    /// <exception cref="MarketData.DataValidationException">fewer than ⌈1/(1 − c)⌉ h-day returns, or a non-finite return.</exception>
    public static RiskEstimate Estimate(ReadOnlySpan<double> dailyLogReturns, int horizonDays, double confidence, PositionSide side)
    {
        EmpiricalTail.ValidateConfidence(confidence);
        ArgumentOutOfRangeException.ThrowIfLessThan(horizonDays, 1);
        RiskInput.RequireFinite(dailyLogReturns);
        int count = dailyLogReturns.Length - horizonDays + 1;
        EmpiricalTail.RequireSample(Math.Max(count, 0), confidence, $"overlapping {horizonDays}-day returns");
        var losses = new double[count];
        OverlappingLosses(dailyLogReturns, horizonDays, side, losses);
        return EmpiricalTail.Estimate(losses, confidence);
    }

    /// <summary>The h-day log return ending at index j (j ≥ h − 1), summed oldest first.</summary>
    internal static double HorizonSum(ReadOnlySpan<double> r, int end, int horizonDays)
    {
        double s = 0;
        for (int i = end - horizonDays + 1; i <= end; i++) s += r[i];
        return s;
    }

    /// <summary>losses[j] = loss of the h-day return starting at j (j = 0 … n − h).</summary>
    internal static void OverlappingLosses(ReadOnlySpan<double> r, int horizonDays, PositionSide side, Span<double> losses)
    {
        for (int j = 0; j < losses.Length; j++)
            losses[j] = PositionLoss.Of(HorizonSum(r, j + horizonDays - 1, horizonDays), side);
    }
}

internal static class RiskInput
{
    internal static void RequireFinite(ReadOnlySpan<double> values)
    {
        for (int i = 0; i < values.Length; i++)
        {
            if (!double.IsFinite(values[i]))
                throw new MarketData.DataValidationException(
                    $"return {i + 1} of {values.Length} is {values[i].ToString(System.Globalization.CultureInfo.InvariantCulture)}: every return must be a finite number");
        }
    }
}
