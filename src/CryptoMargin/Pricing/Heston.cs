using System.Numerics;
using MathNet.Numerics.Integration;

namespace CryptoMargin.Pricing;

/// <summary>
/// Undiscounted European option prices under Heston (1993, Rev. Financial Studies 6, 327–343) on the forward, by
/// Lewis's (2001, "A simple option formula for general jump-diffusion and other exponential Lévy processes") single
/// integral along Im u = −1/2:
/// <c>C = F − (√(FK)/π) ∫₀^∞ Re[e^{iuk} φ(u − i/2)] / (u² + 1/4) du</c>, k = ln(F/K), put = C − F + K (parity),
/// where φ is the characteristic function of ln(F_T/F) in the "little Heston trap" form of Albrecher, Mayer,
/// Schoutens &amp; Tistaert (2007, Wilmott Magazine, Jan., 83–92), continuous in u for all parameters:
/// ξ = κ − σρiu, d = √(ξ² + σ²(u² + iu)), g = (ξ − d)/(ξ + d),
/// ln φ = (κθ/σ²)[(ξ − d)T − 2 ln((1 − g e^{−dT})/(1 − g))] + v₀ (ξ − d)/σ² · (1 − e^{−dT})/(1 − g e^{−dT}).
/// ξ − d is computed as −σ²(u² + iu)/(ξ + d), free of cancellation as σ → 0.
/// The integral is a fixed composite 16-point Gauss–Legendre rule on [0, u_max]: panels double in width from 1/2
/// up to width 16, then stay at 16 (resolving the 1/(u² + 1/4) peak at 0 and the e^{iuk} oscillation);
/// u_max = max(√(2L/w), L/C_∞), L = 36, from the Gaussian decay e^{−w u²/2} of φ near 0 (w = expected integrated
/// variance) and its exponential decay e^{−C_∞ u}, C_∞ = √(1 − ρ²)(v₀ + κθT)/σ (Andersen &amp; Piterbarg 2010,
/// Interest Rate Modeling I, §8.4), in at most 40 panels (wider than 16 only for very short expiries). All strikes of one expiry share the characteristic-function
/// evaluations; a price allocates nothing.
/// </summary>
public static class Heston
{
    private const int NodesPerPanel = 16;
    private const int MaxPanels = 40;
    internal const int MaxNodes = NodesPerPanel * MaxPanels;
    private const double DecayLogTarget = 36;
    private const double MaxPanelWidth = 16;

    /// <summary>Number of parameters the gradient is taken with respect to, in the order V0, Kappa, Theta, Sigma, Rho.</summary>
    public const int ParameterCount = 5;

    private static readonly double[] UnitAbscissas = BuildRule().Abscissas;
    private static readonly double[] UnitWeights = BuildRule().Weights;

    private static (double[] Abscissas, double[] Weights) BuildRule()
    {
        var rule = new GaussLegendreRule(0, 1, NodesPerPanel);
        return (rule.Abscissas, rule.Weights);
    }

    /// <summary>Undiscounted price of one European option (forward F, strike K, expiry t in years).</summary>
    public static double Price(in HestonParameters parameters, double forward, double strike, double t, OptionType type)
    {
        Span<double> price = stackalloc double[1];
        Prices(parameters, forward, t, [strike], [type], price);
        return price[0];
    }

    /// <summary>
    /// Undiscounted prices of options of one expiry on one forward; <paramref name="strikes"/>[i] with
    /// <paramref name="types"/>[i] gives <paramref name="prices"/>[i]. One characteristic-function pass serves all strikes.
    /// </summary>
    public static void Prices(in HestonParameters parameters, double forward, double t,
        ReadOnlySpan<double> strikes, ReadOnlySpan<OptionType> types, Span<double> prices) =>
        Evaluate(parameters, forward, t, strikes, types, prices, [], withGradient: false);

    /// <summary>
    /// <see cref="Prices"/> and the analytic gradient of each price with respect to (v₀, κ, θ, σ, ρ), row-major in
    /// <paramref name="gradient"/> (length 5·strikes): the derivatives of the characteristic function are taken
    /// under the integral by the chain rule through ξ, d, g, e^{−dT} and share its evaluations, as in Cui, del Baño
    /// Rollin &amp; Germano (2017, European J. Operational Research 263, 625–638), here applied to the Albrecher et al. form.
    /// </summary>
    public static void PricesWithGradient(in HestonParameters parameters, double forward, double t,
        ReadOnlySpan<double> strikes, ReadOnlySpan<OptionType> types, Span<double> prices, Span<double> gradient)
    {
        if (gradient.Length < ParameterCount * strikes.Length)
            throw new ArgumentException($"gradient needs {ParameterCount} entries per strike ({ParameterCount * strikes.Length}), got {gradient.Length}.", nameof(gradient));
        Evaluate(parameters, forward, t, strikes, types, prices, gradient, withGradient: true);
    }

    private static void Evaluate(in HestonParameters p, double forward, double t, ReadOnlySpan<double> strikes,
        ReadOnlySpan<OptionType> types, Span<double> prices, Span<double> gradient, bool withGradient)
    {
        p.Validate();
        if (!(forward > 0) || !double.IsFinite(forward))
            throw new ArgumentOutOfRangeException(nameof(forward), forward, "Forward must be finite and > 0.");
        if (!(t > 0) || !double.IsFinite(t))
            throw new ArgumentOutOfRangeException(nameof(t), t, "Time to expiry must be finite and > 0 years.");
        if (types.Length != strikes.Length || prices.Length < strikes.Length)
            throw new ArgumentException($"strikes ({strikes.Length}), types ({types.Length}) and prices ({prices.Length}) must have matching lengths.");
        for (int i = 0; i < strikes.Length; i++)
            if (!(strikes[i] > 0) || !double.IsFinite(strikes[i]))
                throw new ArgumentOutOfRangeException(nameof(strikes), strikes[i], $"Strike #{i} must be finite and > 0.");

        Span<double> u = stackalloc double[MaxNodes];
        Span<Complex> psi = stackalloc Complex[MaxNodes];
        Span<Complex> dpsi = withGradient ? stackalloc Complex[ParameterCount * MaxNodes] : [];
        Span<Complex> dLog = stackalloc Complex[ParameterCount];
        Span<double> dsum = stackalloc double[ParameterCount];
        int n = Nodes(p, t, u, psi);
        for (int j = 0; j < n; j++)
        {
            // psi holds the quadrature weight on entry; the weighted integrand factor φ/(u² + 1/4) on exit.
            double scale = psi[j].Real / (u[j] * u[j] + 0.25);
            if (withGradient)
            {
                Complex phi = CharacteristicFunction(p, u[j], t, dLog);
                for (int q = 0; q < ParameterCount; q++) dpsi[q * MaxNodes + j] = scale * phi * dLog[q];
                psi[j] = scale * phi;
            }
            else
            {
                psi[j] = scale * CharacteristicFunction(p, u[j], t, []);
            }
        }

        for (int i = 0; i < strikes.Length; i++)
        {
            double strike = strikes[i];
            double k = Math.Log(forward / strike);
            double root = Math.Sqrt(forward * strike) / Math.PI;
            double sum = 0;
            dsum.Clear();
            for (int j = 0; j < n; j++)
            {
                var (sin, cos) = Math.SinCos(u[j] * k);
                sum += cos * psi[j].Real - sin * psi[j].Imaginary; // Re[e^{iuk} ψ]
                if (withGradient)
                    for (int q = 0; q < ParameterCount; q++)
                    {
                        Complex d = dpsi[q * MaxNodes + j];
                        dsum[q] += cos * d.Real - sin * d.Imaginary;
                    }
            }
            double call = forward - root * sum;
            prices[i] = types[i] == OptionType.Call ? call : call - forward + strike;
            if (withGradient)
                for (int q = 0; q < ParameterCount; q++) gradient[i * ParameterCount + q] = -root * dsum[q];
        }
    }

    /// <summary>Quadrature nodes u and weights (in <paramref name="weights"/>.Real) for one expiry; returns the count.</summary>
    private static int Nodes(in HestonParameters p, double t, Span<double> u, Span<Complex> weights)
    {
        double kt = p.Kappa * t;
        double meanVariance = kt < 1e-8 ? p.V0 : p.Theta + (p.V0 - p.Theta) * (1 - Math.Exp(-kt)) / kt;
        double w = meanVariance * t;
        double cInf = Math.Sqrt(1 - p.Rho * p.Rho) * (p.V0 + p.Kappa * p.Theta * t) / p.Sigma;
        double uMax = Math.Max(Math.Sqrt(2 * DecayLogTarget / w), DecayLogTarget / cInf);
        // Very short expiries (small w) need a long range; the panels then widen beyond 16 so that 40 still reach
        // u_max. The strikes that matter there are within a few √w of the money, so e^{iuk} stays resolved.
        double maxWidth = Math.Max(MaxPanelWidth, uMax / (MaxPanels - 6));
        int n = 0;
        double left = 0, width = 0.5;
        for (int panel = 0; panel < MaxPanels && left < uMax; panel++)
        {
            for (int j = 0; j < NodesPerPanel; j++)
            {
                u[n] = left + width * UnitAbscissas[j];
                weights[n] = width * UnitWeights[j];
                n++;
            }
            left += width;
            width = Math.Min(2 * width, maxWidth);
        }
        return n;
    }

    /// <summary>
    /// φ(x − i/2) of ln(F_T/F) in the Albrecher et al. (2007) form, and, when <paramref name="dLog"/> is not empty,
    /// ∂ ln φ / ∂(v₀, κ, θ, σ, ρ). Along Im u = −1/2, u² + iu = x² + 1/4 is real.
    /// </summary>
    internal static Complex CharacteristicFunction(in HestonParameters p, double x, double t, Span<Complex> dLog)
    {
        double kappa = p.Kappa, theta = p.Theta, sigma = p.Sigma, rho = p.Rho, v0 = p.V0;
        double q = x * x + 0.25;
        double s2 = sigma * sigma;
        var iu = new Complex(0.5, x); // i(x − i/2)
        Complex xi = kappa - sigma * rho * iu;
        Complex d = Complex.Sqrt(xi * xi + s2 * q);
        Complex b = xi + d;
        Complex a = -q / b;             // (ξ − d)/σ²
        Complex g = s2 * a / b;         // (ξ − d)/(ξ + d)
        Complex e = Complex.Exp(-d * t);
        Complex qq = 1 - g * e;
        Complex r = 1 - g;
        Complex l = Complex.Log(qq / r);
        double kt = kappa * theta;
        Complex cTerm = kt * (a * t - 2 * l / s2);
        Complex dTerm = a * (1 - e) / qq;
        Complex phi = Complex.Exp(cTerm + dTerm * v0);
        if (dLog.IsEmpty) return phi;

        dLog[0] = dTerm;
        dLog[2] = cTerm / theta;
        // κ: ξ' = 1, (κθ)' = θ;  σ: ξ' = −ρ iu, (σ²)' = 2σ;  ρ: ξ' = −σ iu.
        dLog[1] = Derivative(1, 0, theta);
        dLog[3] = Derivative(-rho * iu, 2 * sigma, 0);
        dLog[4] = Derivative(-sigma * iu, 0, 0);
        return phi;

        Complex Derivative(Complex dXi, double dS2, double dKt)
        {
            Complex dD = (xi * dXi + 0.5 * dS2 * q) / d;
            Complex dB = dXi + dD;
            Complex dA = q * dB / (b * b);
            Complex dG = (dS2 * a + s2 * dA) / b - s2 * a * dB / (b * b);
            Complex dE = -t * dD * e;
            Complex dQ = -(dG * e + g * dE);
            Complex dR = -dG;
            Complex dL = dQ / qq - dR / r;
            Complex dC = dKt * (a * t - 2 * l / s2) + kt * (dA * t - 2 * dL / s2 + 2 * l * dS2 / (s2 * s2));
            Complex dDt = dA * (1 - e) / qq - a * dE / qq - a * (1 - e) * dQ / (qq * qq);
            return dC + dDt * v0;
        }
    }
}
