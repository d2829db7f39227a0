using CryptoMargin.MarketData;
using CryptoMargin.Portfolios;

namespace CryptoMargin.Margin.Engine;

/// <summary>
/// Many accounts' positions in compressed sparse row (CSR) form over an engine's instrument list: account a holds the
/// positions <c>Offsets[a] .. Offsets[a+1] − 1</c>, each an instrument index (into
/// <see cref="RealtimeMarginEngine.Instruments"/>) and a size in the instrument's Deribit unit (USD for inverse futures and
/// perpetuals, coin otherwise; negative = short). Within an account the positions are sorted by instrument index (the
/// constructor sorts a copy), so the positions of one margin currency are contiguous. Not a portfolio: no collateral, no
/// orders. Immutable once built.
/// </summary>
public sealed class AccountBook
{
    private readonly int[] _offsets;
    private readonly int[] _instrument;
    private readonly double[] _size;

    /// <param name="offsets">Account a's positions start at offsets[a]; offsets[0] = 0, non-decreasing, last = position count.</param>
    /// <param name="instrument">Instrument index of each position, in [0, <paramref name="instrumentCount"/>).</param>
    /// <param name="size">Size of each position, finite and within ±<see cref="Portfolio.MaxAbsSize"/>.</param>
    /// <param name="instrumentCount">How many instruments the indices refer to.</param>
    /// <exception cref="DataValidationException">Malformed offsets, an index out of range or a bad size, naming the account and position.</exception>
    public AccountBook(ReadOnlySpan<int> offsets, ReadOnlySpan<int> instrument, ReadOnlySpan<double> size, int instrumentCount)
    {
        if (offsets.Length < 1 || offsets[0] != 0)
            throw new DataValidationException("account offsets must start with 0", field: "offsets");
        if (instrument.Length != size.Length)
            throw new DataValidationException($"{instrument.Length} instrument indices but {size.Length} sizes", field: "size");
        if (offsets[^1] != instrument.Length)
            throw new DataValidationException($"the last offset is {offsets[^1]} but there are {instrument.Length} positions", field: "offsets");
        _offsets = offsets.ToArray();
        _instrument = instrument.ToArray();
        _size = size.ToArray();
        for (int a = 0; a < offsets.Length - 1; a++)
        {
            int start = _offsets[a], end = _offsets[a + 1];
            if (end < start) throw new DataValidationException($"account {a}: offsets decrease ({start} then {end})", field: "offsets");
            for (int p = start; p < end; p++)
            {
                if ((uint)_instrument[p] >= (uint)instrumentCount)
                    throw new DataValidationException($"account {a}, position {p - start}: instrument index {_instrument[p]} is outside [0, {instrumentCount})", field: "instrument");
                if (!double.IsFinite(_size[p]) || Math.Abs(_size[p]) > Portfolio.MaxAbsSize)
                    throw new DataValidationException($"account {a}, position {p - start}: size {_size[p]} is not a finite number within ±{Portfolio.MaxAbsSize:G3}", field: "size");
            }
            _instrument.AsSpan(start, end - start).Sort(_size.AsSpan(start, end - start));
        }
        InstrumentCount = instrumentCount;
    }

    /// <summary>Number of accounts.</summary>
    public int Count => _offsets.Length - 1;

    /// <summary>Number of positions over all accounts.</summary>
    public int PositionCount => _instrument.Length;

    /// <summary>The number of instruments the indices refer to.</summary>
    public int InstrumentCount { get; }

    public ReadOnlySpan<int> Offsets => _offsets;
    public ReadOnlySpan<int> InstrumentIndices => _instrument;
    public ReadOnlySpan<double> Sizes => _size;

    /// <summary>Account <paramref name="account"/>'s instrument indices (sorted).</summary>
    public ReadOnlySpan<int> InstrumentsOf(int account) => _instrument.AsSpan(_offsets[account], _offsets[account + 1] - _offsets[account]);

    /// <summary>Account <paramref name="account"/>'s sizes, aligned with <see cref="InstrumentsOf"/>.</summary>
    public ReadOnlySpan<double> SizesOf(int account) => _size.AsSpan(_offsets[account], _offsets[account + 1] - _offsets[account]);

    /// <summary>Bytes of the CSR arrays (offsets, indices, sizes): what one pass over all accounts streams from memory.</summary>
    public long Bytes => 4L * _offsets.Length + 4L * _instrument.Length + 8L * _size.Length;
}
