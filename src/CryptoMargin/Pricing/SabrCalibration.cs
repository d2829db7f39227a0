namespace CryptoMargin.Pricing;

/// <summary>Options of a SABR slice fit.</summary>
public sealed record SabrCalibrationOptions
{
    /// <summary>The fixed CEV exponent β. Default 1: a lognormal backbone, natural for crypto options quoted in
    /// implied volatility (α is then the ATM volatility to first order); 0.5 is the usual rates choice.</summary>
    public double Beta { get; init; } = 1;

    /// <summary>When set, α is not fitted but solved from this ATM volatility for every (ρ, ν)
    /// (<see cref="Sabr.AlphaFromAtmVolatility"/>), so the fit reproduces it exactly and fits ρ, ν only.</summary>
    public double? AtmVolatility { get; init; }

    /// <summary>Starting ρ and ν (α starts from the quote nearest the money).</summary>
    public double InitialRho { get; init; }
    public double InitialNu { get; init; } = 1;
    public int MaxIterations { get; init; } = 200;
}

/// <summary>A fitted SABR smile: parameters, their least-squares standard errors (β's is 0: fixed; α's is NaN when α
/// is tied to the ATM vol), fit quality in volatility points (1 = one percentage point of vol), and how the search
/// ended.</summary>
public sealed record SabrFit(SabrParameters Parameters, SabrParameters StandardErrors, double RmseVolPoints, double MaxErrorVolPoints,
    bool Converged, int Iterations, string ExitCondition);

/// <summary>
/// Fits α, ρ, ν of one expiry (β fixed) to implied volatilities by Levenberg–Marquardt on the weighted volatility
/// residuals wᵢ^{1/2}(σ_SABR(Kᵢ) − σᵢ), in the unconstrained coordinates ln α, atanh ρ, ln ν (central-difference
/// Jacobian: three parameters, cheap closed-form vols).
/// </summary>
public static class SabrCalibration
{
    public static SabrFit Fit(double forward, double t, ReadOnlySpan<double> strikes, ReadOnlySpan<double> vols,
        SabrCalibrationOptions? options = null, ReadOnlySpan<double> weights = default)
    {
        options ??= new SabrCalibrationOptions();
        if (!(forward > 0) || !double.IsFinite(forward))
            throw new ArgumentOutOfRangeException(nameof(forward), forward, "Forward must be finite and > 0.");
        if (!(t > 0) || !double.IsFinite(t))
            throw new ArgumentOutOfRangeException(nameof(t), t, "Time to expiry must be finite and > 0 years.");
        if (!(options.Beta >= 0 && options.Beta <= 1))
            throw new ArgumentOutOfRangeException(nameof(options), options.Beta, "SABR beta must lie in [0, 1].");
        if (strikes.Length != vols.Length)
            throw new ArgumentException($"strikes ({strikes.Length}) and vols ({vols.Length}) must have the same length.", nameof(vols));
        if (!weights.IsEmpty && weights.Length != strikes.Length)
            throw new ArgumentException($"weights ({weights.Length}) must be empty or match strikes ({strikes.Length}).", nameof(weights));
        int free = options.AtmVolatility is null ? 3 : 2;
        if (strikes.Length < free)
            throw new ArgumentException($"A SABR fit of {free} parameters needs at least {free} quotes, got {strikes.Length}.", nameof(strikes));
        int nearest = 0;
        for (int i = 0; i < strikes.Length; i++)
        {
            if (!(strikes[i] > 0) || !double.IsFinite(strikes[i]))
                throw new ArgumentOutOfRangeException(nameof(strikes), strikes[i], $"Strike #{i} must be finite and > 0.");
            if (!(vols[i] > 0) || !double.IsFinite(vols[i]))
                throw new ArgumentOutOfRangeException(nameof(vols), vols[i], $"Implied volatility #{i} (strike {strikes[i]}) must be finite and > 0.");
            if (!weights.IsEmpty && !(weights[i] >= 0 && double.IsFinite(weights[i])))
                throw new ArgumentOutOfRangeException(nameof(weights), weights[i], $"Weight #{i} must be finite and >= 0.");
            if (Math.Abs(Math.Log(strikes[i] / forward)) < Math.Abs(Math.Log(strikes[nearest] / forward))) nearest = i;
        }

        var problem = new Problem(forward, t, options.Beta, options.AtmVolatility, strikes.ToArray(), vols.ToArray(),
            weights.IsEmpty ? null : weights.ToArray());
        Span<double> x = stackalloc double[free];
        double alpha0 = (options.AtmVolatility ?? vols[nearest]) * Math.Pow(forward, 1 - options.Beta);
        int at = 0;
        if (free == 3) x[at++] = Math.Log(alpha0);
        x[at++] = Math.Atanh(Math.Clamp(options.InitialRho, -0.99, 0.99));
        x[at] = Math.Log(Math.Max(options.InitialNu, 1e-4));
        var outcome = LevenbergMarquardt.Minimise(ref problem, x, options.MaxIterations);
        var p = problem.ParametersOf(x);

        double sumSq = 0, max = 0;
        for (int i = 0; i < strikes.Length; i++)
        {
            double e = Sabr.Volatility(p, forward, strikes[i], t) - vols[i];
            sumSq += e * e;
            max = Math.Max(max, Math.Abs(e));
        }
        // Delta method from the search coordinates (ln α, atanh ρ, ln ν): dα = α dx, dρ = (1 − ρ²) dx, dν = ν dx.
        var se = outcome.CoordinateStandardErrors;
        var errors = free == 3
            ? new SabrParameters(p.Alpha * se[0], 0, (1 - p.Rho * p.Rho) * se[1], p.Nu * se[2])
            : new SabrParameters(double.NaN, 0, (1 - p.Rho * p.Rho) * se[0], p.Nu * se[1]);
        return new SabrFit(p, errors, 100 * Math.Sqrt(sumSq / strikes.Length), 100 * max, outcome.Converged, outcome.Iterations, outcome.ExitCondition);
    }

    private struct Problem(double forward, double t, double beta, double? atm, double[] strikes, double[] vols, double[]? weights)
        : LevenbergMarquardt.IProblem
    {
        public readonly int Residuals => strikes.Length;
        public readonly int Parameters => atm is null ? 3 : 2;

        public readonly SabrParameters ParametersOf(ReadOnlySpan<double> x)
        {
            int at = 0;
            double alpha = atm is null ? Math.Exp(x[at++]) : double.NaN;
            double rho = Math.Tanh(x[at++]);
            rho = Math.Clamp(rho, -1 + 1e-12, 1 - 1e-12);
            double nu = Math.Exp(x[at]);
            if (atm is double sigmaAtm) alpha = Sabr.AlphaFromAtmVolatility(sigmaAtm, forward, t, beta, rho, nu);
            return new SabrParameters(alpha, beta, rho, nu);
        }

        public readonly void Evaluate(ReadOnlySpan<double> x, Span<double> residuals, Span<double> jacobian)
        {
            Fill(x, residuals);
            if (jacobian.IsEmpty) return;
            int n = Parameters, m = Residuals;
            Span<double> shifted = stackalloc double[n];
            Span<double> up = stackalloc double[m];
            Span<double> down = stackalloc double[m];
            for (int q = 0; q < n; q++)
            {
                const double h = 1e-6;
                x.CopyTo(shifted);
                shifted[q] = x[q] + h;
                Fill(shifted, up);
                shifted[q] = x[q] - h;
                Fill(shifted, down);
                for (int i = 0; i < m; i++) jacobian[i * n + q] = (up[i] - down[i]) / (2 * h);
            }
        }

        private readonly void Fill(ReadOnlySpan<double> x, Span<double> residuals)
        {
            var p = ParametersOf(x);
            for (int i = 0; i < strikes.Length; i++)
            {
                double w = weights is null ? 1 : Math.Sqrt(weights[i]);
                residuals[i] = w * (Sabr.Volatility(p, forward, strikes[i], t) - vols[i]);
            }
        }
    }
}
