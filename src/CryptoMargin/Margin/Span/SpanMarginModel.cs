using System.Globalization;
using CryptoMargin.Instruments;
using CryptoMargin.MarketData;
using CryptoMargin.Portfolios;
using CryptoMargin.Pricing;

namespace CryptoMargin.Margin.Span;

/// <summary>
/// SPAN-style scenario margin (CME SPAN, https://www.cmegroup.com/clearing/span-methodology.html), named <c>span</c>.
/// Per margin currency, positions are grouped into combined commodities (one per coin). For each:
/// <list type="bullet">
/// <item>scanning risk = the largest loss of the summed risk arrays over the 16 scenarios (<see cref="SpanScenarios"/>,
/// <see cref="SpanRisk.UnitRiskArray"/>), floored at 0;</item>
/// <item>intra-commodity spread charge: net futures-equivalent delta per expiry tier, spreads between opposite-signed
/// tiers charged rate × matched delta (<see cref="SpanRisk.IntraCommoditySpreadCharge"/>);</item>
/// <item>inter-commodity credit between coins of the same margin currency with opposite-signed USD deltas: credit
/// rate × the delta-based price risk of the matched deltas (<see cref="SpanRisk.InterCommodityCredit"/>), price risk
/// = min(scanning risk, |Δ|·F·range) so a credit never exceeds rate × scanning risk;</item>
/// <item>short-option minimum = rate × underlying value × Σ|size| of short options;</item>
/// <item>commodity risk = max(scan + intra − credit, short-option minimum); IM = Σ over commodities, MM = IM / <see cref="SpanParameters.InitialToMaintenance"/>.</item>
/// </list>
/// Signs: the risk arrays count losses positive (SPAN's convention); the result reports account-view P&amp;L (loss &lt; 0).
/// Open orders: IM is the worse of with and without them. Contributions are Euler shares for scanning risk, credit and
/// the minimum (a position's loss in the binding scenario; its delta share), spread charges split half per leg then by
/// delta within a tier; they sum to IM.
/// </summary>
public sealed class SpanMarginModel : IMarginModel
{
    /// <exception cref="ArgumentOutOfRangeException">A parameter out of range (<see cref="SpanParameters.Validate"/>).</exception>
    public SpanMarginModel(SpanParameters? parameters = null)
    {
        Parameters = parameters ?? new SpanParameters();
        Parameters.Validate();
    }

    public SpanParameters Parameters { get; }

    public string Name => "span";

    /// <inheritdoc />
    public IReadOnlyList<MarginResult> Compute(Portfolio portfolio, MarketSnapshot market)
    {
        ArgumentNullException.ThrowIfNull(portfolio);
        ArgumentNullException.ThrowIfNull(market);
        var legs = Value(portfolio.Positions, market, "position");
        List<Leg>? withOrders = null;
        if (portfolio.OpenOrders.Count > 0)
        {
            var merged = portfolio;
            foreach (var order in portfolio.OpenOrders) merged = merged.With(order);
            withOrders = Value(merged.Positions, market, "position (with open orders)");
        }
        var currencies = legs.Select(l => l.Instrument.MarginCurrency)
            .Concat(withOrders?.Select(l => l.Instrument.MarginCurrency) ?? [])
            .Distinct().Order(StringComparer.Ordinal).ToList();
        var results = new List<MarginResult>(currencies.Count);
        foreach (var ccy in currencies)
        {
            var own = legs.Where(l => l.Instrument.MarginCurrency == ccy).ToList();
            var book = Evaluate(own, market);
            var notes = new List<string>();
            if (withOrders is not null)
            {
                var ordersBook = Evaluate(withOrders.Where(l => l.Instrument.MarginCurrency == ccy).ToList(), market);
                if (ordersBook.InitialMargin > book.InitialMargin)
                {
                    notes.Add(string.Create(CultureInfo.InvariantCulture, $"open orders filled raise IM from {book.InitialMargin:G6} to {ordersBook.InitialMargin:G6}: the worse case is charged, breakdown with the orders filled"));
                    book = ordersBook;
                    own = withOrders.Where(l => l.Instrument.MarginCurrency == ccy).ToList();
                }
                else notes.Add("open orders do not raise the margin: charged without them");
            }
            results.Add(Result(ccy, own, book, market, notes));
        }
        return results;
    }

    private MarginResult Result(string currency, List<Leg> legs, Book book, MarketSnapshot market, List<string> notes)
    {
        var addOns = new List<MarginAddOn>();
        foreach (var c in book.Commodities)
        {
            if (c.IntraCharge > 0) addOns.Add(new($"intra-commodity spread charge {c.Coin}", c.IntraCharge));
            if (c.Credit > 0) addOns.Add(new($"inter-commodity spread credit {c.Coin}", -c.Credit));
            if (c.MinimumBinds) addOns.Add(new($"short-option minimum {c.Coin} (top-up over scan + spreads)", c.ShortOptionMinimum - c.RiskBeforeMinimum));
            var sc = SpanScenarios.Standard[c.Binding];
            notes.Add(string.Create(CultureInfo.InvariantCulture,
                $"{c.Coin}: scanning risk {c.ScanRisk:G6} (scenario {sc.Number}: {sc.Name}), intra-commodity charge {c.IntraCharge:G6}, inter-commodity credit {c.Credit:G6}, short-option minimum {c.ShortOptionMinimum:G6}{(c.MinimumBinds ? " binds" : "")} → {c.Risk:G6}"));
        }
        BindingScenario? binding = null;
        var top = book.Commodities.OrderByDescending(c => c.ScanRisk).FirstOrDefault();
        if (top is not null)
        {
            var sc = SpanScenarios.Standard[top.Binding];
            binding = new BindingScenario($"{top.Coin} scenario {sc.Number}: {sc.Name}", top.Scan.PriceShock(sc), top.Scan.VolShock(sc), -top.Array[top.Binding]);
            if (book.Commodities.Count > 1)
                notes.Add("each combined commodity is scanned on its own; the binding scenario shown is that of the largest scanning risk, and each position's P&L is in its own commodity's binding scenario");
        }
        if (book.Commodities.Any(c => c.Binding >= 14))
            notes.Add(string.Create(CultureInfo.InvariantCulture, $"extreme-move P&L counts at {Parameters.ExtremeMoveCoverage:P0} (SPAN coverage)"));

        var positions = new List<PositionMargin>(legs.Count);
        for (int i = 0; i < legs.Count; i++)
        {
            var leg = legs[i];
            var c = book.Commodities.First(x => x.Coin == leg.Instrument.Currency);
            double pnl = -leg.Size * leg.UnitArray[c.Binding];
            double without = Evaluate(legs.Where((_, j) => j != i).ToList(), market).InitialMargin;
            positions.Add(new PositionMargin(leg.Instrument.Name, leg.Size, pnl, book.Contributions[i], book.InitialMargin - without));
        }
        return new MarginResult(Name, currency, book.InitialMargin, book.InitialMargin / Parameters.InitialToMaintenance,
            binding, addOns, positions, notes);
    }

    /// <summary>The margin of one margin currency's legs.</summary>
    private Book Evaluate(List<Leg> legs, MarketSnapshot market)
    {
        var commodities = new List<Commodity>();
        foreach (var group in legs.GroupBy(l => l.Instrument.Currency).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var first = group.First();
            double f = market.IndexPrices.TryGetValue(group.Key, out var idx) && idx > 0 && double.IsFinite(idx) ? idx : first.Underlying;
            var c = new Commodity(group.Key, Parameters.Scan(group.Key), first.Instrument.IsInverse ? 1 : f, f, Parameters.TierBoundariesDays.Count + 1);
            foreach (var leg in group)
            {
                SpanRisk.Accumulate(c.Array, leg.UnitArray, leg.Size);
                c.TierDeltas[leg.Tier - 1] += leg.Delta;
                c.Delta += leg.Delta;
                if (leg.Instrument is OptionInstrument && leg.Size < 0)
                    c.ShortOptionMinimum += Parameters.ShortOptionMinimumRate * -leg.Size * c.ValuePerDelta;
            }
            c.ScanRisk = SpanRisk.ScanningRisk(c.Array, out c.Binding);
            c.TierDeltas.CopyTo(c.OriginalTierDeltas, 0);
            c.IntraCharge = SpanRisk.IntraCommoditySpreadCharge(c.TierDeltas, Parameters.TierSpreads, c.ValuePerDelta, c.TierCharges);
            // Delta-based price risk, in the margin currency: |Δ| coin × F USD × range (÷ F when coin-settled).
            c.PriceRisk = Math.Min(c.ScanRisk, Math.Abs(c.Delta) * c.Scan.PriceScanRange * c.ValuePerDelta);
            c.RemainingUsdDelta = c.Delta * c.Price;
            commodities.Add(c);
        }
        foreach (var s in Parameters.InterCommoditySpreads)
        {
            var a = commodities.FirstOrDefault(c => c.Coin == s.CoinA);
            var b = commodities.FirstOrDefault(c => c.Coin == s.CoinB);
            if (a is null || b is null || a.Delta == 0 || b.Delta == 0) continue;
            // Price risk per USD of delta stays that of the whole net delta; only the remaining deltas spread.
            double wprA = a.PriceRisk / Math.Abs(a.Delta * a.Price), wprB = b.PriceRisk / Math.Abs(b.Delta * b.Price);
            SpanRisk.InterCommodityCredit(a.RemainingUsdDelta, wprA * Math.Abs(a.RemainingUsdDelta), 1,
                b.RemainingUsdDelta, wprB * Math.Abs(b.RemainingUsdDelta), 1, s.CreditRate, out double ca, out double cb);
            if (ca == 0 && cb == 0) continue;
            double n = Math.Min(Math.Abs(a.RemainingUsdDelta), Math.Abs(b.RemainingUsdDelta));
            a.RemainingUsdDelta -= Math.CopySign(n, a.RemainingUsdDelta);
            b.RemainingUsdDelta -= Math.CopySign(n, b.RemainingUsdDelta);
            a.Credit += ca;
            b.Credit += cb;
        }
        double im = 0;
        foreach (var c in commodities)
        {
            c.RiskBeforeMinimum = c.ScanRisk + c.IntraCharge - c.Credit;
            c.MinimumBinds = c.ShortOptionMinimum > c.RiskBeforeMinimum;
            c.Risk = Math.Max(c.RiskBeforeMinimum, c.ShortOptionMinimum);
            im += c.Risk;
        }
        var contributions = new double[legs.Count];
        for (int i = 0; i < legs.Count; i++)
        {
            var leg = legs[i];
            var c = commodities.First(x => x.Coin == leg.Instrument.Currency);
            if (c.MinimumBinds)
            {
                contributions[i] = leg.Instrument is OptionInstrument && leg.Size < 0
                    ? Parameters.ShortOptionMinimumRate * -leg.Size * c.ValuePerDelta : 0;
                continue;
            }
            double share = c.ScanRisk > 0 ? leg.Size * leg.UnitArray[c.Binding] : 0;
            double tierDelta = c.OriginalTierDeltas[leg.Tier - 1];
            if (tierDelta != 0) share += c.TierCharges[leg.Tier - 1] * leg.Delta / tierDelta;
            if (c.Delta != 0) share -= c.Credit * leg.Delta / c.Delta;
            contributions[i] = share;
        }
        return new Book(im, commodities, contributions);
    }

    /// <summary>Values every position: underlying, years to expiry, vol, delta, tier and unit risk array; a position the market cannot value is named in the error.</summary>
    private List<Leg> Value(IReadOnlyList<Position> positions, MarketSnapshot market, string what)
    {
        var legs = new List<Leg>(positions.Count);
        for (int i = 0; i < positions.Count; i++)
        {
            var p = positions[i];
            var inst = p.Instrument;
            string where = $"{what} {i} ({inst.Name})";
            double f, t = 0, vol = 0, days = 0;
            try
            {
                f = market.UnderlyingPrice(inst);
            }
            catch (DataValidationException e)
            {
                throw new DataValidationException($"{where}: {e.Reason}", field: e.Field ?? "instrument", inner: e);
            }
            if (!(f > 0) || !double.IsFinite(f))
                throw new DataValidationException($"{where}: underlying price {f} is not a positive finite number", field: "instrument");
            DateTimeOffset? expiry = inst switch
            {
                OptionInstrument o => o.Expiry,
                FutureInstrument fut => fut.Expiry,
                _ => null,
            };
            if (expiry is DateTimeOffset e1)
            {
                t = market.YearsTo(e1);
                if (!(t > 0))
                    throw new DataValidationException(string.Create(CultureInfo.InvariantCulture,
                        $"{where}: expired at {e1:yyyy-MM-dd HH:mm} UTC, before the valuation time {market.ValuationTime.UtcDateTime:yyyy-MM-dd HH:mm} UTC"), field: "instrument");
                days = t * 365;
            }
            double delta;
            if (inst is OptionInstrument opt)
            {
                try
                {
                    vol = market.Surface(opt.Currency).ImpliedVolatility(opt.Strike, t);
                }
                catch (DataValidationException e)
                {
                    throw new DataValidationException($"{where}: {e.Reason}", field: e.Field ?? "surface", inner: e);
                }
                if (!(vol > 0) || !double.IsFinite(vol))
                    throw new DataValidationException(string.Create(CultureInfo.InvariantCulture,
                        $"{where}: no usable implied vol at strike {opt.Strike} for expiry {opt.Expiry:yyyy-MM-dd} (surface gives {vol})"), field: "surface");
                // Futures-equivalent delta in coin, the exposure of the margin currency's P&L: Black-76 Δ for linear
                // options; for coin-settled ones Deribit's premium-adjusted Δ − C/F (InverseOption.Greeks.DeltaCoin),
                // what an inverse perpetual of q USD (q/F coin) hedges.
                delta = p.Size * (opt.IsInverse
                    ? InverseOption.Greeks(f, opt.Strike, t, vol, opt.Type).DeltaCoin
                    : Black76.Greeks(f, opt.Strike, t, vol, opt.Type).Delta);
            }
            else delta = inst is FutureInstrument { IsInverse: true } ? p.Size / f : p.Size;
            var unit = new double[SpanScenarios.Count];
            SpanRisk.UnitRiskArray(inst, f, t, vol, Parameters.Scan(inst.Currency), unit);
            legs.Add(new Leg(inst, p.Size, f, delta, Tier(days), unit));
        }
        return legs;
    }

    private int Tier(double days)
    {
        var bounds = Parameters.TierBoundariesDays;
        for (int i = 0; i < bounds.Count; i++)
            if (days <= bounds[i]) return i + 1;
        return bounds.Count + 1;
    }

    private sealed record Leg(Instrument Instrument, double Size, double Underlying, double Delta, int Tier, double[] UnitArray);

    private sealed record Book(double InitialMargin, List<Commodity> Commodities, double[] Contributions);

    private sealed class Commodity(string coin, SpanScan scan, double valuePerDelta, double price, int tiers)
    {
        public string Coin { get; } = coin;
        public SpanScan Scan { get; } = scan;
        /// <summary>Value of one coin of delta in the margin currency: F for USDC books, 1 for coin-settled ones.</summary>
        public double ValuePerDelta { get; } = valuePerDelta;
        public double Price { get; } = price;
        public double[] Array { get; } = new double[SpanScenarios.Count];
        public double[] TierDeltas { get; } = new double[tiers];
        public double[] OriginalTierDeltas { get; } = new double[tiers];
        public double[] TierCharges { get; } = new double[tiers];
        public double Delta;
        public double RemainingUsdDelta;
        public double ScanRisk;
        public int Binding;
        public double IntraCharge;
        public double PriceRisk;
        public double Credit;
        public double ShortOptionMinimum;
        public double RiskBeforeMinimum;
        public bool MinimumBinds;
        public double Risk;
    }
}
