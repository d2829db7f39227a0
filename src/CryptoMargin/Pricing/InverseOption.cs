namespace CryptoMargin.Pricing;

/// <summary>
/// Coin-settled ("inverse") European options as Deribit lists them on BTC and ETH: one contract is the right to buy
/// (sell) one coin at strike K USD, cash-settled in coin, premium quoted in coin. Deribit's support article "Inverse
/// Options" (https://support.deribit.com/hc/en-us/articles/25944688327069-Inverse-Options) says the implied
/// volatility uses the forward as the underlying price and the USD equivalent of a coin price uses the latest index
/// price; so here the premium in coin is the undiscounted Black-76 USD price on the forward divided by the forward,
/// P_coin = Black76(F, K, t, σ)/F, and <see cref="ToUsd"/> converts a coin amount at the index.
/// <para>
/// Greeks: Deribit's API documents its option delta as the "Black Scholes Delta" and gamma, vega, theta as "standard
/// Black Scholes without adjustments" (greeks object), and its DeltaTotal as using the "Net Transaction Delta = Black
/// Scholes Delta − Mark Price of Options" (delta_total, https://docs.deribit.com, account summary). We implement
/// exactly that: <see cref="InverseOptionGreeks.Usd"/> holds the Black-76 figures and
/// <see cref="InverseOptionGreeks.DeltaCoin"/> = Δ_usd − P_coin. That adjustment is exact, not a convention: the
/// coin value P/F has F·∂(P/F)/∂F = ∂P/∂F − P/F (Alexander &amp; Imeraj 2021, "Inverse options in a Black-Scholes
/// world", arXiv:2107.12041). Deribit's own theta is min(one-day theta, remaining-life theta) as displayed; we return
/// the Black-76 rate per year and leave that display rule to the caller.
/// </para>
/// Rates are zero (Deribit prices on the forward undiscounted); not for USDC-settled options (<see cref="LinearOption"/>).
/// </summary>
public static class InverseOption
{
    /// <summary>Premium in coin per one-coin contract: Black76(F, K, t, σ) / F.</summary>
    /// <exception cref="ArgumentOutOfRangeException">As <see cref="Black76.Price(double, double, double, double, OptionType)"/>.</exception>
    public static double PriceCoin(double forward, double strike, double t, double sigma, OptionType type)
    {
        Black76.Validate(forward, strike, t, sigma);
        return Black76.Undiscounted(forward, strike, t, sigma, type) / forward;
    }

    /// <summary>Premium and Greeks in USD and in coin from one Black-76 evaluation.</summary>
    public static InverseOptionGreeks Greeks(double forward, double strike, double t, double sigma, OptionType type)
    {
        Black76.Validate(forward, strike, t, sigma);
        var usd = Black76.UndiscountedGreeks(forward, strike, t, sigma, type);
        double premiumCoin = usd.Price / forward;
        double deltaCoin = usd.Delta - premiumCoin;
        return new InverseOptionGreeks(
            Usd: usd,
            PremiumCoin: premiumCoin,
            DeltaCoin: deltaCoin,
            GammaCoin: usd.Gamma - deltaCoin / forward,
            VegaCoin: usd.Vega / forward,
            ThetaCoin: usd.Theta / forward);
    }

    /// <summary>A coin amount in USD at the index price, as Deribit displays a coin premium in USD.</summary>
    public static double ToUsd(double amountCoin, double indexPrice)
    {
        if (!(indexPrice > 0 && double.IsFinite(indexPrice))) Black76.ThrowOutOfRange(nameof(indexPrice), indexPrice, "must be positive and finite");
        if (!double.IsFinite(amountCoin)) Black76.ThrowOutOfRange(nameof(amountCoin), amountCoin, "must be finite");
        return amountCoin * indexPrice;
    }

    /// <summary>A USD amount in coin at the index price (an order entered in USD becomes a coin price this way).</summary>
    public static double ToCoin(double amountUsd, double indexPrice)
    {
        if (!(indexPrice > 0 && double.IsFinite(indexPrice))) Black76.ThrowOutOfRange(nameof(indexPrice), indexPrice, "must be positive and finite");
        if (!double.IsFinite(amountUsd)) Black76.ThrowOutOfRange(nameof(amountUsd), amountUsd, "must be finite");
        return amountUsd / indexPrice;
    }
}
