using System.Globalization;
using CryptoMargin.Dynamics;
using CryptoMargin.MarketData;

namespace CryptoMargin.Risk;

/// <summary>
/// Rolling, out-of-sample VaR and ES for margin backtests: for each day t = firstDay … n − 1 the figure uses only
/// returns 0 … t (the lookback window is the last <see cref="RiskSpec.LookbackDays"/> of them), i.e. the margin set
/// at the end of day t for the move over days t + 1 … t + h. No look-ahead, by construction: nothing computed for
/// day t reads a return after t (the re-fit schedule depends only on firstDay and reestimationDays).
/// </summary>
/// <remarks>
/// hs / evt: per day, the window's overlapping h-day losses are selected in O(L) (quickselect), bit-identical to
/// <see cref="HistoricalSimulation.Estimate"/> / <see cref="PeaksOverThreshold.Estimate"/> on the same window.
/// normal / t / fhs: the return model is re-fitted on the window every <c>reestimationDays</c> days (from the
/// previous fit's parameters: a warm start), and on the days between the conditional variance is carried forward
/// by the model's recursion with the last fitted parameters, and the standardized residual of each new day is
/// appended (z_t = ε_t/√h_t). fhs draws its paths with a seed derived from (spec.Seed, t).
/// </remarks>
public static class RollingRisk
{
    /// <param name="dailyLogReturns">r_0 … r_{n−1}, oldest first.</param>
    /// <param name="firstDay">index of the first day with a figure (enough history before it for the method).</param>
    /// <param name="reestimationDays">normal / t / fhs: re-fit the return model every this-many days (1 = daily).</param>
    /// <param name="fits">optional fits shared with other runs on the same returns (same result, less work).</param>
    /// <exception cref="DataValidationException">a day with too little history for the method (the message names the day).</exception>
    public static RiskSeries Compute(ReadOnlySpan<double> dailyLogReturns, RiskSpec spec, int firstDay, int reestimationDays, RollingFitCache? fits = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        CheckArguments(dailyLogReturns, spec, firstDay, reestimationDays);
        return spec.Method switch
        {
            RiskMethod.Historical or RiskMethod.Evt => Empirical(dailyLogReturns, spec, firstDay),
            _ => Modelled(dailyLogReturns, spec, [(spec.Confidence, spec.Side)], firstDay, reestimationDays, fits)[0],
        };
    }

    /// <summary>
    /// Several (confidence, side) outputs of one measure in one pass: the same fits, the same conditional variances
    /// and, for fhs, the same simulated paths each day (the short loss is the negated long loss, so one simulation
    /// serves both sides). Each output is bit-identical to <see cref="Compute(ReadOnlySpan{double}, RiskSpec, int, int, RollingFitCache?)"/>
    /// with that confidence and side (every output estimates from its own copy of the day's paths, in simulation order).
    /// </summary>
    public static RiskSeries[] Compute(ReadOnlySpan<double> dailyLogReturns, RiskSpec spec, IReadOnlyList<(double Confidence, PositionSide Side)> outputs,
        int firstDay, int reestimationDays, RollingFitCache? fits = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(outputs);
        if (outputs.Count == 0) return [];
        var result = new RiskSeries[outputs.Count];
        if (spec.Method is RiskMethod.Historical or RiskMethod.Evt)
        {
            for (int o = 0; o < outputs.Count; o++)
                result[o] = Compute(dailyLogReturns, spec with { Confidence = outputs[o].Confidence, Side = outputs[o].Side }, firstDay, reestimationDays, fits);
            return result;
        }
        foreach (var (c, side) in outputs) (spec with { Confidence = c, Side = side }).Validate();
        CheckArguments(dailyLogReturns, spec, firstDay, reestimationDays);
        return Modelled(dailyLogReturns, spec, [.. outputs], firstDay, reestimationDays, fits);
    }

    private static void CheckArguments(ReadOnlySpan<double> dailyLogReturns, RiskSpec spec, int firstDay, int reestimationDays)
    {
        spec.Validate();
        RiskInput.RequireFinite(dailyLogReturns);
        int n = dailyLogReturns.Length;
        if (firstDay < 0 || firstDay >= n)
            throw new ArgumentOutOfRangeException(nameof(firstDay), firstDay, string.Create(CultureInfo.InvariantCulture, $"must index a return in 0 … {n - 1}"));
        ArgumentOutOfRangeException.ThrowIfLessThan(reestimationDays, 1);
    }

    private static int WindowStart(RiskSpec spec, int t) => spec.LookbackDays is { } l ? Math.Max(0, t - l + 1) : 0;

    private static RiskSeries Empirical(ReadOnlySpan<double> r, RiskSpec spec, int firstDay)
    {
        int n = r.Length, h = spec.HorizonDays, days = n - firstDay;
        bool evt = spec.Method == RiskMethod.Evt;
        var var = new double[days];
        var es = new double[days];
        // Loss of the h-day return ending at j, summed oldest first as HistoricalSimulation does.
        var loss = new double[n];
        for (int j = h - 1; j < n; j++) loss[j] = PositionLoss.Of(HistoricalSimulation.HorizonSum(r, j, h), spec.Side);
        var scratch = new double[n];
        for (int t = firstDay; t < n; t++)
        {
            int a = WindowStart(spec, t);
            int count = t - a + 1 - h + 1;
            if (count < 1 || (!evt && count < EmpiricalTail.MinimumSample(spec.Confidence)))
                throw new DataValidationException(string.Create(CultureInfo.InvariantCulture,
                    $"day {t}: {Math.Max(count, 0)} overlapping {h}-day returns are too few for a {spec.Confidence:G6} quantile (start later or lengthen the lookback)"));
            var window = scratch.AsSpan(0, count);
            loss.AsSpan(a + h - 1, count).CopyTo(window);
            RiskEstimate risk;
            try
            {
                risk = evt ? PeaksOverThreshold.EstimateInPlace(window, spec.Confidence, spec.ThresholdQuantile).Risk
                           : EmpiricalTail.Estimate(window, spec.Confidence);
            }
            catch (DataValidationException ex)
            {
                throw new DataValidationException(string.Create(CultureInfo.InvariantCulture, $"day {t}: {ex.Reason}"), inner: ex);
            }
            var[t - firstDay] = risk.ValueAtRisk;
            es[t - firstDay] = risk.ExpectedShortfall;
        }
        return new RiskSeries { Spec = spec, FirstDay = firstDay, ValueAtRisk = var, ExpectedShortfall = es, ReestimationDays = 1 };
    }

    private static RiskSeries[] Modelled(ReadOnlySpan<double> r, RiskSpec spec, (double Confidence, PositionSide Side)[] outputs,
        int firstDay, int reestimationDays, RollingFitCache? cache)
    {
        int n = r.Length, h = spec.HorizonDays, days = n - firstDay, k = outputs.Length;
        var specs = outputs.Select(o => spec with { Confidence = o.Confidence, Side = o.Side }).ToArray();
        var model = RiskMeasures.ModelFor(spec);
        bool ewma = model.Volatility == VolatilityModel.Ewma;
        bool fhs = spec.Method == RiskMethod.FilteredHistorical;
        var var = new double[k][];
        var es = new double[k][];
        for (int o = 0; o < k; o++) { var[o] = new double[days]; es[o] = new double[days]; }
        var vol = new double[days];
        var z = fhs ? new double[n] : [];
        var losses = fhs ? new double[Math.Max(spec.Paths, n)] : [];
        var work = fhs && k > 1 ? new double[losses.Length] : [];
        var options = new ReturnModelFitOptions();
        ReturnModelParameters p = default;
        ReturnModelParameters? warm = null;
        var curvature = new double[ReturnModel.InverseHessianLength(model)];
        double next = 0; // h_{t+1}: the variance forecast for day t + 1 made at the end of day t
        int fits = 0, failed = 0;
        for (int t = firstDay; t < n; t++)
        {
            int a = WindowStart(spec, t);
            // EWMA with fixed λ and Normal innovations has nothing to estimate: one start, then the recursion.
            bool nothingToFit = ewma && model.Distribution == InnovationDistribution.Normal && fits > 0;
            if (!nothingToFit && (t - firstDay) % reestimationDays == 0)
            {
                var window = r[a..(t + 1)];
                var key = new RollingFitCache.Key(model, spec.LookbackDays, firstDay, reestimationDays, t);
                if (cache is null || !cache.TryGet(key, out var entry))
                {
                    // Warm: one quasi-Newton run from the last estimate with the last curvature; cold (or when the warm
                    // run does not converge): the full fit from its default grid of starts, curvature forgotten.
                    if (warm is { } w && ReturnModel.TryRefit(window, model, w, curvature, options, out var refit, out double refitNext))
                        entry = new RollingFitCache.Entry(refit, refitNext, true, [.. curvature]);
                    else
                    {
                        ReturnModelFit fit;
                        try
                        {
                            fit = ReturnModel.Fit(window, model, options);
                        }
                        catch (DataValidationException ex)
                        {
                            throw new DataValidationException(string.Create(CultureInfo.InvariantCulture, $"day {t}: {ex.Reason}"), inner: ex);
                        }
                        entry = new RollingFitCache.Entry(fit.Parameters, fit.NextVariance, fit.Converged, new double[curvature.Length]);
                    }
                    cache?.Add(key, entry);
                }
                fits++;
                p = entry.Parameters;
                next = entry.NextVariance;
                entry.Curvature.CopyTo(curvature, 0);
                if (entry.Converged) warm = p;
                else { failed++; warm = null; }
                if (fhs)
                {
                    var zw = RiskMeasures.StandardizedResiduals(window, model, p);
                    zw.CopyTo(z, a);
                }
            }
            else
            {
                // Carry h forward with today's return: h_{t+1} from h_t = yesterday's forecast.
                double mu = model.Mean == MeanModel.Constant ? p.Mu : 0;
                double e = r[t] - mu;
                if (fhs) z[t] = e / Math.Sqrt(next);
                next = ewma ? p.Lambda * next + (1 - p.Lambda) * e * e
                    : p.Omega + (model.Volatility == VolatilityModel.Gjr && e < 0 ? p.Alpha + p.Gamma : p.Alpha) * e * e + p.Beta * next;
            }

            var (mean, volatility) = RiskMeasures.HorizonMoments(model, p, next, h);
            if (fhs)
            {
                var residuals = z.AsSpan(a, t - a + 1);
                int count = h == 1 ? residuals.Length : spec.Paths;
                var buffer = losses.AsSpan(0, count);
                var rng = new Xoshiro256(Xoshiro256.Derive(spec.Seed, t));
                // One simulation a day: long losses; a short loss is exactly the negated long loss (eʳ − 1 = −(1 − eʳ)).
                FilteredHistoricalSimulation.Simulate(residuals, model, p, next, h, PositionSide.Long, ref rng, buffer);
                for (int o = 0; o < k; o++)
                {
                    EmpiricalTail.RequireSample(count, outputs[o].Confidence, h == 1 ? "residuals" : "paths");
                    Span<double> sample = buffer;
                    if (outputs[o].Side == PositionSide.Short || k > 1)
                    {
                        // The estimate reorders its input: work on a copy so every output sees the same paths.
                        sample = work.Length > 0 ? work.AsSpan(0, count) : buffer;
                        double sign = outputs[o].Side == PositionSide.Short ? -1 : 1;
                        for (int i = 0; i < count; i++) sample[i] = sign * buffer[i];
                    }
                    var risk = EmpiricalTail.Estimate(sample, outputs[o].Confidence);
                    var[o][t - firstDay] = risk.ValueAtRisk;
                    es[o][t - firstDay] = risk.ExpectedShortfall;
                }
            }
            else
            {
                for (int o = 0; o < k; o++)
                {
                    var risk = RiskMeasures.Parametric(specs[o], mean, volatility, p.Nu);
                    var[o][t - firstDay] = risk.ValueAtRisk;
                    es[o][t - firstDay] = risk.ExpectedShortfall;
                }
            }
            vol[t - firstDay] = volatility;
        }
        var result = new RiskSeries[k];
        for (int o = 0; o < k; o++)
            result[o] = new RiskSeries
            {
                Spec = specs[o], FirstDay = firstDay, ValueAtRisk = var[o], ExpectedShortfall = es[o], Volatility = vol,
                ReestimationDays = reestimationDays, Fits = fits, FitsNotConverged = failed,
            };
        return result;
    }
}
