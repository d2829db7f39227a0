namespace CryptoMargin.Surfaces;

/// <summary>
/// One expiry's smile as total implied variance w(k) = σ_BS(k)² t in log-moneyness k = ln(K/F), with its first and
/// second derivatives in k: what the Gatheral–Jacquier density g(k) needs (<see cref="SurfaceArbitrage.Density"/>).
/// Analytic where the model gives them cheaply (SVI, eSSVI); <see cref="FiniteDifferenceSmile"/> otherwise.
/// </summary>
public interface ITotalVarianceSmile
{
    /// <summary>w(k), dimensionless.</summary>
    double TotalVariance(double k);

    /// <summary>w'(k).</summary>
    double Slope(double k);

    /// <summary>w''(k).</summary>
    double Curvature(double k);

    /// <summary>(w, w', w'') at k; override where the three share work (finite differences share w(k)).</summary>
    (double W, double Slope, double Curvature) Evaluate(double k) => (TotalVariance(k), Slope(k), Curvature(k));
}

/// <summary>
/// A smile known only through w(k): w' and w'' by central differences with step h,
/// w' ≈ (w(k+h) − w(k−h))/(2h), w'' ≈ (w(k+h) − 2w(k) + w(k−h))/h² (truncation error h²w'''/6 and h²w''''/12).
/// With a relative error ε in each w evaluation, the rounding error of w'' is about 4εw/h², so the error is smallest
/// near h ≈ (48 ε w/|w''''|)^{1/4}: see <see cref="StepFor"/>.
/// </summary>
public sealed class FiniteDifferenceSmile : ITotalVarianceSmile
{
    private readonly Func<double, double> _w;

    public FiniteDifferenceSmile(Func<double, double> totalVariance, double step)
    {
        ArgumentNullException.ThrowIfNull(totalVariance);
        if (!(step > 0) || !double.IsFinite(step)) throw new ArgumentOutOfRangeException(nameof(step), step, "Finite-difference step must be finite and > 0.");
        _w = totalVariance;
        Step = step;
    }

    /// <summary>The difference step h in k.</summary>
    public double Step { get; }

    /// <summary>
    /// h = (ε)^{1/4} · s: the rounding/truncation balance of the second difference for a smile whose w varies on the
    /// scale s in k (w'''' ~ w/s⁴) and whose evaluations carry relative error ε (about 1e-16 for a closed form such as
    /// Hagan's SABR formula, giving h = 1e-4 s; about 1e-10 for an implied vol of a numerically integrated price,
    /// giving h = 3e-3 s).
    /// </summary>
    public static double StepFor(double relativeError, double scale) => Math.Pow(relativeError, 0.25) * scale;

    public double TotalVariance(double k) => _w(k);

    public double Slope(double k) => (_w(k + Step) - _w(k - Step)) / (2 * Step);

    public double Curvature(double k) => (_w(k + Step) - 2 * _w(k) + _w(k - Step)) / (Step * Step);

    public (double W, double Slope, double Curvature) Evaluate(double k)
    {
        double up = _w(k + Step), mid = _w(k), down = _w(k - Step);
        return (mid, (up - down) / (2 * Step), (up - 2 * mid + down) / (Step * Step));
    }
}
