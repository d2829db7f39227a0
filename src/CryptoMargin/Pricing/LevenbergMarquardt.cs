namespace CryptoMargin.Pricing;

/// <summary>
/// Levenberg–Marquardt for small nonlinear least squares min ½‖r(x)‖² (n ≤ 8 parameters), as in Madsen, Nielsen &amp;
/// Tingleff (2004, "Methods for non-linear least squares problems", IMM DTU, Algorithm 3.16): steps solve
/// (JᵀJ + μ D) h = −Jᵀr with D = diag(JᵀJ) (Marquardt's scaling), μ updated from the gain ratio. Used by the Heston
/// surface and SABR slice calibrations (to move to a shared name at integration).
/// </summary>
internal static class LevenbergMarquardt
{
    /// <summary>Residuals and, unless <c>jacobian</c> is empty, their Jacobian (row-major, residuals × parameters) at x.</summary>
    public interface IProblem
    {
        int Residuals { get; }
        int Parameters { get; }
        void Evaluate(ReadOnlySpan<double> x, Span<double> residuals, Span<double> jacobian);
    }

    /// <param name="CoordinateStandardErrors">√diag(s²(JᵀJ)⁻¹) at the solution, s² = 2·Cost/(m − n), in the
    /// coordinates searched (NaN when m ≤ n or JᵀJ is singular): the usual nonlinear least-squares standard errors
    /// (e.g. Seber &amp; Wild 1989, Nonlinear Regression, §2.1), meaningful when residuals are homoscedastic noise.</param>
    public readonly record struct Outcome(double Cost, int Iterations, bool Converged, string ExitCondition, double[] CoordinateStandardErrors);

    public static Outcome Minimise<TProblem>(ref TProblem problem, Span<double> x, int maxIterations = 200,
        double gradientTolerance = 1e-12, double stepTolerance = 1e-12, double costTolerance = 1e-15)
        where TProblem : IProblem
    {
        int n = problem.Parameters, m = problem.Residuals;
        var r = new double[m];
        var j = new double[m * n];
        var rTrial = new double[m];
        var a = new double[n * n];
        var g = new double[n];
        var h = new double[n];
        var trial = new double[n];
        var scratch = new double[n * n];
        problem.Evaluate(x, r, j);
        double cost = HalfSquaredNorm(r);
        Normal(j, r, m, n, a, g);
        double mu = 1e-3, growth = 2;
        for (int iteration = 1; iteration <= maxIterations; iteration++)
        {
            if (MaxAbs(g) <= gradientTolerance) return Finish(cost, iteration - 1, true, "gradient below tolerance", a, m, n);
            for (int i = 0; i < n * n; i++) scratch[i] = a[i];
            for (int i = 0; i < n; i++) { scratch[i * n + i] += mu * Math.Max(a[i * n + i], 1e-12); h[i] = -g[i]; }
            if (!CholeskySolve(scratch, h, n)) { mu *= growth; growth *= 2; continue; }
            double xNorm = 0, hNorm = 0;
            for (int i = 0; i < n; i++) { trial[i] = x[i] + h[i]; xNorm += x[i] * x[i]; hNorm += h[i] * h[i]; }
            if (Math.Sqrt(hNorm) <= stepTolerance * (Math.Sqrt(xNorm) + stepTolerance))
                return Finish(cost, iteration - 1, true, "step below tolerance", a, m, n);
            double trialCost;
            try
            {
                problem.Evaluate(trial, rTrial, []);
                trialCost = HalfSquaredNorm(rTrial);
            }
            catch (ArgumentOutOfRangeException)
            {
                trialCost = double.PositiveInfinity; // left the parameter domain: reject the step
            }
            // Predicted decrease of the quadratic model: −hᵀg − ½ hᵀAh.
            double predicted = 0;
            for (int i = 0; i < n; i++)
            {
                double ah = 0;
                for (int k = 0; k < n; k++) ah += a[i * n + k] * h[k];
                predicted -= h[i] * g[i] + 0.5 * h[i] * ah;
            }
            double gain = double.IsFinite(trialCost) && predicted > 0 ? (cost - trialCost) / predicted : -1;
            if (gain > 0)
            {
                for (int i = 0; i < n; i++) x[i] = trial[i];
                double previous = cost;
                problem.Evaluate(x, r, j);
                cost = HalfSquaredNorm(r);
                Normal(j, r, m, n, a, g);
                double t = 2 * gain - 1;
                mu *= Math.Max(1.0 / 3, 1 - t * t * t);
                growth = 2;
                if (previous - cost <= costTolerance * Math.Max(previous, 1e-300))
                    return Finish(cost, iteration, true, "relative cost decrease below tolerance", a, m, n);
            }
            else
            {
                mu *= growth;
                growth *= 2;
                if (mu > 1e20) return Finish(cost, iteration, false, "damping diverged: no descent step found", a, m, n);
            }
        }
        return Finish(cost, maxIterations, false, "iteration limit reached", a, m, n);
    }

    private static Outcome Finish(double cost, int iterations, bool converged, string exit, double[] a, int m, int n)
    {
        var se = new double[n];
        var factor = (double[])a.Clone();
        var column = new double[n];
        double s2 = m > n ? 2 * cost / (m - n) : double.NaN;
        bool ok = CholeskyFactor(factor, n);
        for (int i = 0; i < n; i++)
        {
            if (!ok) { se[i] = double.NaN; continue; }
            column.AsSpan().Clear();
            column[i] = 1;
            Substitute(factor, column, n);
            se[i] = Math.Sqrt(s2 * column[i]);
        }
        return new Outcome(cost, iterations, converged, exit, se);
    }

    /// <summary>Σ r² / 2.</summary>
    internal static double HalfSquaredNorm(ReadOnlySpan<double> r)
    {
        double s = 0;
        foreach (double v in r) s += v * v;
        return 0.5 * s;
    }

    private static double MaxAbs(ReadOnlySpan<double> v)
    {
        double max = 0;
        foreach (double x in v) max = Math.Max(max, Math.Abs(x));
        return max;
    }

    /// <summary>A = JᵀJ, g = Jᵀr.</summary>
    internal static void Normal(ReadOnlySpan<double> j, ReadOnlySpan<double> r, int m, int n, Span<double> a, Span<double> g)
    {
        a.Clear();
        g.Clear();
        for (int row = 0; row < m; row++)
        {
            var jr = j.Slice(row * n, n);
            for (int i = 0; i < n; i++)
            {
                g[i] += jr[i] * r[row];
                for (int k = 0; k <= i; k++) a[i * n + k] += jr[i] * jr[k];
            }
        }
        for (int i = 0; i < n; i++)
            for (int k = 0; k < i; k++) a[k * n + i] = a[i * n + k];
    }

    /// <summary>Solves S x = b in place (S symmetric positive definite, overwritten by its Cholesky factor).</summary>
    internal static bool CholeskySolve(Span<double> s, Span<double> b, int n)
    {
        if (!CholeskyFactor(s, n)) return false;
        Substitute(s, b, n);
        return true;
    }

    /// <summary>Lower Cholesky factor of S in place; false when S is not positive definite.</summary>
    private static bool CholeskyFactor(Span<double> s, int n)
    {
        for (int i = 0; i < n; i++)
        {
            for (int k = 0; k <= i; k++)
            {
                double sum = s[i * n + k];
                for (int p = 0; p < k; p++) sum -= s[i * n + p] * s[k * n + p];
                if (i == k)
                {
                    if (!(sum > 0)) return false;
                    s[i * n + i] = Math.Sqrt(sum);
                }
                else s[i * n + k] = sum / s[k * n + k];
            }
        }
        return true;
    }

    /// <summary>Solves L Lᵀ x = b in place given the lower factor L.</summary>
    private static void Substitute(ReadOnlySpan<double> s, Span<double> b, int n)
    {
        for (int i = 0; i < n; i++)
        {
            double sum = b[i];
            for (int p = 0; p < i; p++) sum -= s[i * n + p] * b[p];
            b[i] = sum / s[i * n + i];
        }
        for (int i = n - 1; i >= 0; i--)
        {
            double sum = b[i];
            for (int p = i + 1; p < n; p++) sum -= s[p * n + i] * b[p];
            b[i] = sum / s[i * n + i];
        }
    }
}
