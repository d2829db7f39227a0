using MathNet.Numerics.Distributions;

namespace CryptoMargin.Backtesting;

/// <summary>
/// Basel traffic light generalised to any sample size: with X ~ Binomial(n, p), x exceedances are green while
/// P(X ≤ x) &lt; 95%, yellow while P(X ≤ x) &lt; 99.99%, red beyond. For n = 250, p = 1% this is the Basel
/// Committee (1996) table: 0–4 green, 5–9 yellow, 10+ red ("Supervisory framework for the use of backtesting
/// in conjunction with the internal models approach to market risk capital requirements", Table 2).
/// </summary>
public static class TrafficLight
{
    public const double GreenCumulativeProbability = 0.95;
    public const double YellowCumulativeProbability = 0.9999;

    /// <summary>The zone of <paramref name="exceedances"/> in <paramref name="observations"/> at the expected rate.</summary>
    public static TrafficLightZone Zone(int observations, int exceedances, double expectedRate)
    {
        if (exceedances < 0 || exceedances > observations)
            throw new ArgumentOutOfRangeException(nameof(exceedances), exceedances, $"must lie in [0, {observations}]");
        var (greenMax, yellowMax) = Thresholds(observations, expectedRate);
        return exceedances <= greenMax ? TrafficLightZone.Green
             : exceedances <= yellowMax ? TrafficLightZone.Yellow
             : TrafficLightZone.Red;
    }

    /// <summary>
    /// The largest green and the largest yellow exceedance counts. In very small samples P(X ≤ 0) itself can reach
    /// 95% (n ≤ 5 at 1%) or 99.99% (n = 0); zero exceedances are nevertheless green, since they are no evidence of
    /// under-margining (the light is one-sided: it flags too many exceedances). So GreenMax ≥ 0 and YellowMax ≥ GreenMax.
    /// </summary>
    public static (int GreenMax, int YellowMax) Thresholds(int observations, double expectedRate)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(observations);
        LikelihoodRatio.CheckRate(expectedRate, nameof(expectedRate));
        int greenMax = -1, yellowMax = -1;
        for (var x = 0; x <= observations; x++)
        {
            var cumulative = Binomial.CDF(expectedRate, observations, x);
            if (cumulative >= YellowCumulativeProbability) break;
            yellowMax = x;
            if (cumulative < GreenCumulativeProbability) greenMax = x;
        }
        greenMax = Math.Max(greenMax, 0);
        return (greenMax, Math.Max(yellowMax, greenMax));
    }
}
