using System.Globalization;
using CryptoMargin.MarketData;

namespace CryptoMargin.Risk;

/// <summary>
/// VaR and ES of an empirical loss sample. Quantile: VaR = L₍ₖ₎, the k-th smallest of N losses with
/// k = ⌈c·N⌉ (Hyndman–Fan type 1, the inverse of the empirical distribution function), so at most a fraction
/// 1 − c of the sample lies strictly above VaR. ES = mean of L₍ₖ₎ … L₍N₎ (the N − k + 1 largest losses, i.e.
/// the losses ≥ VaR counted by rank, so ties at VaR are counted once each).
/// </summary>
internal static class EmpiricalTail
{
    /// <summary>k of <see cref="EmpiricalTail"/> (1-based), robust to c·N landing a hair above an integer.</summary>
    internal static int Rank(int n, double confidence) =>
        Math.Clamp((int)Math.Ceiling(confidence * n - 1e-9), 1, n);

    /// <summary>Fewest losses with which VaR is not simply the sample maximum: ⌈1/(1 − c)⌉.</summary>
    internal static int MinimumSample(double confidence) => (int)Math.Ceiling(1 / (1 - confidence) - 1e-9);

    /// <summary>Reorders <paramref name="losses"/> (a scratch buffer) and returns VaR and ES.</summary>
    internal static RiskEstimate Estimate(Span<double> losses, double confidence)
    {
        int n = losses.Length;
        int k = Rank(n, confidence);
        Selection.Select(losses, k - 1);
        double var = losses[k - 1];
        double sum = var;
        for (int i = k; i < n; i++) sum += losses[i];
        return new RiskEstimate(var, sum / (n - k + 1));
    }

    internal static void RequireSample(int n, double confidence, string what)
    {
        int minimum = MinimumSample(confidence);
        if (n < minimum)
            throw new DataValidationException(string.Create(CultureInfo.InvariantCulture,
                $"{n} {what} are too few for a {confidence:G6} quantile: need at least {minimum} = ⌈1/(1 − c)⌉"));
    }

    internal static void ValidateConfidence(double confidence)
    {
        if (!(confidence > 0.5 && confidence < 1))
            throw new ArgumentOutOfRangeException(nameof(confidence), confidence, "confidence must lie in (0.5, 1)");
    }
}

/// <summary>Hoare quickselect (nth_element): afterwards a[k] is the k-th smallest, a[..k] ≤ a[k] ≤ a[k+1..].</summary>
internal static class Selection
{
    internal static void Select(Span<double> a, int k)
    {
        int lo = 0, hi = a.Length - 1;
        while (hi > lo)
        {
            if (hi - lo < 16)
            {
                // Insertion sort of the small remainder.
                for (int i = lo + 1; i <= hi; i++)
                {
                    double x = a[i];
                    int j = i - 1;
                    while (j >= lo && a[j] > x) { a[j + 1] = a[j]; j--; }
                    a[j + 1] = x;
                }
                return;
            }
            int mid = lo + ((hi - lo) >> 1);
            // Median of three as pivot.
            if (a[mid] < a[lo]) (a[mid], a[lo]) = (a[lo], a[mid]);
            if (a[hi] < a[lo]) (a[hi], a[lo]) = (a[lo], a[hi]);
            if (a[hi] < a[mid]) (a[hi], a[mid]) = (a[mid], a[hi]);
            double pivot = a[mid];
            int l = lo, r = hi;
            while (l <= r)
            {
                while (a[l] < pivot) l++;
                while (a[r] > pivot) r--;
                if (l <= r)
                {
                    (a[l], a[r]) = (a[r], a[l]);
                    l++; r--;
                }
            }
            if (k <= r) hi = r;
            else if (k >= l) lo = l;
            else return;
        }
    }
}

/// <summary>
/// xoshiro256** (Blackman &amp; Vigna 2018) seeded by SplitMix64: a small, fast generator whose stream depends only
/// on the seed (not on the .NET version, unlike <see cref="Random"/>'s unspecified algorithm).
/// </summary>
internal struct Xoshiro256
{
    private ulong _s0, _s1, _s2, _s3;

    internal Xoshiro256(ulong seed)
    {
        _s0 = SplitMix(ref seed); _s1 = SplitMix(ref seed); _s2 = SplitMix(ref seed); _s3 = SplitMix(ref seed);
    }

    internal static ulong SplitMix(ref ulong x)
    {
        ulong z = x += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>A seed for day t of a rolling run, from the run's seed: independent streams per day.</summary>
    internal static ulong Derive(int seed, int day)
    {
        ulong x = ((ulong)(uint)seed << 32) | (uint)day;
        return SplitMix(ref x);
    }

    internal ulong Next()
    {
        ulong result = ulong.RotateLeft(_s1 * 5, 7) * 9;
        ulong t = _s1 << 17;
        _s2 ^= _s0; _s3 ^= _s1; _s1 ^= _s2; _s0 ^= _s3;
        _s2 ^= t;
        _s3 = ulong.RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>Uniform index in [0, n) by Lemire's multiply-shift (bias below n/2³², negligible here).</summary>
    internal int NextIndex(int n) => (int)(((Next() >> 32) * (ulong)(uint)n) >> 32);
}
