using CryptoMargin.MarketData;
using CryptoMargin.MarketData.Options;
using CryptoMargin.Pricing;

namespace CryptoMargin.Tests.MarketData.Options;

public class OptionChainCleanerTests
{
    private static readonly DateTimeOffset Valuation = new(2026, 8, 22, 9, 35, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Expiry = new(2026, 9, 25, 8, 0, 0, TimeSpan.Zero);
    private const double F = 77500;
    private static readonly double T = (Expiry - Valuation).TotalDays / 365;

    /// <summary>An inverse Deribit-style quote: Black-76 at σ, bid/ask ±halfSpread (relative) around it, in coin and USD.</summary>
    private static OptionQuote Quote(double strike, OptionType type, double sigma = 0.5, double halfSpread = 0.02,
        double forward = F, DateTimeOffset? expiry = null, int line = 0)
    {
        var e = expiry ?? Expiry;
        double t = (e - Valuation).TotalDays / 365;
        double usd = Black76.Price(forward, strike, Math.Max(t, 0), sigma, type);
        double coin = usd / forward;
        return new OptionQuote
        {
            Instrument = $"BTC-{e:dMMMyy}-{strike}-{(type == OptionType.Call ? 'C' : 'P')}".ToUpperInvariant(),
            Expiry = e,
            T = t,
            Strike = strike,
            Type = type,
            Forward = forward,
            IsInverse = true,
            BidCoin = coin * (1 - halfSpread),
            AskCoin = coin * (1 + halfSpread),
            MarkCoin = coin,
            BidUsd = usd * (1 - halfSpread),
            AskUsd = usd * (1 + halfSpread),
            MarkUsd = usd,
            MarkIv = sigma,
            Line = line,
        };
    }

    private static OptionChain Chain(params OptionQuote[] quotes) =>
        new(Valuation, "BTC", [.. quotes.Select((q, i) => q with { Line = q.Line == 0 ? i + 2 : q.Line })], hasBook: true);

    private static OptionQuote[] Smile(double forward = F)
    {
        var list = new List<OptionQuote>();
        foreach (var k in new double[] { 60000, 65000, 70000, 75000, 77500, 80000, 85000, 90000, 100000 })
        {
            list.Add(Quote(k, OptionType.Call, forward: forward));
            list.Add(Quote(k, OptionType.Put, forward: forward));
        }
        return [.. list];
    }

    [Fact]
    public void ACleanBlackChainKeepsEveryQuoteAndItsForward()
    {
        var r = OptionChainCleaner.Clean(Chain(Smile()), OptionCleaningSettings.Default);
        Assert.Empty(r.Rejections);
        Assert.Equal(18, r.Chain.Quotes.Count);
        Assert.Equal(18, r.InputQuotes);
        var f = Assert.Single(r.Forwards);
        // Inverse parity c − p = 1 − K/F holds exactly for Black-76 coin prices: the implied forward is F.
        Assert.Equal(F, f.Implied!.Value, 1e-6 * F);
        Assert.Equal(F, f.Snapshot);
        Assert.False(f.Mismatch);
        Assert.Equal(5, f.Strikes.Count);
        Assert.Equal([70000, 75000, 77500, 80000, 85000], f.Strikes);
    }

    public static TheoryData<string, QuoteRejectionReason, string> BadQuotes() => new()
    {
        { "crossed", QuoteRejectionReason.Crossed, "crossed: bid" },
        { "locked", QuoteRejectionReason.Locked, "locked: bid = ask" },
        { "noBid", QuoteRejectionReason.NoBid, "no bid" },
        { "zeroBid", QuoteRejectionReason.NoBid, "no bid" },
        { "noAsk", QuoteRejectionReason.NoAsk, "no ask" },
        { "wide", QuoteRejectionReason.WideSpread, "above 100 %" },
        { "expired", QuoteRejectionReason.Expired, "expired" },
        { "short", QuoteRejectionReason.TooShortExpiry, "less than the minimum 24 h" },
        { "stale", QuoteRejectionReason.Stale, "min old" },
        { "negativeStrike", QuoteRejectionReason.InvalidTerms, "strike -1" },
        { "nanForward", QuoteRejectionReason.InvalidTerms, "forward NaN" },
        { "negativeBid", QuoteRejectionReason.InvalidTerms, "bid -" },
    };

    [Theory]
    [MemberData(nameof(BadQuotes))]
    public void EachQuoteRuleRejectsWithItsReason(string what, QuoteRejectionReason reason, string detail)
    {
        var good = Quote(80000, OptionType.Call);
        var bad = what switch
        {
            "crossed" => good with { BidUsd = good.AskUsd + 10, BidCoin = good.AskCoin + 10 / F },
            "locked" => good with { BidUsd = good.AskUsd, BidCoin = good.AskCoin },
            "noBid" => good with { BidUsd = null, BidCoin = null },
            "zeroBid" => good with { BidUsd = 0.0, BidCoin = 0.0 },
            "noAsk" => good with { AskUsd = null, AskCoin = null },
            "wide" => good with { BidUsd = good.MarkUsd * 0.3, AskUsd = good.MarkUsd * 1.7 },
            "expired" => Quote(80000, OptionType.Call, expiry: Valuation.AddHours(-1)),
            "short" => Quote(80000, OptionType.Call, expiry: Valuation.AddHours(22.4)),
            "stale" => good with { QuoteTime = Valuation.AddMinutes(-61) },
            "negativeStrike" => good with { Strike = -1 },
            "nanForward" => good with { Forward = double.NaN },
            "negativeBid" => good with { BidUsd = -good.BidUsd },
            _ => throw new ArgumentOutOfRangeException(nameof(what)),
        };
        var r = OptionChainCleaner.Clean(Chain(Quote(75000, OptionType.Call), bad, Quote(85000, OptionType.Call)),
            OptionCleaningSettings.Default with { CheckStaticArbitrage = false });
        var rejection = Assert.Single(r.Rejections);
        Assert.Equal(reason, rejection.Reason);
        Assert.Equal(3, rejection.Quote.Line);
        Assert.Contains(detail, rejection.Detail);
        Assert.Equal(1, r.Count(reason));
        Assert.Equal(new Dictionary<QuoteRejectionReason, int> { [reason] = 1 }, r.Counts);
        Assert.Equal([75000, 85000], r.Chain.Quotes.Select(q => q.Strike));
    }

    [Fact]
    public void AFreshQuoteAndAWideButAllowedSpreadPass()
    {
        var q = Quote(80000, OptionType.Call, halfSpread: 0.45) with { QuoteTime = Valuation.AddMinutes(-59) };
        var r = OptionChainCleaner.Clean(Chain(q), OptionCleaningSettings.Default);
        Assert.Empty(r.Rejections);
        Assert.Equal(0.9, q.RelativeSpread!.Value, 1e-12);
        var strict = OptionChainCleaner.Clean(Chain(q), OptionCleaningSettings.Default with { MaxRelativeSpread = 0.5, MaxQuoteAge = TimeSpan.FromMinutes(30) });
        Assert.Equal(QuoteRejectionReason.Stale, Assert.Single(strict.Rejections).Reason); // the first rule failed wins
    }

    [Fact]
    public void ADuplicateStrikeIsRejectedOnce()
    {
        var q = Quote(80000, OptionType.Put);
        var r = OptionChainCleaner.Clean(Chain(q, q with { Line = 7 }), OptionCleaningSettings.Default);
        var d = Assert.Single(r.Rejections);
        Assert.Equal(QuoteRejectionReason.Duplicate, d.Reason);
        Assert.Equal(7, d.Quote.Line);
    }

    [Fact]
    public void AConvexityViolationRejectsTheBumpedQuote()
    {
        var quotes = Smile();
        int i = Array.FindIndex(quotes, q => q.Strike == 80000 && q.Type == OptionType.Call);
        // +0.01 BTC on the 80,000 call (775 USD): the 77.5/80/85 butterfly goes negative, and so would 75/80/85 (its
        // Black-76 chord excess is about ½Γ·5000² ≈ 420 USD), so only leaving out the 80,000 call cures it.
        quotes[i] = quotes[i] with { BidCoin = quotes[i].BidCoin + 0.01, AskCoin = quotes[i].AskCoin + 0.01, BidUsd = quotes[i].BidUsd + 0.01 * F, AskUsd = quotes[i].AskUsd + 0.01 * F };
        var r = OptionChainCleaner.Clean(Chain(quotes), OptionCleaningSettings.Default);
        var rejection = Assert.Single(r.Rejections);
        Assert.Equal(QuoteRejectionReason.Convexity, rejection.Reason);
        Assert.Equal(80000, rejection.Quote.Strike);
        Assert.Equal(OptionType.Call, rejection.Quote.Type);
        Assert.Contains("77500/80000/85000", rejection.Detail);
        Assert.Equal(17, r.Chain.Quotes.Count);
    }

    [Fact]
    public void AMonotonicityViolationIsFoundAndAToleranceHidesASmallOne()
    {
        var quotes = Smile();
        int i = Array.FindIndex(quotes, q => q.Strike == 90000 && q.Type == OptionType.Call);
        int j = Array.FindIndex(quotes, q => q.Strike == 85000 && q.Type == OptionType.Call);
        var original = quotes[i];
        OptionQuote AtMid(double mid) =>
            original with { BidUsd = original.BidUsd + mid - original.MidUsd, AskUsd = original.AskUsd + mid - original.MidUsd };
        // The 90,000 call 100 USD dearer than the 85,000 call.
        quotes[i] = AtMid(quotes[j].MidUsd!.Value + 100);
        var r = OptionChainCleaner.Clean(Chain(quotes), OptionCleaningSettings.Default with { ArbitrageOnMids = true, MaxRelativeSpread = 10 });
        var rejection = Assert.Single(r.Rejections);
        Assert.Equal(90000, rejection.Quote.Strike);
        Assert.Equal(QuoteRejectionReason.Monotonicity, rejection.Reason);
        Assert.Contains("call price rises with strike across 85000/90000: by 100 USD", rejection.Detail);

        // Far out of the money instead: the 100,000 call 1 USD dearer than the 90,000 call (the 85/90/100 butterfly stays
        // positive). A 1e-3·F tolerance hides it, a zero tolerance catches it.
        quotes[i] = original;
        int h = Array.FindIndex(quotes, q => q.Strike == 100000 && q.Type == OptionType.Call);
        double up = quotes[i].MidUsd!.Value + 1 - quotes[h].MidUsd!.Value;
        quotes[h] = quotes[h] with { BidUsd = quotes[h].BidUsd + up, AskUsd = quotes[h].AskUsd + up };
        var tolerant = OptionChainCleaner.Clean(Chain(quotes), OptionCleaningSettings.Default with { ArbitrageOnMids = true, MaxRelativeSpread = 10, ArbitrageTolerance = 1e-3 });
        Assert.Empty(tolerant.Rejections);
        var strict = OptionChainCleaner.Clean(Chain(quotes), OptionCleaningSettings.Default with { ArbitrageOnMids = true, MaxRelativeSpread = 10, ArbitrageTolerance = 0 });
        Assert.Equal(QuoteRejectionReason.Monotonicity, Assert.Single(strict.Rejections).Reason);
    }

    [Fact]
    public void AMidViolationInsideTheSpreadIsNotTradable()
    {
        var quotes = Smile();
        int i = Array.FindIndex(quotes, q => q.Strike == 80000 && q.Type == OptionType.Put);
        // +300 USD on the 80,000 put: its mid rises above the 77.5/80/85 chord of mids (Black-76 puts lie about
        // ½Γ·2500·5000 ≈ 210 USD below it), but selling it at its bid and buying the wings at their asks (±2 % spreads:
        // about 110 USD on the bid, 120 on the weighted asks) still costs money: no tradable arbitrage.
        quotes[i] = quotes[i] with { BidUsd = quotes[i].BidUsd + 300, AskUsd = quotes[i].AskUsd + 300 };
        var q = quotes.Where(x => x.Type == OptionType.Put && x.Strike is 77500 or 80000 or 85000).OrderBy(x => x.Strike).ToArray();
        Assert.True(q[1].MidUsd > (2.0 / 3) * q[0].MidUsd + (1.0 / 3) * q[2].MidUsd);
        Assert.True(q[1].BidUsd < (2.0 / 3) * q[0].AskUsd + (1.0 / 3) * q[2].AskUsd);
        var executable = OptionChainCleaner.Clean(Chain(quotes), OptionCleaningSettings.Default with { ArbitrageTolerance = 0 });
        Assert.Empty(executable.Rejections);
        var onMids = OptionChainCleaner.Clean(Chain(quotes), OptionCleaningSettings.Default with { ArbitrageTolerance = 0, ArbitrageOnMids = true });
        var rejection = Assert.Single(onMids.Rejections);
        // Leaving out the 77,500 or the 80,000 put both cure a violation this small (the 75/80/85 chord is wide enough);
        // the tie goes to the wider relative spread, the 77,500 put.
        Assert.Equal((OptionType.Put, QuoteRejectionReason.Convexity), (rejection.Quote.Type, rejection.Reason));
        Assert.Contains(rejection.Quote.Strike, new[] { 77500.0, 80000.0 });
        Assert.Contains("77500/80000/85000", rejection.Detail);
    }

    [Fact]
    public void UsdQuotesGiveTheParityForwardAndAMismatchIsFlagged()
    {
        // USD-quoted (not inverse) Black-76 prices with discount 0.98: C − P = D·(F − K) → F = K + (C − P)/D.
        const double d = 0.98;
        var quotes = Smile().Select(q => q with
        {
            IsInverse = false, BidCoin = null, AskCoin = null, MarkCoin = null, Discount = d,
        }).ToArray();
        var r = OptionChainCleaner.Clean(Chain(quotes), OptionCleaningSettings.Default);
        Assert.Equal(F, r.Forwards[0].Implied!.Value, 1e-6 * F);

        // The snapshot claims a forward 2 % off the one the prices were made with.
        var shifted = Smile().Select(q => q with { Forward = F * 1.02 }).ToArray();
        var m = OptionChainCleaner.Clean(Chain(shifted), OptionCleaningSettings.Default with { CheckStaticArbitrage = false });
        var fwd = Assert.Single(m.Forwards);
        Assert.True(fwd.Mismatch);
        Assert.Equal(1 / 1.02 - 1, fwd.RelativeDifference!.Value, 1e-6);
    }

    [Fact]
    public void NoPutCallPairMeansNoImpliedForward()
    {
        var r = OptionChainCleaner.Clean(Chain(Quote(70000, OptionType.Call), Quote(80000, OptionType.Put)), OptionCleaningSettings.Default);
        var f = Assert.Single(r.Forwards);
        Assert.Null(f.Implied);
        Assert.False(f.Mismatch);
        Assert.Empty(f.Strikes);
    }

    [Fact]
    public void TheSolverDelegateFillsBidAndAskVols()
    {
        // An independent bisection on the Black-76 price stands in for the project's implied-vol solver.
        static double Bisect(double price, double forward, double strike, double t, OptionType type)
        {
            double lo = 1e-4, hi = 5;
            for (int k = 0; k < 200; k++)
            {
                double mid = 0.5 * (lo + hi);
                if (Black76.Price(forward, strike, t, mid, type) > price) hi = mid; else lo = mid;
            }
            return 0.5 * (lo + hi);
        }
        var q = Quote(90000, OptionType.Call, sigma: 0.5, halfSpread: 0.05);
        var r = OptionChainCleaner.Clean(Chain(q), OptionCleaningSettings.Default, Bisect);
        var c = Assert.Single(r.Chain.Quotes);
        Assert.True(c.BidIv < 0.5 && c.AskIv > 0.5);
        Assert.Equal(q.BidUsd!.Value, Black76.Price(F, 90000, T, c.BidIv!.Value, OptionType.Call), 1e-6);
        Assert.Equal(q.AskUsd!.Value, Black76.Price(F, 90000, T, c.AskIv!.Value, OptionType.Call), 1e-6);

        // A solver that fails (NaN) leaves the vols empty.
        var none = OptionChainCleaner.Clean(Chain(q), OptionCleaningSettings.Default, (_, _, _, _, _) => double.NaN);
        Assert.Null(none.Chain.Quotes[0].BidIv);
    }

    [Fact]
    public void ASurfaceWithoutABookIsJudgedOnMarks()
    {
        var quotes = Smile().Select(q => q with { BidUsd = null, AskUsd = null, BidCoin = null, AskCoin = null, IsInverse = false }).ToArray();
        var chain = new OptionChain(null, null, quotes, hasBook: false);
        var r = OptionChainCleaner.Clean(chain, OptionCleaningSettings.Default);
        Assert.Empty(r.Rejections);
        Assert.Equal(F, r.Forwards[0].Implied!.Value, 1e-6 * F);
    }

    [Theory]
    [InlineData("maxRelativeSpread")]
    [InlineData("minTimeToExpiry")]
    [InlineData("maxQuoteAge")]
    [InlineData("arbitrageTolerance")]
    [InlineData("parityStrikes")]
    [InlineData("forwardTolerance")]
    public void SettingsOutOfRangeAreNamed(string field)
    {
        var s = field switch
        {
            "maxRelativeSpread" => OptionCleaningSettings.Default with { MaxRelativeSpread = 0 },
            "minTimeToExpiry" => OptionCleaningSettings.Default with { MinTimeToExpiry = TimeSpan.FromHours(-1) },
            "maxQuoteAge" => OptionCleaningSettings.Default with { MaxQuoteAge = TimeSpan.Zero },
            "arbitrageTolerance" => OptionCleaningSettings.Default with { ArbitrageTolerance = double.NaN },
            "parityStrikes" => OptionCleaningSettings.Default with { ParityStrikes = 0 },
            _ => OptionCleaningSettings.Default with { ForwardTolerance = -1 },
        };
        var e = Assert.Throws<DataValidationException>(() => OptionChainCleaner.Clean(Chain(Smile()), s));
        Assert.Equal(field, e.Field);
    }

    [Fact]
    public void TheChainGroupsByExpiryNearestFirst()
    {
        var later = Expiry.AddDays(91);
        var chain = Chain(Quote(80000, OptionType.Put, expiry: later), Quote(80000, OptionType.Call), Quote(70000, OptionType.Call));
        Assert.Equal(2, chain.Expiries.Count);
        Assert.Equal(Expiry, chain.Expiries[0].Expiry);
        Assert.Equal([70000, 80000], chain.Expiries[0].Quotes.Select(q => q.Strike));
        Assert.Equal(T, chain.Expiries[0].T, 1e-12);
        Assert.Equal(later, chain.Expiries[1].Expiry);
    }
}
