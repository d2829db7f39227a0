using System.Collections.ObjectModel;
using System.Globalization;
using CryptoMargin.MarketData;

namespace CryptoMargin.Dynamics;

/// <summary>
/// Maximum-likelihood fitting of return models (EWMA, GARCH(1,1), GJR-GARCH(1,1); Normal or Student-t;
/// constant or zero mean). Parameters come back in the units of the input: percent returns in, percent
/// parameters out.
/// </summary>
public static class ReturnModel
{
    /// <summary>A parameter closer than this to the edge of its admissible range is "at the boundary".</summary>
    internal const double BoundaryEdge = 1e-5;

    /// <summary>Fewest returns accepted by <see cref="Fit"/>.</summary>
    public const int AbsoluteMinimumObservations = 50;

    /// <summary>Fewest returns <see cref="Fit"/> accepts for a spec: max(50, 10 × number of estimated parameters).</summary>
    public static int MinimumObservations(ReturnModelSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return Math.Max(AbsoluteMinimumObservations, 10 * new ReturnModelTransform(spec, 1).Dimension);
    }

    /// <summary>
    /// Exact log-likelihood of <paramref name="returns"/> under the model at <paramref name="parameters"/>
    /// (same definition as <see cref="ReferenceLikelihood"/>; under variance targeting ω is implied, not read).
    /// −∞ where a conditional variance is not positive.
    /// </summary>
    public static double LogLikelihood(ReadOnlySpan<double> returns, ReturnModelSpec spec, in ReturnModelParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return ReturnModelLikelihood.Evaluate(returns, spec, parameters, default);
    }

    /// <summary>Conditional variances h_1 … h_{n+1} (the last is the one-step-ahead forecast).</summary>
    public static double[] ConditionalVariances(ReadOnlySpan<double> returns, ReturnModelSpec spec, in ReturnModelParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var h = new double[returns.Length + 1];
        ReturnModelLikelihood.ConditionalVariances(returns, spec, parameters, h);
        return h;
    }

    /// <summary>
    /// Fits <paramref name="spec"/> to <paramref name="returns"/> by exact maximum likelihood. Never throws on
    /// hard data: a fit that does not converge says so (<see cref="ReturnModelFit.Converged"/> = false and
    /// <see cref="ReturnModelFit.ExitCondition"/>).
    /// </summary>
    /// <exception cref="DataValidationException">a non-finite return, fewer than
    /// <see cref="MinimumObservations"/> returns, or all returns identical.</exception>
    public static ReturnModelFit Fit(ReadOnlySpan<double> returns, ReturnModelSpec spec, ReturnModelFitOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        options ??= new ReturnModelFitOptions();
        options.Validate();
        if (spec.FixedLambda is double fixedLambda && !(fixedLambda > 0 && fixedLambda < 1))
            throw new ArgumentOutOfRangeException(nameof(spec), fixedLambda, "FixedLambda must be in (0, 1)");

        int n = returns.Length;
        for (int t = 0; t < n; t++)
        {
            if (!double.IsFinite(returns[t]))
                throw new DataValidationException(string.Create(CultureInfo.InvariantCulture,
                    $"return {t + 1} of {n} is {returns[t]}: every return must be a finite number"));
        }
        var transform = new ReturnModelTransform(spec, 1);
        int minimum = MinimumObservations(spec);
        if (n < minimum)
            throw new DataValidationException(string.Create(CultureInfo.InvariantCulture,
                $"{n} returns are too few to fit {Describe(spec)} with {transform.Dimension} estimated parameters: need at least {minimum} (max of {AbsoluteMinimumObservations} and 10 per parameter)"));

        var (mean, sd) = MeanAndDeviation(returns);
        if (!(sd > 1e-300) || sd <= 1e-13 * Math.Abs(mean))
            throw new DataValidationException(string.Create(CultureInfo.InvariantCulture,
                $"all {n} returns are identical ({returns[0]}): zero variance, nothing to fit (constant prices?)"));

        var warnings = new List<string>();
        if (sd < 1e-4 || sd > 1e4)
            warnings.Add(string.Create(CultureInfo.InvariantCulture,
                $"badly scaled data: sample standard deviation {sd:G4} (outside 1e-4 … 1e4); the fit is not rescaled and all parameters are in the input's units"));

        transform = new ReturnModelTransform(spec, sd);
        var objective = new NegativeLogLikelihood(returns, spec, transform);
        int k = transform.Dimension;

        // Screen a grid of starts by likelihood (value only), then run the quasi-Newton from the best few.
        var starts = options.InitialParameters is { } warm ? [warm] : StartingPoints(spec, mean, sd * sd);
        var screened = new (double Value, int Index)[starts.Count];
        Span<double> theta = stackalloc double[Math.Max(k, 1)];
        theta = theta.Slice(0, k);
        for (int i = 0; i < starts.Count; i++)
        {
            if (options.InitialParameters is null) transform.FromNatural(starts[i], theta);
            else transform.FromNaturalInterior(starts[i], theta);
            screened[i] = (objective.Value(theta), i);
        }
        Array.Sort(screened, (a, b) => (double.IsNaN(a.Value) ? double.PositiveInfinity : a.Value)
            .CompareTo(double.IsNaN(b.Value) ? double.PositiveInfinity : b.Value));

        double[] best = new double[k];
        MinimizerResult bestResult = default;
        bool haveBest = false;
        int runs = Math.Min(options.OptimizedStarts, starts.Count);
        int totalEvaluations = starts.Count;
        for (int r = 0; r < runs; r++)
        {
            if (!double.IsFinite(screened[r].Value)) break;
            if (options.InitialParameters is null) transform.FromNatural(starts[screened[r].Index], theta);
            else transform.FromNaturalInterior(starts[screened[r].Index], theta);
            var result = QuasiNewtonMinimizer.Minimize(ref objective, theta, options.GradientTolerance, options.MaxIterations);
            totalEvaluations += result.Evaluations;
            bool better = !haveBest
                || (double.IsFinite(result.Value) && result.Value < bestResult.Value - 1e-12 * Math.Abs(bestResult.Value))
                || (double.IsFinite(result.Value) && result.Value <= bestResult.Value + 1e-12 * Math.Abs(bestResult.Value)
                    && result.GradientNorm < bestResult.GradientNorm);
            if (better)
            {
                theta.CopyTo(best);
                bestResult = result;
                haveBest = true;
            }
        }
        if (haveBest && k > 0)
            RestartFromFalseBoundary(returns, spec, transform, ref objective, best, ref bestResult, options);
        if (!haveBest)
        {
            // Every start had a non-finite likelihood: report the first one honestly.
            transform.FromNatural(starts[screened[0].Index], best);
            bestResult = new MinimizerResult(double.NaN, double.NaN, 0, starts.Count, MinimizerExit.NonFiniteStart);
        }

        var p = transform.ToNatural(best);
        if (spec.VarianceTargeting && spec.Volatility != VolatilityModel.Ewma)
            p = p with { Omega = ReturnModelLikelihood.TargetedOmega(returns, spec, p) };
        double ll = ReturnModelLikelihood.Evaluate(returns, spec, p, default);

        bool optimizerOk = bestResult.Exit == MinimizerExit.GradientTolerance
            || (bestResult.Exit == MinimizerExit.NoProgress && bestResult.GradientNorm <= 100 * options.GradientTolerance);
        string exit = DescribeExit(bestResult, options, k);

        // Parameters at a boundary of the admissible region: their SEs are not defined.
        var boundary = BoundaryParameters(spec, p, transform);
        foreach (int slot in boundary)
            warnings.Add($"{ReturnModelLikelihood.Names[slot]} = {p.Slot(slot).ToString("G4", CultureInfo.InvariantCulture)} is at (or next to) the boundary of its admissible range; its standard error is reported as NaN");

        if (spec.Volatility != VolatilityModel.Ewma && 1 - p.Persistence(spec.Volatility) < BoundaryEdge)
            warnings.Add("persistence is 1 to within 1e-5 (integrated GARCH): there is no finite unconditional variance, so UnconditionalVariance and AnnualizedVolatility are NaN; forecasts grow by ω per step");

        var interior = transform.FreeNatural.Where(s => !boundary.Contains(s)).ToArray();
        var se = new Dictionary<int, double>();
        var robust = new Dictionary<int, double>();
        bool informationPd = true;
        if (double.IsFinite(ll) && interior.Length > 0)
        {
            informationPd = StandardErrors(returns, spec, p, sd, interior, se, robust);
            if (!informationPd)
                warnings.Add("the observed information matrix is not positive definite at the estimates: standard errors are NaN and the point is not a proper maximum");
        }
        else if (!double.IsFinite(ll)) informationPd = false;

        bool converged = optimizerOk && double.IsFinite(ll) && informationPd;
        if (!converged)
        {
            if (!double.IsFinite(ll)) exit += "; log-likelihood is not finite at the stopping point";
            else if (!informationPd) exit += "; information matrix not positive definite at the stopping point";
        }

        var h = new double[n + 1];
        ReturnModelLikelihood.ConditionalVariances(returns, spec, p, h);

        return new ReturnModelFit
        {
            Spec = spec,
            N = n,
            Parameters = p,
            NamedParameters = Named(spec, p, includeFixed: true, slot => p.Slot(slot)),
            StandardErrors = Named(spec, p, includeFixed: false, slot => se.GetValueOrDefault(slot, double.NaN)),
            RobustStandardErrors = Named(spec, p, includeFixed: false, slot => robust.GetValueOrDefault(slot, double.NaN)),
            LogLikelihood = ll,
            NumberOfParameters = k,
            Converged = converged,
            Iterations = bestResult.Iterations,
            Evaluations = totalEvaluations,
            ExitCondition = exit,
            GradientNorm = bestResult.GradientNorm,
            LastVariance = h[n - 1],
            NextVariance = h[n],
            Warnings = warnings.AsReadOnly(),
        };
    }

    /// <summary>
    /// A lean warm re-fit for rolling re-estimation: one quasi-Newton run from <paramref name="warm"/> (yesterday's
    /// estimate) that starts from, and leaves in <paramref name="inverseHessian"/>, the optimizer's curvature
    /// (<see cref="InverseHessianLength"/> elements, all zeros the first time), with the same objective, tolerance and
    /// false-boundary restart as <see cref="Fit"/>, but no standard errors, warnings or variance path. Returns false
    /// (and the caller should fall back to <see cref="Fit"/> from its default starts) when the optimizer does not meet
    /// <see cref="Fit"/>'s convergence rule or the likelihood is not finite.
    /// </summary>
    internal static bool TryRefit(ReadOnlySpan<double> returns, ReturnModelSpec spec, in ReturnModelParameters warm, Span<double> inverseHessian,
        ReturnModelFitOptions options, out ReturnModelParameters parameters, out double nextVariance)
    {
        parameters = warm;
        nextVariance = double.NaN;
        int n = returns.Length;
        if (n < MinimumObservations(spec)) return false;
        var (_, sd) = MeanAndDeviation(returns);
        if (!(sd > 1e-300) || !double.IsFinite(sd)) return false;

        var transform = new ReturnModelTransform(spec, sd);
        int k = transform.Dimension;
        var objective = new NegativeLogLikelihood(returns, spec, transform);
        Span<double> theta = stackalloc double[Math.Max(k, 1)];
        theta = theta.Slice(0, k);
        transform.FromNaturalInterior(warm, theta);
        MinimizerResult result;
        if (k > 0)
        {
            result = QuasiNewtonMinimizer.Minimize(ref objective, theta, options.GradientTolerance, options.MaxIterations, inverseHessian);
            var best = theta.ToArray();
            RestartFromFalseBoundary(returns, spec, transform, ref objective, best, ref result, options);
            best.CopyTo(theta);
        }
        else result = new MinimizerResult(objective.Value(theta), 0, 0, 1, MinimizerExit.GradientTolerance);
        bool optimizerOk = result.Exit == MinimizerExit.GradientTolerance
            || (result.Exit == MinimizerExit.NoProgress && result.GradientNorm <= 100 * options.GradientTolerance);
        if (!optimizerOk || !double.IsFinite(result.Value)) return false;

        var p = transform.ToNatural(theta);
        if (spec.VarianceTargeting && spec.Volatility != VolatilityModel.Ewma)
            p = p with { Omega = ReturnModelLikelihood.TargetedOmega(returns, spec, p) };
        var h = System.Buffers.ArrayPool<double>.Shared.Rent(n + 1);
        try
        {
            ReturnModelLikelihood.ConditionalVariances(returns, spec, p, h.AsSpan(0, n + 1));
            nextVariance = h[n];
        }
        finally
        {
            System.Buffers.ArrayPool<double>.Shared.Return(h);
        }
        parameters = p;
        return double.IsFinite(nextVariance) && nextVariance > 0;
    }

    /// <summary>Sample mean and (population) standard deviation, two-pass.</summary>
    private static (double Mean, double Deviation) MeanAndDeviation(ReadOnlySpan<double> returns)
    {
        int n = returns.Length;
        double mean = 0;
        for (int t = 0; t < n; t++) mean += returns[t];
        mean /= n;
        double ss = 0;
        for (int t = 0; t < n; t++) ss += (returns[t] - mean) * (returns[t] - mean);
        return (mean, Math.Sqrt(ss / n));
    }

    /// <summary>Elements of the inverse-Hessian state <see cref="TryRefit"/> carries for <paramref name="spec"/>.</summary>
    internal static int InverseHessianLength(ReturnModelSpec spec)
    {
        int k = new ReturnModelTransform(spec, 1).Dimension;
        return k * k;
    }

    private static string Describe(ReturnModelSpec spec) =>
        $"{spec.Volatility}-{spec.Distribution} ({spec.Mean} mean)";

    private static string DescribeExit(MinimizerResult r, ReturnModelFitOptions options, int k)
    {
        var c = CultureInfo.InvariantCulture;
        if (k == 0) return "no free parameters: nothing to estimate";
        return r.Exit switch
        {
            MinimizerExit.GradientTolerance => string.Create(c, $"gradient norm {r.GradientNorm:G3} ≤ tolerance {options.GradientTolerance:G3} after {r.Iterations} iterations"),
            MinimizerExit.NoProgress when r.GradientNorm <= 100 * options.GradientTolerance =>
                string.Create(c, $"no further decrease possible at machine precision after {r.Iterations} iterations; gradient norm {r.GradientNorm:G3} (within 100 × tolerance)"),
            MinimizerExit.NoProgress => string.Create(c, $"stalled after {r.Iterations} iterations with gradient norm {r.GradientNorm:G3} above tolerance {options.GradientTolerance:G3} (likelihood flat or ill-conditioned)"),
            MinimizerExit.LineSearchFailed => string.Create(c, $"line search failed after {r.Iterations} iterations with gradient norm {r.GradientNorm:G3} above tolerance {options.GradientTolerance:G3}"),
            MinimizerExit.IterationLimit => string.Create(c, $"iteration limit {options.MaxIterations} reached with gradient norm {r.GradientNorm:G3} above tolerance {options.GradientTolerance:G3}"),
            _ => "log-likelihood not finite at any starting point",
        };
    }

    /// <summary>Starting grid around typical daily-return dynamics, scaled by the sample variance.</summary>
    private static List<ReturnModelParameters> StartingPoints(ReturnModelSpec spec, double mean, double variance)
    {
        double mu = spec.Mean == MeanModel.Constant ? mean : 0;
        double[] nus = spec.Distribution == InnovationDistribution.StudentT ? [5, 10] : [double.PositiveInfinity];
        var list = new List<ReturnModelParameters>();
        foreach (double nu in nus)
        {
            if (spec.Volatility == VolatilityModel.Ewma)
            {
                double[] lambdas = spec.FixedLambda is double l ? [l] : [0.8, 0.9, 0.94, 0.97, 0.99];
                foreach (double lambda in lambdas)
                    list.Add(new ReturnModelParameters(mu, 0, 0, 0, 0, nu, lambda));
            }
            else
            {
                (double A, double G, double B)[] grid = spec.Volatility == VolatilityModel.Gjr
                    ? [(0.03, 0.05, 0.90), (0.05, 0.10, 0.80), (0.08, 0.02, 0.88), (0.02, 0.04, 0.95), (0.10, 0.10, 0.60)]
                    : [(0.05, 0.90, 0), (0.10, 0.85, 0), (0.03, 0.96, 0), (0.15, 0.75, 0), (0.20, 0.50, 0)];
                foreach (var (a, g, b) in grid)
                {
                    double alpha = a, gamma = spec.Volatility == VolatilityModel.Gjr ? g : 0, beta = spec.Volatility == VolatilityModel.Gjr ? b : g;
                    double omega = variance * (1 - alpha - 0.5 * gamma - beta);
                    list.Add(new ReturnModelParameters(mu, omega, alpha, gamma, beta, nu, 0));
                }
            }
        }
        return list;
    }

    /// <summary>
    /// With exp/softmax transforms the θ-gradient of a parameter near 0 vanishes with the parameter, so the
    /// optimizer can stop at α, γ or β ≈ 0 even when ℓ still increases inwards. A true boundary maximum has
    /// ∂ℓ/∂x ≤ 0 there (Kuhn–Tucker); where it is positive, restart with the parameter moved inside.
    /// </summary>
    private static void RestartFromFalseBoundary(ReadOnlySpan<double> returns, ReturnModelSpec spec, ReturnModelTransform transform,
        ref NegativeLogLikelihood objective, double[] best, ref MinimizerResult bestResult, ReturnModelFitOptions options)
    {
        var p = transform.ToNatural(best);
        Span<double> g = stackalloc double[ReturnModelLikelihood.Count];
        if (!double.IsFinite(ReturnModelLikelihood.Evaluate(returns, spec, p, g))) return;
        bool restart = false;
        var moved = p;
        foreach (int slot in new[] { ReturnModelLikelihood.Alpha, ReturnModelLikelihood.Gamma, ReturnModelLikelihood.Beta })
        {
            if (Array.IndexOf(transform.FreeNatural, slot) < 0) continue;
            if (p.Slot(slot) < 1e-5 && 0.01 * g[slot] / returns.Length > options.GradientTolerance)
            {
                restart = true;
                moved = moved.With(slot, 0.02);
            }
        }
        if (!restart) return;
        double excess = moved.Persistence(spec.Volatility) - 0.995;
        if (excess > 0) moved = moved with { Beta = moved.Beta - excess };
        if (!(moved.Beta > 0)) return;
        Span<double> theta = stackalloc double[best.Length];
        transform.FromNatural(moved, theta);
        var result = QuasiNewtonMinimizer.Minimize(ref objective, theta, options.GradientTolerance, options.MaxIterations);
        if (double.IsFinite(result.Value) && result.Value < bestResult.Value)
        {
            theta.CopyTo(best);
            bestResult = result with { Iterations = result.Iterations + bestResult.Iterations };
        }
    }

    /// <summary>Natural-parameter slots whose estimate sits at the edge of the admissible region.</summary>
    private static HashSet<int> BoundaryParameters(ReturnModelSpec spec, in ReturnModelParameters p, ReturnModelTransform transform)
    {
        const double edge = BoundaryEdge;
        var set = new HashSet<int>();
        double slack = 1 - p.Persistence(spec.Volatility);
        foreach (int slot in transform.FreeNatural)
        {
            bool atEdge = slot switch
            {
                ReturnModelLikelihood.Alpha => p.Alpha < edge || slack < edge,
                ReturnModelLikelihood.Gamma => p.Gamma < edge || slack < edge,
                ReturnModelLikelihood.Beta => p.Beta < edge || slack < edge,
                ReturnModelLikelihood.Nu => p.Nu > 1000 || p.Nu - 2 < edge,
                ReturnModelLikelihood.Lambda => p.Lambda < edge || 1 - p.Lambda < edge,
                _ => false,
            };
            if (atEdge) set.Add(slot);
        }
        return set;
    }

    /// <summary>
    /// Observed-information and sandwich SEs for the interior free parameters (natural slots). The Hessian is
    /// central differences of the analytic gradient. Returns false when −H is not positive definite.
    /// </summary>
    private static bool StandardErrors(ReadOnlySpan<double> returns, ReturnModelSpec spec, in ReturnModelParameters p, double sd,
        int[] slots, Dictionary<int, double> se, Dictionary<int, double> robust)
    {
        int m = slots.Length, n = returns.Length;
        var info = new double[m, m];
        Span<double> gPlus = stackalloc double[ReturnModelLikelihood.Count];
        Span<double> gMinus = stackalloc double[ReturnModelLikelihood.Count];
        double slack = 1 - p.Persistence(spec.Volatility);
        for (int i = 0; i < m; i++)
        {
            int slot = slots[i];
            double x = p.Slot(slot);
            double step = slot switch
            {
                ReturnModelLikelihood.Mu => 1e-5 * sd,
                ReturnModelLikelihood.Alpha or ReturnModelLikelihood.Gamma or ReturnModelLikelihood.Beta
                    => 1e-5 * Math.Min(Math.Max(x, 1e-3), slack),
                ReturnModelLikelihood.Nu => 1e-5 * (x - 2),
                ReturnModelLikelihood.Lambda => 1e-5 * Math.Min(x, 1 - x),
                _ => 1e-5 * Math.Abs(x),
            };
            double llPlus = ReturnModelLikelihood.Evaluate(returns, spec, p.With(slot, x + step), gPlus);
            double llMinus = ReturnModelLikelihood.Evaluate(returns, spec, p.With(slot, x - step), gMinus);
            if (!double.IsFinite(llPlus) || !double.IsFinite(llMinus)) return false;
            for (int j = 0; j < m; j++) info[i, j] = -(gPlus[slots[j]] - gMinus[slots[j]]) / (2 * step);
        }
        for (int i = 0; i < m; i++)
            for (int j = 0; j < i; j++)
                info[i, j] = info[j, i] = 0.5 * (info[i, j] + info[j, i]);

        var cov = SymmetricPositiveDefiniteInverse(info);
        if (cov is null) return false;

        var scores = new double[n * ReturnModelLikelihood.Count];
        ReturnModelLikelihood.Evaluate(returns, spec, p, default, scores);
        var opg = new double[m, m];
        for (int t = 0; t < n; t++)
        {
            int row = t * ReturnModelLikelihood.Count;
            for (int i = 0; i < m; i++)
            {
                double si = scores[row + slots[i]];
                for (int j = 0; j <= i; j++) opg[i, j] += si * scores[row + slots[j]];
            }
        }
        for (int i = 0; i < m; i++)
            for (int j = 0; j < i; j++) opg[j, i] = opg[i, j];
        var sandwich = Multiply(Multiply(cov, opg), cov);

        for (int i = 0; i < m; i++)
        {
            se[slots[i]] = cov[i, i] > 0 ? Math.Sqrt(cov[i, i]) : double.NaN;
            robust[slots[i]] = sandwich[i, i] > 0 ? Math.Sqrt(sandwich[i, i]) : double.NaN;
        }

        // Variance targeting: ω = m(μ)(1 − persistence) is derived; delta method with the sample moment held fixed.
        if (spec.VarianceTargeting && spec.Volatility != VolatilityModel.Ewma)
        {
            var (ms, meanE) = ReturnModelLikelihood.Moments(returns, spec, p.Mu);
            var d = new double[m];
            for (int i = 0; i < m; i++)
            {
                d[i] = slots[i] switch
                {
                    ReturnModelLikelihood.Mu => (1 - p.Persistence(spec.Volatility)) * -2 * meanE,
                    ReturnModelLikelihood.Alpha or ReturnModelLikelihood.Beta => -ms,
                    ReturnModelLikelihood.Gamma => -0.5 * ms,
                    _ => 0,
                };
            }
            // A parameter on its boundary is held there (its slot is not in `slots`).
            se[ReturnModelLikelihood.Omega] = Math.Sqrt(Quadratic(cov, d));
            robust[ReturnModelLikelihood.Omega] = Math.Sqrt(Quadratic(sandwich, d));
        }
        return true;
    }

    private static double Quadratic(double[,] a, double[] v)
    {
        double s = 0;
        for (int i = 0; i < v.Length; i++)
            for (int j = 0; j < v.Length; j++) s += v[i] * a[i, j] * v[j];
        return s;
    }

    private static double[,] Multiply(double[,] a, double[,] b)
    {
        int m = a.GetLength(0);
        var c = new double[m, m];
        for (int i = 0; i < m; i++)
            for (int j = 0; j < m; j++)
            {
                double s = 0;
                for (int l = 0; l < m; l++) s += a[i, l] * b[l, j];
                c[i, j] = s;
            }
        return c;
    }

    /// <summary>Inverse by Cholesky after Jacobi (diagonal) scaling; null when not positive definite.</summary>
    private static double[,]? SymmetricPositiveDefiniteInverse(double[,] a)
    {
        int m = a.GetLength(0);
        var scale = new double[m];
        for (int i = 0; i < m; i++)
        {
            if (!(a[i, i] > 0) || !double.IsFinite(a[i, i])) return null;
            scale[i] = 1 / Math.Sqrt(a[i, i]);
        }
        var l = new double[m, m];
        for (int j = 0; j < m; j++)
        {
            double d = a[j, j] * scale[j] * scale[j];
            for (int k = 0; k < j; k++) d -= l[j, k] * l[j, k];
            if (!(d > 1e-12)) return null;
            l[j, j] = Math.Sqrt(d);
            for (int i = j + 1; i < m; i++)
            {
                double s = a[i, j] * scale[i] * scale[j];
                for (int k = 0; k < j; k++) s -= l[i, k] * l[j, k];
                l[i, j] = s / l[j, j];
            }
        }
        // inv(L) then inv(A_scaled) = inv(L)ᵀ inv(L), then undo the scaling.
        var li = new double[m, m];
        for (int i = 0; i < m; i++)
        {
            li[i, i] = 1 / l[i, i];
            for (int j = 0; j < i; j++)
            {
                double s = 0;
                for (int k = j; k < i; k++) s -= l[i, k] * li[k, j];
                li[i, j] = s / l[i, i];
            }
        }
        var inv = new double[m, m];
        for (int i = 0; i < m; i++)
            for (int j = 0; j < m; j++)
            {
                double s = 0;
                for (int k = Math.Max(i, j); k < m; k++) s += li[k, i] * li[k, j];
                inv[i, j] = s * scale[i] * scale[j];
            }
        return inv;
    }

    private static ReadOnlyDictionary<string, double> Named(ReturnModelSpec spec, ReturnModelParameters p, bool includeFixed, Func<int, double> value)
    {
        var d = new OrderedDictionary<string, double>();
        bool ewma = spec.Volatility == VolatilityModel.Ewma;
        for (int slot = 0; slot < ReturnModelLikelihood.Count; slot++)
        {
            bool has = slot switch
            {
                ReturnModelLikelihood.Mu => spec.Mean == MeanModel.Constant,
                ReturnModelLikelihood.Omega or ReturnModelLikelihood.Alpha or ReturnModelLikelihood.Beta => !ewma,
                ReturnModelLikelihood.Gamma => spec.Volatility == VolatilityModel.Gjr,
                ReturnModelLikelihood.Nu => spec.Distribution == InnovationDistribution.StudentT,
                _ => ewma && (includeFixed || spec.FixedLambda is null),
            };
            if (has) d.Add(ReturnModelLikelihood.Names[slot], value(slot));
        }
        return new ReadOnlyDictionary<string, double>(d);
    }

    /// <summary>−ℓ/n and its gradient in θ: what the optimizer minimizes (per observation, so tolerances do not depend on n).</summary>
    private ref struct NegativeLogLikelihood(ReadOnlySpan<double> returns, ReturnModelSpec spec, ReturnModelTransform transform)
        : IMinimizationObjective
    {
        private readonly ReadOnlySpan<double> _returns = returns;
        private readonly double _scale = -1.0 / returns.Length;

        public readonly double Value(scoped ReadOnlySpan<double> theta)
        {
            var p = transform.ToNatural(theta);
            double ll = ReturnModelLikelihood.Evaluate(_returns, spec, p, default);
            return double.IsFinite(ll) ? _scale * ll : double.PositiveInfinity;
        }

        public readonly double Evaluate(scoped ReadOnlySpan<double> theta, scoped Span<double> gradient)
        {
            var p = transform.ToNatural(theta);
            Span<double> natural = stackalloc double[ReturnModelLikelihood.Count];
            double ll = ReturnModelLikelihood.Evaluate(_returns, spec, p, natural);
            if (!double.IsFinite(ll)) return double.PositiveInfinity;
            transform.ChainGradient(p, natural, gradient);
            for (int i = 0; i < gradient.Length; i++) gradient[i] *= _scale;
            return _scale * ll;
        }
    }
}
