using MathNet.Numerics;

namespace CryptoMargin.Dynamics;

/// <summary>
/// The fast exact log-likelihood of a return model and its analytic gradient with respect to the natural
/// parameters, in one pass over the data and without allocating. Same definition as
/// <see cref="ReferenceLikelihood"/> (which it is tested against); the derivatives of h_t are carried along
/// the recursion (Fiorentini, Calzolari &amp; Panattoni 1996, "Analytic derivatives and the computation of
/// GARCH estimates", J. Applied Econometrics 11, 399–417).
/// </summary>
/// <remarks>
/// Gradient slots are the natural parameters in the order <see cref="Mu"/> … <see cref="Lambda"/>; a slot the
/// model does not use is 0. Under variance targeting ω = mean(ε²)·(1 − persistence) is not free: its effect
/// is folded into μ, α, γ, β by the chain rule and the ω slot is 0. Parameters held fixed (λ = FixedLambda)
/// still get their derivative; the caller ignores it.
/// </remarks>
internal static class ReturnModelLikelihood
{
    internal const int Mu = 0, Omega = 1, Alpha = 2, Gamma = 3, Beta = 4, Nu = 5, Lambda = 6, Count = 7;

    internal static readonly string[] Names = ["mu", "omega", "alpha", "gamma", "beta", "nu", "lambda"];

    private const double LogTwoPi = 1.8378770664093454835606594728112;

    /// <summary>mean(ε²) and mean(ε) of ε_t = r_t − μ (μ = 0 for a zero-mean model).</summary>
    internal static (double MeanSquare, double Mean) Moments(ReadOnlySpan<double> returns, ReturnModelSpec spec, double mu)
    {
        if (spec.Mean == MeanModel.Zero) mu = 0;
        double s = 0, s2 = 0;
        for (int t = 0; t < returns.Length; t++)
        {
            double e = returns[t] - mu;
            s += e;
            s2 += e * e;
        }
        return (s2 / returns.Length, s / returns.Length);
    }

    /// <summary>ω implied by variance targeting: mean(ε²) at the current μ times (1 − persistence).</summary>
    internal static double TargetedOmega(ReadOnlySpan<double> returns, ReturnModelSpec spec, in ReturnModelParameters p) =>
        Moments(returns, spec, p.Mu).MeanSquare * (1 - p.Persistence(spec.Volatility));

    /// <summary>
    /// Log-likelihood; when <paramref name="gradient"/> is not empty (length ≥ <see cref="Count"/>) also its
    /// gradient, and when <paramref name="scores"/> is not empty (length ≥ n·<see cref="Count"/>) the
    /// per-observation scores ∂ℓ_t/∂θ, row t at offset t·Count. Returns −∞ when some h_t is not positive
    /// and finite (the gradient is then undefined).
    /// </summary>
    internal static double Evaluate(
        ReadOnlySpan<double> returns, ReturnModelSpec spec, in ReturnModelParameters p, Span<double> gradient, Span<double> scores = default)
    {
        // One specialised copy of the loop per model × distribution × gradient (type-parameter flags are JIT-time
        // constants, so the branches and unused recursions vanish from the hot loop).
        if (!scores.IsEmpty) return ByModel<Yes, Yes>(returns, spec, p, gradient, scores);
        return gradient.IsEmpty
            ? ByModel<No, No>(returns, spec, p, gradient, scores)
            : ByModel<Yes, No>(returns, spec, p, gradient, scores);
    }

    private interface IFlag { static abstract bool Value { get; } }
    private readonly struct Yes : IFlag { public static bool Value => true; }
    private readonly struct No : IFlag { public static bool Value => false; }

    private static double ByModel<TGradient, TScores>(ReadOnlySpan<double> returns, ReturnModelSpec spec, in ReturnModelParameters p,
        Span<double> gradient, Span<double> scores) where TGradient : struct, IFlag where TScores : struct, IFlag => spec.Volatility switch
    {
        VolatilityModel.Ewma => ByDistribution<Yes, No, TGradient, TScores>(returns, spec, p, gradient, scores),
        VolatilityModel.Garch => ByDistribution<No, No, TGradient, TScores>(returns, spec, p, gradient, scores),
        VolatilityModel.Gjr => ByDistribution<No, Yes, TGradient, TScores>(returns, spec, p, gradient, scores),
        _ => throw new ArgumentOutOfRangeException(nameof(spec)),
    };

    private static double ByDistribution<TEwma, TGjr, TGradient, TScores>(ReadOnlySpan<double> returns, ReturnModelSpec spec,
        in ReturnModelParameters p, Span<double> gradient, Span<double> scores)
        where TEwma : struct, IFlag where TGjr : struct, IFlag where TGradient : struct, IFlag where TScores : struct, IFlag =>
        spec.Distribution == InnovationDistribution.StudentT
            ? Core<TEwma, TGjr, Yes, TGradient, TScores>(returns, spec, p, gradient, scores)
            : Core<TEwma, TGjr, No, TGradient, TScores>(returns, spec, p, gradient, scores);

    private static double Core<TEwma, TGjr, TStudentT, TGradient, TScores>(ReadOnlySpan<double> returns, ReturnModelSpec spec,
        in ReturnModelParameters p, Span<double> gradient, Span<double> scores)
        where TEwma : struct, IFlag where TGjr : struct, IFlag where TStudentT : struct, IFlag
        where TGradient : struct, IFlag where TScores : struct, IFlag
    {
        int n = returns.Length;
        bool wantGradient = TGradient.Value;
        bool wantScores = TScores.Value;
        bool fitMu = spec.Mean == MeanModel.Constant;
        bool ewma = TEwma.Value;
        bool gjr = TGjr.Value;
        bool studentT = TStudentT.Value;
        bool targeting = spec.VarianceTargeting && !ewma;

        double mu = fitMu ? p.Mu : 0.0;
        double alpha = ewma ? 0 : p.Alpha, gamma = gjr ? p.Gamma : 0, beta = ewma ? 0 : p.Beta, lambda = p.Lambda;
        double persistence = alpha + 0.5 * gamma + beta;

        var (m, meanE) = Moments(returns, spec, mu);
        double dmdmu = fitMu ? -2 * meanE : 0;
        double omega = targeting ? m * (1 - persistence) : p.Omega;

        // h₁ and its derivatives.
        double h, dhMu, dhOm = 0, dhA = 0, dhG = 0, dhB = 0, dhL = 0;
        if (ewma || spec.Start == VarianceStart.SampleVariance)
        {
            h = m;
            dhMu = dmdmu;
        }
        else
        {
            h = omega + persistence * m;
            dhMu = persistence * dmdmu;
            dhOm = 1;
            dhA = m;
            dhG = gjr ? 0.5 * m : 0;
            dhB = m;
        }

        double nu = p.Nu, nuMinus2 = nu - 2, invNuMinus2 = 1 / nuMinus2, halfNuPlus1 = 0.5 * (nu + 1), tConst = 0, dtConst = 0;
        bool hugeNu = nu > 1e4;
        if (studentT)
        {
            (double logRatio, double dLogRatio) = LogGammaHalfRatio(0.5 * nu, wantGradient);
            tConst = logRatio - 0.5 * Math.Log(Math.PI * nuMinus2);
            dtConst = 0.5 * dLogRatio - 0.5 / nuMinus2;
        }

        // ℓ = n·const − ½Σ ln h_t − ½Σ z_t² (Normal) or − (ν+1)/2 Σ ln D_t (t). The sums of logs are taken as logs
        // of running products (renormalised before they can leave [1e-300, 1e300]): one Math.Log per ~50
        // observations instead of one or two per observation, the bulk of the kernel's cost. Per-observation
        // logs only where needed: scores (∂ℓ_t/∂ν needs ln D_t) and huge ν (ln(1+q) then needs log1p accuracy).
        bool perObservationLogD = wantScores || hugeNu;
        double sumLogH = 0, prodH = 1, sumLogD = 0, prodD = 1, sumZ2 = 0, sumQOverD = 0;
        double gMu = 0, gOm = 0, gA = 0, gG = 0, gB = 0, gL = 0;
        double ePrev = 0;
        for (int t = 0; t < n; t++)
        {
            if (t > 0)
            {
                double e2Prev = ePrev * ePrev;
                if (ewma)
                {
                    if (wantGradient)
                    {
                        dhMu = -2 * (1 - lambda) * ePrev + lambda * dhMu;
                        dhL = h - e2Prev + lambda * dhL;
                    }
                    h = lambda * h + (1 - lambda) * e2Prev;
                }
                else
                {
                    bool negative = gjr && ePrev < 0;
                    double a = negative ? alpha + gamma : alpha;
                    // Fused multiply-adds: the recursions are loop-carried, so their latency is the loop's floor.
                    if (wantGradient)
                    {
                        dhMu = Math.FusedMultiplyAdd(beta, dhMu, -2 * a * ePrev);
                        dhOm = Math.FusedMultiplyAdd(beta, dhOm, 1);
                        dhA = Math.FusedMultiplyAdd(beta, dhA, e2Prev);
                        if (gjr) dhG = Math.FusedMultiplyAdd(beta, dhG, negative ? e2Prev : 0);
                        dhB = Math.FusedMultiplyAdd(beta, dhB, h);
                    }
                    h = Math.FusedMultiplyAdd(beta, h, omega + a * e2Prev);
                }
            }
            if (!(h > 1e-100 && h < 1e100))
            {
                if (!(h > 0) || double.IsPositiveInfinity(h)) return double.NegativeInfinity;
                sumLogH += Math.Log(h);
            }
            else
            {
                prodH *= h;
                if (!(prodH > 1e-200 && prodH < 1e200)) { sumLogH += Math.Log(prodH); prodH = 1; }
            }

            double e = returns[t] - mu;
            double dldh, dldmu, dldnu = 0;
            double invH = 1 / h;
            if (!studentT)
            {
                double z2 = e * e * invH;
                sumZ2 += z2;
                dldh = 0.5 * (z2 - 1) * invH;
                dldmu = e * invH;
            }
            else
            {
                double q = e * e * invH * invNuMinus2;
                double d = 1 + q;
                double logD = 0;
                if (perObservationLogD)
                {
                    // Math.Log(1 + q) loses ~1e-16 absolutely, harmless unless multiplied by a huge (ν+1)/2.
                    logD = hugeNu ? LogOnePlus(q, d) : Math.Log(d);
                    sumLogD += logD;
                }
                else if (d < 1e100)
                {
                    prodD *= d;
                    if (prodD > 1e200) { sumLogD += Math.Log(prodD); prodD = 1; }
                }
                else sumLogD += Math.Log(d);
                double invD = 1 / d, qOverD = q * invD;
                sumQOverD += qOverD;
                dldh = (halfNuPlus1 * qOverD - 0.5) * invH;
                dldmu = 2 * halfNuPlus1 * e * invH * invNuMinus2 * invD;
                if (wantScores) dldnu = dtConst - 0.5 * logD + halfNuPlus1 * qOverD * invNuMinus2;
            }

            if (wantGradient)
            {
                double sMu = dldmu + dldh * dhMu;
                double sOm = ewma ? 0 : dldh * dhOm, sA = ewma ? 0 : dldh * dhA, sB = ewma ? 0 : dldh * dhB;
                double sG = gjr ? dldh * dhG : 0, sL = ewma ? dldh * dhL : 0;
                gMu += sMu;
                if (ewma) gL += sL;
                else { gOm += sOm; gA += sA; gB += sB; }
                if (gjr) gG += sG;
                if (wantScores)
                {
                    var row = scores.Slice(t * Count, Count);
                    row[Mu] = sMu; row[Omega] = sOm; row[Alpha] = sA; row[Gamma] = sG; row[Beta] = sB; row[Nu] = dldnu; row[Lambda] = sL;
                }
            }
            ePrev = e;
        }
        sumLogH += Math.Log(prodH);
        sumLogD += Math.Log(prodD);
        double ll = studentT
            ? n * tConst - 0.5 * sumLogH - halfNuPlus1 * sumLogD
            : -0.5 * (n * LogTwoPi + sumLogH + sumZ2);
        double gNu = studentT ? n * dtConst - 0.5 * sumLogD + halfNuPlus1 * invNuMinus2 * sumQOverD : 0;

        if (!double.IsFinite(ll)) return double.NegativeInfinity;
        if (!wantGradient) return ll;

        // ω = m(μ)(1 − α − γ/2 − β): dω/dμ = (1 − persistence)·dm/dμ, dω/dα = dω/dβ = −m, dω/dγ = −m/2.
        double dOmMu = (1 - persistence) * dmdmu;
        if (!gradient.IsEmpty)
        {
            gradient.Slice(0, Count).Clear();
            Fold(gradient, gMu, gOm, gA, gG, gB, gNu, gL, fitMu, ewma, gjr, studentT, targeting, dOmMu, m);
        }
        if (wantScores)
        {
            for (int t = 0; t < n; t++)
            {
                var row = scores.Slice(t * Count, Count);
                Fold(row, row[Mu], row[Omega], row[Alpha], row[Gamma], row[Beta], row[Nu], row[Lambda],
                    fitMu, ewma, gjr, studentT, targeting, dOmMu, m);
            }
        }
        return ll;
    }

    /// <summary>
    /// lnΓ(x + ½) − lnΓ(x) and its derivative ψ(x + ½) − ψ(x). For large x (ν → ∞) the difference of two
    /// huge lnΓ values cancels catastrophically, so there the asymptotic series
    /// ½ln x − 1/(8x) + 1/(192x³) (error O(x⁻⁵)) is used (from Γ(x+½)/Γ(x) = √x(1 − 1/(8x) + 1/(128x²) + …),
    /// Abramowitz &amp; Stegun 6.1.47).
    /// </summary>
    internal static (double Value, double Derivative) LogGammaHalfRatio(double x, bool wantDerivative)
    {
        if (x > 200)
        {
            double inv = 1 / x, inv2 = inv * inv;
            return (0.5 * Math.Log(x) - 0.125 * inv + inv * inv2 / 192,
                wantDerivative ? 0.5 * inv + 0.125 * inv2 - inv2 * inv2 / 64 : 0);
        }
        return (SpecialFunctions.GammaLn(x + 0.5) - SpecialFunctions.GammaLn(x),
            wantDerivative ? SpecialFunctions.DiGamma(x + 0.5) - SpecialFunctions.DiGamma(x) : 0);
    }

    /// <summary>ln(1 + q) accurate for small q (d = 1 + q already rounded): Goldberg's correction, as in log1p.</summary>
    private static double LogOnePlus(double q, double d) => d == 1 ? q : Math.Log(d) * (q / (d - 1));

    private static void Fold(Span<double> g, double gMu, double gOm, double gA, double gG, double gB, double gNu, double gL,
        bool fitMu, bool ewma, bool gjr, bool studentT, bool targeting, double dOmMu, double m)
    {
        if (targeting)
        {
            gMu += gOm * dOmMu;
            gA -= gOm * m;
            gG -= gOm * 0.5 * m;
            gB -= gOm * m;
            gOm = 0;
        }
        g[Mu] = fitMu ? gMu : 0;
        g[Omega] = ewma ? 0 : gOm;
        g[Alpha] = ewma ? 0 : gA;
        g[Gamma] = gjr ? gG : 0;
        g[Beta] = ewma ? 0 : gB;
        g[Nu] = studentT ? gNu : 0;
        g[Lambda] = ewma ? gL : 0;
    }

    /// <summary>h_1 … h_{n+1} (the last one is the one-step-ahead forecast), same recursion as the likelihood.</summary>
    internal static void ConditionalVariances(ReadOnlySpan<double> returns, ReturnModelSpec spec, in ReturnModelParameters p, Span<double> variances)
    {
        int n = returns.Length;
        if (variances.Length < n + 1) throw new ArgumentException("needs n + 1 slots", nameof(variances));
        bool ewma = spec.Volatility == VolatilityModel.Ewma;
        bool gjr = spec.Volatility == VolatilityModel.Gjr;
        double mu = spec.Mean == MeanModel.Constant ? p.Mu : 0;
        double m = Moments(returns, spec, mu).MeanSquare;
        double alpha = ewma ? 0 : p.Alpha, gamma = gjr ? p.Gamma : 0, beta = ewma ? 0 : p.Beta;
        double persistence = alpha + 0.5 * gamma + beta;
        double omega = spec.VarianceTargeting && !ewma ? m * (1 - persistence) : p.Omega;
        double h = ewma || spec.Start == VarianceStart.SampleVariance ? m : omega + persistence * m;
        variances[0] = h;
        for (int t = 1; t <= n; t++)
        {
            double e = returns[t - 1] - mu;
            h = ewma
                ? p.Lambda * h + (1 - p.Lambda) * e * e
                : omega + (gjr && e < 0 ? alpha + gamma : alpha) * e * e + beta * h;
            variances[t] = h;
        }
    }
}

/// <summary>Access to <see cref="ReturnModelParameters"/> by the kernel's slot index.</summary>
internal static class ReturnModelParameterSlots
{
    internal static double Slot(this in ReturnModelParameters p, int slot) => slot switch
    {
        ReturnModelLikelihood.Mu => p.Mu,
        ReturnModelLikelihood.Omega => p.Omega,
        ReturnModelLikelihood.Alpha => p.Alpha,
        ReturnModelLikelihood.Gamma => p.Gamma,
        ReturnModelLikelihood.Beta => p.Beta,
        ReturnModelLikelihood.Nu => p.Nu,
        ReturnModelLikelihood.Lambda => p.Lambda,
        _ => throw new ArgumentOutOfRangeException(nameof(slot)),
    };

    internal static ReturnModelParameters With(this in ReturnModelParameters p, int slot, double value) => slot switch
    {
        ReturnModelLikelihood.Mu => p with { Mu = value },
        ReturnModelLikelihood.Omega => p with { Omega = value },
        ReturnModelLikelihood.Alpha => p with { Alpha = value },
        ReturnModelLikelihood.Gamma => p with { Gamma = value },
        ReturnModelLikelihood.Beta => p with { Beta = value },
        ReturnModelLikelihood.Nu => p with { Nu = value },
        ReturnModelLikelihood.Lambda => p with { Lambda = value },
        _ => throw new ArgumentOutOfRangeException(nameof(slot)),
    };
}
