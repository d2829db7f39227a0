using MathNet.Numerics.Distributions;

namespace CryptoMargin.Dynamics;

/// <summary>
/// Simulates returns from a return model with known parameters (seeded): the ground truth for recovery tests,
/// coverage studies and, later, Monte Carlo risk.
/// </summary>
public static class ReturnModelSimulator
{
    /// <summary>
    /// n returns r_t = μ + √h_t z_t, after discarding <paramref name="burnIn"/> draws; the recursion starts at
    /// the unconditional variance (EWMA: at ω if positive, else 1). z_t is standard normal or Student-t scaled
    /// to unit variance.
    /// </summary>
    public static double[] Simulate(ReturnModelSpec spec, in ReturnModelParameters p, int n, int seed, int burnIn = 500)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(n);
        var rng = new Random(seed);
        double mu = spec.Mean == MeanModel.Constant ? p.Mu : 0.0;
        double persistence = p.Persistence(spec.Volatility);
        double h = spec.Volatility == VolatilityModel.Ewma
            ? (p.Omega > 0 ? p.Omega : 1.0)
            : p.Omega / (1 - persistence);
        double tScale = spec.Distribution == InnovationDistribution.StudentT ? Math.Sqrt((p.Nu - 2) / p.Nu) : 1.0;

        var result = new double[n];
        double ePrev = 0;
        for (int i = -burnIn; i < n; i++)
        {
            if (i > -burnIn)
            {
                h = spec.Volatility switch
                {
                    VolatilityModel.Ewma => p.Lambda * h + (1 - p.Lambda) * ePrev * ePrev,
                    VolatilityModel.Garch => p.Omega + p.Alpha * ePrev * ePrev + p.Beta * h,
                    _ => p.Omega + (p.Alpha + (ePrev < 0 ? p.Gamma : 0)) * ePrev * ePrev + p.Beta * h,
                };
            }
            double z = Normal.Sample(rng, 0, 1);
            if (spec.Distribution == InnovationDistribution.StudentT)
                z = z / Math.Sqrt(ChiSquared.Sample(rng, p.Nu) / p.Nu) * tScale;
            ePrev = Math.Sqrt(h) * z;
            if (i >= 0) result[i] = mu + ePrev;
        }
        return result;
    }
}
