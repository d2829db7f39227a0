using CryptoMargin.Risk;

namespace CryptoMargin.Calibration.Grid;

/// <summary>
/// The price range and extended move of one underlying's grid, from its daily log returns over the margin period of
/// risk (MPOR, days): <see cref="PriceRange"/> = max over long and short of the historical-simulation ES at the
/// confidence c on overlapping MPOR-day returns (<see cref="HistoricalSimulation"/>); <see cref="ExtendedMove"/> =
/// max over both sides of the peaks-over-threshold VaR at the extended confidence (<see cref="PeaksOverThreshold"/>,
/// McNeil &amp; Frey 2000). Both are relative price moves (0.16 = ±16 %), i.e. losses as fractions of position value.
/// </summary>
public sealed record PriceMoveCalibration(
    string Underlying,
    int Returns,
    int MporDays,
    double Confidence,
    RiskEstimate Long,
    RiskEstimate Short,
    double PriceRange,
    double ExtendedConfidence,
    EvtEstimate ExtendedLong,
    EvtEstimate ExtendedShort,
    double ExtendedMove)
{
    /// <exception cref="MarketData.DataValidationException">too few returns for the confidence, or a non-finite return.</exception>
    public static PriceMoveCalibration From(string underlying, ReadOnlySpan<double> dailyLogReturns, double confidence, int mporDays,
        double extendedConfidence = 0.999, double thresholdQuantile = 0.90)
    {
        ArgumentException.ThrowIfNullOrEmpty(underlying);
        ArgumentOutOfRangeException.ThrowIfLessThan(mporDays, 1);
        if (!(extendedConfidence > confidence && extendedConfidence < 1))
            throw new ArgumentOutOfRangeException(nameof(extendedConfidence), extendedConfidence, $"the extended confidence must lie in ({confidence}, 1)");
        var hsLong = HistoricalSimulation.Estimate(dailyLogReturns, mporDays, confidence, PositionSide.Long);
        var hsShort = HistoricalSimulation.Estimate(dailyLogReturns, mporDays, confidence, PositionSide.Short);
        var evtLong = Evt(dailyLogReturns, mporDays, extendedConfidence, thresholdQuantile, PositionSide.Long);
        var evtShort = Evt(dailyLogReturns, mporDays, extendedConfidence, thresholdQuantile, PositionSide.Short);
        return new PriceMoveCalibration(underlying, dailyLogReturns.Length, mporDays, confidence, hsLong, hsShort,
            Math.Max(hsLong.ExpectedShortfall, hsShort.ExpectedShortfall), extendedConfidence, evtLong, evtShort,
            Math.Max(evtLong.Risk.ValueAtRisk, evtShort.Risk.ValueAtRisk));
    }

    private static EvtEstimate Evt(ReadOnlySpan<double> r, int h, double c, double q, PositionSide side)
    {
        var result = RiskMeasures.Estimate(r, new RiskSpec { Method = RiskMethod.Evt, Confidence = c, HorizonDays = h, Side = side, ThresholdQuantile = q });
        return result.Evt ?? throw new InvalidOperationException("the EVT estimate carries no tail fit");
    }
}
