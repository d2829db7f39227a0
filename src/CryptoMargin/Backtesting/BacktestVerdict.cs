using System.Globalization;

namespace CryptoMargin.Backtesting;

/// <summary>Whether a backtest meets <see cref="BacktestCriteria"/>, and if not, each criterion it fails in words.</summary>
public sealed record BacktestVerdict(bool Passed, IReadOnlyList<string> FailedCriteria)
{
    /// <summary>Checks every criterion (it does not stop at the first failure), so the calibrator can say all reasons.</summary>
    public static BacktestVerdict Passes(BacktestResult result, BacktestCriteria criteria)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(criteria);
        var failed = new List<string>();
        PValue("Kupiec POF", result.Kupiec.PValue);
        PValue("Christoffersen independence", result.ChristoffersenIndependence.PValue);
        PValue("Christoffersen conditional coverage", result.ConditionalCoverage.PValue);
        PValue("ES backtest", result.EsBacktest.PValue);

        if (result.TrafficLight == TrafficLightZone.Red || (criteria.RequireGreen && result.TrafficLight != TrafficLightZone.Green))
            failed.Add(Format($"traffic light {result.TrafficLight.ToString().ToLowerInvariant()} ({result.Exceedances} exceedances in {result.Observations}, {result.ExpectedExceedances:0.##} expected)"));
        Bound("peak-to-trough", result.Procyclicality.PeakToTrough, criteria.MaxPeakToTrough);
        Bound("largest 1-day increase", result.Procyclicality.MaxOneDayIncrease, criteria.MaxOneDayIncrease);
        Bound("largest 30-day increase", result.Procyclicality.Max30DayIncrease, criteria.Max30DayIncrease);
        return new BacktestVerdict(failed.Count == 0, failed);

        void PValue(string test, double p)
        {
            if (!(p >= criteria.MinPValue)) failed.Add(Format($"{test} p = {p:0.####} < {criteria.MinPValue:0.####}"));
        }

        void Bound(string measure, double value, double? max)
        {
            if (max is double m && !(value <= m)) failed.Add(Format($"{measure} {value:0.####} > {m:0.####}"));
        }
    }

    private static string Format(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
