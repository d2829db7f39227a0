using System.Globalization;
using CryptoMargin.Pricing;

namespace CryptoMargin.MarketData.Options;

/// <summary>
/// Cleans an <see cref="OptionChain"/> for surface fitting and reports every quote it leaves out, with one reason each.
/// Rules, in order (the first a quote fails is its reason):
/// <list type="number">
/// <item><c>invalidTerms</c>: strike, forward or discount not positive and finite, T not finite, a price negative or not finite;</item>
/// <item><c>expired</c>: T ≤ 0; <c>tooShortExpiry</c>: T below <see cref="OptionCleaningSettings.MinTimeToExpiry"/> (ACT/365);</item>
/// <item><c>duplicate</c>: an expiry/strike/type seen earlier; <c>stale</c>: valuation time − quote time above
/// <see cref="OptionCleaningSettings.MaxQuoteAge"/> (only where quotes carry their own time);</item>
/// <item>where the chain has a book: <c>noBid</c>, <c>noAsk</c> (missing or 0), <c>crossed</c> (bid &gt; ask),
/// <c>locked</c> (bid = ask), <c>wideSpread</c> ((ask − bid)/mid above <see cref="OptionCleaningSettings.MaxRelativeSpread"/>);</item>
/// <item>static arbitrage per expiry and type on the surviving quotes, in undiscounted USD (see <see cref="StaticArbitrage"/>):
/// on executable prices (sell at the bid, buy at the ask) by default, on mids with
/// <see cref="OptionCleaningSettings.ArbitrageOnMids"/>, on marks for a chain without a book; while any condition fails by more than the tolerance, of the
/// quotes involved the one whose removal leaves the fewest violations (then the smallest total excess; then the one in
/// most violations, the wider relative spread, the later line) is rejected and the conditions are checked again; its
/// reason is the kind of its first violation.</item>
/// </list>
/// Put-call parity (forwards): per expiry, on the quotes left after rule 4, at strikes where both a call and a put have a
/// mid, Fₖ = K + (C − P)/D in USD (Hull, "Options, Futures, and Other Derivatives", put-call parity for options on
/// futures: c − p = D·(F − K)); for inverse quotes in coin, c − p = 1 − K/F, so Fₖ = K/(1 − (c − p)) needs no forward
/// to convert coin to USD. The median over the <see cref="OptionCleaningSettings.ParityStrikes"/> strikes nearest the
/// snapshot forward is compared with it; a mismatch is reported, not rejected.
/// </summary>
public static class OptionChainCleaner
{
    /// <summary>Cleans a chain.</summary>
    /// <param name="impliedVolatility">
    /// Optional solver σ(price, forward, strike, t, type) on undiscounted USD prices; when given, accepted quotes without
    /// <see cref="OptionQuote.BidIv"/>/<see cref="OptionQuote.AskIv"/> get them from their bid/ask (a NaN result leaves them null).
    /// </param>
    /// <exception cref="DataValidationException">Settings out of range (field names the setting).</exception>
    public static OptionCleaningResult Clean(OptionChain chain, OptionCleaningSettings settings,
        Func<double, double, double, double, OptionType, double>? impliedVolatility = null)
    {
        ArgumentNullException.ThrowIfNull(chain);
        ArgumentNullException.ThrowIfNull(settings);
        settings.Check();

        var rejections = new List<QuoteRejection>();
        var survivors = new List<OptionQuote>(chain.Quotes.Count);
        var seen = new HashSet<(DateTimeOffset?, double, double, OptionType)>();
        double minT = settings.MinTimeToExpiry.TotalDays / 365.0;
        foreach (var q in chain.Quotes)
        {
            var rejection = QuoteRule(q, chain, settings, minT, seen);
            if (rejection is null) survivors.Add(q);
            else rejections.Add(rejection);
        }

        var clean = new OptionChain(chain.ValuationTime, chain.Underlying, survivors, chain.HasBook);
        var forwards = clean.Expiries.Select(e => ParityForward(e, settings)).ToList();

        var accepted = survivors;
        if (settings.CheckStaticArbitrage)
        {
            var arbitrage = new HashSet<OptionQuote>(ReferenceEqualityComparer.Instance);
            foreach (var expiry in clean.Expiries)
                foreach (var type in new[] { OptionType.Call, OptionType.Put })
                    RejectArbitrage(expiry, type, chain.HasBook, settings.ArbitrageOnMids, settings.ArbitrageTolerance * expiry.Forward, rejections, arbitrage);
            accepted = [.. survivors.Where(q => !arbitrage.Contains(q))];
        }

        if (impliedVolatility is not null)
            accepted = [.. accepted.Select(q => WithVols(q, impliedVolatility))];

        var byLine = rejections.OrderBy(r => r.Quote.Line).ToList();
        return new OptionCleaningResult(chain.With(accepted), settings, chain.Quotes.Count, byLine, forwards);
    }

    private static QuoteRejection? QuoteRule(OptionQuote q, OptionChain chain, OptionCleaningSettings s, double minT,
        HashSet<(DateTimeOffset?, double, double, OptionType)> seen)
    {
        QuoteRejection Reject(QuoteRejectionReason reason, string detail) => new(q, reason, detail);

        if (!(q.Strike > 0) || !double.IsFinite(q.Strike)) return Reject(QuoteRejectionReason.InvalidTerms, $"strike {Fmt(q.Strike)} is not a positive number");
        if (!(q.Forward > 0) || !double.IsFinite(q.Forward)) return Reject(QuoteRejectionReason.InvalidTerms, $"forward {Fmt(q.Forward)} is not a positive number");
        if (!(q.Discount > 0) || !double.IsFinite(q.Discount)) return Reject(QuoteRejectionReason.InvalidTerms, $"discount factor {Fmt(q.Discount)} is not a positive number");
        if (!double.IsFinite(q.T)) return Reject(QuoteRejectionReason.InvalidTerms, $"time to expiry {Fmt(q.T)} is not a finite number");
        foreach (var (name, value) in new[] { ("bid", q.BidUsd), ("ask", q.AskUsd), ("mark", q.MarkUsd) })
            if (value is double v && (!(v >= 0) || !double.IsFinite(v)))
                return Reject(QuoteRejectionReason.InvalidTerms, $"{name} {Fmt(v)} is negative or not a finite number");
        if (q.T <= 0) return Reject(QuoteRejectionReason.Expired, $"expired: time to expiry {Fmt(q.T)} years at the valuation time");
        if (q.T < minT)
            return Reject(QuoteRejectionReason.TooShortExpiry,
                $"expires in {Fmt(q.T * 365 * 24)} h, less than the minimum {Fmt(s.MinTimeToExpiry.TotalHours)} h");
        if (!seen.Add((q.Expiry, q.Expiry is null ? q.T : 0.0, q.Strike, q.Type)))
            return Reject(QuoteRejectionReason.Duplicate, $"{q.Type} at strike {Fmt(q.Strike)} of this expiry already seen");
        if (q.QuoteTime is DateTimeOffset qt && chain.ValuationTime is DateTimeOffset vt && vt - qt > s.MaxQuoteAge)
            return Reject(QuoteRejectionReason.Stale, $"quote is {Fmt((vt - qt).TotalMinutes)} min old, more than {Fmt(s.MaxQuoteAge.TotalMinutes)} min");
        if (!chain.HasBook) return null;
        if (!(q.BidUsd > 0)) return Reject(QuoteRejectionReason.NoBid, "no bid");
        if (!(q.AskUsd > 0)) return Reject(QuoteRejectionReason.NoAsk, "no ask");
        double bid = q.BidUsd!.Value, ask = q.AskUsd!.Value;
        if (bid > ask) return Reject(QuoteRejectionReason.Crossed, $"crossed: bid {Price(q, bid, q.BidCoin)} above ask {Price(q, ask, q.AskCoin)}");
        if (bid == ask) return Reject(QuoteRejectionReason.Locked, $"locked: bid = ask = {Price(q, bid, q.BidCoin)}");
        double spread = q.RelativeSpread!.Value;
        if (spread > s.MaxRelativeSpread)
            return Reject(QuoteRejectionReason.WideSpread,
                $"spread {Fmt(spread * 100)} % of mid (bid {Price(q, bid, q.BidCoin)}, ask {Price(q, ask, q.AskCoin)}) above {Fmt(s.MaxRelativeSpread * 100)} %");
        return null;
    }

    private static ImpliedForward ParityForward(OptionExpiry e, OptionCleaningSettings s)
    {
        var calls = e.Quotes.Where(q => q.Type == OptionType.Call).ToDictionary(q => q.Strike);
        var pairs = new List<(double Strike, double Forward)>();
        foreach (var put in e.Quotes.Where(q => q.Type == OptionType.Put))
        {
            if (!calls.TryGetValue(put.Strike, out var call)) continue;
            double? f = null;
            if (call.IsInverse && put.IsInverse && call.BidCoin is double cb && call.AskCoin is double ca
                && put.BidCoin is double pb && put.AskCoin is double pa)
            {
                double diff = 0.5 * (cb + ca) - 0.5 * (pb + pa);
                if (diff < 1) f = put.Strike / (1 - diff);
            }
            else if (call.MidUsd is double c && put.MidUsd is double p)
                f = put.Strike + (c - p);
            else if (!call.IsInverse && call.BidUsd is null && put.BidUsd is null && call.MarkUsd is double cm && put.MarkUsd is double pm)
                f = put.Strike + (cm - pm);
            if (f is double fv && fv > 0 && double.IsFinite(fv)) pairs.Add((put.Strike, fv));
        }
        if (pairs.Count == 0) return new ImpliedForward(e.Expiry, e.T, e.Forward, null, [], null, false);
        var near = pairs.OrderBy(p => Math.Abs(Math.Log(p.Strike / e.Forward))).ThenBy(p => p.Strike).Take(s.ParityStrikes).ToList();
        var values = near.Select(p => p.Forward).ToArray();
        double implied = PriceValidator.Median(values);
        double rel = implied / e.Forward - 1;
        return new ImpliedForward(e.Expiry, e.T, e.Forward, implied, [.. near.Select(p => p.Strike).Order()], rel,
            Math.Abs(rel) > s.ForwardTolerance);
    }

    private static void RejectArbitrage(OptionExpiry e, OptionType type, bool hasBook, bool onMids, double tolerance,
        List<QuoteRejection> rejections, HashSet<OptionQuote> rejected)
    {
        var quotes = e.Quotes.Where(q => q.Type == type && (hasBook ? q.MidUsd : q.MarkUsd) is not null).OrderBy(q => q.Strike).ToList();
        if (quotes.Count < 2) return;
        int n = quotes.Count;
        var strikes = new double[n];
        var bids = new double[n];
        var asks = new double[n];
        var violations = new ArbitrageViolation[Math.Max(1, 2 * n - 3)];
        var hits = new int[n];
        var firstKind = new ArbitrageViolation?[n];
        var reducedStrikes = new double[n];
        var reducedBids = new double[n];
        var reducedAsks = new double[n];
        var reducedViolations = new ArbitrageViolation[Math.Max(1, 2 * n - 3)];
        while (quotes.Count >= 2)
        {
            n = quotes.Count;
            for (int i = 0; i < n; i++)
            {
                strikes[i] = quotes[i].Strike;
                var q = quotes[i];
                (bids[i], asks[i]) = !hasBook ? (q.MarkUsd!.Value, q.MarkUsd.Value)
                    : onMids ? (q.MidUsd!.Value, q.MidUsd.Value) : (q.BidUsd!.Value, q.AskUsd!.Value);
            }
            int count = StaticArbitrage.FindViolations(strikes.AsSpan(0, n), bids.AsSpan(0, n), asks.AsSpan(0, n), type, tolerance, violations);
            if (count == 0) return;
            Array.Clear(hits, 0, n);
            Array.Fill(firstKind, null, 0, n);
            for (int k = 0; k < count; k++)
                for (int j = violations[k].First; j < violations[k].First + violations[k].Width; j++)
                {
                    hits[j]++;
                    firstKind[j] ??= violations[k];
                }
            // Reject the involved quote whose removal leaves the fewest violations (then the smallest total excess, then
            // the one in most violations, the wider spread, the later line): a single bad quote goes, its neighbours stay.
            int worst = -1;
            (int Count, double Excess) best = (int.MaxValue, double.PositiveInfinity);
            for (int c = 0; c < n; c++)
            {
                if (hits[c] == 0) continue;
                int m = 0;
                for (int i = 0; i < n; i++)
                {
                    if (i == c) continue;
                    reducedStrikes[m] = strikes[i];
                    reducedBids[m] = bids[i];
                    reducedAsks[m++] = asks[i];
                }
                int left = StaticArbitrage.FindViolations(reducedStrikes.AsSpan(0, m), reducedBids.AsSpan(0, m), reducedAsks.AsSpan(0, m), type, tolerance, reducedViolations);
                double excess = 0;
                for (int k = 0; k < left; k++) excess += reducedViolations[k].Amount;
                if (worst < 0 || left < best.Count || (left == best.Count && (excess < best.Excess
                    || (excess == best.Excess && Worse(quotes[c], hits[c], quotes[worst], hits[worst])))))
                {
                    worst = c;
                    best = (left, excess);
                }
            }
            var v = firstKind[worst]!.Value;
            var reason = v.Kind == ArbitrageKind.Monotonicity ? QuoteRejectionReason.Monotonicity : QuoteRejectionReason.Convexity;
            var involved = string.Join("/", Enumerable.Range(v.First, v.Width).Select(j => Fmt(strikes[j])));
            var what = v.Kind == ArbitrageKind.Monotonicity
                ? (type == OptionType.Call ? "call price rises" : "put price falls") + $" with strike across {involved}"
                : $"prices not convex in strike across {involved} (butterfly {(onMids || !hasBook ? "price" : "bought at the asks, sold at the bid")} {Fmt(-v.Amount)} USD)";
            rejections.Add(new QuoteRejection(quotes[worst], reason,
                $"{what}: by {Fmt(v.Amount)} USD, tolerance {Fmt(tolerance)} USD; this quote is in {hits[worst]} of {count} violations of its expiry's {type.ToString().ToLowerInvariant()}s"));
            rejected.Add(quotes[worst]);
            quotes.RemoveAt(worst);
        }
    }

    private static bool Worse(OptionQuote a, int hitsA, OptionQuote b, int hitsB)
    {
        if (hitsA != hitsB) return hitsA > hitsB;
        double sa = a.RelativeSpread ?? 0, sb = b.RelativeSpread ?? 0;
        return sa != sb ? sa > sb : a.Line > b.Line;
    }

    private static OptionQuote WithVols(OptionQuote q, Func<double, double, double, double, OptionType, double> solver)
    {
        double? Solve(double? price) =>
            price is double p && solver(p, q.Forward, q.Strike, q.T, q.Type) is var v && double.IsFinite(v) ? v : null;
        return q with { BidIv = q.BidIv ?? Solve(q.BidUsd), AskIv = q.AskIv ?? Solve(q.AskUsd) };
    }

    private static string Price(OptionQuote q, double usd, double? coin) =>
        coin is double c ? $"{Fmt(c)} coin ({Fmt(usd)} USD)" : $"{Fmt(usd)} USD";

    private static string Fmt(double v) => v.ToString("G6", CultureInfo.InvariantCulture);
}
