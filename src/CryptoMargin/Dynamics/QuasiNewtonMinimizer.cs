namespace CryptoMargin.Dynamics;

/// <summary>A smooth function to minimize: value and gradient at x (gradient written into <c>gradient</c>).</summary>
internal interface IMinimizationObjective
{
    /// <summary>f(x), or +∞ / NaN where undefined; fills <paramref name="gradient"/> when f is finite.</summary>
    double Evaluate(scoped ReadOnlySpan<double> x, scoped Span<double> gradient);
}

/// <summary>Why the minimizer stopped.</summary>
internal enum MinimizerExit
{
    GradientTolerance,
    NoProgress,
    LineSearchFailed,
    IterationLimit,
    NonFiniteStart,
}

internal readonly record struct MinimizerResult(double Value, double GradientNorm, int Iterations, int Evaluations, MinimizerExit Exit);

/// <summary>
/// BFGS with a strong-Wolfe line search (Nocedal &amp; Wright, Numerical Optimization, 2nd ed., Alg. 6.1, 3.5, 3.6),
/// allocation-free for dimension ≤ 16.
/// </summary>
/// <remarks>
/// Written here rather than using MathNet.Numerics' BfgsMinimizer because (1) its line search throws when the
/// objective is non-finite at a trial point, which happens on hard data (h_t overflow far from the optimum),
/// whereas here a non-finite trial just shortens the step; (2) it allocates vectors on every evaluation and
/// goes through a delegate, which matters at ~50 evaluations × a few µs each; (3) we need the stopping
/// reason and the final gradient norm to decide honestly whether the fit converged.
/// </remarks>
internal static class QuasiNewtonMinimizer
{
    private const double C1 = 1e-4, C2 = 0.9;
    private const int MaxLineSearch = 40;

    /// <summary>Minimizes from <paramref name="x"/> (overwritten by the best point found).</summary>
    /// <param name="gradientTolerance">stop when ‖∇f‖∞ ≤ this.</param>
    /// <param name="maxStep">largest change of any coordinate in one step.</param>
    public static MinimizerResult Minimize<TObjective>(ref TObjective objective, scoped Span<double> x, double gradientTolerance,
        int maxIterations, double maxStep = 5.0)
        where TObjective : IMinimizationObjective, allows ref struct
    {
        int k = x.Length;
        if (k > 16) throw new ArgumentException("dimension above 16", nameof(x));
        Span<double> hInv = stackalloc double[k * k];
        SetIdentity(hInv, k);
        return Run(ref objective, x, gradientTolerance, maxIterations, maxStep, hInv, freshHessian: true);
    }

    /// <summary>
    /// As <see cref="Minimize{TObjective}(ref TObjective, Span{double}, double, int, double)"/>, starting from the inverse-Hessian
    /// approximation in <paramref name="inverseHessian"/> (k×k, row-major; all zeros = none yet: start from the identity)
    /// and leaving the final approximation there: a warm start for a sequence of nearby problems (rolling re-fits), where
    /// the previous problem's curvature lets the first step land near the new optimum.
    /// </summary>
    public static MinimizerResult Minimize<TObjective>(ref TObjective objective, scoped Span<double> x, double gradientTolerance,
        int maxIterations, Span<double> inverseHessian)
        where TObjective : IMinimizationObjective, allows ref struct
    {
        int k = x.Length;
        if (k > 16) throw new ArgumentException("dimension above 16", nameof(x));
        if (inverseHessian.Length != k * k) throw new ArgumentException($"inverse Hessian needs {k * k} elements", nameof(inverseHessian));
        bool fresh = true;
        for (int i = 0; i < k; i++) fresh &= !(inverseHessian[i * k + i] > 0);
        if (fresh) SetIdentity(inverseHessian, k);
        return Run(ref objective, x, gradientTolerance, maxIterations, 5.0, inverseHessian, fresh);
    }

    private static MinimizerResult Run<TObjective>(ref TObjective objective, scoped Span<double> x, double gradientTolerance,
        int maxIterations, double maxStep, scoped Span<double> hInv, bool freshHessian)
        where TObjective : IMinimizationObjective, allows ref struct
    {
        int k = x.Length;
        Span<double> work = stackalloc double[7 * k];
        Span<double> g = work.Slice(0, k);
        Span<double> d = work.Slice(k, k);
        Span<double> xTrial = work.Slice(2 * k, k);
        Span<double> gTrial = work.Slice(3 * k, k);
        Span<double> xLo = work.Slice(4 * k, k);
        Span<double> gLo = work.Slice(5 * k, k);
        Span<double> hy = work.Slice(6 * k, k);

        int evaluations = 1;
        double f = objective.Evaluate(x, g);
        if (!double.IsFinite(f) || !AllFinite(g))
            return new MinimizerResult(f, double.NaN, 0, evaluations, MinimizerExit.NonFiniteStart);

        int stalls = 0;
        for (int iter = 0; iter < maxIterations; iter++)
        {
            double gNorm = NormInf(g);
            if (gNorm <= gradientTolerance)
                return new MinimizerResult(f, gNorm, iter, evaluations, MinimizerExit.GradientTolerance);

            // d = −H g; if not a descent direction, restart from steepest descent.
            MatVec(hInv, g, d, k, -1);
            double slope = Dot(g, d);
            if (!(slope < 0))
            {
                SetIdentity(hInv, k);
                freshHessian = true;
                for (int i = 0; i < k; i++) d[i] = -g[i];
                slope = Dot(g, d);
            }
            double dNorm = NormInf(d);
            double stepMax = maxStep / dNorm;
            // Without curvature information the first trial moves no coordinate by more than 1.
            double step = freshHessian ? Math.Min(1.0, 1.0 / dNorm) : Math.Min(1.0, stepMax);

            // Strong-Wolfe line search along d.
            double fNew = double.NaN;
            bool found = false;
            double aPrev = 0, fPrev = f, dPrev = slope;
            double aLo = 0, fLo = f, dLo = slope, aHi = double.NaN, fHi = double.NaN;
            bool zooming = false;
            for (int ls = 0; ls < MaxLineSearch; ls++)
            {
                double a;
                if (!zooming) a = step;
                else
                {
                    // Safeguarded quadratic interpolation between aLo and aHi.
                    double width = aHi - aLo;
                    double denom = 2 * (fHi - fLo - dLo * width);
                    a = denom > 0 ? aLo - dLo * width * width / denom : aLo + 0.5 * width;
                    double lo = aLo + 0.1 * width, hi = aHi - 0.1 * width;
                    if (width > 0 ? a < lo || a > hi || double.IsNaN(a) : a > lo || a < hi || double.IsNaN(a)) a = aLo + 0.5 * width;
                }
                for (int i = 0; i < k; i++) xTrial[i] = x[i] + a * d[i];
                double fa = objective.Evaluate(xTrial, gTrial);
                evaluations++;
                bool finite = double.IsFinite(fa) && AllFinite(gTrial);
                double da = finite ? Dot(gTrial, d) : double.NaN;

                if (!zooming)
                {
                    if (!finite)
                    {
                        step = aPrev + 0.25 * (a - aPrev);
                        continue;
                    }
                    if (fa > f + C1 * a * slope || (ls > 0 && fa >= fPrev))
                    {
                        zooming = true;
                        aLo = aPrev; fLo = fPrev; dLo = dPrev; aHi = a; fHi = fa;
                        continue;
                    }
                    if (Math.Abs(da) <= -C2 * slope) { found = true; fNew = fa; break; }
                    if (da >= 0)
                    {
                        zooming = true;
                        aLo = a; fLo = fa; dLo = da; aHi = aPrev; fHi = fPrev;
                        gTrial.CopyTo(gLo); xTrial.CopyTo(xLo);
                        continue;
                    }
                    aPrev = a; fPrev = fa; dPrev = da;
                    gTrial.CopyTo(gLo); xTrial.CopyTo(xLo);
                    aLo = a; fLo = fa;
                    step = Math.Min(2 * a, stepMax);
                    if (a >= stepMax) { found = true; fNew = fa; break; }
                }
                else
                {
                    if (!finite || fa > f + C1 * a * slope || fa >= fLo)
                    {
                        aHi = a; fHi = finite ? fa : double.MaxValue;
                    }
                    else
                    {
                        if (Math.Abs(da) <= -C2 * slope) { found = true; fNew = fa; break; }
                        if (da * (aHi - aLo) >= 0) { aHi = aLo; fHi = fLo; }
                        aLo = a; fLo = fa; dLo = da;
                        gTrial.CopyTo(gLo); xTrial.CopyTo(xLo);
                    }
                    if (Math.Abs(aHi - aLo) <= 1e-14 * Math.Max(1, Math.Abs(aLo))) break;
                }
            }
            if (!found)
            {
                // Accept the best Armijo point met on the way, if any.
                if (aLo > 0 && fLo < f)
                {
                    xLo.CopyTo(xTrial);
                    gLo.CopyTo(gTrial);
                    fNew = fLo;
                    found = true;
                }
                else if (!freshHessian)
                {
                    SetIdentity(hInv, k);
                    freshHessian = true;
                    continue;
                }
                else return new MinimizerResult(f, gNorm, iter, evaluations, MinimizerExit.LineSearchFailed);
            }

            // s = xTrial − x (into d), y = gTrial − g (into xLo); then x, g ← trial.
            for (int i = 0; i < k; i++)
            {
                d[i] = xTrial[i] - x[i];
                xLo[i] = gTrial[i] - g[i];
            }
            xTrial.CopyTo(x);
            gTrial.CopyTo(g);
            double decrease = f - fNew;
            f = fNew;
            stalls = decrease <= 1e-15 * Math.Max(1, Math.Abs(f)) ? stalls + 1 : 0;
            if (stalls >= 3)
                return new MinimizerResult(f, NormInf(g), iter + 1, evaluations, MinimizerExit.NoProgress);

            double sy = Dot(d, xLo);
            if (sy > 1e-12 * Math.Sqrt(Dot(d, d) * Dot(xLo, xLo)))
            {
                if (freshHessian)
                {
                    // Shanno–Phua scaling of the initial inverse Hessian (Nocedal & Wright eq. 6.20).
                    double scale = sy / Dot(xLo, xLo);
                    for (int i = 0; i < k * k; i++) hInv[i] *= scale;
                    freshHessian = false;
                }
                // H ← H − ρ(H y sᵀ + s yᵀ H) + (ρ² yᵀHy + ρ) s sᵀ.
                double rho = 1 / sy;
                MatVec(hInv, xLo, hy, k, 1);
                double yhy = Dot(xLo, hy);
                double c = rho * rho * yhy + rho;
                for (int i = 0; i < k; i++)
                    for (int j = 0; j < k; j++)
                        hInv[i * k + j] += -rho * (hy[i] * d[j] + d[i] * hy[j]) + c * d[i] * d[j];
            }
        }
        double finalNorm = NormInf(g);
        return new MinimizerResult(f, finalNorm, maxIterations, evaluations,
            finalNorm <= gradientTolerance ? MinimizerExit.GradientTolerance : MinimizerExit.IterationLimit);
    }

    private static void SetIdentity(Span<double> m, int k)
    {
        m.Clear();
        for (int i = 0; i < k; i++) m[i * k + i] = 1;
    }

    private static void MatVec(ReadOnlySpan<double> m, ReadOnlySpan<double> v, Span<double> result, int k, double sign)
    {
        for (int i = 0; i < k; i++)
        {
            double s = 0;
            for (int j = 0; j < k; j++) s += m[i * k + j] * v[j];
            result[i] = sign * s;
        }
    }

    private static double Dot(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        double s = 0;
        for (int i = 0; i < a.Length; i++) s += a[i] * b[i];
        return s;
    }

    private static double NormInf(ReadOnlySpan<double> a)
    {
        double m = 0;
        for (int i = 0; i < a.Length; i++) m = Math.Max(m, Math.Abs(a[i]));
        return m;
    }

    private static bool AllFinite(ReadOnlySpan<double> a)
    {
        for (int i = 0; i < a.Length; i++) if (!double.IsFinite(a[i])) return false;
        return true;
    }
}
