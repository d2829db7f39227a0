using CryptoMargin.MarketData.Options;
using CryptoMargin.Pricing;

namespace CryptoMargin.Calibration.Grid;

/// <summary>
/// Samples an option chain's mark implied vols on a fixed tenor × standardised-moneyness grid (<see cref="TenorVols"/>).
/// <para>Per expiry T: the out-of-the-money quote at each strike (call for K ≥ F, put below; the other when it is
/// missing) gives points (k, w) with k = ln(K/F) and total variance w = σ²T. The ATM total variance w₀ is w linearly
/// interpolated at k = 0; the point at standardised moneyness z is w linearly interpolated at k = z·√w₀ (so z is in
/// units of the ATM standard deviation σ_ATM√T). No extrapolation in strike: a z beyond the listed strikes is NaN.</para>
/// <para>Across expiries, at fixed z the total variance is interpolated linearly in T between the two expiries that
/// bracket the target tenor τ, and σ(τ) = √(w(τ)/τ). Linear interpolation of total variance keeps w increasing in
/// T when the listed slices are free of calendar arbitrage (Gatheral, <i>The Volatility Surface</i>, Wiley 2006,
/// ch. 3; Gatheral &amp; Jacquier 2014, "Arbitrage-free SVI volatility surfaces", Quant. Finance 14(1) §2).
/// Below the first usable expiry the vol is held flat when that expiry is at most 2τ away; beyond the last expiry the
/// point is NaN. Expiries closer than <see cref="MinimumDays"/> are skipped: their mark vols are dominated by the
/// last hours' intraday noise.</para>
/// </summary>
public static class TenorVolSampler
{
    /// <summary>Expiries nearer than this (days) are not used: 12 hours.</summary>
    public const double MinimumDays = 0.5;

    /// <summary>Samples <paramref name="chain"/> (which must carry its valuation time and underlying) on the grid.</summary>
    /// <exception cref="ArgumentException">the chain has no valuation time or underlying, or a grid point is invalid.</exception>
    public static TenorVols Sample(OptionChain chain, IReadOnlyList<double> tenorDays, IReadOnlyList<double> moneyness)
    {
        ArgumentNullException.ThrowIfNull(chain);
        ArgumentNullException.ThrowIfNull(tenorDays);
        ArgumentNullException.ThrowIfNull(moneyness);
        if (chain.ValuationTime is not DateTimeOffset time) throw new ArgumentException("the chain has no valuation time", nameof(chain));
        if (string.IsNullOrEmpty(chain.Underlying)) throw new ArgumentException("the chain names no underlying", nameof(chain));
        foreach (double d in tenorDays)
            if (!(d > 0) || !double.IsFinite(d)) throw new ArgumentException($"tenor {d} days: every tenor must be a positive number of days", nameof(tenorDays));
        foreach (double z in moneyness)
            if (!double.IsFinite(z)) throw new ArgumentException("every moneyness point must be finite", nameof(moneyness));

        // Per usable expiry: T and the total variance at each z.
        var expiryT = new List<double>();
        var expiryW = new List<double[]>();
        foreach (var expiry in chain.Expiries)
        {
            if (!(expiry.T * 365.0 >= MinimumDays)) continue;
            var w = SliceTotalVariance(expiry, moneyness);
            if (w is null) continue;
            expiryT.Add(expiry.T);
            expiryW.Add(w);
        }

        int nz = moneyness.Count;
        var vols = new double[tenorDays.Count * nz];
        for (int i = 0; i < tenorDays.Count; i++)
        {
            double tau = tenorDays[i] / 365.0;
            for (int j = 0; j < nz; j++)
                vols[i * nz + j] = VolAt(tau, j, expiryT, expiryW);
        }
        return new TenorVols(time, chain.Underlying, [.. tenorDays], [.. moneyness], vols);
    }

    private static double VolAt(double tau, int j, List<double> ts, List<double[]> ws)
    {
        // Nearest usable expiries at or below / at or above tau for this z.
        int below = -1, above = -1;
        for (int e = 0; e < ts.Count; e++)
        {
            if (!double.IsFinite(ws[e][j])) continue;
            if (ts[e] <= tau) below = e;
            else if (above < 0) above = e;
        }
        if (below >= 0 && ts[below] == tau) return Math.Sqrt(ws[below][j] / tau);
        if (below >= 0 && above >= 0)
        {
            double ta = ts[below], tb = ts[above], wa = ws[below][j], wb = ws[above][j];
            double w = wa + (wb - wa) * (tau - ta) / (tb - ta);
            return w > 0 ? Math.Sqrt(w / tau) : double.NaN;
        }
        if (below < 0 && above >= 0 && ts[above] <= 2 * tau) return Math.Sqrt(ws[above][j] / ts[above]);
        return double.NaN;
    }

    /// <summary>Total variance at each z of one expiry; null when the strikes do not straddle the forward.</summary>
    internal static double[]? SliceTotalVariance(OptionExpiry expiry, IReadOnlyList<double> moneyness)
    {
        double f = expiry.Forward, t = expiry.T;
        if (!(f > 0) || !(t > 0)) return null;
        // One point per strike: the OTM side's mark vol, the other side's when the OTM one is missing.
        var byStrike = new SortedDictionary<double, (double Otm, double Other)>();
        foreach (var q in expiry.Quotes)
        {
            if (q.MarkIv is not double iv || !(iv > 0) || !double.IsFinite(iv) || !(q.Strike > 0)) continue;
            bool otm = q.Type == OptionType.Call ? q.Strike >= f : q.Strike < f;
            byStrike.TryGetValue(q.Strike, out var v);
            byStrike[q.Strike] = otm ? (iv, v.Other) : (v.Otm, iv);
        }
        int n = byStrike.Count;
        if (n < 2) return null;
        Span<double> k = n <= 256 ? stackalloc double[n] : new double[n];
        Span<double> w = n <= 256 ? stackalloc double[n] : new double[n];
        int m = 0;
        foreach (var (strike, v) in byStrike)
        {
            double iv = v.Otm > 0 ? v.Otm : v.Other;
            k[m] = Math.Log(strike / f);
            w[m] = iv * iv * t;
            m++;
        }
        double w0 = Interpolate(k, w, 0);
        if (!(w0 > 0)) return null;
        double sd = Math.Sqrt(w0);
        var result = new double[moneyness.Count];
        for (int j = 0; j < result.Length; j++)
            result[j] = moneyness[j] == 0 ? w0 : Interpolate(k, w, moneyness[j] * sd);
        return result;
    }

    /// <summary>Linear interpolation of y(x) at <paramref name="x0"/> on increasing <paramref name="x"/>; NaN outside [x₀, x_{n−1}].</summary>
    internal static double Interpolate(ReadOnlySpan<double> x, ReadOnlySpan<double> y, double x0)
    {
        if (x.Length == 0 || x0 < x[0] || x0 > x[^1]) return double.NaN;
        int hi = 1;
        while (hi < x.Length - 1 && x[hi] < x0) hi++;
        if (x.Length == 1) return y[0];
        int lo = hi - 1;
        double span = x[hi] - x[lo];
        return span > 0 ? y[lo] + (y[hi] - y[lo]) * (x0 - x[lo]) / span : y[lo];
    }
}
