using CryptoMargin.MarketData;

namespace CryptoMargin.Surfaces;

/// <summary>
/// A surface from per-expiry smiles (one per listed expiry): fitted raw-SVI slices, or any
/// <see cref="ITotalVarianceSmile"/> (<see cref="FromSmiles"/>, e.g. an <see cref="InterpolatedSmile"/> through a venue's
/// mark IVs). Between two slices, total variance is interpolated
/// linearly in t at the same log-moneyness k = ln(K/F(t)) (calendar-arbitrage-free when the slices are, Gatheral &amp;
/// Jacquier 2014, §5), and the forward log-linearly in t; before the first slice the first slice's vol is held
/// (total variance scaled with t), after the last the last slice's vol. Slices must have increasing expiries.
/// </summary>
public sealed class SliceVolSurface : IVolSurface
{
    private readonly double[] _t;
    private readonly double[] _forward;
    private readonly SviParameters[] _params;
    private readonly ITotalVarianceSmile[]? _smiles; // null: the SVI slices in _params

    public SliceVolSurface(IReadOnlyList<(double T, double Forward, SviParameters Parameters)> slices)
    {
        ArgumentNullException.ThrowIfNull(slices);
        if (slices.Count == 0) throw new DataValidationException("a volatility surface needs at least one fitted expiry", field: "surface");
        _t = new double[slices.Count];
        _forward = new double[slices.Count];
        _params = new SviParameters[slices.Count];
        for (int i = 0; i < slices.Count; i++)
        {
            var (t, f, p) = slices[i];
            if (!(t > 0) || !(f > 0)) throw new DataValidationException($"slice {i}: expiry {t} and forward {f} must be positive", field: "surface");
            if (i > 0 && !(t > _t[i - 1])) throw new DataValidationException($"slice {i}: expiries must increase ({_t[i - 1]} then {t})", field: "surface");
            _t[i] = t;
            _forward[i] = f;
            _params[i] = p;
        }
    }

    private SliceVolSurface(double[] t, double[] forward, ITotalVarianceSmile[] smiles)
    {
        _t = t;
        _forward = forward;
        _params = [];
        _smiles = smiles;
    }

    /// <summary>
    /// A surface from any total-variance smiles, with the same time interpolation as the SVI one: expiries increasing
    /// and positive, forwards positive.
    /// </summary>
    /// <exception cref="DataValidationException">No slice, a non-positive expiry or forward, expiries not increasing, a null smile.</exception>
    public static SliceVolSurface FromSmiles(IReadOnlyList<(double T, double Forward, ITotalVarianceSmile Smile)> slices)
    {
        ArgumentNullException.ThrowIfNull(slices);
        if (slices.Count == 0) throw new DataValidationException("a volatility surface needs at least one fitted expiry", field: "surface");
        var t = new double[slices.Count];
        var forward = new double[slices.Count];
        var smiles = new ITotalVarianceSmile[slices.Count];
        for (int i = 0; i < slices.Count; i++)
        {
            var (ti, f, smile) = slices[i];
            if (!(ti > 0) || !(f > 0)) throw new DataValidationException($"slice {i}: expiry {ti} and forward {f} must be positive", field: "surface");
            if (i > 0 && !(ti > t[i - 1])) throw new DataValidationException($"slice {i}: expiries must increase ({t[i - 1]} then {ti})", field: "surface");
            t[i] = ti;
            forward[i] = f;
            smiles[i] = smile ?? throw new DataValidationException($"slice {i}: no smile", field: "surface");
        }
        return new SliceVolSurface(t, forward, smiles);
    }

    public IReadOnlyList<double> Expiries => _t;

    /// <summary>The smile of slice <paramref name="i"/> (in expiry order), e.g. for <see cref="SurfaceArbitrage"/>.</summary>
    public ITotalVarianceSmile Smile(int i) => _smiles is null ? _params[i] : _smiles[i];

    private double W(int j, double k) => _smiles is null ? _params[j].TotalVariance(k) : _smiles[j].TotalVariance(k);

    public double Forward(double t)
    {
        int n = _t.Length;
        if (t <= _t[0] || n == 1) return t <= _t[0] ? _forward[0] : _forward[n - 1];
        if (t >= _t[n - 1]) return _forward[n - 1];
        int j = Array.BinarySearch(_t, t);
        if (j >= 0) return _forward[j];
        j = ~j;
        double u = (t - _t[j - 1]) / (_t[j] - _t[j - 1]);
        return Math.Exp((1 - u) * Math.Log(_forward[j - 1]) + u * Math.Log(_forward[j]));
    }

    public double ImpliedVolatility(double strike, double t)
    {
        if (!(t > 0)) throw new ArgumentOutOfRangeException(nameof(t), t, "expiry must be positive");
        double k = Math.Log(strike / Forward(t));
        int n = _t.Length;
        if (t <= _t[0]) return Math.Sqrt(Math.Max(W(0, k), 0) / _t[0]);
        if (t >= _t[n - 1]) return Math.Sqrt(Math.Max(W(n - 1, k), 0) / _t[n - 1]);
        int j = Array.BinarySearch(_t, t);
        if (j >= 0) return Math.Sqrt(Math.Max(W(j, k), 0) / t);
        j = ~j;
        double u = (t - _t[j - 1]) / (_t[j] - _t[j - 1]);
        double w = (1 - u) * W(j - 1, k) + u * W(j, k);
        return Math.Sqrt(Math.Max(w, 0) / t);
    }
}
