using System.Collections.Concurrent;
using CryptoMargin.Risk;

namespace CryptoMargin.Calibration;

/// <summary>
/// Builds each candidate's <see cref="CandidateSeries"/> from the rolling, out-of-sample risk engine
/// (<see cref="RollingRisk"/>): VaR and ES per side at the candidate's (confidence, MPOR), the APC floor (the same
/// method over a 10-year lookback) and the maintenance VaR (the same method at the maintenance confidence). Every
/// run is cached and return-model fits are shared (<see cref="RollingFitCache"/>), so candidates that differ only
/// in APC, and runs that differ only in side or confidence, cost one set of fits.
/// </summary>
public sealed class RollingCandidateSeries
{
    /// <summary>EMIR RTS 153/2013 Art. 28(1)(c): a floor at the margin of a 10-year lookback (here 3,650 days; 24/7 market).</summary>
    public const int FloorLookbackDays = 3650;

    private readonly double[] _returns;
    private readonly int _firstDay;
    private readonly int _reestimationDays;
    private readonly double _maintenanceConfidence;
    private readonly bool _floor;
    private readonly int _seed;
    private readonly int _paths;
    private readonly RollingFitCache _fits = new();
    private readonly ConcurrentDictionary<(RiskMethod, int, double?, double, int, PositionSide), (double[] Var, double[] Es)> _runs = new();

    /// <param name="dailyLogReturns">r_0 … r_{n−1}, oldest first.</param>
    /// <param name="firstDay">first day with a figure; before it the series hold NaN.</param>
    /// <param name="reestimationDays">re-fit interval of GARCH/EWMA-t models (1 = daily).</param>
    /// <param name="maintenanceConfidence">confidence of the maintenance VaR series.</param>
    /// <param name="floor">whether any candidate needs the 10-year floor series.</param>
    public RollingCandidateSeries(double[] dailyLogReturns, int firstDay, int reestimationDays, double maintenanceConfidence,
        bool floor, int seed = 1, int paths = 10_000)
    {
        _returns = dailyLogReturns;
        _firstDay = firstDay;
        _reestimationDays = reestimationDays;
        _maintenanceConfidence = maintenanceConfidence;
        _floor = floor;
        _seed = seed;
        _paths = paths;
    }

    /// <summary>Return-model fits made so far (shared across all runs).</summary>
    public int Fits => _fits.Count;

    public int ReestimationDays => _reestimationDays;

    public CandidateSeries For(PolicyCandidate candidate)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        var m = candidate.Method;
        int lookback = candidate.LookbackDays, h = candidate.MporDays;
        double c = candidate.Confidence;
        // Runs on the same lookback share their return-model fits through the cache: one run per lookback first
        // (those fill it, side by side), then the rest in parallel, reading the fits instead of repeating them.
        var first = new List<int> { lookback };
        if (_floor) first.Add(FloorLookbackDays);
        Parallel.ForEach(first, l => Run(m, l, candidate.Lambda, c, h, PositionSide.Long));
        var rest = new List<(int Lookback, double Confidence, PositionSide Side)>
        {
            (lookback, c, PositionSide.Short),
            (lookback, _maintenanceConfidence, PositionSide.Long), (lookback, _maintenanceConfidence, PositionSide.Short),
        };
        if (_floor) rest.Add((FloorLookbackDays, c, PositionSide.Short));
        Parallel.ForEach(rest, run => Run(m, run.Lookback, candidate.Lambda, run.Confidence, h, run.Side));

        var (longVar, longEs) = Run(m, lookback, candidate.Lambda, c, h, PositionSide.Long);
        var (shortVar, shortEs) = Run(m, lookback, candidate.Lambda, c, h, PositionSide.Short);
        var maintenance = Max(Run(m, lookback, candidate.Lambda, _maintenanceConfidence, h, PositionSide.Long).Var,
            Run(m, lookback, candidate.Lambda, _maintenanceConfidence, h, PositionSide.Short).Var);
        double[]? floorSeries = _floor
            ? Max(Run(m, FloorLookbackDays, candidate.Lambda, c, h, PositionSide.Long).Var,
                  Run(m, FloorLookbackDays, candidate.Lambda, c, h, PositionSide.Short).Var)
            : null;
        return new CandidateSeries(longVar, shortVar, longEs, shortEs, Floor: floorSeries, MaintenanceValueAtRisk: maintenance);
    }

    private (double[] Var, double[] Es) Run(RiskMethod method, int lookback, double? lambda, double confidence, int horizon, PositionSide side) =>
        _runs.GetOrAdd((method, lookback, lambda, confidence, horizon, side), key =>
        {
            var spec = new RiskSpec
            {
                Method = method,
                Confidence = confidence,
                HorizonDays = horizon,
                Side = side,
                LookbackDays = lookback,
                Lambda = lambda,
                Seed = _seed,
                Paths = _paths,
            };
            var series = RollingRisk.Compute(_returns, spec, _firstDay, _reestimationDays, _fits);
            return (Pad(series.ValueAtRisk), Pad(series.ExpectedShortfall));
        });

    private double[] Pad(double[] fromFirstDay)
    {
        var full = new double[_returns.Length];
        full.AsSpan(0, _firstDay).Fill(double.NaN);
        fromFirstDay.CopyTo(full, _firstDay);
        return full;
    }

    private static double[] Max(double[] a, double[] b)
    {
        var m = new double[a.Length];
        for (int i = 0; i < m.Length; i++) m[i] = double.IsNaN(a[i]) || double.IsNaN(b[i]) ? double.NaN : Math.Max(a[i], b[i]);
        return m;
    }
}
