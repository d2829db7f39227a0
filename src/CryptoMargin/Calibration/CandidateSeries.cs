namespace CryptoMargin.Calibration;

/// <summary>
/// The rolling risk series of one candidate's risk measure, one value per day of <see cref="CalibrationInput.DailyLogReturns"/>
/// (index t = the estimate made at the end of day t with data up to t; NaN before the engine has enough history).
/// VaR and ES are at the candidate's (confidence, MPOR), positive losses as fractions of position value, per side.
/// </summary>
/// <param name="Floor">Margin-rate floor per day: max(long, short) VaR of the same method over a 10-year/full-history
/// lookback up to t. Needed only by candidates whose APC has a floor.</param>
/// <param name="Stressed">Stressed margin per day (the margin the model sets in the stressed period seen up to t). When
/// null the calibrator uses <see cref="Margin.AntiProcyclicality.StressedMargin"/> of max(long, short) VaR since the
/// evaluation start: the highest average over any stress period (365 days by default) seen so far.</param>
/// <param name="MaintenanceValueAtRisk">max(long, short) VaR at the config's maintenance confidence, same method and
/// horizon. When null MM/IM is the config's fixed fraction.</param>
public sealed record CandidateSeries(
    double[] LongValueAtRisk,
    double[] ShortValueAtRisk,
    double[] LongExpectedShortfall,
    double[] ShortExpectedShortfall,
    double[]? Floor = null,
    double[]? Stressed = null,
    double[]? MaintenanceValueAtRisk = null);
