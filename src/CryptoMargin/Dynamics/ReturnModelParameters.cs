namespace CryptoMargin.Dynamics;

/// <summary>
/// Natural parameters of a return model, in the units of the input returns. Parameters a model does not
/// have are 0 (γ for GARCH, α/β/ω for EWMA, λ for GARCH/GJR) and ν is +∞ for Normal innovations.
/// </summary>
public readonly record struct ReturnModelParameters(
    double Mu,
    double Omega,
    double Alpha,
    double Gamma,
    double Beta,
    double Nu,
    double Lambda)
{
    /// <summary>α + γ/2 + β (GJR with symmetric innovations), α + β (GARCH), λ (EWMA is integrated: 1).</summary>
    public double Persistence(VolatilityModel model) => model switch
    {
        VolatilityModel.Ewma => 1.0,
        VolatilityModel.Garch => Alpha + Beta,
        VolatilityModel.Gjr => Alpha + 0.5 * Gamma + Beta,
        _ => throw new ArgumentOutOfRangeException(nameof(model)),
    };

    /// <summary>A parameter by its reported name: <c>mu, omega, alpha, gamma, beta, nu, lambda</c>.</summary>
    public double this[string name] => name switch
    {
        "mu" => Mu,
        "omega" => Omega,
        "alpha" => Alpha,
        "gamma" => Gamma,
        "beta" => Beta,
        "nu" => Nu,
        "lambda" => Lambda,
        _ => throw new ArgumentException($"Unknown parameter '{name}'.", nameof(name)),
    };
}
