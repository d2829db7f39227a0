namespace CryptoMargin.Dynamics.Bayes;

/// <summary>
/// The kept draws of several Markov chains on θ ∈ ℝᵈ (warmup discarded), with their acceptance rates.
/// Draws are stored chain by chain, draw by draw, coordinate by coordinate.
/// </summary>
public sealed class McmcChains
{
    private readonly double[][] _draws; // [chain][draw * Dimension + coordinate]

    internal McmcChains(double[][] draws, int dimension, int warmup, double[] acceptanceRates, double[] warmupAcceptanceRates)
    {
        _draws = draws;
        Dimension = dimension;
        Warmup = warmup;
        DrawsPerChain = draws[0].Length / dimension;
        AcceptanceRates = acceptanceRates;
        WarmupAcceptanceRates = warmupAcceptanceRates;
    }

    public int Chains => _draws.Length;
    public int Dimension { get; }
    public int Warmup { get; }
    public int DrawsPerChain { get; }

    /// <summary>Fraction of accepted proposals per chain over the kept draws.</summary>
    public IReadOnlyList<double> AcceptanceRates { get; }

    /// <summary>Fraction of accepted proposals per chain during warmup (while the proposal adapted).</summary>
    public IReadOnlyList<double> WarmupAcceptanceRates { get; }

    /// <summary>Mean of the per-chain acceptance rates over the kept draws.</summary>
    public double AcceptanceRate => AcceptanceRates.Average();

    /// <summary>Draw <paramref name="draw"/> of chain <paramref name="chain"/> (a view, no copy).</summary>
    public ReadOnlySpan<double> Draw(int chain, int draw) => _draws[chain].AsSpan(draw * Dimension, Dimension);

    /// <summary>The trace of one coordinate in one chain (a copy).</summary>
    public double[] Trace(int chain, int coordinate)
    {
        var d = _draws[chain];
        var trace = new double[DrawsPerChain];
        for (int i = 0; i < trace.Length; i++) trace[i] = d[i * Dimension + coordinate];
        return trace;
    }

    /// <summary>The traces of one coordinate, one array per chain: the input of <see cref="McmcDiagnostics"/>.</summary>
    public double[][] Traces(int coordinate)
    {
        var traces = new double[Chains][];
        for (int c = 0; c < Chains; c++) traces[c] = Trace(c, coordinate);
        return traces;
    }
}
