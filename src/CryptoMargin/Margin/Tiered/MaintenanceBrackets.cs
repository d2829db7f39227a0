using CryptoMargin.MarketData;

namespace CryptoMargin.Margin.Tiered;

/// <summary>
/// A Binance-style ("tax bracket") maintenance schedule of one contract: brackets of position notional (USD), each
/// from its floor up to the next one's, with a maintenance rate; the maintenance margin of notional N in bracket n is
/// <c>MM(N) = N·rate_n − cum_n</c> with the maintenance amount <c>cum_n = cum_{n−1} + floor_n·(rate_n − rate_{n−1})</c>,
/// cum_0 = 0 (<see cref="TieredMarginKernels.NextMaintenanceAmount"/>). That choice of cum makes MM continuous and
/// piecewise linear in N, with slope rate_n inside bracket n: each bracket's rate applies to the part of the notional
/// that lies in that bracket, as income tax does (Binance, "Leverage and Margin of USDⓈ-M Futures",
/// https://www.binance.com/en/support/faq/360033162192). Rates must not decrease, so MM is convex and non-decreasing.
/// <para>Not the initial margin: Binance's IM is notional / chosen leverage (capped per bracket); here IM stays
/// Deribit's size-linear rate (optionally OI-scaled) and the brackets only replace the maintenance rule.</para>
/// </summary>
public sealed class MaintenanceBrackets
{
    private readonly double[] _floors;
    private readonly double[] _rates;
    private readonly double[] _amounts;

    /// <param name="floors">Lower notional bound of each bracket (USD): the first is 0, then strictly increasing, finite.</param>
    /// <param name="rates">Maintenance rate of each bracket, in [0, 1] and non-decreasing.</param>
    /// <exception cref="DataValidationException">Bounds or rates that break these rules; the reason names the bracket.</exception>
    public MaintenanceBrackets(IReadOnlyList<double> floors, IReadOnlyList<double> rates)
    {
        ArgumentNullException.ThrowIfNull(floors);
        ArgumentNullException.ThrowIfNull(rates);
        if (floors.Count == 0 || floors.Count != rates.Count)
            throw new DataValidationException($"maintenance brackets need as many floors as rates, at least one (got {floors.Count} floors, {rates.Count} rates)", field: "tiered.brackets");
        if (floors[0] != 0)
            throw new DataValidationException($"the first maintenance bracket must start at notional 0, not {floors[0]}", field: "tiered.brackets");
        _floors = new double[floors.Count];
        _rates = new double[floors.Count];
        _amounts = new double[floors.Count];
        for (int i = 0; i < floors.Count; i++)
        {
            double f = floors[i], r = rates[i];
            if (!double.IsFinite(f) || (i > 0 && !(f > _floors[i - 1])))
                throw new DataValidationException($"maintenance bracket {i + 1}: floor {f} must be finite and above the previous floor", field: "tiered.brackets");
            if (!(r >= 0 && r <= 1))
                throw new DataValidationException($"maintenance bracket {i + 1}: rate {r} must be in [0, 1]", field: "tiered.brackets");
            if (i > 0 && r < _rates[i - 1])
                throw new DataValidationException($"maintenance bracket {i + 1}: rate {r} is below the previous bracket's {_rates[i - 1]} (rates must not decrease)", field: "tiered.brackets");
            _floors[i] = f;
            _rates[i] = r;
            _amounts[i] = i == 0 ? 0 : TieredMarginKernels.NextMaintenanceAmount(_amounts[i - 1], f, r, _rates[i - 1]);
        }
    }

    /// <summary>Number of brackets.</summary>
    public int Count => _floors.Length;

    /// <summary>Lower notional bound of bracket <paramref name="index"/> (0-based).</summary>
    public double Floor(int index) => _floors[index];

    /// <summary>Maintenance rate of bracket <paramref name="index"/>.</summary>
    public double Rate(int index) => _rates[index];

    /// <summary>Maintenance amount (cum) of bracket <paramref name="index"/>, derived from the floors and rates.</summary>
    public double MaintenanceAmount(int index) => _amounts[index];

    /// <summary>The bracket holding notional <paramref name="notional"/> (≥ 0): the last one whose floor is ≤ it (a notional on a floor belongs to the upper bracket).</summary>
    public int BracketOf(double notional)
    {
        int lo = 0, hi = _floors.Length - 1;
        while (lo < hi)
        {
            int mid = (lo + hi + 1) >> 1;
            if (_floors[mid] <= notional) lo = mid;
            else hi = mid - 1;
        }
        return lo;
    }

    /// <summary>MM(N) = N·rate_n − cum_n for |N| in bracket n, in the notional's currency (USD).</summary>
    public double MaintenanceMargin(double notional)
    {
        double n = Math.Abs(notional);
        int b = BracketOf(n);
        return n * _rates[b] - _amounts[b];
    }

    /// <summary>
    /// The part of a Binance USDⓈ-M BTC/USDT schedule its published worked example fixes: a bracket at 0.5% with
    /// maintenance amount 50 USDT below one at 1% from 250,000 USDT, whose amount is "250,000 × (1% − 0.5%) + 50 USDT =
    /// 1,300 USDT" (https://www.binance.com/en/support/faq/b3c689c1f50a44cabb3a84e663b81d93). The first bracket, 0.4%
    /// up to 50,000 USDT, is inferred (it is what gives the 0.5% bracket its amount of 50 = 50,000 × 0.1%), and no
    /// bracket above 1% is included: an illustration, not Binance's current table, which it changes without notice.
    /// </summary>
    public static MaintenanceBrackets BinanceBtcUsdtExample { get; } = new([0, 50_000, 250_000], [0.004, 0.005, 0.01]);
}
