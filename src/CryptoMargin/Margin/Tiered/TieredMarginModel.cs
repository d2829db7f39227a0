using CryptoMargin.Instruments;
using CryptoMargin.Margin.Scenarios;
using CryptoMargin.MarketData;
using CryptoMargin.Portfolios;
using CryptoMargin.Pricing;

namespace CryptoMargin.Margin.Tiered;

/// <summary>
/// Tiered (non-portfolio) margin, <c>tiered</c>: every instrument is charged on its own, no offsets between
/// instruments.
/// <list type="bullet">
/// <item>Futures and perpetuals: Deribit standard margin, IM = notional·(base + perCoin·|size in coin|), MM likewise
/// (<see cref="FuturesMarginRates"/>); the MM replaced by a Binance-style bracket schedule where the policy gives one
/// (<see cref="MaintenanceBrackets"/>), the IM rate scaled up with the market's open interest where the policy gives
/// caps (dYdX v4, <see cref="OpenInterestScaling"/>).</item>
/// <item>Options: Deribit's short call / short put formulas, long options their premium (<see cref="OptionMarginRates"/>).</item>
/// <item>Spot holdings: no charge (fully paid); a short spot position is refused (no borrowing).</item>
/// </list>
/// Amounts are in the instrument's margin currency: coin for inverse contracts (notional/F), USDC for linear ones.
/// Prices: an inverse future's coin size and its conversion to coin use its mark (<see cref="MarketSnapshot.UnderlyingPrice"/>);
/// a linear future's use the index (Deribit, Linear Perpetual page: "This is done on the index price of the underlying currency");
/// options use the forward of their expiry and the surface's vol for the mark (Black-76, <see cref="Revaluation.UnitValue"/>).
/// <para>Netting: positions in the same instrument (same name) are summed first and the instrument's charge is taken on
/// the net size, as a venue holds one net position per instrument; different instruments never net (a perpetual does
/// not offset a dated future). Each position's contribution is its pro-rata share of its instrument's charge,
/// C(net)·size/net (opposite-signed positions in one instrument get negative shares that sum with the others to
/// C(net); all zero when the net is zero), so contributions sum to IM less the open-order add-on; its incremental
/// margin is C(net) − C(net − size), which equals the contribution when it is the instrument's only position
/// (tiered margin is additive over instruments). Open orders: an instrument's IM is the larger of its charge without
/// and with its open orders filled, the excess shown as the add-on <c>open orders</c>; they do not change MM.</para>
/// <para><see cref="MarginResult.BindingScenario"/> is null and P&amp;L per position is null: no scenarios.</para>
/// </summary>
public sealed class TieredMarginModel : IMarginModel
{
    private readonly TieredMarginParameters _parameters;
    private readonly IReadOnlyDictionary<string, double> _openNotional;

    /// <param name="parameters">The policy's <c>tiered</c> section; <see cref="TieredMarginParameters.Deribit"/> when null.</param>
    /// <param name="openNotional">Market open interest as USD notional, by instrument name (<c>BTC-PERPETUAL</c>, looked up first) or by coin (one figure for all its futures), needed for coins with <see cref="TieredMarginParameters.OpenInterest"/> caps (market state the snapshot does not carry).</param>
    /// <exception cref="DataValidationException">Parameters out of range (<see cref="TieredMarginParameters.Validate"/>) or an open notional that is negative or not finite.</exception>
    public TieredMarginModel(TieredMarginParameters? parameters = null, IReadOnlyDictionary<string, double>? openNotional = null)
    {
        _parameters = parameters ?? TieredMarginParameters.Deribit;
        _parameters.Validate();
        _openNotional = openNotional ?? new Dictionary<string, double>();
        foreach (var (coin, n) in _openNotional)
            if (!(n >= 0 && double.IsFinite(n)))
                throw new DataValidationException($"open notional of {coin} is {n}: must be finite and ≥ 0", field: "openNotional");
    }

    public string Name => "tiered";

    public TieredMarginParameters Parameters => _parameters;

    /// <summary>Names of the add-ons (IM components); their amounts sum to IM.</summary>
    public const string FuturesAddOn = "futures (size-linear rate)", OpenInterestAddOn = "futures (open-interest scaling)",
        ShortOptionAddOn = "short options", LongOptionAddOn = "long option premium", OpenOrdersAddOn = "open orders";

    public IReadOnlyList<MarginResult> Compute(Portfolio portfolio, MarketSnapshot market)
    {
        ArgumentNullException.ThrowIfNull(portfolio);
        ArgumentNullException.ThrowIfNull(market);

        // One group per instrument name, in order of first appearance (positions first, then orders).
        var groups = new List<Group>();
        var byName = new Dictionary<string, int>(StringComparer.Ordinal);
        Group GroupOf(Instrument instrument)
        {
            if (!byName.TryGetValue(instrument.Name, out int g))
            {
                g = groups.Count;
                byName[instrument.Name] = g;
                groups.Add(new Group(instrument));
            }
            return groups[g];
        }
        for (int i = 0; i < portfolio.Positions.Count; i++)
        {
            var p = portfolio.Positions[i];
            var group = GroupOf(p.Instrument);
            group.Net += p.Size;
            group.Members.Add(i);
        }
        foreach (var order in portfolio.OpenOrders)
            GroupOf(order.Instrument).Orders += order.Size;

        var perCurrency = new Dictionary<string, Totals>(StringComparer.Ordinal);
        var currencies = new List<string>();
        var contribution = new double[portfolio.Positions.Count];
        var incremental = new double[portfolio.Positions.Count];
        foreach (var g in groups)
        {
            var basis = Basis(g, market);
            var held = Charge(g.Net, basis);
            double im = held.Initial;
            double orderExcess = 0;
            if (g.Orders != 0)
            {
                var filled = Charge(g.Net + g.Orders, basis);
                orderExcess = Math.Max(0, filled.Initial - held.Initial);
                im += orderExcess;
            }
            string ccy = g.Instrument.MarginCurrency;
            if (!perCurrency.TryGetValue(ccy, out var totals))
            {
                totals = new Totals();
                perCurrency[ccy] = totals;
                currencies.Add(ccy);
            }
            totals.Initial += im;
            totals.Maintenance += held.Maintenance;
            totals.Futures += held.FuturesBase;
            totals.OpenInterest += held.OpenInterestExcess;
            totals.ShortOptions += held.ShortOption;
            totals.LongOptions += held.LongOption;
            totals.OpenOrders += orderExcess;
            if (held.MaintenanceCapped) totals.Notes.Add($"{g.Instrument.Name}: bracket maintenance margin above the initial margin, capped at IM");

            foreach (int i in g.Members)
            {
                double size = portfolio.Positions[i].Size;
                contribution[i] = g.Net == 0 ? 0 : held.Initial * (size / g.Net);
                double rest = g.Net - size;
                double without = Charge(rest, basis).Initial;
                if (g.Orders != 0) without = Math.Max(without, Charge(rest + g.Orders, basis).Initial);
                incremental[i] = im - without;
            }
        }

        var results = new List<MarginResult>(currencies.Count);
        foreach (var ccy in currencies)
        {
            var t = perCurrency[ccy];
            var positions = new List<PositionMargin>();
            for (int i = 0; i < portfolio.Positions.Count; i++)
            {
                var p = portfolio.Positions[i];
                if (p.Instrument.MarginCurrency == ccy)
                    positions.Add(new PositionMargin(p.Instrument.Name, p.Size, null, contribution[i], incremental[i]));
            }
            var addOns = new List<MarginAddOn>();
            void Add(string name, double amount)
            {
                if (amount != 0) addOns.Add(new MarginAddOn(name, amount));
            }
            Add(FuturesAddOn, t.Futures);
            Add(OpenInterestAddOn, t.OpenInterest);
            Add(ShortOptionAddOn, t.ShortOptions);
            Add(LongOptionAddOn, t.LongOptions);
            Add(OpenOrdersAddOn, t.OpenOrders);
            var notes = new List<string>(t.Notes)
            {
                "tiered margin: each instrument charged on its own net size, no offsets between instruments",
            };
            if (t.OpenOrders > 0) notes.Add("position contributions sum to IM less the open-orders add-on");
            results.Add(new MarginResult(Name, ccy, t.Initial, Math.Min(t.Maintenance, t.Initial), null, addOns, positions, notes));
        }
        return results;
    }

    /// <summary>
    /// Everything an instrument's charge needs that does not depend on the size, looked up and checked once per
    /// instrument: its price, an option's mark, the policy's rates, brackets and open-interest scaling for its coin.
    /// </summary>
    /// <exception cref="DataValidationException">What the market or the policy lacks for this instrument; the reason names the position.</exception>
    private ChargeBasis Basis(Group g, MarketSnapshot market)
    {
        try
        {
            switch (g.Instrument)
            {
                case FutureInstrument f:
                    if (!_parameters.Futures.TryGetValue(f.Currency, out var rates))
                        throw new DataValidationException($"no tiered futures margin rates for {f.Currency} in the policy", field: "tiered.futures");
                    double price = Positive(f.IsInverse ? market.UnderlyingPrice(f) : market.Index(f.Currency), "price");
                    var basis = new ChargeBasis { Instrument = f, Price = price, Rates = rates };
                    if (_parameters.MaintenanceBrackets.TryGetValue(f.Currency, out var brackets)) basis.Brackets = brackets;
                    if (_parameters.OpenInterest.TryGetValue(f.Currency, out var oi))
                    {
                        // the instrument's own market (dYdX scales per market), else one figure for the coin
                        if (!_openNotional.TryGetValue(f.Name, out var open) && !_openNotional.TryGetValue(f.Currency, out open))
                            throw new DataValidationException($"the policy scales {f.Currency} initial margin with open interest but no open notional of {f.Name} (or of {f.Currency}) was given", field: "openNotional");
                        basis.OpenInterest = oi;
                        basis.OpenNotional = open;
                    }
                    return basis;
                case OptionInstrument o:
                    double t = market.YearsTo(o.Expiry);
                    if (!(t > 0))
                        throw new DataValidationException($"option expired at {o.Expiry:u}, valuation time {market.ValuationTime:u}", field: "instrument");
                    double fwd = Positive(market.UnderlyingPrice(o), "forward");
                    double vol = market.Surface(o.Currency).ImpliedVolatility(o.Strike, t);
                    if (!(vol > 0 && double.IsFinite(vol)))
                        throw new DataValidationException($"no usable implied vol at strike {o.Strike} for expiry {o.Expiry:u} (got {vol})", field: "surface");
                    return new ChargeBasis { Instrument = o, Price = fwd, Mark = Revaluation.UnitValue(o, fwd, t, vol) };
                case SpotInstrument:
                    if (g.Net < 0 || g.Net + g.Orders < 0)
                        throw new DataValidationException($"short spot position {Math.Min(g.Net, g.Net + g.Orders)} (tiered margin allows no borrowing)", field: "size");
                    return new ChargeBasis { Instrument = g.Instrument };
                default:
                    throw new DataValidationException($"instrument kind {g.Instrument.Kind} has no tiered margin", field: "instrument");
            }
        }
        catch (DataValidationException e)
        {
            string where = g.FirstPosition >= 0 ? $"position {g.FirstPosition} ({g.Instrument.Name})" : $"open order ({g.Instrument.Name})";
            throw new DataValidationException($"{where}: {e.Reason}", field: e.Field, inner: e);
        }
    }

    private static double Positive(double value, string what) =>
        value > 0 && double.IsFinite(value) ? value : throw new DataValidationException($"{what} {value} is not a positive finite price", field: what);

    /// <summary>The margin of a net size <paramref name="size"/> of one instrument, in its margin currency, by component. No lookups, no allocation.</summary>
    private InstrumentCharge Charge(double size, in ChargeBasis basis)
    {
        if (size == 0) return default;
        return basis.Instrument switch
        {
            FutureInstrument f => FutureCharge(f.IsInverse, size, basis),
            OptionInstrument o => OptionCharge(o, size, basis),
            _ => default, // spot: fully paid
        };
    }

    private static InstrumentCharge FutureCharge(bool inverse, double size, in ChargeBasis b)
    {
        double price = b.Price;
        var rates = b.Rates;
        double coins = inverse ? Math.Abs(size) / price : Math.Abs(size);
        double notional = coins * price; // USD
        double toMargin = inverse ? 1 / price : 1; // USD → coin for inverse contracts
        double baseRate = TieredMarginKernels.SizeLinearRate(rates.InitialBase, rates.InitialPerCoin, coins);
        double imRate = b.OpenInterest is { } oi
            ? TieredMarginKernels.OpenInterestInitialFraction(baseRate, b.OpenNotional, oi.LowerCap, oi.UpperCap)
            : baseRate;
        double mmUsd = b.Brackets is { } brackets
            ? brackets.MaintenanceMargin(notional)
            : TieredMarginKernels.SizeLinearRate(rates.MaintenanceBase, rates.MaintenancePerCoin, coins) * notional;
        double im = imRate * notional * toMargin;
        double mm = mmUsd * toMargin;
        bool capped = mm > im;
        return new InstrumentCharge
        {
            Initial = im,
            Maintenance = capped ? im : mm,
            MaintenanceCapped = capped,
            FuturesBase = baseRate * notional * toMargin,
            OpenInterestExcess = im - baseRate * notional * toMargin,
        };
    }

    private InstrumentCharge OptionCharge(OptionInstrument o, double size, in ChargeBasis b)
    {
        var rates = _parameters.Options;
        double f = b.Price;
        double markFraction = b.Mark / (o.IsInverse ? 1 : f); // mark in units of the underlying price (coin)
        double toMargin = o.IsInverse ? 1 : f;
        double units = Math.Abs(size);
        if (size > 0)
        {
            double premium = rates.ChargeLongPremium ? units * markFraction * toMargin : 0;
            return new InstrumentCharge { Initial = premium, Maintenance = premium, LongOption = premium };
        }
        bool call = o.Type == OptionType.Call;
        double otm = TieredMarginKernels.OutOfTheMoneyFraction(call, f, o.Strike);
        double im = units * toMargin * TieredMarginKernels.ShortOptionInitial(call, otm, markFraction, rates.ShortInitialBase, rates.ShortInitialFloor, rates.ShortMaintenance);
        double mm = units * toMargin * TieredMarginKernels.ShortOptionMaintenance(call, markFraction, rates.ShortMaintenance);
        return new InstrumentCharge { Initial = im, Maintenance = mm, ShortOption = im };
    }

    private sealed class Group(Instrument instrument)
    {
        public Instrument Instrument { get; } = instrument;
        public double Net;
        public double Orders;
        public List<int> Members { get; } = [];
        public int FirstPosition => Members.Count > 0 ? Members[0] : -1;
    }

    private sealed class Totals
    {
        public double Initial, Maintenance, Futures, OpenInterest, ShortOptions, LongOptions, OpenOrders;
        public List<string> Notes { get; } = [];
    }

    private struct InstrumentCharge
    {
        public double Initial, Maintenance, FuturesBase, OpenInterestExcess, ShortOption, LongOption;
        public bool MaintenanceCapped;
    }

    /// <summary>What an instrument's charge is priced off (see <see cref="Basis"/>): the price its size converts with, an option's mark per unit (coin for inverse, USD for linear), the policy's pieces for its coin.</summary>
    private struct ChargeBasis
    {
        public Instrument Instrument;
        public double Price, Mark, OpenNotional;
        public FuturesMarginRates Rates;
        public MaintenanceBrackets? Brackets;
        public OpenInterestScaling? OpenInterest;
    }
}
