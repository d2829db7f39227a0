namespace CryptoMargin.Calibration.Grid;

/// <summary>
/// A least-squares fit of <see cref="TermShockLaw"/> in log space. With x = ln(30/DTE) and y = ln(shock) the law is
/// y = ln k + p_short·x⁺ − p_long·x⁻ (x⁺ = max(x, 0), x⁻ = max(−x, 0)): linear in (ln k, p_short, p_long), one k shared
/// by both sides so the fitted curve is continuous at 30 days. Ordinary least squares; standard errors from
/// s²(XᵀX)⁻¹ with s² = RSS/(n − 3) (e.g. Greene, <i>Econometric Analysis</i>, 7th ed., §4.3); R² and RMSE are in log space.
/// <para>Needs at least one tenor on each side of 30 days and n ≥ 4; every shock must be positive (a down shock is fitted
/// on its magnitude).</para>
/// </summary>
public static class TermShockFit
{
    /// <exception cref="ArgumentException">lengths differ, a tenor or shock is not positive and finite, or too few points on a side.</exception>
    public static TermShockFitResult Fit(ReadOnlySpan<double> days, ReadOnlySpan<double> shocks)
    {
        if (days.Length != shocks.Length) throw new ArgumentException($"{days.Length} tenors but {shocks.Length} shocks", nameof(shocks));
        int n = days.Length;
        if (n < 4) throw new ArgumentException($"{n} points: the fit of k, p_short and p_long needs at least 4", nameof(days));
        int shortSide = 0, longSide = 0;
        // Normal equations XᵀX b = Xᵀy with columns (1, x⁺, −x⁻).
        Span<double> xtx = stackalloc double[9];
        Span<double> xty = stackalloc double[3];
        xtx.Clear();
        xty.Clear();
        for (int i = 0; i < n; i++)
        {
            if (!(days[i] > 0) || !double.IsFinite(days[i])) throw new ArgumentException($"tenor {i + 1} is {days[i]} days: tenors must be positive", nameof(days));
            if (!(shocks[i] > 0) || !double.IsFinite(shocks[i])) throw new ArgumentException($"shock at {days[i]} days is {shocks[i]}: shocks must be positive and finite", nameof(shocks));
            double x = Math.Log(TenorGrid.ReferenceDays / days[i]);
            if (x > 0) shortSide++; else if (x < 0) longSide++;
            Span<double> row = [1, Math.Max(x, 0), -Math.Max(-x, 0)];
            double y = Math.Log(shocks[i]);
            for (int a = 0; a < 3; a++)
            {
                xty[a] += row[a] * y;
                for (int b = 0; b < 3; b++) xtx[a * 3 + b] += row[a] * row[b];
            }
        }
        if (shortSide == 0) throw new ArgumentException("no tenor below 30 days: p_short cannot be fitted", nameof(days));
        if (longSide == 0) throw new ArgumentException("no tenor above 30 days: p_long cannot be fitted", nameof(days));
        Span<double> inv = stackalloc double[9];
        Invert3(xtx, inv);
        Span<double> beta = stackalloc double[3];
        for (int a = 0; a < 3; a++) beta[a] = inv[a * 3] * xty[0] + inv[a * 3 + 1] * xty[1] + inv[a * 3 + 2] * xty[2];
        var law = new TermShockLaw(Math.Exp(beta[0]), beta[1], beta[2]);

        double rss = 0, mean = 0;
        for (int i = 0; i < n; i++) mean += Math.Log(shocks[i]);
        mean /= n;
        double tss = 0;
        for (int i = 0; i < n; i++)
        {
            double y = Math.Log(shocks[i]);
            double e = y - Math.Log(law.Shock(days[i]));
            rss += e * e;
            tss += (y - mean) * (y - mean);
        }
        int dof = n - 3;
        double s2 = rss / dof;
        double seLogK = Math.Sqrt(s2 * inv[0]), seShort = Math.Sqrt(s2 * inv[4]), seLong = Math.Sqrt(s2 * inv[8]);
        return new TermShockFitResult(law, n, tss > 0 ? 1 - rss / tss : 1, Math.Sqrt(rss / n),
            law.K * seLogK, seShort, seLong);
    }

    private static void Invert3(ReadOnlySpan<double> m, Span<double> inv)
    {
        double a = m[0], b = m[1], c = m[2], d = m[3], e = m[4], f = m[5], g = m[6], h = m[7], i = m[8];
        double A = e * i - f * h, B = -(d * i - f * g), C = d * h - e * g;
        double det = a * A + b * B + c * C;
        if (!(Math.Abs(det) > 1e-300)) throw new ArgumentException("the tenors do not identify k, p_short and p_long (singular design)");
        double r = 1 / det;
        inv[0] = A * r; inv[1] = -(b * i - c * h) * r; inv[2] = (b * f - c * e) * r;
        inv[3] = B * r; inv[4] = (a * i - c * g) * r; inv[5] = -(a * f - c * d) * r;
        inv[6] = C * r; inv[7] = -(a * h - b * g) * r; inv[8] = (a * e - b * d) * r;
    }
}

/// <summary>
/// A fitted <see cref="TermShockLaw"/>: the law, the points used, R² and RMSE of ln(shock), and the standard errors of the
/// OLS coefficients (k's by the delta method, k·se(ln k)); n ≥ 4, so there is at least one residual degree of freedom.
/// </summary>
public sealed record TermShockFitResult(TermShockLaw Law, int Points, double RSquared, double RmseLog,
    double KStandardError, double PShortStandardError, double PLongStandardError);
