using System.Globalization;
using CryptoMargin.MarketData;
using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.Optimization;

namespace CryptoMargin.Dynamics.Bayes;

/// <summary>
/// Bayesian calibration of GARCH(1,1) / GJR-GARCH(1,1) with Normal or standardized Student-t innovations and a
/// constant or zero mean, by adaptive random-walk Metropolis on an unconstrained reparameterization.
/// </summary>
/// <remarks>
/// Posterior ∝ likelihood × prior on the natural parameters (<see cref="ReturnModelPrior"/>), sampled on θ
/// (<see cref="ReturnModelTransform"/>, the maximum-likelihood fit's own) with the log-Jacobian added. Not supported: EWMA (integrated, one
/// parameter: use the maximum-likelihood fit) and variance targeting (ω is always free here).
/// </remarks>
public static class BayesianReturnModel
{
    /// <summary>Fewest observations accepted.</summary>
    public const int MinObservations = 50;

    private const double JitterSd = 0.1;

    public static PosteriorFit Fit(ReadOnlySpan<double> returns, ReturnModelSpec spec, BayesianFitOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (spec.Volatility == VolatilityModel.Ewma)
            throw new ArgumentException("The Bayesian fit supports GARCH and GJR-GARCH, not EWMA.", nameof(spec));
        if (spec.VarianceTargeting)
            throw new ArgumentException("The Bayesian fit does not support variance targeting: ω is a free parameter.", nameof(spec));
        options ??= new BayesianFitOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Chains, 1, nameof(options.Chains));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Draws, 4, nameof(options.Draws));
        ArgumentOutOfRangeException.ThrowIfNegative(options.Warmup, nameof(options.Warmup));

        var data = ValidatedCopy(returns);
        double scale = Math.Sqrt(ModelVariance(data, spec));
        var transform = new ReturnModelTransform(spec, scale);
        var prior = new ReturnModelPrior(scale);
        var likelihood = options.LogLikelihood ?? ReturnModel.LogLikelihood;

        double LogPosterior(ReadOnlySpan<double> theta)
        {
            var p = transform.ToNatural(theta, out double logJacobian);
            double lp = prior.LogDensity(p, spec) + logJacobian;
            if (double.IsNaN(lp) || double.IsInfinity(lp)) return double.NegativeInfinity;
            double ll = likelihood(data, spec, p);
            return double.IsNaN(ll) ? double.NegativeInfinity : ll + lp;
        }

        int d = transform.Dimension;
        var master = new Random(options.Seed);
        int samplerSeed = master.Next();

        var start = new double[d];
        if (options.InitialParameters is ReturnModelParameters given)
        {
            transform.FromNaturalInterior(given, start);
            if (!IsFinite(LogPosterior(start)))
                throw new ArgumentException("The posterior density is zero at the initial parameters.", nameof(options));
        }
        else
        {
            start = PosteriorMode(LogPosterior, transform, MomentGuess(data, spec));
        }
        var startParameters = transform.ToNatural(start, out _);

        var initialPoints = new double[options.Chains][];
        for (int c = 0; c < options.Chains; c++) initialPoints[c] = Jittered(start, master, LogPosterior);

        var chains = AdaptiveMetropolis.Sample(LogPosterior, initialPoints, new AdaptiveMetropolisOptions
        {
            Chains = options.Chains,
            Warmup = options.Warmup,
            Draws = options.Draws,
            Seed = samplerSeed,
            MaxDegreeOfParallelism = options.MaxDegreeOfParallelism,
        });

        return Summarize(chains, transform, spec, data, likelihood, startParameters, options);
    }

    private static PosteriorFit Summarize(McmcChains chains, ReturnModelTransform transform, ReturnModelSpec spec,
        double[] data, LogLikelihoodFunction likelihood, ReturnModelParameters startParameters, BayesianFitOptions options)
    {
        int m = chains.Chains, n = chains.DrawsPerChain, d = transform.Dimension;
        var draws = new ReturnModelParameters[m * n];
        for (int c = 0; c < m; c++)
            for (int i = 0; i < n; i++)
                draws[c * n + i] = transform.ToNatural(chains.Draw(c, i), out _);

        var summaries = new Dictionary<string, PosteriorSummary>();
        var means = new double[d];
        var problems = new List<string>();
        for (int k = 0; k < d; k++)
        {
            var perChain = new double[m][];
            for (int c = 0; c < m; c++)
            {
                perChain[c] = new double[n];
                for (int i = 0; i < n; i++) perChain[c][i] = transform.Value(draws[c * n + i], k);
            }
            var pooled = perChain.SelectMany(x => x).ToArray();
            Array.Sort(pooled);
            double rhat = McmcDiagnostics.RankNormalizedSplitRhat(perChain);
            double ess = McmcDiagnostics.BulkEffectiveSampleSize(perChain);
            means[k] = pooled.Average();
            string name = transform.Names[k];
            summaries[name] = new PosteriorSummary(means[k], Quantile(pooled, 0.5), Quantile(pooled, 0.025), Quantile(pooled, 0.975), ess, rhat);
            if (!(rhat < options.MaxRhat))
                problems.Add(string.Create(CultureInfo.InvariantCulture, $"{name}: R̂ = {rhat:F3} ≥ {options.MaxRhat}"));
            if (!(ess >= options.MinEss))
                problems.Add(string.Create(CultureInfo.InvariantCulture, $"{name}: ESS = {ess:F0} < {options.MinEss}"));
        }

        double Get(string name, double absent) => Array.IndexOf(transform.Names, name) is int i && i >= 0 ? means[i] : absent;
        var mean = new ReturnModelParameters(Get("mu", 0), Get("omega", 0), Get("alpha", 0), Get("gamma", 0), Get("beta", 0),
            Get("nu", double.PositiveInfinity), 0);

        return new PosteriorFit(spec, transform.Names, summaries, draws, mean, likelihood(data, spec, mean), startParameters,
            chains.AcceptanceRates, m, chains.Warmup, n, options.Seed,
            problems.Count == 0 ? null : "Not converged: " + string.Join("; ", problems));
    }

    private static double[] ValidatedCopy(ReadOnlySpan<double> returns)
    {
        if (returns.Length < MinObservations)
            throw new DataValidationException($"{returns.Length} returns: the Bayesian fit needs at least {MinObservations}.");
        for (int t = 0; t < returns.Length; t++)
            if (double.IsNaN(returns[t]) || double.IsInfinity(returns[t]))
                throw new DataValidationException(string.Create(CultureInfo.InvariantCulture, $"return {t + 1} of {returns.Length} is not finite ({returns[t]})."));
        var data = returns.ToArray();
        double mean = data.Average();
        double variance = data.Sum(x => (x - mean) * (x - mean)) / data.Length;
        // Equal returns leave a rounding-level variance (≈ 1e-32·mean²): treat anything that small as zero.
        if (data.Min() == data.Max() || !(variance > 1e-20 * mean * mean))
            throw new DataValidationException("The returns have zero variance: no volatility model can be fitted.");
        return data;
    }

    /// <summary>s² in the model's own ε: variance about the mean (constant mean) or mean square (zero mean).</summary>
    private static double ModelVariance(double[] data, ReturnModelSpec spec)
    {
        double mean = spec.Mean == MeanModel.Constant ? data.Average() : 0;
        return data.Sum(x => (x - mean) * (x - mean)) / data.Length;
    }

    /// <summary>A persistence-0.95 GARCH with the sample's mean and unconditional variance, ν = 8.</summary>
    private static ReturnModelParameters MomentGuess(double[] data, ReturnModelSpec spec)
    {
        double mu = spec.Mean == MeanModel.Constant ? data.Average() : 0;
        double s2 = ModelVariance(data, spec);
        bool gjr = spec.Volatility == VolatilityModel.Gjr;
        double alpha = gjr ? 0.03 : 0.07, gamma = gjr ? 0.08 : 0, beta = 0.88;
        double nu = spec.Distribution == InnovationDistribution.StudentT ? 8 : double.PositiveInfinity;
        return new ReturnModelParameters(mu, s2 * 0.05, alpha, gamma, beta, nu, 0);
    }

    /// <summary>The posterior mode in θ by Nelder–Mead (MathNet), from the guess; the best point seen if it runs out of iterations.</summary>
    private static double[] PosteriorMode(LogDensity logPosterior, ReturnModelTransform transform, ReturnModelParameters guess)
    {
        var start = new double[transform.Dimension];
        transform.FromNaturalInterior(guess, start);
        double[] best = (double[])start.Clone();
        double bestValue = -logPosterior(start);
        double Objective(Vector<double> v)
        {
            var theta = v.AsArray() ?? v.ToArray();
            double lp = logPosterior(theta);
            double value = IsFinite(lp) ? -lp : 1e300;
            if (value < bestValue) { bestValue = value; best = (double[])theta.Clone(); }
            return value;
        }
        try
        {
            NelderMeadSimplex.Minimum(ObjectiveFunction.Value(Objective), Vector<double>.Build.DenseOfArray(start),
                Vector<double>.Build.Dense(start.Length, 0.2), convergenceTolerance: 1e-10, maximumIterations: 4000);
        }
        catch (MaximumIterationsException)
        {
            // keep the best point seen: the sampler's warmup finishes the job.
        }
        return IsFinite(-bestValue) ? best : start;
    }

    /// <summary>start + N(0, 0.1²) per coordinate of θ (θ is in units of the data's scale), kept where the density is positive.</summary>
    private static double[] Jittered(double[] start, Random rng, LogDensity logPosterior)
    {
        var point = new double[start.Length];
        double sd = JitterSd;
        for (int attempt = 0; attempt < 50; attempt++, sd *= 0.5)
        {
            for (int i = 0; i < point.Length; i++) point[i] = start[i] + sd * MathNet.Numerics.Distributions.Normal.Sample(rng, 0, 1);
            if (IsFinite(logPosterior(point))) return point;
        }
        return (double[])start.Clone();
    }

    /// <summary>Quantile of sorted data, linear interpolation between order statistics (Hyndman &amp; Fan 1996, type 7).</summary>
    internal static double Quantile(double[] sorted, double q)
    {
        double h = (sorted.Length - 1) * q;
        int lo = (int)Math.Floor(h);
        int hi = Math.Min(lo + 1, sorted.Length - 1);
        return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
    }

    private static bool IsFinite(double v) => !double.IsNaN(v) && !double.IsInfinity(v);
}
