namespace CryptoMargin.Surfaces;

/// <summary>An objective of at most three unconstrained variables for <see cref="NelderMead"/>.</summary>
internal interface ISmallObjective
{
    double Value(ReadOnlySpan<double> x);
}

/// <summary>
/// Nelder–Mead downhill simplex (Nelder &amp; Mead 1965; coefficients reflection 1, expansion 2, contraction ½,
/// shrink ½ as in Lagarias et al. 1998) for n ≤ 3 variables, allocation-free (the simplex lives on the stack).
/// Stops when the simplex's extent in every coordinate is below <c>xTolerance</c> and the spread of its values is
/// below <c>fTolerance</c>·(|f_best| + fFloor).
/// </summary>
internal static class NelderMead
{
    public const int MaxDimension = 3;

    public static (double Value, int Iterations, bool Converged) Minimize<T>(ref T f, Span<double> x, ReadOnlySpan<double> step,
        int maxIterations, double xTolerance = 1e-10, double fTolerance = 1e-12, double fFloor = 1e-30)
        where T : struct, ISmallObjective
    {
        int n = x.Length;
        if (n is < 1 or > MaxDimension) throw new ArgumentOutOfRangeException(nameof(x), n, "Nelder–Mead here handles 1 to 3 variables");
        Span<double> p = stackalloc double[(MaxDimension + 1) * MaxDimension];
        Span<double> fv = stackalloc double[MaxDimension + 1];
        Span<double> centroid = stackalloc double[MaxDimension];
        Span<double> xr = stackalloc double[MaxDimension];
        Span<double> xe = stackalloc double[MaxDimension];
        centroid = centroid[..n]; xr = xr[..n]; xe = xe[..n];

        for (int i = 0; i <= n; i++)
        {
            var v = p.Slice(i * n, n);
            x.CopyTo(v);
            if (i > 0) v[i - 1] += step[i - 1];
            fv[i] = Safe(f.Value(v));
        }

        int iterations = 0;
        bool converged = false;
        while (iterations < maxIterations)
        {
            // Order the vertices best (0) to worst (n): insertion sort of at most four rows.
            for (int i = 1; i <= n; i++)
                for (int j = i; j > 0 && fv[j] < fv[j - 1]; j--)
                {
                    (fv[j], fv[j - 1]) = (fv[j - 1], fv[j]);
                    for (int c = 0; c < n; c++) (p[j * n + c], p[(j - 1) * n + c]) = (p[(j - 1) * n + c], p[j * n + c]);
                }
            double extent = 0;
            for (int c = 0; c < n; c++)
                for (int i = 1; i <= n; i++) extent = Math.Max(extent, Math.Abs(p[i * n + c] - p[c]));
            if (extent <= xTolerance && fv[n] - fv[0] <= fTolerance * (Math.Abs(fv[0]) + fFloor)) { converged = true; break; }
            if (extent <= 1e-3 * xTolerance) { converged = true; break; } // collapsed simplex: nothing left to move
            iterations++;

            centroid.Clear();
            for (int i = 0; i < n; i++)
                for (int c = 0; c < n; c++) centroid[c] += p[i * n + c] / n;
            var worst = p.Slice(n * n, n);
            for (int c = 0; c < n; c++) xr[c] = 2 * centroid[c] - worst[c];
            double fr = Safe(f.Value(xr));
            if (fr < fv[0])
            {
                for (int c = 0; c < n; c++) xe[c] = 3 * centroid[c] - 2 * worst[c];
                double fe = Safe(f.Value(xe));
                if (fe < fr) { xe.CopyTo(worst); fv[n] = fe; }
                else { xr.CopyTo(worst); fv[n] = fr; }
            }
            else if (fr < fv[n - 1])
            {
                xr.CopyTo(worst); fv[n] = fr;
            }
            else
            {
                bool outside = fr < fv[n];
                for (int c = 0; c < n; c++) xe[c] = outside ? 1.5 * centroid[c] - 0.5 * worst[c] : 0.5 * centroid[c] + 0.5 * worst[c];
                double fc = Safe(f.Value(xe));
                if (fc < (outside ? fr : fv[n])) { xe.CopyTo(worst); fv[n] = fc; }
                else
                {
                    for (int i = 1; i <= n; i++)
                    {
                        var v = p.Slice(i * n, n);
                        for (int c = 0; c < n; c++) v[c] = 0.5 * (v[c] + p[c]);
                        fv[i] = Safe(f.Value(v));
                    }
                }
            }
        }
        int best = 0;
        for (int i = 1; i <= n; i++) if (fv[i] < fv[best]) best = i;
        p.Slice(best * n, n).CopyTo(x);
        return (fv[best], iterations, converged);
    }

    private static double Safe(double v) => double.IsNaN(v) ? double.PositiveInfinity : v;
}
