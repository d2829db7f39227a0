using CryptoMargin.Instruments;
using CryptoMargin.MarketData;
using CryptoMargin.Portfolios;

namespace CryptoMargin.Margin.DeribitPm;

/// <summary>
/// Deribit-style portfolio margin (<c>deribit-pm</c>), after Deribit's segregated portfolio margin
/// (https://support.deribit.com/hc/en-us/articles/25944756247837-Portfolio-Margin): each (margin currency, underlying)
/// book is revalued over ±price_range in buckets_count steps each side × vol down/none/up with term-scaled shocks
/// IV·(1 ± k·(30/DTE)^p), and over an extended table of large moves (vol up, weighted, dampened); the worst scenario's
/// loss plus a delta/size shock and a roll (basis) shock is the IM, never below the contingency minimum;
/// MM = mm_factor × IM. Books of one margin currency add up. docs/margin/deribit-pm.md states every formula, its
/// source, and what is our assumption where Deribit publishes none.
/// <para>Contributions: the scenario part of a position is −(its P&amp;L in the binding scenario) (scaled by the
/// dampener's ratio when an extended scenario binds), the delta shock is shared in proportion to each position's
/// delta, the roll shock as −(its P&amp;L in the worse roll direction), a contingency top-up in proportion to each
/// position's contingency term; they sum to IM. Incremental: IM − IM recomputed without the position.</para>
/// </summary>
public sealed class DeribitPortfolioMargin : IMarginModel
{
    /// <param name="parameters">The policy's <c>deribitPm</c> section; null for Deribit's published example values.</param>
    /// <exception cref="DataValidationException">A parameter out of range.</exception>
    public DeribitPortfolioMargin(DeribitPmParameters? parameters = null)
        : this(parameters, null)
    {
    }

    /// <param name="parameters">The parameters of every coin without its own entry; null for Deribit's published example values.</param>
    /// <param name="byCurrency">
    /// Per-coin parameters (Deribit keeps one set per currency pair, <c>model_params.currency_pair.btc_usd</c>): a coin's
    /// instruments are revalued, and its book is assessed, with its own set; null or absent coins use
    /// <paramref name="parameters"/>. A calibrated grid gives each coin its own price range and vol-shock law this way.
    /// </param>
    /// <exception cref="DataValidationException">A parameter out of range.</exception>
    public DeribitPortfolioMargin(DeribitPmParameters? parameters, IReadOnlyDictionary<string, DeribitPmParameters>? byCurrency)
    {
        Parameters = parameters ?? DeribitPmParameters.Default;
        Parameters.Validate();
        ByCurrency = byCurrency ?? new Dictionary<string, DeribitPmParameters>();
        foreach (var (coin, set) in ByCurrency)
        {
            try { set.Validate(); }
            catch (DataValidationException e) { throw new DataValidationException($"{coin}: {e.Reason}", field: e.Field, inner: e); }
        }
    }

    public string Name => "deribit-pm";

    /// <summary>The parameters of coins without their own set.</summary>
    public DeribitPmParameters Parameters { get; }

    /// <summary>Per-coin parameter sets (may be empty).</summary>
    public IReadOnlyDictionary<string, DeribitPmParameters> ByCurrency { get; }

    /// <summary>The parameter set of a coin.</summary>
    public DeribitPmParameters ParametersFor(string coin) => ByCurrency.TryGetValue(coin, out var p) ? p : Parameters;

    public IReadOnlyList<MarginResult> Compute(Portfolio portfolio, MarketSnapshot market) => Evaluate(portfolio, market).Results;

    /// <summary>
    /// The margin with its risk vectors and books. With open orders, each margin currency is charged the worse of the
    /// positions alone and the positions with every order filled (Portfolio's convention).
    /// </summary>
    /// <exception cref="DataValidationException">A position the snapshot cannot value; the reason names the position.</exception>
    public DeribitPmAssessment Evaluate(Portfolio portfolio, MarketSnapshot market)
    {
        ArgumentNullException.ThrowIfNull(portfolio);
        ArgumentNullException.ThrowIfNull(market);
        var alone = EvaluatePositions(portfolio, market);
        if (portfolio.OpenOrders.Count == 0) return alone;
        var filled = portfolio;
        foreach (var order in portfolio.OpenOrders) filled = filled.With(order);
        var withOrders = EvaluatePositions(filled, market);
        var results = new List<MarginResult>();
        var books = new List<DeribitPmBook>();
        var currencies = alone.Results.Select(r => r.Currency).Union(withOrders.Results.Select(r => r.Currency));
        foreach (var ccy in currencies)
        {
            var a = alone.Results.FirstOrDefault(r => r.Currency == ccy);
            var b = withOrders.Results.FirstOrDefault(r => r.Currency == ccy);
            bool ordersBind = a is null || (b is not null && b.InitialMargin > a.InitialMargin);
            var chosen = ordersBind ? b! : a!;
            results.Add(ordersBind
                ? chosen with { Notes = [.. chosen.Notes, "open orders: margin with every open order filled (worse than without)"] }
                : chosen);
            books.AddRange((ordersBind ? withOrders : alone).Books.Where(k => k.MarginCurrency == ccy));
        }
        var vectors = alone.RiskVectors.Concat(withOrders.RiskVectors).DistinctBy(v => v.Instrument.Name).ToList();
        return new DeribitPmAssessment(results, vectors, books);
    }

    private DeribitPmAssessment EvaluatePositions(Portfolio portfolio, MarketSnapshot market)
    {
        var byName = new Dictionary<string, InstrumentRiskVector>();
        var positions = portfolio.Positions;
        var vectors = new InstrumentRiskVector[positions.Count];
        for (int i = 0; i < positions.Count; i++)
        {
            var instrument = positions[i].Instrument;
            if (!byName.TryGetValue(instrument.Name, out var v))
            {
                try
                {
                    v = DeribitPmRiskVectors.Compute(instrument, market, ParametersFor(instrument.Currency));
                }
                catch (DataValidationException ex)
                {
                    throw new DataValidationException($"position {i} ({instrument.Name}): {ex.Reason}", field: ex.Field, inner: ex);
                }
                byName.Add(instrument.Name, v);
            }
            vectors[i] = v;
        }

        var results = new List<MarginResult>();
        var allBooks = new List<DeribitPmBook>();
        foreach (var ccyGroup in Enumerable.Range(0, positions.Count).GroupBy(i => positions[i].Instrument.MarginCurrency))
        {
            string ccy = ccyGroup.Key;
            var bookResults = new List<(DeribitPmBook Book, int[] Members)>();
            foreach (var coinGroup in ccyGroup.GroupBy(i => positions[i].Instrument.Currency))
            {
                int[] members = [.. coinGroup];
                bookResults.Add((AssessBook(ccy, coinGroup.Key, members, vectors, positions, ParametersFor(coinGroup.Key)), members));
            }
            allBooks.AddRange(bookResults.Select(b => b.Book));
            results.Add(CurrencyResult(ccy, bookResults, vectors, positions));
        }
        return new DeribitPmAssessment(results, [.. byName.Values], allBooks);
    }

    private MarginResult CurrencyResult(string ccy, List<(DeribitPmBook Book, int[] Members)> books,
        InstrumentRiskVector[] vectors, IReadOnlyList<Position> positions)
    {
        double im = books.Sum(b => b.Book.InitialMargin);
        double mm = books.Sum(b => ParametersFor(b.Book.Underlying).MmFactor * b.Book.InitialMargin);
        var main = books.MaxBy(b => b.Book.InitialMargin).Book;
        var p = ParametersFor(main.Underlying);
        int nStd = p.StandardScenarioCount;
        bool extendedBinds = main.BindingIndex >= nStd;
        string scenarioName = extendedBinds
            ? DeribitPmScenarios.ExtendedName(main.BindingIndex - nStd, p)
            : DeribitPmScenarios.StandardName(main.BindingIndex, p);
        double priceShock = extendedBinds ? p.ExtendedMoves[main.BindingIndex - nStd] : DeribitPmScenarios.StandardPriceShock(main.BindingIndex, p);
        double volShock = extendedBinds ? p.VolatilityRangeUp
            : DeribitPmScenarios.VolShockAt30Days(DeribitPmScenarios.StandardVolScenario(main.BindingIndex, p), p);
        double bindingPnl = extendedBinds ? main.Extended[main.BindingIndex - nStd] : main.Standard[main.BindingIndex];
        var binding = new BindingScenario(books.Count > 1 ? $"{main.Underlying}: {scenarioName}" : scenarioName, priceShock, volShock, bindingPnl);

        var addOns = new List<MarginAddOn>();
        var notes = new List<string>();
        var rows = new PositionMargin[books.Sum(b => b.Members.Length)];
        var order = new int[rows.Length];
        int r = 0;
        foreach (var (book, members) in books)
        {
            var pb = ParametersFor(book.Underlying);
            string suffix = books.Count > 1 ? $" {book.Underlying}" : "";
            if (book.DeltaShock > 0) addOns.Add(new MarginAddOn("delta shock" + suffix, book.DeltaShock));
            if (book.RollShock > 0) addOns.Add(new MarginAddOn("roll shock" + suffix, book.RollShock));
            if (book.ContingencyTopUp > 0)
            {
                addOns.Add(new MarginAddOn("contingency minimum" + suffix, book.ContingencyTopUp));
                notes.Add($"{book.Underlying}: the contingency minimum {book.Contingency:G6} {ccy} binds (risk-based margin {book.InitialMargin - book.ContingencyTopUp:G6})");
            }
            if (book.BindingIndex >= pb.StandardScenarioCount && book.ScenarioLoss > 0)
                notes.Add($"{book.Underlying}: the extended table binds ({DeribitPmScenarios.ExtendedName(book.BindingIndex - pb.StandardScenarioCount, pb)}, weighted and dampened)");
            var (pnl, contribution) = Allocate(book, members, vectors, positions, pb);
            for (int k = 0; k < members.Length; k++)
            {
                int i = members[k];
                double without = members.Length == 1 ? 0
                    : AssessBook(ccy, book.Underlying, [.. members.Where(m => m != i)], vectors, positions, pb).InitialMargin;
                rows[r] = new PositionMargin(positions[i].Instrument.Name, positions[i].Size, pnl[k], contribution[k], book.InitialMargin - without);
                order[r++] = i;
            }
        }
        Array.Sort(order, rows);
        if (books.Count > 1)
            notes.Add($"{books.Count} underlyings margined in {ccy}: their books' margins add up (no diversification); each position's P&L is in its own book's binding scenario");
        return new MarginResult(Name, ccy, im, mm, binding, addOns, rows, notes);
    }

    /// <summary>Each member's P&amp;L in its book's binding scenario and its Euler contribution (see the class remarks).</summary>
    private static (double[] Pnl, double[] Contribution) Allocate(DeribitPmBook book, int[] members,
        InstrumentRiskVector[] vectors, IReadOnlyList<Position> positions, DeribitPmParameters p)
    {
        int n = members.Length, nStd = p.StandardScenarioCount;
        var pnl = new double[n];
        var c = new double[n];
        int b = book.BindingIndex;
        double weight = b >= nStd ? ExtendedScale(b - nStd, book.MarginCurrency == book.Underlying, p) : 1;
        double raw = 0;
        for (int k = 0; k < n; k++)
        {
            var v = vectors[members[k]];
            double q = positions[members[k]].Size;
            pnl[k] = b >= nStd ? weight * q * v.Extended[b - nStd] : q * v.Standard[b];
            raw += pnl[k];
        }
        // Standard scenario: the book's P&L is the plain sum, so −pnl sums to the loss. Extended: the dampener shrinks
        // the loss, shared in proportion to −pnl.
        double scale = book.ScenarioLoss > 0 && raw < 0 ? book.ScenarioLoss / -raw : 0;
        double rollUp = 0, rollDown = 0, optionBase = 0, longs = 0, shorts = 0;
        for (int k = 0; k < n; k++)
        {
            var v = vectors[members[k]];
            double q = positions[members[k]].Size;
            rollUp += q * v.RollPnlUp;
            rollDown += q * v.RollPnlDown;
            if (v.Instrument is OptionInstrument) optionBase += Math.Abs(q) * v.UnderlyingValue;
            else if (v.Instrument is FutureInstrument) { double value = q * v.UnderlyingValue; if (value > 0) longs += value; else shorts -= value; }
        }
        bool rollDown_ = rollDown < rollUp;
        double offsetting = Math.Min(longs, shorts);
        var terms = new double[n];
        double termSum = 0;
        for (int k = 0; k < n; k++)
        {
            var v = vectors[members[k]];
            double q = positions[members[k]].Size;
            c[k] = -pnl[k] * scale;
            if (book.DeltaShock > 0 && book.DeltaTotal != 0) c[k] += book.DeltaShock * q * v.Delta / book.DeltaTotal;
            if (book.RollShock > 0) c[k] -= q * (rollDown_ ? v.RollPnlDown : v.RollPnlUp);
            if (v.Instrument is OptionInstrument) terms[k] = p.OptionContingency * Math.Abs(q) * v.UnderlyingValue;
            else if (v.Instrument is FutureInstrument)
            {
                double value = q * v.UnderlyingValue;
                double side = value > 0 ? longs : shorts;
                terms[k] = side > 0 ? p.FuturesContingency * Math.Abs(value) * offsetting / (2 * side) : 0;
            }
            termSum += terms[k];
        }
        if (book.ContingencyTopUp > 0 && termSum > 0)
            for (int k = 0; k < n; k++) c[k] += book.ContingencyTopUp * terms[k] / termSum;
        return (pnl, c);
    }

    /// <summary>One book's aggregated vectors and charges from its members' risk vectors (see <see cref="DeribitPmBook"/>).</summary>
    internal static DeribitPmBook AssessBook(string marginCurrency, string underlying, int[] members,
        InstrumentRiskVector[] vectors, IReadOnlyList<Position> positions, DeribitPmParameters p)
    {
        int nStd = p.StandardScenarioCount, nExt = p.ExtendedMoves.Count;
        var standard = new double[nStd];
        var extended = new double[nExt];
        double delta = 0, rollUp = 0, rollDown = 0, optionBase = 0, longs = 0, shorts = 0, index = 0;
        DateTimeOffset? firstExpiry = null;
        bool anyFuture = false, severalExpiries = false;
        foreach (int i in members)
        {
            var v = vectors[i];
            double q = positions[i].Size;
            index = v.IndexPrice;
            DeribitPmRiskVectors.Accumulate(v.Standard, q, standard);
            DeribitPmRiskVectors.Accumulate(v.Extended, q, extended);
            delta += q * v.Delta;
            if (v.Instrument is OptionInstrument) optionBase += Math.Abs(q) * v.UnderlyingValue;
            else if (v.Instrument is FutureInstrument f)
            {
                rollUp += q * v.RollPnlUp;
                rollDown += q * v.RollPnlDown;
                double value = q * v.UnderlyingValue;
                if (value > 0) longs += value; else shorts -= value;
                if (q != 0)
                {
                    if (!anyFuture) { firstExpiry = f.Expiry; anyFuture = true; }
                    else if (f.Expiry != firstExpiry) severalExpiries = true;
                }
            }
        }
        bool inverse = marginCurrency == underlying;
        double dampener = inverse ? p.ExtendedDampener / index : p.ExtendedDampener;
        for (int e = 0; e < nExt; e++)
        {
            double x = ExtendedScale(e, inverse, p) * extended[e];
            extended[e] = x < 0 ? Math.Min(0, x + dampener) : x;
        }
        int binding = 0;
        double worst = double.PositiveInfinity;
        for (int j = 0; j < nStd; j++) if (standard[j] < worst) { worst = standard[j]; binding = j; }
        for (int e = 0; e < nExt; e++) if (extended[e] < worst) { worst = extended[e]; binding = nStd + e; }
        OffsetGains(standard, p);
        OffsetGains(extended, p);
        double scenarioLoss = Math.Max(0, -worst);

        // Delta/size shock, our assumption (Deribit names the parameters only): an extra adverse move on the net delta
        // that grows linearly with its USD size up to max_delta_shock at delta_total_liq_shock_threshold.
        double deltaUsd = Math.Abs(delta) * index;
        double shock = p.MaxDeltaShock * Math.Min(1, deltaUsd / p.DeltaTotalLiqShockThreshold);
        double deltaShock = Math.Abs(delta) * shock * (inverse ? 1 : index);
        double roll = severalExpiries ? Math.Max(0, -Math.Min(rollUp, rollDown)) : 0;
        double contingency = p.OptionContingency * optionBase + p.FuturesContingency * Math.Min(longs, shorts);
        double im = Math.Max(scenarioLoss + deltaShock + roll, contingency);
        return new DeribitPmBook(marginCurrency, underlying, standard, extended, scenarioLoss, binding, delta, deltaShock, roll, contingency, im);
    }

    /// <summary>
    /// Factor from an instrument's unweighted extended P&amp;L to the book's: the weight price_range/|m| times, for a
    /// coin-margined book, (1 + m): the coin P&amp;L is measured at the shocked price F₁ = F₀(1 + m) and converted back at
    /// today's price, i.e. in today's coin value of its USD amount. Our assumption: without it a long inverse future's
    /// coin loss q/F₀·(1/(1+m) − 1), 1.94 q/F₀ at −66%, would make the extended table bind for every large long inverse
    /// book, whereas Deribit aims the table at "large short options positions that are far out of the money" (support
    /// article "Portfolio Margin"); with it a future's weighted tail loss is price_range·q/F₀, below its standard-table loss.
    /// </summary>
    internal static double ExtendedScale(int e, bool inverse, DeribitPmParameters p)
    {
        double m = p.ExtendedMoves[e];
        return DeribitPmScenarios.ExtendedWeight(m, p) * (inverse ? 1 + m : 1);
    }

    private static void OffsetGains(Span<double> vector, DeribitPmParameters p)
    {
        for (int j = 0; j < vector.Length; j++)
            if (vector[j] > 0) vector[j] = Math.Min(p.PnlOffset * vector[j], p.MaxOffsetablePnl);
    }
}
