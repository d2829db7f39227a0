using CryptoMargin.Instruments;
using CryptoMargin.MarketData;
using CryptoMargin.Pricing;

namespace CryptoMargin.Margin.Scenarios;

/// <summary>
/// Full revaluation of one unit of an instrument's size under a scenario, in the instrument's margin currency
/// (<see cref="Instrument.MarginCurrency"/>). Conventions (Deribit contract specifications):
/// <list type="bullet">
/// <item>inverse future/perpetual, size q in USD: a long's P&amp;L in coin from F₀ to F₁ = F₀(1+s) is
/// q(1/F₀ − 1/F₁) = (q/F₀)(1 − 1/(1+s)); a short's is (q/F₀)(1/(1+s) − 1);</item>
/// <item>linear future/perpetual and spot, size in coin: P&amp;L in USDC = size·F₀·s;</item>
/// <item>inverse option, size in coin: value in coin = C_USD(F, K, T, σ)/F (Black-76, undiscounted, as Deribit marks),
/// P&amp;L = C(F₁, σ₁)/F₁ − C(F₀, σ₀)/F₀;</item>
/// <item>linear option: P&amp;L in USDC = C(F₁, σ₁) − C(F₀, σ₀).</item>
/// </list>
/// No time passes in a scenario (the margin period is in the shock sizes). Allocation-free.
/// </summary>
public static class Revaluation
{
    /// <summary>
    /// P&amp;L of one unit of size (USD for inverse futures, coin otherwise) when the underlying moves by the relative
    /// <paramref name="priceShock"/> and, for options, the implied vol goes from <paramref name="vol0"/> to
    /// <paramref name="vol1"/>. <paramref name="underlying"/> is the instrument's own underlying price
    /// (<see cref="MarketSnapshot.UnderlyingPrice"/>), <paramref name="t"/> the option's years to expiry.
    /// </summary>
    public static double UnitPnl(Instrument instrument, double underlying, double t, double vol0, double priceShock, double vol1)
    {
        double f1 = underlying * (1 + priceShock);
        switch (instrument)
        {
            case OptionInstrument o:
                double c0 = Black76.Price(underlying, o.Strike, t, vol0, o.Type);
                double c1 = Black76.Price(f1, o.Strike, t, vol1, o.Type);
                return o.IsInverse ? c1 / f1 - c0 / underlying : c1 - c0;
            case FutureInstrument f when f.IsInverse:
                return (1 - 1 / (1 + priceShock)) / underlying;
            default:
                return underlying * priceShock;
        }
    }

    /// <summary>Value of one unit of size in the margin currency (0 for futures, whose value is their P&amp;L).</summary>
    public static double UnitValue(Instrument instrument, double underlying, double t, double vol)
    {
        if (instrument is not OptionInstrument o) return instrument is SpotInstrument ? underlying : 0;
        double c = Black76.Price(underlying, o.Strike, t, vol, o.Type);
        return o.IsInverse ? c / underlying : c;
    }
}
