namespace CryptoMargin.Dynamics.Bayes;

/// <summary>
/// Weakly informative, scale-aware priors on the natural parameters of GARCH/GJR (see docs/methodology.md §3).
/// s² is the sample variance of the returns, so the priors follow the data's units.
/// </summary>
/// <remarks>
/// μ ~ N(0, s²): a mean return as large as one return standard deviation is already implausible, while the
///   likelihood pins μ to within s/√n, so the prior is flat where the data speak.
/// ω ~ LogNormal(ln(0.1·s²), 2²): centred on the ω of a persistence-0.9 model with the sample's unconditional
///   variance, ω = s²(1 − 0.9); one prior sd spans a factor e² ≈ 7.4, two cover persistence 0.999.
/// (α, γ/2, β, 1 − α − γ/2 − β) ~ Dirichlet(1, …, 1): uniform on the stationarity simplex (γ ≥ 0: leverage
///   raises variance after negative returns). A constant density, so it only sets the support.
/// ν ~ Gamma(shape 2, rate 0.1) truncated to ν &gt; 2 (Juárez &amp; Steel 2010, JBES 28(1); also Stan's prior-choice
///   recommendations): mean 20, mode 10, mass on both heavy tails and near-normality; the truncation keeps the
///   innovation variance finite, as the standardized t requires.
/// Normalizing constants are dropped.
/// </remarks>
internal sealed class ReturnModelPrior(double scale)
{
    private const double OmegaLogSd = 2.0;
    private const double NuShape = 2.0;
    private const double NuRate = 0.1;
    private readonly double _variance = scale * scale;
    private readonly double _omegaLogCentre = Math.Log(0.1 * scale * scale);

    public double LogDensity(in ReturnModelParameters p, ReturnModelSpec spec)
    {
        double lp = 0;
        if (spec.Mean == MeanModel.Constant) lp += -0.5 * p.Mu * p.Mu / _variance;
        double u = (Math.Log(p.Omega) - _omegaLogCentre) / OmegaLogSd;
        lp += -Math.Log(p.Omega) - 0.5 * u * u;
        if (spec.Distribution == InnovationDistribution.StudentT)
            lp += (NuShape - 1) * Math.Log(p.Nu) - NuRate * p.Nu;
        return lp;
    }
}
