namespace CryptoMargin.Pricing;

/// <summary>
/// Linear (USDC-settled) European options: premium, settlement and Greeks all in the quote currency, so the value is
/// the undiscounted Black-76 price on the forward times the contract size (units of the underlying per contract), with
/// no coin adjustment to delta. Rates are zero, as for <see cref="InverseOption"/>; pass a discount factor to
/// <see cref="Black76.Greeks(double, double, double, double, OptionType, double)"/> if you need one.
/// </summary>
public static class LinearOption
{
    /// <summary>Premium in the quote currency per contract: contractSize · Black76(F, K, t, σ).</summary>
    /// <exception cref="ArgumentOutOfRangeException">As Black-76, or contractSize not positive and finite.</exception>
    public static double Price(double forward, double strike, double t, double sigma, OptionType type, double contractSize = 1)
    {
        Black76.Validate(forward, strike, t, sigma);
        ValidateContractSize(contractSize);
        return contractSize * Black76.Undiscounted(forward, strike, t, sigma, type);
    }

    /// <summary>Premium and Greeks per contract in the quote currency (Greeks with respect to the forward).</summary>
    public static OptionGreeks Greeks(double forward, double strike, double t, double sigma, OptionType type, double contractSize = 1)
    {
        Black76.Validate(forward, strike, t, sigma);
        ValidateContractSize(contractSize);
        return Black76.UndiscountedGreeks(forward, strike, t, sigma, type).Scale(contractSize);
    }

    private static void ValidateContractSize(double contractSize)
    {
        if (!(contractSize > 0 && double.IsFinite(contractSize)))
            Black76.ThrowOutOfRange(nameof(contractSize), contractSize, "units of the underlying per contract must be positive and finite");
    }
}
