using System.Collections.Concurrent;
using CryptoMargin.Dynamics;

namespace CryptoMargin.Risk;

/// <summary>
/// Return-model fits shared between <see cref="RollingRisk.Compute"/> runs on the same returns (e.g. a calibrator's
/// candidates that differ only in confidence, horizon, side or method t vs fhs). A fit is reused only when
/// everything that determines it matches (model, lookback, firstDay, reestimationDays and the day), so a run with
/// a cache gives the same bits as one without. Thread-safe; use one cache per return series.
/// </summary>
public sealed class RollingFitCache
{
    private readonly ConcurrentDictionary<Key, Entry> _fits = new();

    internal readonly record struct Key(ReturnModelSpec Model, int? LookbackDays, int FirstDay, int ReestimationDays, int Day);

    /// <param name="Curvature">the optimizer's inverse-Hessian approximation after the fit (the next warm re-fit starts from it).</param>
    internal readonly record struct Entry(ReturnModelParameters Parameters, double NextVariance, bool Converged, double[] Curvature);

    /// <summary>Fits held.</summary>
    public int Count => _fits.Count;

    internal bool TryGet(in Key key, out Entry entry) => _fits.TryGetValue(key, out entry);

    internal void Add(in Key key, in Entry entry) => _fits.TryAdd(key, entry);
}
