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

    private Item[] Value(Portfolio portfolio, MarketSnapshot market)
    {
        var items = new Item[portfolio.Positions.Count + portfolio.OpenOrders.Count];
        for (int i = 0; i < items.Length; i++)
        {
            bool order = i >= portfolio.Positions.Count;
            var p = order ? portfolio.OpenOrders[i - portfolio.Positions.Count] : portfolio.Positions[i];
            int index = order ? i - portfolio.Positions.Count : i;
            if (!double.IsFinite(p.Size) || Math.Abs(p.Size) > Portfolio.MaxAbsSize)
                throw new DataValidationException($"{Describe(order, index, p.Instrument)}: size {p.Size} is not a finite number within ±{Portfolio.MaxAbsSize:G3}", field: "size");
            items[i] = new Item(p.Instrument.Name, p.Instrument.MarginCurrency, p.Instrument.Currency, p.Size, order, Sensitivity(p.Instrument, market, order, index));
        }
        return items;
    }

    /// <summary>How an error names the position (built only when there is an error).</summary>
    private static string Describe(bool order, int index, Instrument instrument) =>
        order ? $"open order {index} ({instrument.Name})" : $"position {index} ({instrument.Name})";

    private UnitSensitivity Sensitivity(Instrument instrument, MarketSnapshot market, bool order, int index)
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
            throw new DataValidationException($"{Describe(order, index, instrument)}: {e.Reason}", field: e.Field ?? "instrument", inner: e);
        }
        if (!(underlying > 0) || !double.IsFinite(underlying))
            throw new DataValidationException($"{Describe(order, index, instrument)}: underlying price {underlying.ToString(CultureInfo.InvariantCulture)} is not positive", field: "underlying");
        double termScale = instrument is OptionInstrument ? Parameters.TermScale(t) : 0;
        return GreeksApproximation.Sensitivity(instrument, underlying, t, vol, termScale);
    }

    /// <summary>Sums over one underlying's items of size × unit sensitivity: the quadratic's coefficients and the curvature exposure.</summary>
    private struct Sums
    {
        public double B, C, AUp, ADown, Cvr;

        public void Add(in Item x, double sign, double volShock, double maxVolDown)
        {
            double q = sign * x.Size;
            B += q * x.Unit.Delta;
            C += q * x.Unit.Gamma;
            AUp += q * x.Unit.Vega * GreeksApproximation.VolChange(x.Unit, volShock, maxVolDown);
            ADown += q * x.Unit.Vega * GreeksApproximation.VolChange(x.Unit, -volShock, maxVolDown);
            Cvr += q * x.Unit.Curvature;
        }
    }

    /// <summary>One underlying's worst Taylor scenario and its charges.</summary>
    private readonly record struct Corner(double PriceShock, double VolShock, double Pnl, double ScenarioLoss, double Curvature)
    {
        public double Total => ScenarioLoss + Curvature;
    }

    private Corner Charge(in Sums s, double range)
    {
        var (sUp, pUp) = WorstPriceMove(s.AUp, s.B, s.C, range);
        var (sDown, pDown) = WorstPriceMove(s.ADown, s.B, s.C, range);
        bool up = pUp <= pDown;
        double p = up ? pUp : pDown;
        return new Corner(up ? sUp : sDown, up ? Parameters.VolShock : -Parameters.VolShock, p, Math.Max(0, -p), Parameters.CurvatureScale * Math.Max(0, -s.Cvr));
    }

    private static double Im(ReadOnlySpan<double> k, ReadOnlySpan<double> rho)
    {
        int n = k.Length;
        double sum = 0;
        for (int u = 0; u < n; u++)
            for (int v = 0; v < n; v++)
                sum += rho[u * n + v] * k[u] * k[v];
        return Math.Sqrt(Math.Max(sum, 0));
    }

    private MarginResult ComputeCurrency(Item[] items, string currency)
    {
        // Per underlying, the sums without and with open orders; an item's incremental margin then re-evaluates only its
        // own underlying's charge from the sums less that item: O(n) for all incrementals, no allocation per position.
        string[] underlyings = items.Where(x => x.MarginCurrency == currency).Select(x => x.Underlying).Distinct().Order(StringComparer.Ordinal).ToArray();
        int nu = underlyings.Length;
        var uOf = new int[items.Length];
        var plain = new Sums[nu];
        var withOrders = new Sums[nu];
        bool hasOrders = false;
        double v = Parameters.VolShock, maxDown = Parameters.MaxVolDown;
        for (int i = 0; i < items.Length; i++)
        {
            uOf[i] = items[i].MarginCurrency == currency ? Array.IndexOf(underlyings, items[i].Underlying) : -1;
            if (uOf[i] < 0) continue;
            if (!items[i].IsOrder) plain[uOf[i]].Add(items[i], 1, v, maxDown);
            else hasOrders = true;
            withOrders[uOf[i]].Add(items[i], 1, v, maxDown);
        }
        var rho = new double[nu * nu];
        var range = new double[nu];
        for (int u = 0; u < nu; u++)
        {
            range[u] = Parameters.PriceRangeOf(underlyings[u]);
            for (int w = 0; w < nu; w++) rho[u * nu + w] = Parameters.Correlation(underlyings[u], underlyings[w]);
        }
        var plainCorners = new Corner[nu];
        var orderCorners = new Corner[nu];
        var kPlain = new double[nu];
        var kOrders = new double[nu];
        for (int u = 0; u < nu; u++)
        {
            plainCorners[u] = Charge(plain[u], range[u]);
            orderCorners[u] = Charge(withOrders[u], range[u]);
            kPlain[u] = plainCorners[u].Total;
            kOrders[u] = orderCorners[u].Total;
        }
        double imPlain = Im(kPlain, rho), imOrders = hasOrders ? Im(kOrders, rho) : 0;
        bool ordersBind = hasOrders && imOrders > imPlain;
        var corners = ordersBind ? orderCorners : plainCorners;
        var k = ordersBind ? kOrders : kPlain;
        double im = ordersBind ? imOrders : imPlain;

        var notes = new List<string>();
        var addOns = new List<MarginAddOn>(2 * nu + 1);
        for (int u = 0; u < nu; u++)
        {
            addOns.Add(new MarginAddOn($"{underlyings[u]} delta-gamma-vega loss", corners[u].ScenarioLoss));
            addOns.Add(new MarginAddOn($"{underlyings[u]} curvature", corners[u].Curvature));
        }
        if (nu > 1)
        {
            addOns.Add(new MarginAddOn("cross-underlying correlation credit", im - k.Sum()));
            notes.Add("each position's P&L is taken in its own underlying's worst scenario: " +
                      string.Join("; ", Enumerable.Range(0, nu).Select(u => $"{underlyings[u]} {ScenarioName(corners[u])}")));
        }
        notes.Add("Taylor (delta-gamma-vega) approximation of the P&L; no vanna/volga cross terms (see docs/margin/greeks-hybrid.md for its error against full revaluation)");
        if (hasOrders)
            notes.Add(ordersBind ? "open orders included: the account with its open orders filled needs more margin" : "open orders excluded: filling them would not raise the margin");

        // Euler: ∂IM/∂K_u = Σ_w ρ_uw K_w / IM.
        var dImdK = new double[nu];
        for (int u = 0; u < nu; u++)
        {
            double s = 0;
            for (int w = 0; w < nu; w++) s += rho[u * nu + w] * k[w];
            dImdK[u] = im > 0 ? s / im : 0;
        }
        var positions = new List<PositionMargin>();
        Span<double> kWork = nu <= 32 ? stackalloc double[nu] : new double[nu];
        for (int i = 0; i < items.Length; i++)
        {
            int u = uOf[i];
            var x = items[i];
            if (u < 0 || (x.IsOrder && !ordersBind)) continue;
            var c = corners[u];
            double unitPnl = GreeksApproximation.UnitPnl(x.Unit, c.PriceShock, GreeksApproximation.VolChange(x.Unit, c.VolShock, maxDown));
            double dK = (c.ScenarioLoss > 0 ? -unitPnl : 0) + (c.Curvature > 0 ? -Parameters.CurvatureScale * x.Unit.Curvature : 0);
            double contribution = x.Size * dImdK[u] * dK;

            // IM without item i: the worse of without and with orders, each with i's underlying re-charged.
            double imWithout = 0;
            for (int pass = 0; pass < (hasOrders ? 2 : 1); pass++)
            {
                var sums = pass == 0 ? plain : withOrders;
                var kk = pass == 0 ? kPlain : kOrders;
                kk.CopyTo(kWork);
                if (pass == 1 || !x.IsOrder)
                {
                    var less = sums[u];
                    less.Add(x, -1, v, maxDown);
                    kWork[u] = Charge(less, range[u]).Total;
                }
                imWithout = Math.Max(imWithout, Im(kWork, rho));
            }
            positions.Add(new PositionMargin(x.IsOrder ? x.Name + " (open order)" : x.Name, x.Size, x.Size * unitPnl, contribution, im - imWithout));
        }

        BindingScenario? binding = null;
        if (nu > 0)
        {
            int best = 0;
            for (int u = 1; u < nu; u++)
                if (dImdK[u] * k[u] > dImdK[best] * k[best]) best = u;
            var b = corners[best];
            binding = new BindingScenario($"{underlyings[best]} {ScenarioName(b)}", b.PriceShock, b.VolShock, b.Pnl);
        }
        return new MarginResult(Name, currency, im, Parameters.MaintenanceFactor * im, binding, addOns, positions, notes);
    }

    private static string ScenarioName(Corner c) =>
        string.Create(CultureInfo.InvariantCulture, $"price {c.PriceShock:+0.##%;-0.##%;0%} vol {c.VolShock:+0.##%;-0.##%;0%}");
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
