using MathNet.Numerics.Distributions;

namespace CryptoMargin.Dynamics.Bayes;

/// <summary>
/// Convergence diagnostics of several Markov chains of one scalar quantity: split-R̂ and multi-chain effective
/// sample size. Each chain is one array; all chains have the same length (≥ 4).
/// </summary>
public static class McmcDiagnostics
{
    /// <summary>
    /// Split-R̂ (Gelman et al., BDA3 §11.4, eqs. 11.2–11.4). Each chain is split in halves (odd length: the
    /// middle draw is dropped), giving m chains of n draws ψ_ij. With
    /// B = n/(m−1) Σ_j (ψ̄_.j − ψ̄_..)², W = (1/m) Σ_j s_j², s_j² = 1/(n−1) Σ_i (ψ_ij − ψ̄_.j)²,
    /// var⁺ = (n−1)/n · W + B/n, R̂ = √(var⁺ / W). Near 1 when the chains agree; above 1.05 is a warning.
    /// </summary>
    public static double SplitRhat(IReadOnlyList<double[]> chains)
    {
        var split = Split(chains);
        var (w, varPlus) = WithinAndPooledVariance(split);
        if (w == 0) return varPlus == 0 ? double.NaN : double.PositiveInfinity;
        return Math.Sqrt(varPlus / w);
    }

    /// <summary>
    /// Rank-normalized split-R̂ (Vehtari, Gelman, Simpson, Carpenter &amp; Bürkner 2021, §4.2): the maximum of
    /// the bulk R̂ (split-R̂ of the rank-normalized draws z = Φ⁻¹((r − 3/8)/(S + 1/4)), r the average rank among
    /// all S draws) and the tail R̂ (the same on the folded draws |ψ − median|). Robust to heavy tails and
    /// sensitive to chains that differ in scale, which the plain split-R̂ misses.
    /// </summary>
    public static double RankNormalizedSplitRhat(IReadOnlyList<double[]> chains)
    {
        Validate(chains);
        double bulk = SplitRhat(RankNormalize(chains));
        double median = Median(chains);
        var folded = chains.Select(c => c.Select(x => Math.Abs(x - median)).ToArray()).ToArray();
        double tail = SplitRhat(RankNormalize(folded));
        if (double.IsNaN(bulk)) return tail;
        if (double.IsNaN(tail)) return bulk;
        return Math.Max(bulk, tail);
    }

    /// <summary>
    /// Multi-chain effective sample size of split chains (BDA3 §11.5; Vehtari et al. 2021 eq. 10):
    /// ρ̂_t = 1 − (W − (1/m) Σ_j γ̂_{j,t}) / var⁺ with γ̂_{j,t} chain j's autocovariance at lag t (divisor n),
    /// summed by Geyer's (1992) initial monotone sequence: P_k = ρ̂_{2k} + ρ̂_{2k+1} while P_k &gt; 0, each P_k
    /// capped at P_{k−1}; τ̂ = −1 + 2 Σ_k P_k, ESS = m·n / τ̂ (capped at m·n·log₁₀(m·n) as Stan does).
    /// </summary>
    public static double EffectiveSampleSize(IReadOnlyList<double[]> chains)
    {
        var split = Split(chains);
        int m = split.Length, n = split[0].Length;
        var (w, varPlus) = WithinAndPooledVariance(split);
        double total = (double)m * n;
        if (!(varPlus > 0)) return double.NaN;

        var means = split.Select(c => c.Average()).ToArray();
        double Rho(int lag)
        {
            double acov = 0;
            for (int j = 0; j < m; j++)
            {
                var c = split[j];
                double mean = means[j], s = 0;
                for (int i = 0; i + lag < n; i++) s += (c[i] - mean) * (c[i + lag] - mean);
                acov += s / n;
            }
            return 1 - (w - acov / m) / varPlus;
        }

        // Geyer's initial monotone sequence estimator over pairs (ρ̂_{2k}, ρ̂_{2k+1}), ρ̂_0 = 1.
        double sum = 0, previous = double.PositiveInfinity;
        for (int k = 0; 2 * k + 1 < n; k++)
        {
            double p = (k == 0 ? 1.0 : Rho(2 * k)) + Rho(2 * k + 1);
            if (!(p > 0)) break;
            p = Math.Min(p, previous);
            sum += p;
            previous = p;
        }
        double tau = Math.Max(-1 + 2 * sum, 1 / Math.Log10(total));
        return total / tau;
    }

    /// <summary>Bulk effective sample size: <see cref="EffectiveSampleSize"/> of the rank-normalized draws (Vehtari et al. 2021 §4.3).</summary>
    public static double BulkEffectiveSampleSize(IReadOnlyList<double[]> chains)
    {
        Validate(chains);
        return EffectiveSampleSize(RankNormalize(chains));
    }

    private static void Validate(IReadOnlyList<double[]> chains)
    {
        ArgumentNullException.ThrowIfNull(chains);
        if (chains.Count < 1) throw new ArgumentException("No chains.", nameof(chains));
        int n = chains[0].Length;
        if (n < 4) throw new ArgumentException("Each chain needs at least 4 draws.", nameof(chains));
        foreach (var c in chains)
        {
            if (c.Length != n) throw new ArgumentException("Chains differ in length.", nameof(chains));
            foreach (var x in c)
                if (double.IsNaN(x) || double.IsInfinity(x)) throw new ArgumentException("A draw is not finite.", nameof(chains));
        }
    }

    private static double[][] Split(IReadOnlyList<double[]> chains)
    {
        Validate(chains);
        int n = chains[0].Length, half = n / 2;
        var split = new double[2 * chains.Count][];
        for (int j = 0; j < chains.Count; j++)
        {
            split[2 * j] = chains[j].AsSpan(0, half).ToArray();
            split[2 * j + 1] = chains[j].AsSpan(n - half, half).ToArray();
        }
        return split;
    }

    /// <summary>W and var⁺ of BDA3 §11.4 for already split chains.</summary>
    private static (double W, double VarPlus) WithinAndPooledVariance(double[][] split)
    {
        int m = split.Length, n = split[0].Length;
        var means = new double[m];
        double w = 0;
        for (int j = 0; j < m; j++)
        {
            double mean = split[j].Average(), s2 = 0;
            foreach (var x in split[j]) s2 += (x - mean) * (x - mean);
            means[j] = mean;
            w += s2 / (n - 1);
        }
        w /= m;
        double grand = means.Average(), b = 0;
        if (m > 1)
        {
            foreach (var mean in means) b += (mean - grand) * (mean - grand);
            b *= (double)n / (m - 1);
        }
        return (w, (n - 1.0) / n * w + b / n);
    }

    /// <summary>z = Φ⁻¹((r − 3/8)/(S + 1/4)) with r the average rank of each draw among all S draws (Blom 1958).</summary>
    private static double[][] RankNormalize(IReadOnlyList<double[]> chains)
    {
        int n = chains[0].Length, s = chains.Count * n;
        var index = new int[s];
        var values = new double[s];
        for (int j = 0; j < chains.Count; j++)
            for (int i = 0; i < n; i++) values[j * n + i] = chains[j][i];
        for (int k = 0; k < s; k++) index[k] = k;
        Array.Sort((double[])values.Clone(), index);
        var z = new double[s];
        for (int k = 0; k < s;)
        {
            int end = k;
            while (end + 1 < s && values[index[end + 1]] == values[index[k]]) end++;
            double rank = (k + end) / 2.0 + 1; // average 1-based rank of the ties
            double q = Normal.InvCDF(0, 1, (rank - 0.375) / (s + 0.25));
            for (int t = k; t <= end; t++) z[index[t]] = q;
            k = end + 1;
        }
        var result = new double[chains.Count][];
        for (int j = 0; j < chains.Count; j++) result[j] = z.AsSpan(j * n, n).ToArray();
        return result;
    }

    private static double Median(IReadOnlyList<double[]> chains)
    {
        var all = chains.SelectMany(c => c).ToArray();
        Array.Sort(all);
        int s = all.Length;
        return s % 2 == 1 ? all[s / 2] : 0.5 * (all[s / 2 - 1] + all[s / 2]);
    }
}
