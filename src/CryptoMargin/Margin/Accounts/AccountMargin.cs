using CryptoMargin.Instruments;
using CryptoMargin.Margin.Scenarios;
using CryptoMargin.MarketData;
using CryptoMargin.Portfolios;
using CryptoMargin.Surfaces;

namespace CryptoMargin.Margin.Accounts;

/// <summary>
/// The account view of a portfolio under a margin model's results: equity per settlement currency, available funds,
/// margin ratio and status; in cross mode the haircut-discounted pool against all margins; the index moves that would
/// take each account to its maintenance margin. Formulas and conventions (docs/margin/accounts-and-collateral.md):
/// <list type="bullet">
/// <item>Equity of currency c (Deribit's segregated accounts, <c>private/get_account_summary</c> <c>equity</c>):
/// E_c = balance_c + Σ options of c: size·V (V = <see cref="Revaluation.UnitValue"/>, Black-76 at the surface, coin for
/// inverse, USDC for linear) + Σ futures of c with an average price A: size·<see cref="Revaluation.UnitPnl"/>(A → mark)
/// (inverse: q(1/A − 1/F) coin, q in USD; linear: n(F − A) USDC) + Σ spot of c: size·index.</item>
/// <item>Available funds = E − IM; margin ratio = MM/E (null for E ≤ 0); status: E &lt; MM maintenance breached
/// (shortfall MM − E), else E &lt; IM initial margin breached (shortfall IM − E), else ok.</item>
/// <item>Cross: each asset a's equity E_a at its USD price P_a (the index; USD, USDC, USDT at 1 unless the market has an
/// index for them) counts D_a(E_a, P_a) (<see cref="HaircutSchedule.DiscountedValue"/>) when positive, E_a·P_a in
/// full when negative; against Σ_c IM_c·P_c and Σ_c MM_c·P_c; reported in the account currency (÷ its price). A spot
/// holding joins the pool as an amount of its coin (a spot trade moves balances), not as value in its quote currency.</item>
/// <item>Liquidation distance of coin X: the smallest |s| ≤ 0.99, each side, with E(s) = MM(s), where every instrument
/// on X moves to F(1+s) (index, futures marks, option forwards), vols unchanged at each strike, E(s) = E(0) + Σ
/// size·UnitPnl(F → F(1+s)) and MM(s) the model re-run on the moved market; in cross mode the pool is re-valued at
/// P_X(1+s). Bracketed by an outward scan, refined by the Illinois false-position method.</item>
/// </list>
/// </summary>
public static class AccountMargin
{
    /// <summary>Assets valued at 1 USD when the market has no index for them.</summary>
    public static IReadOnlyList<string> UsdPegged { get; } = ["USD", "USDC", "USDT"];

    /// <summary>The label of the cross-collateral account in <see cref="LiquidationDistance.Account"/>.</summary>
    public const string CrossAccount = "cross";

    /// <summary>
    /// The account view. <paramref name="results"/> are <paramref name="model"/>'s results on this portfolio and market
    /// (one per margin currency); with <paramref name="model"/>, liquidation distances are searched by re-running it on
    /// moved markets (null: none). <paramref name="equityBefore"/> (a what-if after a trade at the mark): the equity per
    /// currency before the trade, which a trade at the mark leaves unchanged; the balance line absorbs the premium or
    /// realised P&amp;L.
    /// </summary>
    /// <exception cref="DataValidationException">A position the market cannot value, an asset without a USD price or without a haircut schedule in cross mode.</exception>
    public static AccountView Compute(Portfolio portfolio, MarketSnapshot market, IReadOnlyList<MarginResult> results,
        CollateralPolicy? policy = null, IMarginModel? model = null, IReadOnlyDictionary<string, double>? equityBefore = null,
        LiquidationSearchOptions? search = null)
    {
        ArgumentNullException.ThrowIfNull(portfolio);
        ArgumentNullException.ThrowIfNull(market);
        ArgumentNullException.ThrowIfNull(results);
        policy ??= CollateralPolicy.Segregated;
        search ??= LiquidationSearchOptions.Default;

        var legs = Legs(portfolio, market);
        var currencies = Currencies(portfolio, legs, results, equityBefore);
        var accounts = new List<CurrencyAccount>(currencies.Count);
        foreach (var c in currencies)
        {
            double options = 0, futures = 0, spot = 0;
            foreach (var l in legs)
            {
                if (l.Currency != c) continue;
                switch (l.Instrument)
                {
                    case OptionInstrument: options += l.Value; break;
                    case SpotInstrument: spot += l.Value; break;
                    default: futures += l.Value; break;
                }
            }
            double balance = portfolio.Collateral.TryGetValue(c, out var b) ? b : 0;
            if (equityBefore is not null) balance = (equityBefore.TryGetValue(c, out var e0) ? e0 : 0) - options - futures - spot;
            double equity = balance + options + futures + spot;
            var (im, mm) = MarginOf(results, c);
            var (available, ratio, status, shortfall) = Standing(equity, im, mm);
            accounts.Add(new CurrencyAccount(c, balance, options, futures, spot, equity, im, mm, available, ratio, status, shortfall));
        }

        CrossCollateralAccount? cross = policy.Mode == CollateralMode.Cross ? Cross(portfolio.AccountCurrency, accounts, legs, market, policy) : null;
        var liquidation = model is null ? [] : Liquidation(portfolio, market, model, policy, legs, accounts, search);
        return new AccountView(model?.Name ?? (results.Count > 0 ? results[0].Model : ""), policy.Mode, accounts, cross, liquidation);
    }

    /// <summary>
    /// The market with coin <paramref name="coin"/> moved by the relative <paramref name="shock"/>: its index, the marks of
    /// its futures and perpetuals (inverse and linear) and its surface's forwards × (1 + shock); implied vols unchanged at
    /// every strike and expiry. Other coins untouched.
    /// </summary>
    public static MarketSnapshot Shocked(MarketSnapshot market, string coin, double shock)
    {
        ArgumentNullException.ThrowIfNull(market);
        ArgumentNullException.ThrowIfNull(coin);
        double factor = 1 + shock;
        if (!(factor > 0 && double.IsFinite(factor))) throw new ArgumentOutOfRangeException(nameof(shock), shock, "a move must keep prices positive (shock > −1)");
        var index = new Dictionary<string, double>(market.IndexPrices, StringComparer.Ordinal);
        if (index.TryGetValue(coin, out var p)) index[coin] = p * factor;
        var marks = new Dictionary<string, double>(market.FuturesMarks.Count, StringComparer.Ordinal);
        foreach (var (name, mark) in market.FuturesMarks) marks[name] = IsOf(name, coin) ? mark * factor : mark;
        var surfaces = new Dictionary<string, IVolSurface>(market.Surfaces, StringComparer.Ordinal);
        if (surfaces.TryGetValue(coin, out var s)) surfaces[coin] = new MovedSurface(s, factor);
        return market with { IndexPrices = index, FuturesMarks = marks, Surfaces = surfaces };
    }

    /// <summary>USD price of an asset: the market's index, else 1 for <see cref="UsdPegged"/>.</summary>
    /// <exception cref="DataValidationException">Neither.</exception>
    public static double UsdPrice(string asset, MarketSnapshot market)
    {
        if (market.IndexPrices.TryGetValue(asset, out var p)) return p;
        foreach (var u in UsdPegged) if (u == asset) return 1;
        throw new DataValidationException($"no USD price for {asset}: the market has no index for it (only {string.Join(", ", UsdPegged)} count at 1 without one)", field: "collateral");
    }

    /// <summary>(available funds, margin ratio, status, shortfall) of an equity against IM and MM.</summary>
    public static (double AvailableFunds, double? MarginRatio, AccountStatus Status, double Shortfall) Standing(double equity, double initial, double maintenance)
    {
        double? ratio = equity > 0 ? maintenance / equity : null;
        if (equity < maintenance) return (equity - initial, ratio, AccountStatus.MaintenanceBreached, maintenance - equity);
        if (equity < initial) return (equity - initial, ratio, AccountStatus.InitialMarginBreached, initial - equity);
        return (equity - initial, ratio, AccountStatus.Ok, 0);
    }

    // ------------------------------------------------------------------ equity

    /// <summary>A position priced once: its margin currency, coin, price inputs and its value (options, spot) or unrealised P&amp;L (futures) in the margin currency.</summary>
    private readonly record struct Leg(Instrument Instrument, string Currency, string Coin, double Size, double Underlying, double T, double Vol, double Value)
    {
        public double PnlAt(double shock) => Size * Revaluation.UnitPnl(Instrument, Underlying, T, Vol, shock, Vol);
    }

    private static List<Leg> Legs(Portfolio portfolio, MarketSnapshot market)
    {
        var legs = new List<Leg>(portfolio.Positions.Count);
        for (int i = 0; i < portfolio.Positions.Count; i++)
        {
            var p = portfolio.Positions[i];
            var ins = p.Instrument;
            try
            {
                double f = market.UnderlyingPrice(ins);
                if (!(f > 0 && double.IsFinite(f))) throw new DataValidationException($"price {f} is not a positive finite price", field: "market");
                double t = 0, vol = 0, value;
                switch (ins)
                {
                    case OptionInstrument o:
                        t = market.YearsTo(o.Expiry);
                        if (!(t > 0)) throw new DataValidationException($"option expired at {o.Expiry:u}, valuation time {market.ValuationTime:u}", field: "instrument");
                        vol = market.Surface(o.Currency).ImpliedVolatility(o.Strike, t);
                        if (!(vol > 0 && double.IsFinite(vol))) throw new DataValidationException($"no usable implied vol at strike {o.Strike} (got {vol})", field: "surface");
                        value = p.Size * Revaluation.UnitValue(o, f, t, vol);
                        break;
                    case SpotInstrument:
                        value = p.Size * Revaluation.UnitValue(ins, f, 0, 0);
                        break;
                    default:
                        // unrealised P&L from the average price A to the mark F: the move F/A − 1 revalued from A
                        value = p.AveragePrice is double a ? p.Size * Revaluation.UnitPnl(ins, a, 0, 0, f / a - 1, 0) : 0;
                        break;
                }
                legs.Add(new Leg(ins, ins.MarginCurrency, ins.Currency, p.Size, f, t, vol, value));
            }
            catch (DataValidationException e)
            {
                throw new DataValidationException($"position {i} ({ins.Name}): {e.Reason}", field: e.Field, inner: e);
            }
        }
        return legs;
    }

    private static List<string> Currencies(Portfolio portfolio, List<Leg> legs, IReadOnlyList<MarginResult> results, IReadOnlyDictionary<string, double>? equityBefore)
    {
        var set = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var a in portfolio.Collateral.Keys) set.Add(a);
        foreach (var l in legs) set.Add(l.Currency);
        foreach (var r in results) set.Add(r.Currency);
        if (equityBefore is not null) foreach (var c in equityBefore.Keys) set.Add(c);
        var list = new List<string>(set.Count);
        if (set.Remove(portfolio.AccountCurrency)) list.Add(portfolio.AccountCurrency);
        list.AddRange(set);
        return list;
    }

    private static (double Initial, double Maintenance) MarginOf(IReadOnlyList<MarginResult> results, string currency)
    {
        double im = 0, mm = 0;
        foreach (var r in results)
            if (r.Currency == currency) { im += r.InitialMargin; mm += r.MaintenanceMargin; }
        return (im, mm);
    }

    // ------------------------------------------------------------------ cross collateral

    private static CrossCollateralAccount Cross(string accountCurrency, List<CurrencyAccount> accounts, List<Leg> legs, MarketSnapshot market, CollateralPolicy policy)
    {
        double accountPrice = UsdPrice(accountCurrency, market);
        var pool = Pool(accounts, legs, null, 0);
        var assets = new List<CollateralAsset>(pool.Count);
        double discounted = 0, im = 0, mm = 0;
        foreach (var (asset, equity) in pool)
        {
            double price = UsdPrice(asset, market);
            double d = Discounted(asset, equity, price, policy);
            assets.Add(new CollateralAsset(asset, equity, price, equity * price, d));
            discounted += d;
        }
        foreach (var a in accounts)
        {
            double price = UsdPrice(a.Currency, market);
            im += a.InitialMargin * price;
            mm += a.MaintenanceMargin * price;
        }
        discounted /= accountPrice;
        im /= accountPrice;
        mm /= accountPrice;
        var (available, ratio, status, shortfall) = Standing(discounted, im, mm);
        return new CrossCollateralAccount(accountCurrency, assets, discounted, im, mm, available, ratio, status, shortfall);
    }

    /// <summary>
    /// The cross pool by asset: each currency's equity without its spot holdings, and each spot holding as an amount of its
    /// coin (on a venue a spot trade moves balances: bought BTC is a BTC balance and takes BTC's haircut, not USDC's).
    /// With <paramref name="coin"/>, the positions on it moved by <paramref name="shock"/> (spot amounts do not change).
    /// </summary>
    private static List<(string Asset, double Equity)> Pool(List<CurrencyAccount> accounts, List<Leg> legs, string? coin, double shock)
    {
        var pool = new List<(string Asset, double Equity)>(accounts.Count + 1);
        foreach (var a in accounts)
        {
            double e = a.Equity - a.SpotValue;
            if (coin is not null && shock != 0)
                foreach (var l in legs)
                    if (l.Currency == a.Currency && l.Coin == coin && l.Instrument is not SpotInstrument) e += l.PnlAt(shock);
            pool.Add((a.Currency, e));
        }
        foreach (var l in legs)
        {
            if (l.Instrument is not SpotInstrument) continue;
            int i = pool.FindIndex(x => x.Asset == l.Coin);
            if (i < 0) pool.Add((l.Coin, l.Size));
            else pool[i] = (l.Coin, pool[i].Equity + l.Size);
        }
        return pool;
    }

    /// <summary>USD value an asset's equity counts for: its haircut schedule's discounted value when positive, in full when negative (a debt gets no haircut benefit).</summary>
    private static double Discounted(string asset, double equity, double price, CollateralPolicy policy)
    {
        if (equity <= 0) return equity * price;
        if (!policy.Haircuts.TryGetValue(asset, out var schedule))
            throw new DataValidationException($"cross-collateral mode needs a haircut schedule for {asset} (no venue default is shipped; give collateral.haircuts.{asset} in the policy, [{{\"haircut\": 0}}] for none)", field: "collateral.haircuts." + asset);
        return schedule.DiscountedValue(equity, price);
    }

    // ------------------------------------------------------------------ liquidation distance

    private static List<LiquidationDistance> Liquidation(Portfolio portfolio, MarketSnapshot market, IMarginModel model, CollateralPolicy policy,
        List<Leg> legs, List<CurrencyAccount> accounts, LiquidationSearchOptions search)
    {
        var list = new List<LiquidationDistance>();
        if (legs.Count == 0) return list;
        var cache = new Dictionary<(string, double), IReadOnlyList<MarginResult>>();
        IReadOnlyList<MarginResult> Remargin(string coin, double s)
        {
            if (!cache.TryGetValue((coin, s), out var r))
            {
                r = model.Compute(portfolio, Shocked(market, coin, s));
                cache[(coin, s)] = r;
            }
            return r;
        }

        if (policy.Mode == CollateralMode.Segregated)
        {
            foreach (var a in accounts)
            {
                var coins = legs.Where(l => l.Currency == a.Currency).Select(l => l.Coin).Distinct().Order(StringComparer.Ordinal).ToList();
                foreach (var coin in coins)
                {
                    double Gap(double s)
                    {
                        if (s == 0) return a.Equity - a.MaintenanceMargin;
                        double e = a.Equity;
                        foreach (var l in legs) if (l.Currency == a.Currency && l.Coin == coin) e += l.PnlAt(s);
                        return e - MarginOf(Remargin(coin, s), a.Currency).Maintenance;
                    }
                    list.Add(Distance(a.Currency, coin, Gap, Math.Max(Math.Abs(a.Equity), a.MaintenanceMargin), search));
                }
            }
            return list;
        }

        // cross: the pool in USD; coins that move a position or an asset's price
        var pool0 = Pool(accounts, legs, null, 0);
        var crossCoins = legs.Select(l => l.Coin).Concat(pool0.Select(p => p.Asset).Where(c => market.IndexPrices.ContainsKey(c)))
            .Distinct().Order(StringComparer.Ordinal).ToList();
        double scale = 0;
        foreach (var a in accounts) scale += a.MaintenanceMargin * UsdPrice(a.Currency, market);
        foreach (var coin in crossCoins)
        {
            double Gap(double s)
            {
                var results = s == 0 ? null : Remargin(coin, s);
                double pool = 0, mm = 0;
                foreach (var (asset, equity) in s == 0 ? pool0 : Pool(accounts, legs, coin, s))
                {
                    double price = UsdPrice(asset, market) * (asset == coin ? 1 + s : 1);
                    pool += Discounted(asset, equity, price, policy);
                }
                foreach (var a in accounts)
                {
                    double price = UsdPrice(a.Currency, market) * (a.Currency == coin ? 1 + s : 1);
                    mm += (results is null ? a.MaintenanceMargin : MarginOf(results, a.Currency).Maintenance) * price;
                }
                return pool - mm;
            }
            list.Add(Distance(CrossAccount, coin, Gap, Math.Abs(Gap(0)) + scale, search));
        }
        return list;
    }

    private static LiquidationDistance Distance(string account, string coin, Func<double, double> gap, double scale, LiquidationSearchOptions search)
    {
        double g0 = gap(0);
        if (g0 < 0) return new LiquidationDistance(account, coin, 0, 0, "equity is already below the maintenance margin");
        var (down, downWhy) = Crossing(gap, g0, -1, scale, search);
        var (up, upWhy) = Crossing(gap, g0, +1, scale, search);
        string? reason = (downWhy, upWhy) switch
        {
            (null, null) => null,
            (string d, null) => "down: " + d,
            (null, string u) => "up: " + u,
            (string d, string u) => d == u ? d : $"down: {d}; up: {u}",
        };
        return new LiquidationDistance(account, coin, down, up, reason);
    }

    /// <summary>The first s (sign <paramref name="direction"/>) with gap(s) ≤ 0: scan outwards, then Illinois false position on the bracket.</summary>
    private static (double? Shock, string? Reason) Crossing(Func<double, double> gap, double g0, int direction, double scale, LiquidationSearchOptions search)
    {
        double a = 0, ga = g0;
        string within = $"equity stays above the maintenance margin for every move within ±{search.MaxMove:P0}";
        for (int k = 1; ; k++)
        {
            double b = direction * Math.Min(k * search.ScanStep, search.MaxMove);
            double gb;
            try
            {
                gb = gap(b);
                if (gb <= 0) return (Refine(gap, a, ga, b, gb, scale), null);
            }
            catch (DataValidationException e) { return (null, $"the account cannot be valued at a move of {b:P1} (or inside the last step): {e.Reason}"); }
            if (Math.Abs(b) >= search.MaxMove) return (null, within);
            a = b;
            ga = gb;
        }
    }

    private static double Refine(Func<double, double> gap, double a, double ga, double b, double gb, double scale)
    {
        if (gb == 0) return b;
        double tol = 1e-12 * Math.Max(scale, double.Epsilon);
        int side = 0;
        for (int i = 0; i < 200 && Math.Abs(b - a) > 1e-15; i++)
        {
            double c = (a * gb - b * ga) / (gb - ga);
            if (!(c > Math.Min(a, b) && c < Math.Max(a, b))) c = 0.5 * (a + b);
            double gc = gap(c);
            if (Math.Abs(gc) <= tol) return c;
            if (gc > 0)
            {
                a = c; ga = gc;
                if (side == +1) gb *= 0.5; // Illinois: halve the stale end's value
                side = +1;
            }
            else
            {
                b = c; gb = gc;
                if (side == -1) ga *= 0.5;
                side = -1;
            }
        }
        return b;
    }

    private static bool IsOf(string name, string coin) =>
        name.Length > coin.Length && name.StartsWith(coin, StringComparison.Ordinal) && name[coin.Length] is '-' or '_';

    /// <summary>A coin's surface with every forward × factor and the implied vol at each strike and expiry unchanged.</summary>
    private sealed class MovedSurface(IVolSurface inner, double factor) : IVolSurface
    {
        public double Forward(double t) => inner.Forward(t) * factor;
        public double ImpliedVolatility(double strike, double t) => inner.ImpliedVolatility(strike, t);
    }
}
