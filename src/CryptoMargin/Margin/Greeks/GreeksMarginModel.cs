using System.Globalization;
using CryptoMargin.Instruments;
using CryptoMargin.MarketData;
using CryptoMargin.Portfolios;

namespace CryptoMargin.Margin.Greeks;

/// <summary>
/// Greeks-based portfolio margin (<c>greeks</c>): per underlying u of a margin currency, the worst delta-gamma-vega
/// P&amp;L over price moves s ∈ [−R, R] and the vol corners ±V (each option's vol moved by ±V·(30/DTE)^p relative, the
/// grid's term law), plus a SIMM-like curvature charge; the underlyings' charges aggregated with their correlations.
/// <para>
/// Per underlying, with sizes q_i and the unit sensitivities of <see cref="GreeksApproximation"/>,
/// P_u(s, v) = Σ q_i (Delta_i s + ½ Gamma_i s² + Vega_i Δσ_i(v)). For each v the minimum over s ∈ [−R, R] of this
/// quadratic is exact (the ends, or the vertex −b/c when the book is long gamma and the vertex lies inside).
/// Scenario charge L_u = max(0, −min P_u); curvature charge C_u = k·max(0, −Σ q_i CVR_i) with CVR_i the SIMM-like
/// exposure SF(t)·σ·vega (charged only when the underlying's options are net short it); K_u = L_u + C_u.
/// IM = sqrt(Σ_u Σ_v ρ_uv K_u K_v) (the SIMM/FRTB cross-bucket aggregation, ISDA SIMM Methodology v2.x; Basel MAR21),
/// MM = factor × IM.
/// </para>
/// <para>
/// IM is homogeneous of degree one in the sizes, so the Euler contributions q_i ∂IM/∂q_i sum to IM:
/// ∂IM/∂K_u = Σ_v ρ_uv K_v / IM and ∂K_u/∂q_i = −(unit Taylor P&amp;L of i in u's worst scenario) − k·CVR_i (envelope
/// theorem: the worst scenario does not move to first order). Incremental margin: IM − IM without the position.
/// Open orders: the worse of the account with and without them (per currency), as <see cref="Portfolio"/> states.
/// </para>
/// </summary>
public sealed class GreeksMarginModel : IMarginModel
{
    public GreeksMarginModel(GreeksMarginParameters? parameters = null)
    {
        Parameters = parameters ?? new GreeksMarginParameters();
        Parameters.Validate();
    }

    public string Name => "greeks";

    public GreeksMarginParameters Parameters { get; }

    /// <inheritdoc/>
    public IReadOnlyList<MarginResult> Compute(Portfolio portfolio, MarketSnapshot market)
    {
        ArgumentNullException.ThrowIfNull(portfolio);
        ArgumentNullException.ThrowIfNull(market);
        var items = Value(portfolio, market);
        var results = new List<MarginResult>();
        foreach (var currency in items.Select(x => x.MarginCurrency).Distinct().Order(StringComparer.Ordinal))
            results.Add(ComputeCurrency(items, currency));
        return results;
    }

    /// <summary>One valued position or open order.</summary>
    private readonly record struct Item(string Name, string MarginCurrency, string Underlying, double Size, bool IsOrder, UnitSensitivity Unit);

    /// <summary>Per underlying: its worst scenario and charges.</summary>
    private readonly record struct UnderlyingCharge(string Underlying, double PriceShock, double VolShock, double Pnl, double ScenarioLoss, double Curvature)
    {
        public double Total => ScenarioLoss + Curvature;
    }

    private Item[] Value(Portfolio portfolio, MarketSnapshot market)
    {
        var items = new Item[portfolio.Positions.Count + portfolio.OpenOrders.Count];
        for (int i = 0; i < items.Length; i++)
        {
            bool order = i >= portfolio.Positions.Count;
            var p = order ? portfolio.OpenOrders[i - portfolio.Positions.Count] : portfolio.Positions[i];
            string what = order ? $"open order {i - portfolio.Positions.Count} ({p.Instrument.Name})" : $"position {i} ({p.Instrument.Name})";
            if (!double.IsFinite(p.Size) || Math.Abs(p.Size) > Portfolio.MaxAbsSize)
                throw new DataValidationException($"{what}: size {p.Size} is not a finite number within ±{Portfolio.MaxAbsSize:G3}", field: "size");
            items[i] = new Item(p.Instrument.Name, p.Instrument.MarginCurrency, p.Instrument.Currency, p.Size, order, Sensitivity(p.Instrument, market, what));
        }
        return items;
    }

    private UnitSensitivity Sensitivity(Instrument instrument, MarketSnapshot market, string what)
    {
        double underlying, t = 0, vol = 0;
        try
        {
            underlying = market.UnderlyingPrice(instrument);
            if (instrument is OptionInstrument o)
            {
                t = market.YearsTo(o.Expiry);
                if (!(t > 0))
                    throw new DataValidationException($"option expired at {o.Expiry:yyyy-MM-dd HH:mm}Z, before the valuation time {market.ValuationTime:yyyy-MM-dd HH:mm:ss}Z", field: "instrument");
                vol = market.Surface(o.Currency).ImpliedVolatility(o.Strike, t);
                if (!(vol > 0) || !double.IsFinite(vol))
                    throw new DataValidationException($"no usable implied vol for strike {o.Strike.ToString(CultureInfo.InvariantCulture)} expiry {o.Expiry:yyyy-MM-dd} (surface gives {vol.ToString(CultureInfo.InvariantCulture)})", field: "surface");
            }
        }
        catch (DataValidationException e)
        {
            throw new DataValidationException($"{what}: {e.Reason}", field: e.Field ?? "instrument", inner: e);
        }
        if (!(underlying > 0) || !double.IsFinite(underlying))
            throw new DataValidationException($"{what}: underlying price {underlying.ToString(CultureInfo.InvariantCulture)} is not positive", field: "underlying");
        double termScale = instrument is OptionInstrument ? Parameters.TermScale(t) : 0;
        return GreeksApproximation.Sensitivity(instrument, underlying, t, vol, termScale);
    }

    private MarginResult ComputeCurrency(Item[] items, string currency)
    {
        bool hasOrders = items.Any(x => x.IsOrder && x.MarginCurrency == currency);
        var without = Charges(items, currency, exclude: -1, withOrders: false);
        double imWithout = Im(without);
        var charges = without;
        double im = imWithout;
        bool ordersBind = false;
        if (hasOrders)
        {
            var with = Charges(items, currency, exclude: -1, withOrders: true);
            double imWith = Im(with);
            if (imWith > imWithout)
            {
                charges = with;
                im = imWith;
                ordersBind = true;
            }
        }

        var notes = new List<string>();
        var addOns = new List<MarginAddOn>();
        double sumK = 0;
        foreach (var c in charges)
        {
            addOns.Add(new MarginAddOn($"{c.Underlying} delta-gamma-vega loss", c.ScenarioLoss));
            addOns.Add(new MarginAddOn($"{c.Underlying} curvature", c.Curvature));
            sumK += c.Total;
        }
        if (charges.Count > 1)
        {
            addOns.Add(new MarginAddOn("cross-underlying correlation credit", im - sumK));
            notes.Add("each position's P&L is taken in its own underlying's worst scenario: " +
                      string.Join("; ", charges.Select(c => $"{c.Underlying} {ScenarioName(c)}")));
        }
        notes.Add("Taylor (delta-gamma-vega) approximation of the P&L; no vanna/volga cross terms (see docs/margin/greeks-hybrid.md for its error against full revaluation)");
        if (hasOrders)
            notes.Add(ordersBind ? "open orders included: the account with its open orders filled needs more margin" : "open orders excluded: filling them would not raise the margin");

        // Euler contributions.
        var dImdK = new double[charges.Count];
        for (int u = 0; u < charges.Count; u++)
        {
            double s = 0;
            for (int v = 0; v < charges.Count; v++)
                s += Parameters.Correlation(charges[u].Underlying, charges[v].Underlying) * charges[v].Total;
            dImdK[u] = im > 0 ? s / im : 0;
        }
        var positions = new List<PositionMargin>();
        for (int i = 0; i < items.Length; i++)
        {
            var x = items[i];
            if (x.MarginCurrency != currency || (x.IsOrder && !ordersBind)) continue;
            int u = charges.FindIndex(c => c.Underlying == x.Underlying);
            var c = charges[u];
            double unitPnl = GreeksApproximation.UnitPnl(x.Unit, c.PriceShock, GreeksApproximation.VolChange(x.Unit, c.VolShock, Parameters.MaxVolDown));
            double dK = (c.ScenarioLoss > 0 ? -unitPnl : 0) + (c.Curvature > 0 ? -Parameters.CurvatureScale * x.Unit.Curvature : 0);
            double contribution = x.Size * dImdK[u] * dK;
            double incremental = im - Math.Max(Im(Charges(items, currency, i, withOrders: false)),
                hasOrders ? Im(Charges(items, currency, i, withOrders: true)) : 0);
            positions.Add(new PositionMargin(x.IsOrder ? x.Name + " (open order)" : x.Name, x.Size, x.Size * unitPnl, contribution, incremental));
        }

        BindingScenario? binding = null;
        if (charges.Count > 0)
        {
            int best = 0;
            for (int u = 1; u < charges.Count; u++)
                if (dImdK[u] * charges[u].Total > dImdK[best] * charges[best].Total) best = u;
            var b = charges[best];
            binding = new BindingScenario($"{b.Underlying} {ScenarioName(b)}", b.PriceShock, b.VolShock, b.Pnl);
        }
        return new MarginResult(Name, currency, im, Parameters.MaintenanceFactor * im, binding, addOns, positions, notes);
    }

    private static string ScenarioName(UnderlyingCharge c) =>
        string.Create(CultureInfo.InvariantCulture, $"price {c.PriceShock:+0.##%;-0.##%;0%} vol {c.VolShock:+0.##%;-0.##%;0%}");

    private double Im(List<UnderlyingCharge> charges)
    {
        double sum = 0;
        for (int u = 0; u < charges.Count; u++)
            for (int v = 0; v < charges.Count; v++)
                sum += Parameters.Correlation(charges[u].Underlying, charges[v].Underlying) * charges[u].Total * charges[v].Total;
        return Math.Sqrt(Math.Max(sum, 0));
    }

    /// <summary>Per underlying of <paramref name="currency"/>: the worst Taylor scenario and the curvature charge, leaving out item <paramref name="exclude"/>.</summary>
    private List<UnderlyingCharge> Charges(Item[] items, string currency, int exclude, bool withOrders)
    {
        var result = new List<UnderlyingCharge>(2);
        var seen = new List<string>(2);
        for (int i = 0; i < items.Length; i++)
            if (items[i].MarginCurrency == currency && !seen.Contains(items[i].Underlying)) seen.Add(items[i].Underlying);
        seen.Sort(StringComparer.Ordinal);
        double v = Parameters.VolShock;
        foreach (var underlying in seen)
        {
            double b = 0, c = 0, aUp = 0, aDown = 0, cvr = 0;
            bool any = false;
            for (int i = 0; i < items.Length; i++)
            {
                var x = items[i];
                if (i == exclude || x.MarginCurrency != currency || x.Underlying != underlying || (x.IsOrder && !withOrders)) continue;
                any = true;
                b += x.Size * x.Unit.Delta;
                c += x.Size * x.Unit.Gamma;
                aUp += x.Size * x.Unit.Vega * GreeksApproximation.VolChange(x.Unit, v, Parameters.MaxVolDown);
                aDown += x.Size * x.Unit.Vega * GreeksApproximation.VolChange(x.Unit, -v, Parameters.MaxVolDown);
                cvr += x.Size * x.Unit.Curvature;
            }
            if (!any) continue;
            double r = Parameters.PriceRangeOf(underlying);
            var (sUp, pUp) = WorstPriceMove(aUp, b, c, r);
            var (sDown, pDown) = WorstPriceMove(aDown, b, c, r);
            bool up = pUp <= pDown;
            double s = up ? sUp : sDown, p = up ? pUp : pDown;
            result.Add(new UnderlyingCharge(underlying, s, up ? v : -v, p, Math.Max(0, -p), Parameters.CurvatureScale * Math.Max(0, -cvr)));
        }
        return result;
    }

    /// <summary>The minimum of a + b·s + ½·c·s² over s ∈ [−r, r] and where it is.</summary>
    internal static (double Shock, double Pnl) WorstPriceMove(double a, double b, double c, double r)
    {
        double down = a - b * r + 0.5 * c * r * r, up = a + b * r + 0.5 * c * r * r;
        (double s, double p) worst = down <= up ? (-r, down) : (r, up);
        if (c > 0)
        {
            double s0 = -b / c;
            if (Math.Abs(s0) < r)
            {
                double p0 = a - 0.5 * b * b / c;
                if (p0 < worst.p) worst = (s0, p0);
            }
        }
        return worst;
    }
}
