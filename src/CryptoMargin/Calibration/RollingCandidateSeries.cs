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
    private readonly ConcurrentDictionary<(RiskMethod, int, double?, int, string), Dictionary<(double Confidence, PositionSide Side), (double[] Var, double[] Es)>> _runs = new();

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

    /// <summary>
    /// Computes, in parallel, every rolling run the candidates need (each distinct (method, lookback, λ, MPOR) once,
    /// the costliest first so the cores stay busy to the end); later <see cref="For"/> calls read the results. The
    /// results are the same bits as computing them one by one: each run is a deterministic function of its inputs.
    /// </summary>
    /// <param name="runDone">called after each run with (runs done, runs in all, the run's label); from worker threads.</param>
    public void Prepare(IEnumerable<PolicyCandidate> candidates, Action<int, int, string>? runDone = null)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        var runs = candidates.SelectMany(RunsOf).Distinct().OrderByDescending(Cost).ToList();
        int done = 0;
        var queue = System.Collections.Concurrent.Partitioner.Create(runs, System.Collections.Concurrent.EnumerablePartitionerOptions.NoBuffering);
        Parallel.ForEach(queue, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, run =>
        {
            Run(run.Method, run.Lookback, run.Lambda, run.Horizon, run.Confidences);
            runDone?.Invoke(Interlocked.Increment(ref done), runs.Count, run.Label);
        });
    }

    private sealed record RunKey(RiskMethod Method, int Lookback, double? Lambda, int Horizon, double[] Confidences)
    {
        public string Label => $"{Method.ToName()} {Lookback}d{(Lambda is double l ? $" λ={l}" : "")}";
        public bool Equals(RunKey? other) => other is not null && Method == other.Method && Lookback == other.Lookback
            && Lambda == other.Lambda && Horizon == other.Horizon && Confidences.AsSpan().SequenceEqual(other.Confidences);
        public override int GetHashCode() => HashCode.Combine(Method, Lookback, Lambda, Horizon, Confidences.Length);
    }

    /// <summary>The runs <see cref="For"/> reads for a candidate: the main lookback at (c, maintenance c) and the floor at c.</summary>
    private IEnumerable<RunKey> RunsOf(PolicyCandidate candidate)
    {
        double c = candidate.Confidence;
        double[] confidences = c == _maintenanceConfidence ? [c] : [c, _maintenanceConfidence];
        yield return new RunKey(candidate.Method, candidate.LookbackDays, candidate.Lambda, candidate.MporDays, confidences);
        if (_floor) yield return new RunKey(candidate.Method, FloorLookbackDays, candidate.Lambda, candidate.MporDays, [c]);
    }

    /// <summary>Rough relative cost of a run, for scheduling only: simulation and re-fits dominate, then window length.</summary>
    private static double Cost(RunKey run) => run.Method switch
    {
        RiskMethod.FilteredHistorical => 100,
        RiskMethod.StudentT or RiskMethod.Evt => 10,
        _ => 1,
    } * Math.Min(run.Lookback, 4000) * run.Confidences.Length;

    public CandidateSeries For(PolicyCandidate candidate)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        var m = candidate.Method;
        int lookback = candidate.LookbackDays, h = candidate.MporDays;
        double c = candidate.Confidence;
        // One pass per lookback gives every (confidence, side) output from the same fits (and, for fhs, the same
        // paths); the main and the floor lookback are independent, so they run side by side.
        double[] confidences = c == _maintenanceConfidence ? [c] : [c, _maintenanceConfidence];
        Parallel.ForEach(RunsOf(candidate), run => Run(run.Method, run.Lookback, run.Lambda, run.Horizon, run.Confidences));

        var main = Run(m, lookback, candidate.Lambda, h, confidences);
        var maintenance = Max(main[(_maintenanceConfidence, PositionSide.Long)].Var, main[(_maintenanceConfidence, PositionSide.Short)].Var);
        double[]? floorSeries = null;
        if (_floor)
        {
            var f = Run(m, FloorLookbackDays, candidate.Lambda, h, [c]);
            floorSeries = Max(f[(c, PositionSide.Long)].Var, f[(c, PositionSide.Short)].Var);
        }
        return new CandidateSeries(main[(c, PositionSide.Long)].Var, main[(c, PositionSide.Short)].Var,
            main[(c, PositionSide.Long)].Es, main[(c, PositionSide.Short)].Es, Floor: floorSeries, MaintenanceValueAtRisk: maintenance);
    }

    private Dictionary<(double Confidence, PositionSide Side), (double[] Var, double[] Es)> Run(
        RiskMethod method, int lookback, double? lambda, int horizon, double[] confidences) =>
        _runs.GetOrAdd((method, lookback, lambda, horizon, string.Join(',', confidences)), _ =>
        {
            var spec = new RiskSpec
            {
                Method = method,
                Confidence = confidences[0],
                HorizonDays = horizon,
                LookbackDays = lookback,
                Lambda = lambda,
                Seed = _seed,
                Paths = _paths,
            };
            var outputs = confidences.SelectMany(q => new[] { (q, PositionSide.Long), (q, PositionSide.Short) }).ToList();
            var series = RollingRisk.Compute(_returns, spec, outputs, _firstDay, _reestimationDays, _fits);
            var result = new Dictionary<(double, PositionSide), (double[], double[])>();
            for (int o = 0; o < outputs.Count; o++) result[outputs[o]] = (Pad(series[o].ValueAtRisk), Pad(series[o].ExpectedShortfall));
            return result;
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
