namespace CryptoMargin.Dynamics.Bayes;

/// <summary>
/// Maps a GARCH/GJR model's natural parameters to an unconstrained θ ∈ ℝᵈ and back, with the log-Jacobian
/// ln|∂(natural)/∂θ| so that a density on the natural parameters becomes a density on θ.
/// </summary>
/// <remarks>
/// θ, in order, only the coordinates the model has:
/// μ = s·θ_μ;  ω = s²·exp(θ_ω);  (α, γ/2, β, 1 − α − γ/2 − β) = softmax(θ_α, θ_γ, θ_β, 0);  ν = 2 + exp(θ_ν).
/// s² is the sample variance, so θ is free of the data's units (percent or decimal).
/// The softmax with a zero reference logit puts (α, γ/2, β) in the open simplex: all positive and persistence
/// α + γ/2 + β &lt; 1 (covariance stationarity). Its Jacobian determinant is ∏ of all k+1 simplex components
/// (det(diag(p) − ppᵀ) = ∏pᵢ · (1 − Σpᵢ)); γ = 2·(γ/2) adds ln 2.
/// </remarks>
internal sealed class PosteriorTransform
{
    private readonly double _scale;
    private readonly double _variance;
    private readonly int _mu = -1, _omega, _alpha, _gamma = -1, _beta, _nu = -1;

    public PosteriorTransform(ReturnModelSpec spec, double scale)
    {
        _scale = scale;
        _variance = scale * scale;
        var names = new List<string>();
        int Add(string name) { names.Add(name); return names.Count - 1; }
        if (spec.Mean == MeanModel.Constant) _mu = Add("mu");
        _omega = Add("omega");
        _alpha = Add("alpha");
        if (spec.Volatility == VolatilityModel.Gjr) _gamma = Add("gamma");
        _beta = Add("beta");
        if (spec.Distribution == InnovationDistribution.StudentT) _nu = Add("nu");
        Names = [.. names];
    }

    public string[] Names { get; }
    public int Dimension => Names.Length;

    public ReturnModelParameters ToNatural(ReadOnlySpan<double> theta, out double logJacobian)
    {
        double mu = 0, logJ = 0;
        if (_mu >= 0)
        {
            mu = _scale * theta[_mu];
            logJ += Math.Log(_scale);
        }
        double omega = _variance * Math.Exp(theta[_omega]);
        logJ += Math.Log(_variance) + theta[_omega];

        // Stable softmax over (θ_α, [θ_γ], θ_β, 0).
        double aA = theta[_alpha], aB = theta[_beta], aG = _gamma >= 0 ? theta[_gamma] : double.NegativeInfinity;
        double max = Math.Max(0, Math.Max(aA, Math.Max(aB, aG)));
        double eA = Math.Exp(aA - max), eB = Math.Exp(aB - max), eG = _gamma >= 0 ? Math.Exp(aG - max) : 0, e0 = Math.Exp(-max);
        double sum = eA + eB + eG + e0, logSum = Math.Log(sum);
        double alpha = eA / sum, beta = eB / sum, halfGamma = eG / sum;
        logJ += (aA - max - logSum) + (aB - max - logSum) + (-max - logSum);
        if (_gamma >= 0) logJ += (aG - max - logSum) + Math.Log(2);

        double nu = double.PositiveInfinity;
        if (_nu >= 0)
        {
            nu = 2 + Math.Exp(theta[_nu]);
            logJ += theta[_nu];
        }
        logJacobian = logJ;
        return new ReturnModelParameters(mu, omega, alpha, 2 * halfGamma, beta, nu, 0);
    }

    /// <summary>θ of natural parameters; values on or outside the boundary are pulled just inside it.</summary>
    public void ToUnconstrained(in ReturnModelParameters p, Span<double> theta)
    {
        const double floor = 1e-6;
        if (_mu >= 0) theta[_mu] = p.Mu / _scale;
        theta[_omega] = Math.Log(Math.Max(p.Omega, floor * _variance) / _variance);
        double alpha = Math.Max(p.Alpha, floor), beta = Math.Max(p.Beta, floor);
        double halfGamma = _gamma >= 0 ? Math.Max(0.5 * p.Gamma, floor) : 0;
        double total = alpha + beta + halfGamma;
        if (total > 1 - floor)
        {
            double shrink = (1 - floor) / total;
            alpha *= shrink; beta *= shrink; halfGamma *= shrink; total = 1 - floor;
        }
        double rest = 1 - total;
        theta[_alpha] = Math.Log(alpha / rest);
        theta[_beta] = Math.Log(beta / rest);
        if (_gamma >= 0) theta[_gamma] = Math.Log(halfGamma / rest);
        if (_nu >= 0) theta[_nu] = Math.Log(Math.Max(p.Nu - 2, floor));
    }

    /// <summary>The natural parameter at <paramref name="index"/> of <see cref="Names"/>.</summary>
    public double Value(in ReturnModelParameters p, int index) => Names[index] switch
    {
        "mu" => p.Mu,
        "omega" => p.Omega,
        "alpha" => p.Alpha,
        "gamma" => p.Gamma,
        "beta" => p.Beta,
        _ => p.Nu,
    };
}
