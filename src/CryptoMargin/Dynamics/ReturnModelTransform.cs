namespace CryptoMargin.Dynamics;

/// <summary>
/// Maps the free parameters of a return model to an unconstrained vector θ in which the optimizer works, so
/// that every θ is a valid model (ω &gt; 0, α, γ, β ≥ 0, persistence &lt; 1, ν &gt; 2, 0 &lt; λ &lt; 1), and
/// carries gradients from natural parameters to θ by the chain rule.
/// </summary>
/// <remarks>
/// μ = s·θ_μ and ω = s²·exp(θ_ω) with s the sample standard deviation, so θ is of order one whatever the units
/// of the returns. (α, γ/2, β) = softmax(θ_α, θ_γ, θ_β, 0): each in (0, 1), sum &lt; 1 (the zero logit is the
/// slack 1 − persistence). ν = 2 + exp(θ_ν); λ = 1/(1 + exp(−θ_λ)).
/// </remarks>
internal sealed class ReturnModelTransform
{
    private readonly int _mu = -1, _omega = -1, _alpha = -1, _gamma = -1, _beta = -1, _nu = -1, _lambda = -1;
    private readonly double _scale, _variance, _fixedLambda;

    public ReturnModelTransform(ReturnModelSpec spec, double sampleSd)
    {
        Spec = spec;
        _scale = sampleSd;
        _variance = sampleSd * sampleSd;
        var free = new List<int>(ReturnModelLikelihood.Count);
        int k = 0;
        if (spec.Mean == MeanModel.Constant) { _mu = k++; free.Add(ReturnModelLikelihood.Mu); }
        if (spec.Volatility == VolatilityModel.Ewma)
        {
            if (spec.FixedLambda is double l) _fixedLambda = l;
            else { _lambda = k++; free.Add(ReturnModelLikelihood.Lambda); }
        }
        else
        {
            if (!spec.VarianceTargeting) { _omega = k++; free.Add(ReturnModelLikelihood.Omega); }
            _alpha = k++; free.Add(ReturnModelLikelihood.Alpha);
            if (spec.Volatility == VolatilityModel.Gjr) { _gamma = k++; free.Add(ReturnModelLikelihood.Gamma); }
            _beta = k++; free.Add(ReturnModelLikelihood.Beta);
        }
        if (spec.Distribution == InnovationDistribution.StudentT) { _nu = k++; free.Add(ReturnModelLikelihood.Nu); }
        Dimension = k;
        FreeNatural = free.ToArray();
        Names = [.. FreeNatural.Select(slot => slot switch
        {
            ReturnModelLikelihood.Mu => "mu",
            ReturnModelLikelihood.Omega => "omega",
            ReturnModelLikelihood.Alpha => "alpha",
            ReturnModelLikelihood.Gamma => "gamma",
            ReturnModelLikelihood.Beta => "beta",
            ReturnModelLikelihood.Nu => "nu",
            _ => "lambda",
        })];
    }

    /// <summary>Names of θ's coordinates in θ's order (mu, omega, alpha, gamma, beta, nu, lambda: the free ones only).</summary>
    public string[] Names { get; }

    /// <summary>The natural parameter behind θ's coordinate <paramref name="index"/>.</summary>
    public double Value(in ReturnModelParameters p, int index) => p[Names[index]];

    /// <summary>
    /// <see cref="ToNatural(ReadOnlySpan{double})"/> with ln|det ∂(natural)/∂θ|, so that a density on the natural
    /// parameters can be sampled in θ (Bayesian fit). The softmax block over k free logits and a zero one has
    /// determinant ∏ of all k+1 components (∂x/∂z = diag(x) − xxᵀ); γ = 2·x_γ adds ln 2. Logs are taken from the
    /// logits, so the term stays exact when a component is tiny.
    /// </summary>
    public ReturnModelParameters ToNatural(ReadOnlySpan<double> theta, out double logJacobian)
    {
        var p = ToNatural(theta);
        double logJ = 0;
        if (_mu >= 0) logJ += Math.Log(_scale);
        if (_omega >= 0) logJ += Math.Log(_variance) + theta[_omega];
        if (_alpha >= 0)
        {
            double za = theta[_alpha], zb = theta[_beta], zg = _gamma >= 0 ? theta[_gamma] : double.NegativeInfinity;
            double max = Math.Max(0, Math.Max(za, Math.Max(zb, zg)));
            double logSum = max + Math.Log(Math.Exp(za - max) + Math.Exp(zb - max) + (_gamma >= 0 ? Math.Exp(zg - max) : 0) + Math.Exp(-max));
            logJ += za + zb - 3 * logSum; // ln α + ln β + ln(1 − α − γ/2 − β)
            if (_gamma >= 0) logJ += zg - logSum + Math.Log(2);
        }
        if (_nu >= 0) logJ += theta[_nu];
        if (_lambda >= 0) logJ += Math.Log(p.Lambda) + Math.Log(1 - p.Lambda);
        logJacobian = logJ;
        return p;
    }

    /// <summary>
    /// <see cref="FromNatural"/> for a point that may sit on the boundary (e.g. a maximum-likelihood fit with
    /// α + β → 1 or γ = 0): every coefficient is first moved at least 1e-6 inside, so θ is finite.
    /// </summary>
    public void FromNaturalInterior(in ReturnModelParameters p, Span<double> theta)
    {
        const double floor = 1e-6;
        double alpha = Math.Max(p.Alpha, floor), beta = Math.Max(p.Beta, floor);
        double halfGamma = _gamma >= 0 ? Math.Max(0.5 * p.Gamma, floor) : 0;
        double total = alpha + beta + halfGamma;
        if (total > 1 - floor)
        {
            double shrink = (1 - floor) / total;
            alpha *= shrink; beta *= shrink; halfGamma *= shrink;
        }
        FromNatural(p with
        {
            Omega = Math.Max(p.Omega, floor * _variance),
            Alpha = alpha,
            Gamma = 2 * halfGamma,
            Beta = beta,
            Nu = Math.Max(p.Nu, 2 + floor),
            Lambda = Math.Clamp(p.Lambda, floor, 1 - floor),
        }, theta);
    }

    public ReturnModelSpec Spec { get; }

    /// <summary>Number of estimated parameters (the k of AIC/BIC).</summary>
    public int Dimension { get; }

    /// <summary>For each θ index, the natural-parameter slot (<see cref="ReturnModelLikelihood"/>) it drives.</summary>
    public int[] FreeNatural { get; }

    /// <summary>Natural parameters at θ. ω is left 0 under variance targeting (the kernel computes it).</summary>
    public ReturnModelParameters ToNatural(ReadOnlySpan<double> theta)
    {
        double mu = _mu >= 0 ? _scale * theta[_mu] : 0;
        double omega = _omega >= 0 ? _variance * Math.Exp(theta[_omega]) : 0;
        double alpha = 0, gamma = 0, beta = 0;
        if (_alpha >= 0)
        {
            double za = theta[_alpha], zb = theta[_beta], zg = _gamma >= 0 ? theta[_gamma] : double.NegativeInfinity;
            double max = Math.Max(0, Math.Max(za, Math.Max(zb, zg)));
            double ea = Math.Exp(za - max), eb = Math.Exp(zb - max), eg = _gamma >= 0 ? Math.Exp(zg - max) : 0, e0 = Math.Exp(-max);
            double sum = ea + eb + eg + e0;
            alpha = ea / sum;
            beta = eb / sum;
            gamma = 2 * eg / sum;
        }
        double nu = _nu >= 0 ? 2 + Math.Exp(theta[_nu]) : double.PositiveInfinity;
        double lambda = _lambda >= 0 ? 1 / (1 + Math.Exp(-theta[_lambda])) : _fixedLambda;
        return new ReturnModelParameters(mu, omega, alpha, gamma, beta, nu, lambda);
    }

    /// <summary>θ of given natural parameters; they must lie strictly inside the admissible region.</summary>
    public void FromNatural(in ReturnModelParameters p, Span<double> theta)
    {
        if (_mu >= 0) theta[_mu] = p.Mu / _scale;
        if (_omega >= 0) theta[_omega] = Math.Log(p.Omega / _variance);
        if (_alpha >= 0)
        {
            double slack = 1 - p.Alpha - 0.5 * p.Gamma - p.Beta;
            theta[_alpha] = Math.Log(p.Alpha / slack);
            theta[_beta] = Math.Log(p.Beta / slack);
            if (_gamma >= 0) theta[_gamma] = Math.Log(0.5 * p.Gamma / slack);
        }
        if (_nu >= 0) theta[_nu] = Math.Log(p.Nu - 2);
        if (_lambda >= 0) theta[_lambda] = Math.Log(p.Lambda / (1 - p.Lambda));
    }

    /// <summary>dℓ/dθ from dℓ/d(natural) (slots of <see cref="ReturnModelLikelihood"/>) at the point <paramref name="p"/> = ToNatural(θ).</summary>
    public void ChainGradient(in ReturnModelParameters p, ReadOnlySpan<double> naturalGradient, Span<double> thetaGradient)
    {
        if (_mu >= 0) thetaGradient[_mu] = _scale * naturalGradient[ReturnModelLikelihood.Mu];
        if (_omega >= 0) thetaGradient[_omega] = p.Omega * naturalGradient[ReturnModelLikelihood.Omega];
        if (_alpha >= 0)
        {
            // Softmax Jacobian: ∂x_i/∂z_j = x_i(δ_ij − x_j), so dℓ/dz_j = x_j (g_j − Σ_i g_i x_i); x_γ = γ/2, g_xγ = 2 dℓ/dγ.
            double xa = p.Alpha, xb = p.Beta, xg = 0.5 * p.Gamma;
            double ga = naturalGradient[ReturnModelLikelihood.Alpha], gb = naturalGradient[ReturnModelLikelihood.Beta];
            double gg = _gamma >= 0 ? 2 * naturalGradient[ReturnModelLikelihood.Gamma] : 0;
            double s = ga * xa + gb * xb + gg * xg;
            thetaGradient[_alpha] = xa * (ga - s);
            thetaGradient[_beta] = xb * (gb - s);
            if (_gamma >= 0) thetaGradient[_gamma] = xg * (gg - s);
        }
        if (_nu >= 0) thetaGradient[_nu] = (p.Nu - 2) * naturalGradient[ReturnModelLikelihood.Nu];
        if (_lambda >= 0) thetaGradient[_lambda] = p.Lambda * (1 - p.Lambda) * naturalGradient[ReturnModelLikelihood.Lambda];
    }
}
