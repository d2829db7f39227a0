namespace CryptoMargin.Calibration.Grid;

/// <summary>
/// One underlying's implied volatilities at one snapshot, sampled on a fixed grid of tenors (days to expiry) and
/// standardised moneyness z = ln(K/F)/(σ_ATM·√T): <c>Vol(i, j)</c> is the vol at <see cref="TenorDays"/>[i] and
/// <see cref="Moneyness"/>[j] (decimal, 0.55 not 55), NaN where the chain does not reach that point.
/// <para>Not a surface: nothing is interpolated between grid points; <see cref="TenorVolSampler"/> builds it.</para>
/// </summary>
public sealed record TenorVols
{
    public TenorVols(DateTimeOffset time, string underlying, IReadOnlyList<double> tenorDays, IReadOnlyList<double> moneyness, double[] vols)
    {
        ArgumentException.ThrowIfNullOrEmpty(underlying);
        ArgumentNullException.ThrowIfNull(tenorDays);
        ArgumentNullException.ThrowIfNull(moneyness);
        ArgumentNullException.ThrowIfNull(vols);
        if (vols.Length != tenorDays.Count * moneyness.Count)
            throw new ArgumentException($"{vols.Length} vols for {tenorDays.Count} tenors × {moneyness.Count} moneyness points", nameof(vols));
        Time = time;
        Underlying = underlying;
        TenorDays = tenorDays;
        Moneyness = moneyness;
        Vols = vols;
    }

    /// <summary>The snapshot's own time (UTC).</summary>
    public DateTimeOffset Time { get; }

    /// <summary>BTC, ETH, …</summary>
    public string Underlying { get; }

    /// <summary>Tenors, calendar days to expiry (ACT/365 from <see cref="Time"/>).</summary>
    public IReadOnlyList<double> TenorDays { get; }

    /// <summary>Standardised moneyness points z (0 = at the money forward).</summary>
    public IReadOnlyList<double> Moneyness { get; }

    /// <summary>Row-major by tenor: index i·Moneyness.Count + j.</summary>
    public double[] Vols { get; }

    public double Vol(int tenor, int moneyness) => Vols[tenor * Moneyness.Count + moneyness];

    /// <summary>The index of z = 0 in <see cref="Moneyness"/>, or −1.</summary>
    public int AtmIndex
    {
        get
        {
            for (int j = 0; j < Moneyness.Count; j++) if (Moneyness[j] == 0) return j;
            return -1;
        }
    }
}
