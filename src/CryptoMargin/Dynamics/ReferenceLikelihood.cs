namespace CryptoMargin.Dynamics;

/// <summary>
/// The exact log-likelihood written as plainly as possible: the executable definition that the fast kernel
/// (with its analytic gradient) and the MCMC sampler are checked against. Not for hot paths.
/// </summary>
/// <remarks>
/// ε_t = r_t − μ; h₁ per <see cref="VarianceStart"/>; for t ≥ 2
/// GARCH/GJR: h_t = ω + (α + γ·1[ε_{t−1}&lt;0]) ε²_{t−1} + β h_{t−1};  EWMA: h_t = λ h_{t−1} + (1−λ) ε²_{t−1}.
/// Normal: ℓ_t = −½(ln 2π + ln h_t + ε²_t/h_t).
/// Standardized Student-t (unit variance): ℓ_t = lnΓ((ν+1)/2) − lnΓ(ν/2) − ½ln(π(ν−2)) − ½ln h_t
///   − (ν+1)/2 · ln(1 + ε²_t/(h_t(ν−2)))   (Bollerslev 1987).
/// </remarks>
public static class ReferenceLikelihood
{
    public static double LogLikelihood(ReadOnlySpan<double> returns, ReturnModelSpec spec, in ReturnModelParameters p)
    {
        int n = returns.Length;
        double mu = spec.Mean == MeanModel.Constant ? p.Mu : 0.0;
        double meanSq = 0;
        for (int t = 0; t < n; t++) { double e = returns[t] - mu; meanSq += e * e; }
        meanSq /= n;

        double h = spec.Start == VarianceStart.SampleVariance || spec.Volatility == VolatilityModel.Ewma
            ? meanSq
            : p.Omega + p.Persistence(spec.Volatility) * meanSq;

        double tConst = 0;
        if (spec.Distribution == InnovationDistribution.StudentT)
        {
            tConst = MathNet.Numerics.SpecialFunctions.GammaLn((p.Nu + 1) / 2)
                     - MathNet.Numerics.SpecialFunctions.GammaLn(p.Nu / 2)
                     - 0.5 * Math.Log(Math.PI * (p.Nu - 2));
        }

        double ll = 0;
        for (int t = 0; t < n; t++)
        {
            if (t > 0)
            {
                double ePrev = returns[t - 1] - mu;
                h = spec.Volatility switch
                {
                    VolatilityModel.Ewma => p.Lambda * h + (1 - p.Lambda) * ePrev * ePrev,
                    VolatilityModel.Garch => p.Omega + p.Alpha * ePrev * ePrev + p.Beta * h,
                    _ => p.Omega + (p.Alpha + (ePrev < 0 ? p.Gamma : 0)) * ePrev * ePrev + p.Beta * h,
                };
            }
            if (!(h > 0) || double.IsInfinity(h)) return double.NegativeInfinity;
            double e = returns[t] - mu;
            ll += spec.Distribution == InnovationDistribution.Normal
                ? -0.5 * (Math.Log(2 * Math.PI) + Math.Log(h) + e * e / h)
                : tConst - 0.5 * Math.Log(h) - (p.Nu + 1) / 2 * Math.Log(1 + e * e / (h * (p.Nu - 2)));
        }
        return ll;
    }
}
