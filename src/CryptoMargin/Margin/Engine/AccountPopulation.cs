using CryptoMargin.Instruments;

namespace CryptoMargin.Margin.Engine;

/// <summary>
/// A seeded synthetic population of accounts over an engine's live instruments, for benchmarks and tests (not a model
/// of any venue's real book). Each account holds <c>positionsPerAccount</c> distinct instruments: with probability
/// <see cref="LinearShare"/> a future or perpetual (uniform over them), else an option (uniform over the options), so
/// the books are option-heavy like portfolio-margin accounts. Sizes are log-normal in magnitude, |q| = median·exp(0.8·Z),
/// Z standard normal, rounded to the venue's size step and at least one step, long or short with equal probability;
/// medians/steps per unit: inverse futures and perpetuals 20,000 USD / 10 USD; BTC options and linear BTC 1 / 0.1 coin;
/// other coins' options and linear contracts 10 / 1 coin (Deribit's minimum sizes: 10 USD per inverse future contract,
/// 0.1 BTC and 1 ETH per option; Deribit contract specifications).
/// </summary>
public static class AccountPopulation
{
    /// <summary>Share of positions in futures and perpetuals.</summary>
    public const double LinearShare = 0.2;

    /// <summary>Draws <paramref name="accounts"/> accounts of <paramref name="positionsPerAccount"/> positions each, deterministic in <paramref name="seed"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Non-positive counts, or more positions per account than instruments.</exception>
    public static AccountBook Generate(IReadOnlyList<Instrument> instruments, int accounts, int positionsPerAccount, int seed)
    {
        ArgumentNullException.ThrowIfNull(instruments);
        ArgumentOutOfRangeException.ThrowIfNegative(accounts);
        ArgumentOutOfRangeException.ThrowIfNegative(positionsPerAccount);
        if (positionsPerAccount > instruments.Count)
            throw new ArgumentOutOfRangeException(nameof(positionsPerAccount), positionsPerAccount, $"more than the {instruments.Count} instruments: an account holds each instrument once");
        if ((long)accounts * positionsPerAccount > Array.MaxLength)
            throw new ArgumentOutOfRangeException(nameof(accounts), accounts, "accounts × positions exceeds the largest array");
        int[] options = [.. Enumerable.Range(0, instruments.Count).Where(i => instruments[i] is OptionInstrument)];
        int[] linear = [.. Enumerable.Range(0, instruments.Count).Where(i => instruments[i] is not OptionInstrument)];
        var rng = new Random(seed);
        int n = accounts * positionsPerAccount;
        var offsets = new int[accounts + 1];
        var idx = new int[n];
        var size = new double[n];
        var taken = new bool[instruments.Count];
        for (int a = 0; a < accounts; a++)
        {
            int start = a * positionsPerAccount;
            offsets[a + 1] = start + positionsPerAccount;
            for (int k = 0; k < positionsPerAccount; k++)
            {
                int i;
                do
                {
                    bool pickLinear = linear.Length > 0 && (options.Length == 0 || rng.NextDouble() < LinearShare);
                    i = pickLinear ? linear[rng.Next(linear.Length)] : options[rng.Next(options.Length)];
                } while (taken[i]);
                taken[i] = true;
                idx[start + k] = i;
                var inst = instruments[i];
                (double median, double step) = inst.SizeUnit == "USD" ? (20000.0, 10.0)
                    : inst.Currency == "BTC" ? (1.0, 0.1) : (10.0, 1.0);
                double z = Normal(rng);
                double steps = Math.Max(1, Math.Round(median * Math.Exp(0.8 * z) / step));
                size[start + k] = (rng.Next(2) == 0 ? -1 : 1) * steps * step;
            }
            for (int k = 0; k < positionsPerAccount; k++) taken[idx[start + k]] = false;
        }
        return new AccountBook(offsets, idx, size, instruments.Count);
    }

    /// <summary>Standard normal by Box–Muller.</summary>
    private static double Normal(Random rng)
    {
        double u = 1 - rng.NextDouble(), v = rng.NextDouble();
        return Math.Sqrt(-2 * Math.Log(u)) * Math.Cos(2 * Math.PI * v);
    }
}
