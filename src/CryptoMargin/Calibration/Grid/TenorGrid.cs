namespace CryptoMargin.Calibration.Grid;

/// <summary>The fixed sampling grid of the vol-shock calibration (issue 5 §3).</summary>
public static class TenorGrid
{
    /// <summary>Fixed days to expiry: 1, 3, 7, 14, 30, 60, 90, 180.</summary>
    public static IReadOnlyList<double> StandardDays { get; } = [1, 3, 7, 14, 30, 60, 90, 180];

    /// <summary>Standardised moneyness z = ln(K/F)/(σ_ATM√T): −0.5, −0.25, 0 (ATM), +0.25, +0.5.</summary>
    public static IReadOnlyList<double> StandardMoneyness { get; } = [-0.5, -0.25, 0, 0.25, 0.5];

    /// <summary>The reference tenor of the term law k·(30/DTE)^p.</summary>
    public const double ReferenceDays = 30;
}
