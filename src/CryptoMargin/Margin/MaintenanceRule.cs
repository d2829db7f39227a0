namespace CryptoMargin.Margin;

/// <summary>
/// How the maintenance margin follows from the initial margin: MM = <paramref name="Fraction"/> · IM. When
/// <paramref name="MaintenanceConfidence"/> is set the fraction was calibrated as the median, over the calibration
/// window, of VaR(MaintenanceConfidence)/VaR(IM confidence) of the same method and horizon (MM is "the same measure at
/// a lower confidence" expressed as a stable fraction of IM); otherwise it is the configured fixed fraction.
/// </summary>
public sealed record MaintenanceRule(double Fraction, double? MaintenanceConfidence)
{
    public string Basis => MaintenanceConfidence is double c
        ? $"median VaR({c})/VaR(IM confidence) over the calibration window"
        : "fixed fraction of IM";
}
