using CryptoMargin.MarketData;

namespace CryptoMargin.Surfaces;

/// <summary>
/// One expiry's market smile, the input of the SVI and SSVI fits: expiry in years (ACT/365), the forward, and per
/// quote the log-moneyness k = ln(K/F), the Black implied volatility (decimal, 0.65 not 65) and a non-negative
/// weight of that quote's squared vol error (1 for all when <paramref name="Weights"/> is null). Not a chain of
/// prices: converting prices to vols is the pricing layer's job.
/// </summary>
public sealed record VolSlice
{
    public VolSlice(double expiry, double forward, double[] logMoneyness, double[] impliedVolatilities, double[]? weights = null)
    {
        if (!(expiry > 0) || !double.IsFinite(expiry)) throw new DataValidationException($"expiry must be a positive number of years, got {expiry}", field: "expiry");
        if (!(forward > 0) || !double.IsFinite(forward)) throw new DataValidationException($"forward must be positive, got {forward}", field: "forward");
        ArgumentNullException.ThrowIfNull(logMoneyness);
        ArgumentNullException.ThrowIfNull(impliedVolatilities);
        if (logMoneyness.Length != impliedVolatilities.Length)
            throw new DataValidationException($"{logMoneyness.Length} log-moneyness values but {impliedVolatilities.Length} implied vols", field: "impliedVolatility");
        if (weights is not null && weights.Length != logMoneyness.Length)
            throw new DataValidationException($"{logMoneyness.Length} quotes but {weights.Length} weights", field: "weight");
        for (int i = 0; i < logMoneyness.Length; i++)
        {
            if (!double.IsFinite(logMoneyness[i])) throw new DataValidationException($"quote {i}: log-moneyness is {logMoneyness[i]}", field: "logMoneyness");
            if (!(impliedVolatilities[i] > 0) || !double.IsFinite(impliedVolatilities[i]))
                throw new DataValidationException($"quote {i} (k = {logMoneyness[i]}): implied vol must be positive, got {impliedVolatilities[i]}", field: "impliedVolatility");
            if (weights is not null && (!(weights[i] >= 0) || !double.IsFinite(weights[i])))
                throw new DataValidationException($"quote {i} (k = {logMoneyness[i]}): weight must be ≥ 0, got {weights[i]}", field: "weight");
        }
        Expiry = expiry;
        Forward = forward;
        LogMoneyness = logMoneyness;
        ImpliedVolatilities = impliedVolatilities;
        Weights = weights;
    }

    /// <summary>A slice from total variances w = σ² t instead of vols.</summary>
    public static VolSlice FromTotalVariance(double expiry, double forward, double[] logMoneyness, double[] totalVariance, double[]? weights = null)
    {
        ArgumentNullException.ThrowIfNull(totalVariance);
        var vols = new double[totalVariance.Length];
        for (int i = 0; i < vols.Length; i++) vols[i] = totalVariance[i] > 0 && expiry > 0 ? Math.Sqrt(totalVariance[i] / expiry) : double.NaN;
        return new VolSlice(expiry, forward, logMoneyness, vols, weights);
    }

    /// <summary>Years to expiry (ACT/365).</summary>
    public double Expiry { get; }
    public double Forward { get; }
    /// <summary>k = ln(K/F) per quote.</summary>
    public double[] LogMoneyness { get; }
    /// <summary>Black implied vol per quote, decimal.</summary>
    public double[] ImpliedVolatilities { get; }
    /// <summary>Weight per quote of the squared vol error; null = all 1.</summary>
    public double[]? Weights { get; }

    public int Count => LogMoneyness.Length;

    public double Weight(int i) => Weights is null ? 1 : Weights[i];

    /// <summary>
    /// ATM total variance θ = w(0): linear interpolation in k of the market total variances σ²t between the two quotes
    /// around k = 0 (the nearest quote's when all quotes lie on one side).
    /// </summary>
    public double AtmTotalVariance()
    {
        int below = -1, above = -1;
        for (int i = 0; i < Count; i++)
        {
            double k = LogMoneyness[i];
            if (k <= 0 && (below < 0 || k > LogMoneyness[below])) below = i;
            if (k >= 0 && (above < 0 || k < LogMoneyness[above])) above = i;
        }
        double W(int i) => ImpliedVolatilities[i] * ImpliedVolatilities[i] * Expiry;
        if (below < 0) return W(above);
        if (above < 0 || LogMoneyness[above] == LogMoneyness[below]) return W(below);
        double kb = LogMoneyness[below], ka = LogMoneyness[above];
        return W(below) + (W(above) - W(below)) * (0 - kb) / (ka - kb);
    }
}
