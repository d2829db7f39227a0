using CryptoMargin.Instruments;
using CryptoMargin.Pricing;

namespace CryptoMargin.Margin.Greeks;

/// <summary>
/// The delta-gamma-vega (second-order Taylor) P&amp;L of one unit of an instrument, in its margin currency, with the
/// conventions of <see cref="Scenarios.Revaluation"/> (the full revaluation it approximates):
/// <list type="bullet">
/// <item>linear option (USDC): V = C(F) Black-76, Delta = F·Δ, Gamma = F²·Γ, Vega = ∂C/∂σ;</item>
/// <item>inverse option (coin): V = C(F)/F. With Δ_coin = Δ − C/F (Deribit's premium-adjusted "net transaction" delta,
/// <see cref="InverseOption.Greeks"/>) and Γ_coin = ∂Δ_coin/∂F: dV/ds = F·dV/dF = Δ_coin and d²V/ds² = F²·d²V/dF² =
/// F·Γ_coin − Δ_coin; Vega = (∂C/∂σ)/F. The premium term matters: a long call's coin value rises by less than its
/// USD delta says, because the coin it is counted in rises too (Alexander &amp; Imeraj 2021, arXiv:2107.12041);</item>
/// <item>inverse future, per USD of size: V(s) = (1 − 1/(1+s))/F₀, so Delta = 1/F₀ and Gamma = −2/F₀ (a coin-margined
/// long is short gamma in coin);</item>
/// <item>linear future, perpetual and spot, per coin: Delta = F₀, Gamma = 0.</item>
/// </list>
/// The approximation drops the cross term vanna·s·Δσ and volga·Δσ²/2 and everything of third order: its error is
/// O(s³) in the price shock at Δσ = 0 (measured in docs/margin/greeks-hybrid.md). Allocation-free.
/// </summary>
public static class GreeksApproximation
{
    /// <summary>
    /// Sensitivities of one unit of <paramref name="instrument"/>: <paramref name="underlying"/> its own underlying
    /// price (<see cref="MarketData.MarketSnapshot.UnderlyingPrice"/>), <paramref name="t"/> years to expiry and
    /// <paramref name="vol"/> the implied vol (both ignored for linear instruments), <paramref name="termScale"/> the
    /// option's vol-shock multiplier.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">As <see cref="Black76.Greeks(double, double, double, double, OptionType)"/>.</exception>
    public static UnitSensitivity Sensitivity(Instrument instrument, double underlying, double t, double vol, double termScale)
    {
        switch (instrument)
        {
            case OptionInstrument o when o.IsInverse:
                {
                    var g = InverseOption.Greeks(underlying, o.Strike, t, vol, o.Type);
                    double vega = g.VegaCoin;
                    return new UnitSensitivity(g.DeltaCoin, underlying * g.GammaCoin - g.DeltaCoin, vega, vol, termScale, CurvatureExposure(t, vol, vega));
                }
            case OptionInstrument o:
                {
                    var g = Black76.Greeks(underlying, o.Strike, t, vol, o.Type);
                    return new UnitSensitivity(underlying * g.Delta, underlying * underlying * g.Gamma, g.Vega, vol, termScale, CurvatureExposure(t, vol, g.Vega));
                }
            case FutureInstrument f when f.IsInverse:
                return new UnitSensitivity(1 / underlying, -2 / underlying, 0, 0, 0, 0);
            default:
                return new UnitSensitivity(underlying, 0, 0, 0, 0, 0);
        }
    }

    /// <summary>Taylor P&amp;L of one unit: Delta·s + ½·Gamma·s² + Vega·Δσ.</summary>
    public static double UnitPnl(in UnitSensitivity g, double priceShock, double volChange) =>
        g.Delta * priceShock + 0.5 * g.Gamma * priceShock * priceShock + g.Vega * volChange;

    /// <summary>
    /// The absolute vol change of a relative shock <paramref name="volShock"/> at 30 days (+0.38 = ×1.38 at 30 days)
    /// for an option of <paramref name="g"/>: Δσ = σ₀·max(V·(30/DTE)^p, −maxVolDown).
    /// </summary>
    public static double VolChange(in UnitSensitivity g, double volShock, double maxVolDown) =>
        g.Vol * Math.Max(volShock * g.TermScale, -maxVolDown);

    /// <summary>
    /// SIMM-like curvature exposure SF(t)·σ·∂V/∂σ with the scaling function SF(t) = ½·min(1, 14 days / t) (ISDA SIMM
    /// Methodology, version 2.x, "Curvature risk": CVR = Σ SF(t)·σ·∂V/∂σ). For Black-76, σ·vega = Γ·F²·σ²·t, so this
    /// is the gamma P&amp;L of a one-standard-deviation move over min(t, 14 days): short-dated gamma is charged over
    /// its remaining life only.
    /// </summary>
    public static double CurvatureExposure(double t, double vol, double vega)
    {
        double days = t * 365.0;
        double sf = days > 14 ? 0.5 * 14 / days : 0.5;
        return sf * vol * vega;
    }
}
