namespace CryptoMargin.Dynamics.Bayes;

/// <summary>
/// Adaptive random-walk Metropolis on an unconstrained θ ∈ ℝᵈ, several independent chains.
/// </summary>
/// <remarks>
/// Proposal θ* = θ + √(λ · 2.38²/d) · L z, z ~ N(0, I), L Lᵀ = Σ (Haario, Saksman &amp; Tamminen 2001; the
/// 2.38²/d scaling is Gelman, Roberts &amp; Gilks 1996). Accept with probability min(1, π(θ*)/π(θ)).
/// During warmup only:
/// <list type="bullet">
/// <item>Σ is re-estimated from the chain's own draws over doubling windows (the schedule of Stan's warmup,
///   Carpenter et al. 2017: a 75-iteration initial buffer, windows of 25, 50, 100, …, a 50-iteration terminal
///   buffer), regularized as n/(n+5)·Σ̂ + 10⁻³·5/(n+5)·I, so a poor start does not bias the covariance.</item>
/// <item>The global scale λ follows the Robbins–Monro recursion log λ ← log λ + k^(−0.6)(a_k − a*), a_k the
///   acceptance probability, a* the target (Andrieu &amp; Thoms 2008, "A tutorial on adaptive MCMC": AM with global
///   adaptive scaling); λ restarts at 1 with each new Σ.</item>
/// </list>
/// After warmup Σ and λ are frozen, so the kept draws come from a fixed symmetric-proposal Metropolis kernel
/// with π as its invariant distribution: a valid Markov chain. Chain c uses its own
/// <c>new Random(s_c)</c>, s_c drawn from <c>new Random(seed)</c>, so results depend only on the seed.
/// </remarks>
public static class AdaptiveMetropolis
{
    private const double Regularization = 1e-3;

    /// <summary>Runs <see cref="AdaptiveMetropolisOptions.Chains"/> chains, chain c starting at initialPoints[c].</summary>
    public static McmcChains Sample(LogDensity logDensity, IReadOnlyList<double[]> initialPoints, AdaptiveMetropolisOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(logDensity);
        ArgumentNullException.ThrowIfNull(initialPoints);
        options ??= new AdaptiveMetropolisOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Chains, 1, nameof(options.Chains));
        ArgumentOutOfRangeException.ThrowIfNegative(options.Warmup, nameof(options.Warmup));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Draws, 1, nameof(options.Draws));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxDegreeOfParallelism, 1, nameof(options.MaxDegreeOfParallelism));
        if (!(options.TargetAcceptance > 0 && options.TargetAcceptance < 1))
            throw new ArgumentOutOfRangeException(nameof(options), "TargetAcceptance must be in (0, 1).");
        if (!(options.InitialScale > 0) || double.IsInfinity(options.InitialScale))
            throw new ArgumentOutOfRangeException(nameof(options), "InitialScale must be positive and finite.");
        if (initialPoints.Count != options.Chains)
            throw new ArgumentException($"{initialPoints.Count} initial points for {options.Chains} chains.", nameof(initialPoints));
        int d = initialPoints[0].Length;
        if (d == 0) throw new ArgumentException("θ must have at least one coordinate.", nameof(initialPoints));
        foreach (var p in initialPoints)
        {
            if (p.Length != d) throw new ArgumentException("Initial points differ in dimension.", nameof(initialPoints));
            if (!IsFinite(logDensity(p))) throw new ArgumentException("The log-density is not finite at an initial point.", nameof(initialPoints));
        }

        var master = new Random(options.Seed);
        var seeds = new int[options.Chains];
        for (int c = 0; c < seeds.Length; c++) seeds[c] = master.Next();

        var draws = new double[options.Chains][];
        var accept = new double[options.Chains];
        var warmupAccept = new double[options.Chains];
        void RunOne(int c) =>
            draws[c] = RunChain(logDensity, initialPoints[c], options, seeds[c], out accept[c], out warmupAccept[c]);

        if (options.MaxDegreeOfParallelism == 1 || options.Chains == 1)
            for (int c = 0; c < options.Chains; c++) RunOne(c);
        else
            Parallel.For(0, options.Chains, new ParallelOptions { MaxDegreeOfParallelism = options.MaxDegreeOfParallelism }, RunOne);

        return new McmcChains(draws, d, options.Warmup, accept, warmupAccept);
    }

    private static double[] RunChain(LogDensity logDensity, double[] start, AdaptiveMetropolisOptions o, int seed,
        out double acceptanceRate, out double warmupAcceptanceRate)
    {
        int d = start.Length;
        var rng = new Random(seed);
        var normal = new StandardNormal(rng);
        var x = (double[])start.Clone();
        var proposal = new double[d];
        var z = new double[d];
        var chol = new double[d * d];          // L, row-major lower triangle
        for (int i = 0; i < d; i++) chol[i * d + i] = o.InitialScale * Math.Sqrt(d) / 2.38; // so that √(2.38²/d)·L = InitialScale·I
        var window = new WindowCovariance(d);
        var schedule = WarmupSchedule.For(o.Warmup);
        double baseScale = 2.38 / Math.Sqrt(d);
        double logLambda = 0;
        int adaptStep = 0;

        double lp = logDensity(x);
        var kept = new double[o.Draws * d];
        int acceptedWarmup = 0, acceptedKept = 0;
        int total = o.Warmup + o.Draws;
        for (int it = 0; it < total; it++)
        {
            bool warmup = it < o.Warmup;
            double scale = baseScale * Math.Exp(0.5 * logLambda);
            for (int i = 0; i < d; i++) z[i] = normal.Next();
            for (int i = 0; i < d; i++)
            {
                double s = 0;
                int row = i * d;
                for (int j = 0; j <= i; j++) s += chol[row + j] * z[j];
                proposal[i] = x[i] + scale * s;
            }
            double lpNew = logDensity(proposal);
            double logRatio = IsFinite(lpNew) ? lpNew - lp : double.NegativeInfinity;
            bool accepted = logRatio >= 0 || Math.Log(rng.NextDouble()) < logRatio;
            if (accepted)
            {
                Array.Copy(proposal, x, d);
                lp = lpNew;
            }

            if (warmup)
            {
                if (accepted) acceptedWarmup++;
                double acceptProbability = logRatio >= 0 ? 1.0 : Math.Exp(logRatio);
                adaptStep++;
                logLambda += Math.Pow(adaptStep, -0.6) * (acceptProbability - o.TargetAcceptance);
                logLambda = Math.Clamp(logLambda, -30, 30);
                if (schedule.InWindow(it))
                {
                    window.Add(x);
                    if (schedule.IsWindowEnd(it))
                    {
                        window.RegularizedCholesky(chol, Regularization);
                        window.Reset();
                        logLambda = 0;
                        adaptStep = 0;
                    }
                }
            }
            else
            {
                if (accepted) acceptedKept++;
                Array.Copy(x, 0, kept, (it - o.Warmup) * d, d);
            }
        }
        acceptanceRate = (double)acceptedKept / o.Draws;
        warmupAcceptanceRate = o.Warmup == 0 ? double.NaN : (double)acceptedWarmup / o.Warmup;
        return kept;
    }

    private static bool IsFinite(double v) => !double.IsNaN(v) && !double.IsInfinity(v);

    /// <summary>Standard normal variates by the Marsaglia polar method, caching the second of each pair.</summary>
    private sealed class StandardNormal(Random rng)
    {
        private double _spare;
        private bool _hasSpare;

        public double Next()
        {
            if (_hasSpare) { _hasSpare = false; return _spare; }
            double u, v, s;
            do
            {
                u = 2 * rng.NextDouble() - 1;
                v = 2 * rng.NextDouble() - 1;
                s = u * u + v * v;
            } while (s >= 1 || s == 0);
            double f = Math.Sqrt(-2 * Math.Log(s) / s);
            _spare = v * f;
            _hasSpare = true;
            return u * f;
        }
    }

    /// <summary>
    /// Stan's warmup windows (Carpenter et al. 2017; Stan Reference Manual, "Automatic parameter tuning"):
    /// initial buffer 75, first window 25 doubling, terminal buffer 50; scaled to 15%/75%/10% for short warmups.
    /// </summary>
    private sealed class WarmupSchedule
    {
        private readonly int _start;
        private readonly int _end;            // exclusive
        private readonly HashSet<int> _windowEnds = [];

        private WarmupSchedule(int start, int end, IEnumerable<int> ends)
        {
            _start = start;
            _end = end;
            foreach (var e in ends) _windowEnds.Add(e);
        }

        public static WarmupSchedule For(int warmup)
        {
            if (warmup < 20) return new WarmupSchedule(0, 0, []);
            int init = 75, term = 50, first = 25;
            if (warmup < init + term + first)
            {
                init = (int)(0.15 * warmup);
                term = (int)(0.1 * warmup);
                first = warmup - init - term;
            }
            int end = warmup - term;
            var ends = new List<int>();
            int windowStart = init, size = first;
            while (windowStart < end)
            {
                int windowEnd = windowStart + size;
                int nextSize = 2 * size;
                if (windowEnd + nextSize > end) windowEnd = end;
                ends.Add(windowEnd - 1);
                windowStart = windowEnd;
                size = nextSize;
            }
            return new WarmupSchedule(init, end, ends);
        }

        public bool InWindow(int iteration) => iteration >= _start && iteration < _end;
        public bool IsWindowEnd(int iteration) => _windowEnds.Contains(iteration);
    }

    /// <summary>Welford's running mean and covariance of the draws in one adaptation window.</summary>
    private sealed class WindowCovariance(int d)
    {
        private readonly double[] _mean = new double[d];
        private readonly double[] _m2 = new double[d * d];
        private readonly double[] _delta = new double[d];
        private int _n;

        public void Add(ReadOnlySpan<double> x)
        {
            _n++;
            for (int i = 0; i < d; i++)
            {
                _delta[i] = x[i] - _mean[i];
                _mean[i] += _delta[i] / _n;
            }
            for (int i = 0; i < d; i++)
            {
                double di = x[i] - _mean[i];
                for (int j = 0; j <= i; j++) _m2[i * d + j] += di * _delta[j];
            }
        }

        public void Reset()
        {
            Array.Clear(_mean);
            Array.Clear(_m2);
            _n = 0;
        }

        /// <summary>Writes the Cholesky factor of n/(n+5)·Σ̂ + reg·5/(n+5)·I into <paramref name="chol"/>; keeps it if not positive definite.</summary>
        public void RegularizedCholesky(double[] chol, double reg)
        {
            if (_n < 2) return;
            var a = new double[d * d];
            double w = _n / (_n + 5.0);
            for (int i = 0; i < d; i++)
            {
                for (int j = 0; j <= i; j++) a[i * d + j] = w * _m2[i * d + j] / (_n - 1);
                a[i * d + i] += reg * 5.0 / (_n + 5.0);
            }
            if (Cholesky(a, d)) Array.Copy(a, chol, a.Length);
        }

        /// <summary>In-place lower Cholesky of the lower triangle of a; false if not positive definite.</summary>
        private static bool Cholesky(double[] a, int d)
        {
            for (int j = 0; j < d; j++)
            {
                double s = a[j * d + j];
                for (int k = 0; k < j; k++) s -= a[j * d + k] * a[j * d + k];
                if (!(s > 0) || double.IsInfinity(s)) return false;
                double ljj = Math.Sqrt(s);
                a[j * d + j] = ljj;
                for (int i = j + 1; i < d; i++)
                {
                    double t = a[i * d + j];
                    for (int k = 0; k < j; k++) t -= a[i * d + k] * a[j * d + k];
                    a[i * d + j] = t / ljj;
                }
                for (int i = 0; i < j; i++) a[i * d + j] = 0; // clear the upper triangle
            }
            return true;
        }
    }
}
