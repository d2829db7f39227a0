using MathNet.Numerics;
using MathNet.Numerics.Distributions;

namespace CryptoMargin.Risk;

/// <summary>
/// VaR and ES when the h-day log return R has a known distribution with mean <c>mean</c> and standard deviation
/// <c>volatility</c> (e.g. h·μ and the EWMA/GARCH cumulative volatility forecast). Exact on the loss scale: the
/// quantile of R is mapped through 1 − eʳ (long) or eʳ − 1 (short), which is monotone, so VaR is exact; ES is the
/// expectation of the loss itself over the tail, not the loss at the expected tail return.
/// </summary>
public static class ParametricRisk
{
    /// <summary>
    /// R ~ N(m, s²). With z = Φ⁻¹(c): long VaR = 1 − e^{m − s z}, ES = 1 − e^{m + s²/2} Φ(−z − s)/(1 − c);
    /// short VaR = e^{m + s z} − 1, ES = e^{m + s²/2} Φ(s − z)/(1 − c) − 1 (the lognormal partial expectation).
    /// </summary>
    public static RiskEstimate Normal(double mean, double volatility, double confidence, PositionSide side)
    {
        Validate(mean, volatility, confidence);
        double z = MathNet.Numerics.Distributions.Normal.InvCDF(0, 1, confidence);
        double tail = 1 - confidence;
        double m = mean, s = volatility;
        if (side == PositionSide.Long)
        {
            double var = -PositionLoss.ExpMinusOne(m - s * z);
            double es = 1 - Math.Exp(m + 0.5 * s * s) * StandardNormalCdf(-z - s) / tail;
            return new RiskEstimate(var, es);
        }
        else
        {
            double var = PositionLoss.ExpMinusOne(m + s * z);
            double es = Math.Exp(m + 0.5 * s * s) * StandardNormalCdf(s - z) / tail - 1;
            return new RiskEstimate(var, es);
        }
    }

    /// <summary>
    /// R = m + s·√((ν − 2)/ν)·T, T Student-t with ν &gt; 2 degrees of freedom (so s is R's standard deviation).
    /// VaR: the exact quantile mapped to a loss. ES long: E[1 − e^R | R ≤ q] by tanh-sinh
    /// integration of the t density against eʳ. ES short: E[e^R] is infinite under any t tail, so the exact ES of
    /// a short position is +∞; this returns instead e^{E[R | R ≥ q]} − 1, the loss at the tail-mean log return
    /// (closed form E[T | T ≥ t_c] = f_ν(t_c)(ν + t_c²)/((ν − 1)(1 − c))), a lower bound of the exact value by
    /// Jensen's inequality. ν = +∞ gives <see cref="Normal"/>.
    /// </summary>
    public static RiskEstimate StudentT(double mean, double volatility, double nu, double confidence, PositionSide side)
    {
        Validate(mean, volatility, confidence);
        if (double.IsPositiveInfinity(nu)) return Normal(mean, volatility, confidence, side);
        if (!(nu > 2)) throw new ArgumentOutOfRangeException(nameof(nu), nu, "ν must exceed 2 (finite variance)");
        double tail = 1 - confidence;
        double scale = volatility * Math.Sqrt((nu - 2) / nu);
        double tc = StudentTKernels.UpperQuantile(nu, confidence);
        double logC = StudentTKernels.LogNormaliser(nu);
        if (side == PositionSide.Long)
        {
            double q = mean - scale * tc;
            double var = -PositionLoss.ExpMinusOne(q);
            if (scale == 0) return new RiskEstimate(var, var);
            // E[(1 − e^R) 1{R ≤ q}] = ∫_{t_c}^{∞} (1 − e^{m − scale·u}) f_ν(u) du: bounded integrand.
            double integral = StudentTKernels.TailIntegral(new LongLoss(mean, scale), nu, tc, logC);
            return new RiskEstimate(var, integral / tail);
        }
        else
        {
            double q = mean + scale * tc;
            double var = PositionLoss.ExpMinusOne(q);
            double tailMean = StudentTKernels.Density(tc, nu, logC) * (nu + tc * tc) / ((nu - 1) * tail);
            return new RiskEstimate(var, PositionLoss.ExpMinusOne(mean + scale * tailMean));
        }
    }

    /// <summary>1 − e^{m − s·u}, the long loss at t-variate −u.</summary>
    private readonly struct LongLoss(double mean, double scale) : ITailIntegrand
    {
        public double At(double u) => -PositionLoss.ExpMinusOne(mean - scale * u);
    }

    /// <summary>E[T | T ≤ −t_c] for the unit-variance (standardized) t: the r-scale ES in units of s, negated.</summary>
    internal static double StandardizedTailMean(double nu, double confidence)
    {
        double tc = StudentTKernels.UpperQuantile(nu, confidence);
        return Math.Sqrt((nu - 2) / nu) * StudentTKernels.Density(tc, nu, StudentTKernels.LogNormaliser(nu)) * (nu + tc * tc) / ((nu - 1) * (1 - confidence));
    }

    private static double StandardNormalCdf(double x) => 0.5 * SpecialFunctions.Erfc(-x / Math.Sqrt(2));

    private static void Validate(double mean, double volatility, double confidence)
    {
        EmpiricalTail.ValidateConfidence(confidence);
        if (!double.IsFinite(mean)) throw new ArgumentOutOfRangeException(nameof(mean), mean, "mean must be finite");
        if (!(volatility >= 0) || !double.IsFinite(volatility))
            throw new ArgumentOutOfRangeException(nameof(volatility), volatility, "volatility must be finite and ≥ 0");
    }
}
