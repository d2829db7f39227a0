namespace CryptoMargin.MarketData;

/// <summary>Log returns rₜ = ln(Pₜ / Pₜ₋₁) of a price series, in row order (one fewer than the prices).</summary>
public static class LogReturns
{
    /// <exception cref="DataValidationException">Fewer than 2 prices, or a price that is not finite and positive.</exception>
    public static double[] From(PriceSeries prices)
    {
        ArgumentNullException.ThrowIfNull(prices);
        if (prices.Count < 2)
            throw new DataValidationException(
                $"at least 2 prices are needed for log returns, got {prices.Count}", field: prices.ValueField);
        var p = prices.Values;
        for (int i = 0; i < p.Length; i++)
        {
            if (!double.IsFinite(p[i]) || p[i] <= 0)
                throw new DataValidationException(
                    $"price {PriceValidator.Fmt(p[i])} is not a finite positive number", line: prices.Lines[i], field: prices.ValueField);
        }
        var r = new double[p.Length - 1];
        for (int i = 1; i < p.Length; i++) r[i - 1] = Math.Log(p[i] / p[i - 1]);
        return r;
    }
}
