namespace CryptoMargin.Surfaces;

/// <summary>
/// An implied-volatility surface of one underlying: the forward for each expiry and the Black-76 implied vol at
/// any strike and expiry (years, ACT/365). Margin models revalue options off it.
/// </summary>
public interface IVolSurface
{
    /// <summary>Forward price for expiry <paramref name="t"/> (years).</summary>
    double Forward(double t);

    /// <summary>Black-76 implied vol (decimal) at <paramref name="strike"/> for expiry <paramref name="t"/>.</summary>
    double ImpliedVolatility(double strike, double t);
}
