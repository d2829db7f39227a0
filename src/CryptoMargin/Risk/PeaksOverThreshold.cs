using System.Buffers;
using System.Globalization;
using CryptoMargin.MarketData;

namespace CryptoMargin.Risk;

/// <summary>
/// Extreme value theory by peaks over threshold (McNeil &amp; Frey 2000; Embrechts, Klüppelberg &amp; Mikosch 1997,
/// §6.5): the excesses y = L − u of losses over a high threshold u follow a generalized Pareto distribution
/// G(y) = 1 − (1 + ξy/β)^(−1/ξ), fitted by maximum likelihood; then, with n losses and N_u exceedances,
/// VaR = u + β/ξ·((n/N_u·(1 − c))^(−ξ) − 1) and ES = (VaR + β − ξu)/(1 − ξ) (ξ → 0: VaR = u − β ln(n/N_u·(1 − c)),
/// ES = VaR + β).
/// </summary>
public static class PeaksOverThreshold
{
    /// <summary>Fewest exceedances the maximum-likelihood fit accepts.</summary>
    public const int MinimumExceedances = 30;

    /// <summary>N_u = ⌊n(1 − q)⌋ (with a 1e-9 guard against 300·0.1 = 29.999…): the exceedances used from n losses.</summary>
    public static int Exceedances(int n, double thresholdQuantile) => (int)Math.Floor(n * (1 - thresholdQuantile) + 1e-9);

    /// <param name="losses">losses (positive = loss), e.g. overlapping h-day losses of a position.</param>
    /// <param name="confidence">must lie above the threshold's own level, 1 − N_u/n.</param>
    /// <param name="thresholdQuantile">the threshold rule: u = the empirical loss quantile at this level (default 0.90).</param>
    /// <exception cref="DataValidationException">fewer than <see cref="MinimumExceedances"/> exceedances, or a non-finite loss.</exception>
    public static EvtEstimate Estimate(ReadOnlySpan<double> losses, double confidence, double thresholdQuantile = 0.90)
    {
        RiskInput.RequireFinite(losses);
        var buffer = ArrayPool<double>.Shared.Rent(Math.Max(losses.Length, 1));
        try
        {
            var scratch = buffer.AsSpan(0, losses.Length);
            losses.CopyTo(scratch);
            return EstimateInPlace(scratch, confidence, thresholdQuantile);
        }
        finally
        {
            ArrayPool<double>.Shared.Return(buffer);
        }
    }

    /// <summary>As <see cref="Estimate"/>, reordering <paramref name="losses"/> (a scratch buffer) instead of copying it.</summary>
    internal static EvtEstimate EstimateInPlace(Span<double> losses, double confidence, double thresholdQuantile)
    {
        EmpiricalTail.ValidateConfidence(confidence);
        if (!(thresholdQuantile > 0 && thresholdQuantile < 1))
            throw new ArgumentOutOfRangeException(nameof(thresholdQuantile), thresholdQuantile, "threshold quantile must lie in (0, 1)");
        int n = losses.Length;
        int nu = Exceedances(n, thresholdQuantile);
        if (nu < MinimumExceedances)
            throw new DataValidationException(string.Create(CultureInfo.InvariantCulture,
                $"{n} losses leave {nu} exceedances over the {thresholdQuantile:G4} quantile: the GPD fit needs at least {MinimumExceedances} (raise the lookback or lower the threshold quantile)"));
        if (!(confidence > 1 - (double)nu / n))
            throw new ArgumentOutOfRangeException(nameof(confidence), confidence,
                string.Create(CultureInfo.InvariantCulture, $"confidence must lie above the threshold's level {1 - (double)nu / n:G6}"));

        // u = the (N_u + 1)-th largest loss; the N_u largest sit above it after selection.
        Selection.Select(losses, n - nu - 1);
        double u = losses[n - nu - 1];
        var excess = losses.Slice(n - nu);
        for (int i = 0; i < nu; i++) excess[i] -= u;
        var (xi, beta) = GeneralizedPareto.Fit(excess);

        double ratio = (double)n / nu * (1 - confidence);
        double var, es;
        if (Math.Abs(xi) < 1e-9)
        {
            var = u - beta * Math.Log(ratio);
            es = var + beta;
        }
        else
        {
            var = u + beta / xi * (Math.Pow(ratio, -xi) - 1);
            es = xi < 1 ? (var + beta - xi * u) / (1 - xi) : double.PositiveInfinity;
        }
        return new EvtEstimate(new RiskEstimate(var, es), thresholdQuantile, u, nu, xi, beta);
    }
}

/// <summary>
/// Maximum-likelihood fit of the generalized Pareto distribution to excesses y ≥ 0 through Grimshaw's (1993)
/// reduction to one dimension: with τ = ξ/β, the likelihood is maximized over ξ for fixed τ by
/// ξ̂(τ) = mean ln(1 + τy), so the profile log-likelihood is ℓ*(τ) = −N[ln(ξ̂(τ)/τ) + ξ̂(τ) + 1] and β̂ = ξ̂(τ)/τ.
/// τ → 0 is the exponential limit (ξ = 0, β = ȳ), handled continuously by evaluating ln(1 + τy)/τ by its series.
/// ℓ* is maximized over s = τ·y_max ∈ (−1, 10⁶) on a grid in ln(1 + s), refined by golden-section search.
/// </summary>
internal static class GeneralizedPareto
{
    internal static (double Xi, double Beta) Fit(ReadOnlySpan<double> y)
    {
        double yMax = 0, yMean = 0;
        for (int i = 0; i < y.Length; i++) { yMax = Math.Max(yMax, y[i]); yMean += y[i]; }
        yMean /= y.Length;
        if (!(yMax > 0)) throw new DataValidationException("all exceedances are zero: the loss distribution has no spread above the threshold");

        // v = ln(1 + s), s = τ·y_max. Lower end: ξ̂ ≥ −1 region (s → −1); upper: very heavy tails.
        const double vLow = -12, vHigh = 13.8;
        const int grid = 48;
        int best = 0;
        double bestValue = double.NegativeInfinity;
        for (int i = 0; i <= grid; i++)
        {
            double v = vLow + (vHigh - vLow) * i / grid;
            double value = Profile(y, Tau(v, yMax));
            if (value > bestValue) { bestValue = value; best = i; }
        }
        double a = vLow + (vHigh - vLow) * Math.Max(best - 1, 0) / grid;
        double b = vLow + (vHigh - vLow) * Math.Min(best + 1, grid) / grid;
        // The exponential limit s = 0 (v = 0) is a point the grid may straddle: also compare it.
        const double g = 0.6180339887498949;
        double c = b - g * (b - a), d = a + g * (b - a);
        double fc = Profile(y, Tau(c, yMax)), fd = Profile(y, Tau(d, yMax));
        for (int iter = 0; iter < 80 && b - a > 1e-10; iter++)
        {
            if (fc > fd) { b = d; d = c; fd = fc; c = b - g * (b - a); fc = Profile(y, Tau(c, yMax)); }
            else { a = c; c = d; fc = fd; d = a + g * (b - a); fd = Profile(y, Tau(d, yMax)); }
        }
        double vBest = 0.5 * (a + b);
        double tau = Tau(vBest, yMax);
        double ratio = MeanLogRatio(y, tau); // = ξ̂/τ = β̂
        return (tau * ratio, ratio);
    }

    private static double Tau(double v, double yMax) => PositionLoss.ExpMinusOne(v) / yMax;

    /// <summary>mean of ln(1 + τy)/τ (→ mean y as τ → 0).</summary>
    private static double MeanLogRatio(ReadOnlySpan<double> y, double tau)
    {
        double sum = 0;
        for (int i = 0; i < y.Length; i++)
        {
            double x = tau * y[i];
            sum += Math.Abs(x) < 1e-8 ? y[i] * (1 - 0.5 * x) : Math.Log(1 + x) / tau;
        }
        return sum / y.Length;
    }

    /// <summary>ℓ*(τ)/N = −[ln(ξ̂/τ) + ξ̂ + 1].</summary>
    private static double Profile(ReadOnlySpan<double> y, double tau)
    {
        double ratio = MeanLogRatio(y, tau);
        if (!(ratio > 0)) return double.NegativeInfinity;
        double xi = tau * ratio;
        return -(Math.Log(ratio) + xi + 1);
    }
}
