namespace CryptoMargin.Calibration.Grid;

/// <summary>
/// The term-scaled vol shock of Deribit-style portfolio margin: shock(DTE) = k·(30/DTE)^p, with p = <see cref="PShort"/>
/// for DTE &lt; 30 days and <see cref="PLong"/> for DTE ≥ 30 (the scenario vol is IV·(1 ± shock)). k is the relative
/// shock at 30 days (0.5 = ±50 %). Deribit's Portfolio Margin documentation states this form but not its parameters'
/// calibration (issue 5 §2–3).
/// </summary>
public readonly record struct TermShockLaw(double K, double PShort, double PLong)
{
    /// <summary>k·(30/DTE)^p at <paramref name="days"/> to expiry.</summary>
    public double Shock(double days) =>
        K * Math.Pow(TenorGrid.ReferenceDays / days, days < TenorGrid.ReferenceDays ? PShort : PLong);
}
