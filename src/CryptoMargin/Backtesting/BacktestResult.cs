namespace CryptoMargin.Backtesting;

/// <summary>A likelihood-ratio (or other) test statistic with its p-value.</summary>
public readonly record struct TestResult(double Statistic, double PValue);

/// <summary>Basel traffic light, generalised to the sample size by binomial cumulative probabilities 95% / 99.99%.</summary>
public enum TrafficLightZone
{
    Green,
    Yellow,
    Red,
}

/// <summary>
/// How procyclical a margin-rate series is. PeakToTrough = max/min of the rate; MaxOneDayIncrease and
/// Max30DayIncrease are the largest relative rises m_t/m_{t−k} − 1 (k = 1, 30); AverageMargin is the mean rate
/// (what the policy costs users).
/// </summary>
public sealed record ProcyclicalityMeasures(double PeakToTrough, double MaxOneDayIncrease, double Max30DayIncrease, double AverageMargin);

/// <summary>Out-of-sample backtest of a margin rate against realised h-day losses.</summary>
public sealed record BacktestResult(
    int Observations,
    int Exceedances,
    double ExpectedExceedances,
    TestResult Kupiec,
    TestResult ChristoffersenIndependence,
    TestResult ConditionalCoverage,
    TrafficLightZone TrafficLight,
    TestResult EsBacktest,
    ProcyclicalityMeasures Procyclicality)
{
    /// <summary>Days the coverage tests (Kupiec, Christoffersen, ES) ran on: all days, or every h-th with overlapping h-day losses.</summary>
    public int TestedObservations { get; init; } = Observations;

    /// <summary>Exceedances among <see cref="TestedObservations"/>.</summary>
    public int TestedExceedances { get; init; } = Exceedances;

    /// <summary>1 when every day was tested; h when the coverage tests used the non-overlapping subsample.</summary>
    public int TestStrideDays { get; init; } = 1;
}
