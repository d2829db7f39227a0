using CryptoMargin.Backtesting;
using CryptoMargin.MarketData.Options;
using CryptoMargin.Pricing;

namespace CryptoMargin.Calibration.Grid;

/// <summary>The option books the backtest samples (issue 5 §3).</summary>
public enum BacktestBook
{
    LongStraddle,
    ShortStraddle,
    RiskReversal,
    CalendarSpread,
    CoveredCall,
    DeltaHedgedShortStraddle,
}

/// <summary>
/// One leg of a sampled book: an option of the chain (by Deribit name) or, when <see cref="Option"/> is null, the forward of
/// <see cref="Expiry"/> (a future). Size in coin, negative = short. Values are USD in forward terms (the units of
/// <see cref="OptionQuote.MarkUsd"/>), so P&amp;L is in USD.
/// </summary>
public sealed record BacktestLeg(string? Option, DateTimeOffset Expiry, double Strike, OptionType Type, double Size);

/// <summary>
/// A margin for a book on a chain (positive): the model under test, in the units of the run (<see cref="BacktestUnits"/>:
/// USD, or coin for a coin-collateralised account).
/// </summary>
public delegate double BookMargin(IReadOnlyList<BacktestLeg> book, OptionChain chain);

/// <summary>
/// The currency a backtest measures P&amp;L, margins and notionals in.
/// <list type="bullet">
/// <item><see cref="Usd"/>: a USD-collateralised account: option legs at Deribit's mark in USD (coin mark × forward),
/// futures legs at the forward; coin margins are converted at the margin date's index.</item>
/// <item><see cref="Coin"/>: Deribit's inverse account holding coin collateral: option legs at Deribit's mark in coin
/// (<c>mark_price</c>), an inverse futures leg of USD size N = coin size × F₀ gains N·(1/F₀ − 1/F₁) coin; the model's coin
/// margin is compared as it is (no conversion).</item>
/// </list>
/// </summary>
public enum BacktestUnits
{
    Usd,
    Coin,
}

/// <summary>
/// How a backtest runs. <see cref="TestFrom"/>: when set, only margin dates on or after it (UTC date of the snapshot) are
/// tested, with their P&amp;L to the snapshot h days later; books are still drawn on every date in order (the same seeded
/// sample as the in-sample run, so an out-of-sample observation is the in-sample one of that date), and days before the
/// split are dropped without counting as skipped. Null: every date (in-sample).
/// </summary>
public sealed record GridBacktestSettings(int HorizonDays, double Confidence, int Seed)
{
    public DateOnly? TestFrom { get; init; }

    public BacktestUnits Units { get; init; } = BacktestUnits.Usd;

    /// <summary>Parallelism of the margin calls over books × models (−1 = the runtime's default).</summary>
    public int MaxDegreeOfParallelism { get; init; } = -1;
}

/// <summary>One day's book: its margin, the realised P&amp;L to the snapshot h days later (the run's units, loss &lt; 0), and whether the loss exceeded the margin.</summary>
public readonly record struct BacktestObservation(DateTimeOffset Time, BacktestBook Book, double Margin, double Pnl)
{
    public bool Exceedance => -Pnl > Margin;

    /// <summary>
    /// Σ |size| × forward of the book's legs at the margin date (USD), or Σ |size| (coin) in a coin run: the denominator of
    /// margin as a cost fraction.
    /// </summary>
    public double GrossNotional { get; init; }
}

/// <summary>Coverage of one book type (or all: <see cref="Book"/> null): exceedances against the expected rate 1 − c.</summary>
public sealed record BookCoverage(BacktestBook? Book, int Observations, int Exceedances, double ExpectedExceedances,
    TestResult Kupiec, TestResult Christoffersen, TrafficLightZone TrafficLight, double AverageMargin);

public sealed record GridBacktestResult(int HorizonDays, double Confidence, int Skipped, IReadOnlyList<BacktestObservation> Observations,
    IReadOnlyList<BookCoverage> Coverage);

/// <summary>
/// Backtests a margin model on option books through a history of snapshots of one underlying: each snapshot day, one book
/// of each <see cref="BacktestBook"/> type is sampled (seeded), margined on that day's chain, and revalued at the marks of
/// the snapshot exactly h calendar days later (no partner: the day is skipped and counted). Realised P&amp;L = Σ size ×
/// (mark_{t+h} − mark_t), options at Deribit's mark in USD (coin × forward), futures legs at the forward of their expiry.
/// Exceedance: −P&amp;L &gt; margin. Coverage per book type and overall by Kupiec's POF test, Christoffersen's independence
/// test (per book type, in date order) and the Basel traffic light (<see cref="Backtesting"/>).
/// <para>With <see cref="GridBacktestSettings"/>: an out-of-sample split (only margin dates on or after
/// <see cref="GridBacktestSettings.TestFrom"/> are tested) and coin units (<see cref="BacktestUnits.Coin"/>: P&amp;L by
/// <see cref="CoinPnl"/>, notional by <see cref="CoinNotional"/>, margins in coin).</para>
/// </summary>
public static class GridBacktest
{
    /// <summary>Books use expiries between these many days away (the h-day revaluation must find them listed).</summary>
    public const double MinimumDays = 7, MaximumDays = 120;

    public static GridBacktestResult Run(IReadOnlyList<OptionChain> chains, BookMargin margin, int horizonDays, double confidence, int seed)
    {
        ArgumentNullException.ThrowIfNull(margin);
        return Run(chains, [margin], horizonDays, confidence, seed, maxDegreeOfParallelism: 1)[0];
    }

    /// <summary>
    /// Several margin models on the same seeded books (the same sample as the one-model <see cref="Run(IReadOnlyList{OptionChain}, BookMargin, int, double, int)"/>
    /// with this seed): books are sampled in date order, then margined in parallel over books × models (each
    /// <see cref="BookMargin"/> must be thread-safe). A margin that is not a finite number ≥ 0 (a model that cannot value
    /// the book) drops that observation for that model only and counts in its <see cref="GridBacktestResult.Skipped"/>.
    /// </summary>
    public static IReadOnlyList<GridBacktestResult> Run(IReadOnlyList<OptionChain> chains, IReadOnlyList<BookMargin> margins, int horizonDays,
        double confidence, int seed, int maxDegreeOfParallelism = -1) =>
        Run(chains, margins, new GridBacktestSettings(horizonDays, confidence, seed) { MaxDegreeOfParallelism = maxDegreeOfParallelism });

    /// <summary>
    /// Several margin models on the same seeded books, with a holdout split (<see cref="GridBacktestSettings.TestFrom"/>) and
    /// the units of P&amp;L and margin (<see cref="GridBacktestSettings.Units"/>; each <see cref="BookMargin"/> must return
    /// its margin in those units). With no split and USD units, the same result as the overload without settings.
    /// </summary>
    public static IReadOnlyList<GridBacktestResult> Run(IReadOnlyList<OptionChain> chains, IReadOnlyList<BookMargin> margins, GridBacktestSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        int horizonDays = settings.HorizonDays, seed = settings.Seed, maxDegreeOfParallelism = settings.MaxDegreeOfParallelism;
        double confidence = settings.Confidence;
        ArgumentNullException.ThrowIfNull(chains);
        ArgumentNullException.ThrowIfNull(margins);
        if (margins.Count == 0 || margins.Any(m => m is null)) throw new ArgumentException("at least one margin model, none null", nameof(margins));
        ArgumentOutOfRangeException.ThrowIfLessThan(horizonDays, 1);
        if (!(confidence > 0.5 && confidence < 1)) throw new ArgumentOutOfRangeException(nameof(confidence), confidence, "confidence must lie in (0.5, 1)");
        var byDate = new SortedDictionary<DateOnly, OptionChain>();
        foreach (var c in chains)
        {
            if (c.ValuationTime is not DateTimeOffset t) throw new ArgumentException("a chain has no valuation time", nameof(chains));
            if (!byDate.TryAdd(DateOnly.FromDateTime(t.UtcDateTime), c)) throw new ArgumentException($"two chains on {t:yyyy-MM-dd}", nameof(chains));
        }
        var rng = new Random(seed);
        var books = Enum.GetValues<BacktestBook>();
        var sampled = new List<(OptionChain Chain, BacktestBook Kind, IReadOnlyList<BacktestLeg> Book, double Pnl, double Notional)>();
        int skipped = 0;
        bool coin = settings.Units == BacktestUnits.Coin;
        foreach (var (date, chain) in byDate)
        {
            // Before the split: draw the day's books (the random stream stays the in-sample one) but neither test nor count them.
            bool tested = settings.TestFrom is not DateOnly from || date >= from;
            if (!byDate.TryGetValue(date.AddDays(horizonDays), out var next)) { if (tested) skipped++; continue; }
            foreach (var kind in books)
            {
                var book = Sample(chain, kind, rng);
                if (!tested) continue;
                if (book is null) { skipped++; continue; }
                double? pnl = coin ? CoinPnl(book, chain, next) : Value(book, next) - Value(book, chain);
                if (pnl is null) { skipped++; continue; }
                sampled.Add((chain, kind, book, pnl.Value, coin ? CoinNotional(book) : GrossNotional(book, chain)));
            }
        }
        var values = new double[margins.Count, sampled.Count];
        Parallel.For(0, margins.Count * sampled.Count, new ParallelOptions { MaxDegreeOfParallelism = maxDegreeOfParallelism }, k =>
        {
            int m = k / sampled.Count, i = k % sampled.Count;
            values[m, i] = margins[m](sampled[i].Book, sampled[i].Chain);
        });
        var results = new GridBacktestResult[margins.Count];
        for (int m = 0; m < margins.Count; m++)
        {
            var observations = new List<BacktestObservation>(sampled.Count);
            int failed = 0;
            for (int i = 0; i < sampled.Count; i++)
            {
                double v = values[m, i];
                if (!(double.IsFinite(v) && v >= 0)) { failed++; continue; }
                var s = sampled[i];
                observations.Add(new BacktestObservation(s.Chain.ValuationTime!.Value, s.Kind, v, s.Pnl) { GrossNotional = s.Notional });
            }
            var coverage = new List<BookCoverage> { Coverage(null, observations, confidence) };
            foreach (var kind in books) coverage.Add(Coverage(kind, [.. observations.Where(o => o.Book == kind)], confidence));
            results[m] = new GridBacktestResult(horizonDays, confidence, skipped + failed, observations, coverage);
        }
        return results;
    }

    /// <summary>Σ |size| × forward of the legs' expiries (USD); option legs count their coin size at the forward too.</summary>
    public static double GrossNotional(IReadOnlyList<BacktestLeg> book, OptionChain chain)
    {
        ArgumentNullException.ThrowIfNull(book);
        ArgumentNullException.ThrowIfNull(chain);
        double n = 0;
        foreach (var leg in book)
        {
            var e = chain.Expiries.FirstOrDefault(x => x.Expiry == leg.Expiry)
                    ?? throw new ArgumentException($"expiry {leg.Expiry:yyyy-MM-dd} of a leg is not in the chain", nameof(book));
            n += Math.Abs(leg.Size) * e.Forward;
        }
        return n;
    }

    private static BookCoverage Coverage(BacktestBook? book, IReadOnlyList<BacktestObservation> obs, double confidence)
    {
        double rate = 1 - confidence;
        var hits = obs.Select(o => o.Exceedance).ToArray();
        int x = hits.Count(h => h);
        // Independence is a time-series test: per book type in date order; for the pooled set, the first book type's series.
        var series = book is null ? obs.Where(o => o.Book == obs.FirstOrDefault().Book).Select(o => o.Exceedance).ToArray() : hits;
        return new BookCoverage(book, obs.Count, x, rate * obs.Count,
            obs.Count > 0 ? Kupiec.ProportionOfFailures(obs.Count, x, rate) : new TestResult(double.NaN, double.NaN),
            series.Length > 1 ? Christoffersen.Independence(series) : new TestResult(double.NaN, double.NaN),
            obs.Count > 0 ? TrafficLight.Zone(obs.Count, x, rate) : TrafficLightZone.Green,
            obs.Count > 0 ? obs.Average(o => o.Margin) : double.NaN);
    }

    /// <summary>Σ |size| of the legs (coin): a coin run's gross notional (an inverse futures leg's coin size = its USD size / F₀).</summary>
    public static double CoinNotional(IReadOnlyList<BacktestLeg> book)
    {
        ArgumentNullException.ThrowIfNull(book);
        double n = 0;
        foreach (var leg in book) n += Math.Abs(leg.Size);
        return n;
    }

    /// <summary>
    /// The realised P&amp;L of a book from <paramref name="from"/> to <paramref name="to"/> in coin, as a coin-collateralised
    /// Deribit account books it: an option leg gains size × (mark₁ − mark₀), marks in coin (Deribit's <c>mark_price</c>;
    /// USD mark ÷ the quote's forward where only that is given); a forward leg is the inverse future of its expiry with
    /// USD size N = size × F₀ and gains N·(1/F₀ − 1/F₁) = size·(1 − F₀/F₁) coin (Deribit's inverse-future P&amp;L), F the
    /// expiry's forward on each date. Null when a leg is not listed on either date.
    /// <para>Relation to the USD P&amp;L (exact, per leg): with x₀ = size × mark₀ (coin) the option leg's value at the margin
    /// date and F₁ its forward at the end, coin P&amp;L × F₁ = USD P&amp;L − x₀·(F₁ − F₀): the coin figure valued at the end is
    /// the USD figure less the revaluation of the coins the position was worth (a future's x₀ is 0, so its coin P&amp;L × F₁
    /// = size·(F₁ − F₀), its USD P&amp;L).</para>
    /// </summary>
    public static double? CoinPnl(IReadOnlyList<BacktestLeg> book, OptionChain from, OptionChain to)
    {
        ArgumentNullException.ThrowIfNull(book);
        ArgumentNullException.ThrowIfNull(from);
        ArgumentNullException.ThrowIfNull(to);
        double pnl = 0;
        foreach (var leg in book)
        {
            var e0 = from.Expiries.FirstOrDefault(e => e.Expiry == leg.Expiry);
            var e1 = to.Expiries.FirstOrDefault(e => e.Expiry == leg.Expiry);
            if (e0 is null || e1 is null) return null;
            if (leg.Option is null)
            {
                double usdSize = leg.Size * e0.Forward;
                pnl += usdSize * (1 / e0.Forward - 1 / e1.Forward);
                continue;
            }
            if (CoinMark(e0, leg.Option) is not double m0 || CoinMark(e1, leg.Option) is not double m1) return null;
            pnl += leg.Size * (m1 - m0);
        }
        return pnl;
    }

    private static double? CoinMark(OptionExpiry e, string option)
    {
        var q = e.Quotes.FirstOrDefault(q => q.Instrument == option);
        return q?.MarkCoin ?? (q?.MarkUsd is double usd && q.Forward > 0 ? usd / q.Forward : null);
    }

    /// <summary>Σ size × value of a book at a chain's marks (USD); null when a leg is not listed there.</summary>
    public static double? Value(IReadOnlyList<BacktestLeg> book, OptionChain chain)
    {
        ArgumentNullException.ThrowIfNull(book);
        ArgumentNullException.ThrowIfNull(chain);
        double v = 0;
        foreach (var leg in book)
        {
            var expiry = chain.Expiries.FirstOrDefault(e => e.Expiry == leg.Expiry);
            if (expiry is null) return null;
            if (leg.Option is null) { v += leg.Size * expiry.Forward; continue; }
            var q = expiry.Quotes.FirstOrDefault(q => q.Instrument == leg.Option);
            double? mark = q?.MarkUsd ?? (q?.MarkCoin is double c ? c * q.Forward : null);
            if (mark is not double m) return null;
            v += leg.Size * m;
        }
        return v;
    }

    /// <summary>A seeded sample of one book on a chain (1 coin per option leg); null when the chain has no suitable expiry.</summary>
    public static IReadOnlyList<BacktestLeg>? Sample(OptionChain chain, BacktestBook kind, Random rng)
    {
        ArgumentNullException.ThrowIfNull(chain);
        ArgumentNullException.ThrowIfNull(rng);
        var usable = chain.Expiries.Where(e => e.Expiry is not null && e.T * 365 >= MinimumDays && e.T * 365 <= MaximumDays
                                               && e.Quotes.Any(q => q.MarkIv is > 0)).ToList();
        if (usable.Count == 0 || (kind == BacktestBook.CalendarSpread && usable.Count < 2)) return null;
        int pick = rng.Next(kind == BacktestBook.CalendarSpread ? usable.Count - 1 : usable.Count);
        var e = usable[pick];
        double atmVol = e.Quotes.Where(q => q.MarkIv is > 0).MinBy(q => Math.Abs(Math.Log(q.Strike / e.Forward)))!.MarkIv!.Value;
        double sd = atmVol * Math.Sqrt(e.T);
        BacktestLeg Leg(OptionExpiry x, OptionType type, double targetStrike, double size)
        {
            var q = x.Quotes.Where(q => q.Type == type && q.MarkIv is > 0).MinBy(q => Math.Abs(q.Strike - targetStrike))!;
            return new BacktestLeg(q.Instrument, x.Expiry!.Value, q.Strike, type, size);
        }
        BacktestLeg Forward(OptionExpiry x, double size) => new(null, x.Expiry!.Value, 0, OptionType.Call, size);
        double f = e.Forward;
        switch (kind)
        {
            case BacktestBook.LongStraddle: return [Leg(e, OptionType.Call, f, 1), Leg(e, OptionType.Put, f, 1)];
            case BacktestBook.ShortStraddle: return [Leg(e, OptionType.Call, f, -1), Leg(e, OptionType.Put, f, -1)];
            case BacktestBook.RiskReversal:
            {
                double sign = rng.Next(2) == 0 ? 1 : -1;
                return [Leg(e, OptionType.Call, f * Math.Exp(0.5 * sd), sign), Leg(e, OptionType.Put, f * Math.Exp(-0.5 * sd), -sign)];
            }
            case BacktestBook.CalendarSpread:
            {
                var far = usable[pick + 1 + rng.Next(usable.Count - pick - 1)];
                return [Leg(e, OptionType.Call, f, -1), Leg(far, OptionType.Call, f, 1)];
            }
            case BacktestBook.CoveredCall: return [Forward(e, 1), Leg(e, OptionType.Call, f * Math.Exp(0.5 * sd), -1)];
            case BacktestBook.DeltaHedgedShortStraddle:
            {
                var c = Leg(e, OptionType.Call, f, -1);
                var p = Leg(e, OptionType.Put, f, -1);
                double delta = -Delta(e, c) - Delta(e, p);
                return [c, p, Forward(e, -delta)];
            }
            default: throw new ArgumentOutOfRangeException(nameof(kind));
        }
    }

    private static double Delta(OptionExpiry e, BacktestLeg leg)
    {
        var q = e.Quotes.First(q => q.Instrument == leg.Option);
        double h = 1e-4 * e.Forward;
        return (Black76.Price(e.Forward + h, q.Strike, e.T, q.MarkIv!.Value, q.Type) - Black76.Price(e.Forward - h, q.Strike, e.T, q.MarkIv!.Value, q.Type)) / (2 * h);
    }
}
