using System.IO.Compression;
using CryptoMargin.Data.Options;
using CryptoMargin.MarketData.Options;
using CryptoMargin.Pricing;

namespace CryptoMargin.Data.Tests.Options;

/// <summary>
/// The shipped Deribit snapshot against its provenance (samples/options/PROVENANCE.md, counted with Python's csv module)
/// and against independent relations: Black-76 at the mark IV, put-call parity against the snapshot's forward.
/// </summary>
public class SampleOptionChainTests
{
    internal static string SamplePath { get; } =
        Path.Combine(Repo.Root, "samples", "options", "deribit_options_snapshot_20260822T093536Z.csv.gz");

    private static readonly DateTimeOffset SnapshotTime = new DateTimeOffset(2026, 8, 22, 9, 35, 36, TimeSpan.Zero).AddTicks(1411550);

    [Theory]
    [InlineData("BTC", 1038, 52, 0)]
    [InlineData("ETH", 930, 48, 4)]
    public void SampleMatchesItsProvenance(string underlying, int rows, int withoutBid, int withoutAsk)
    {
        var chain = OptionChainReader.Read(SamplePath, underlying);
        Assert.Equal(underlying, chain.Underlying);
        Assert.Equal(SnapshotTime, chain.ValuationTime);
        Assert.Equal(rows, chain.Quotes.Count);
        Assert.Equal(withoutBid, chain.Quotes.Count(q => q.BidCoin is null or 0));
        Assert.Equal(withoutAsk, chain.Quotes.Count(q => q.AskCoin is null or 0));
        Assert.Equal(12, chain.Expiries.Count);
        Assert.Equal(new DateTimeOffset(2026, 8, 23, 8, 0, 0, TimeSpan.Zero), chain.Expiries[0].Expiry);
        Assert.Equal(new DateTimeOffset(2027, 6, 25, 8, 0, 0, TimeSpan.Zero), chain.Expiries[^1].Expiry);
        Assert.All(chain.Quotes, q => Assert.StartsWith(underlying + "-", q.Instrument, StringComparison.Ordinal));
        Assert.All(chain.Quotes, q => Assert.True(q.IsInverse && q.MarkIv > 0 && q.Forward > 0));
    }

    [Theory]
    [InlineData("BTC")]
    [InlineData("ETH")]
    public void CoinMarksTimesTheForwardAreBlack76AtTheMarkIv(string underlying)
    {
        // Deribit marks an inverse option at its Black-76 USD value / forward; the tickers were read minutes after the
        // snapshot time, so allow 0.5 % (or 0.5 USD for the cheapest options) on each, and ask the median to be tighter.
        var chain = OptionChainReader.Read(SamplePath, underlying);
        var relative = new List<double>();
        foreach (var q in chain.Quotes)
        {
            double model = Black76.Price(q.Forward, q.Strike, q.T, q.MarkIv!.Value, q.Type);
            Assert.True(Math.Abs(q.MarkUsd!.Value - model) <= 0.005 * model + 0.5 * q.Forward / 77000,
                $"{q.Instrument}: mark {q.MarkUsd} USD, Black-76 {model} USD");
            if (model > 10) relative.Add(Math.Abs(q.MarkUsd.Value / model - 1));
        }
        relative.Sort();
        Assert.True(relative[relative.Count / 2] < 1e-3, $"median relative difference {relative[relative.Count / 2]}");
    }

    [Theory]
    [InlineData("BTC")]
    [InlineData("ETH")]
    public void ParityForwardsAgreeWithTheSnapshotForwards(string underlying)
    {
        var r = OptionChainCleaner.Clean(OptionChainReader.Read(SamplePath, underlying), OptionCleaningSettings.Default);
        // The first expiry (22.4 h away) is left out as too short; the other 11 each have 5 near-the-money pairs.
        Assert.Equal(11, r.Forwards.Count);
        Assert.All(r.Forwards, f =>
        {
            Assert.Equal(5, f.Strikes.Count);
            Assert.False(f.Mismatch);
            Assert.True(Math.Abs(f.RelativeDifference!.Value) < 0.002, $"{f.Expiry}: implied {f.Implied}, snapshot {f.Snapshot}");
        });
    }

    [Theory]
    [InlineData("BTC")]
    [InlineData("ETH")]
    public void CleaningTheSampleAccountsForEveryQuote(string underlying)
    {
        var chain = OptionChainReader.Read(SamplePath, underlying);
        var r = OptionChainCleaner.Clean(chain, OptionCleaningSettings.Default);
        Assert.Equal(chain.Quotes.Count, r.Rejections.Count + r.Chain.Quotes.Count);
        // Counted from the raw quotes, independently of the rule order where it cannot matter.
        Assert.Equal(chain.Expiries[0].Quotes.Count, r.Count(QuoteRejectionReason.TooShortExpiry));
        var later = chain.Quotes.Where(q => q.Expiry > chain.Expiries[0].Expiry).ToList();
        Assert.Equal(later.Count(q => q.BidCoin is null or 0), r.Count(QuoteRejectionReason.NoBid));
        Assert.Equal(0, r.Count(QuoteRejectionReason.Crossed)); // PROVENANCE: no crossed quotes in the data set
        Assert.Equal(0, r.Count(QuoteRejectionReason.Expired));
        Assert.Equal(0, r.Count(QuoteRejectionReason.Duplicate));
        Assert.All(r.Rejections.Where(x => x.Reason == QuoteRejectionReason.WideSpread), x => Assert.True(x.Quote.RelativeSpread > 1));
        Assert.All(r.Chain.Quotes, q => Assert.True(q.RelativeSpread <= 1 && q.BidUsd < q.AskUsd && q.T >= 1.0 / 365));

        // What stays is free of tradable static arbitrage (sell at the bid, buy at the ask) beyond the tolerance; the
        // snapshot has none to begin with, so no quote of a live book is rejected for it.
        Assert.Equal(0, r.Count(QuoteRejectionReason.Convexity) + r.Count(QuoteRejectionReason.Monotonicity));
        foreach (var e in r.Chain.Expiries)
            foreach (var type in new[] { OptionType.Call, OptionType.Put })
            {
                var qs = e.Quotes.Where(q => q.Type == type).OrderBy(q => q.Strike).ToArray();
                var v = new ArbitrageViolation[Math.Max(1, 2 * qs.Length)];
                Assert.Equal(0, StaticArbitrage.FindViolations(qs.Select(q => q.Strike).ToArray(), qs.Select(q => q.BidUsd!.Value).ToArray(),
                    qs.Select(q => q.AskUsd!.Value).ToArray(), type, 1e-4 * e.Forward, v));
            }
    }

    [Theory]
    [InlineData("BTC", 100, 300)]
    [InlineData("ETH", 100, 300)]
    public void OnMidsBidAskNoiseReadsAsArbitrage(string underlying, int atLeast, int atMost)
    {
        // Mids of a live book are not arbitrage-free: deep in-the-money quotes with wide absolute spreads break convexity
        // by more than a tick. The mid-price check rejects far more than the executable one (which rejects none).
        var chain = OptionChainReader.Read(SamplePath, underlying);
        var r = OptionChainCleaner.Clean(chain, OptionCleaningSettings.Default with { ArbitrageOnMids = true });
        int arbitrage = r.Count(QuoteRejectionReason.Convexity) + r.Count(QuoteRejectionReason.Monotonicity);
        Assert.InRange(arbitrage, atLeast, atMost);
        Assert.All(r.Rejections.Where(x => x.Reason == QuoteRejectionReason.Convexity), x => Assert.Contains("butterfly price -", x.Detail));
    }

    [Fact]
    public void TheSharedDataSetMatchesItsProvenance()
    {
        // deribit-options-snapshots/PROVENANCE.md: 236 daily files, BTC 202,932 rows, ETH 175,418; no crossed quotes.
        Assert.SkipUnless(Directory.Exists(Repo.SharedData), "shared data folder ../shared/data is absent");
        var folder = Path.Combine(Repo.SharedData, "deribit-options-snapshots", "daily");
        Assert.SkipUnless(Directory.Exists(folder), "deribit-options-snapshots/daily is absent");
        var files = Directory.GetFiles(folder, "*.csv.gz");
        Assert.Equal(236, files.Length);
        long btc = 0, eth = 0, crossed = 0;
        foreach (var file in files)
            foreach (var (u, add) in new[] { ("BTC", (Action<int>)(n => btc += n)), ("ETH", n => eth += n) })
            {
                var chain = OptionChainReader.Read(file, u);
                add(chain.Quotes.Count);
                crossed += chain.Quotes.Count(q => q.BidCoin > q.AskCoin);
            }
        Assert.Equal((202932, 175418, 0), (btc, eth, crossed));
    }

    [Fact]
    public void TheSampleIsOneSnapshotOfTheSharedSet()
    {
        Assert.SkipUnless(Directory.Exists(Repo.SharedData), "shared data folder ../shared/data is absent");
        var shared = Path.Combine(Repo.SharedData, "deribit-options-snapshots", "daily", Path.GetFileName(SamplePath));
        Assert.SkipUnless(File.Exists(shared), "the sample's source file is absent");
        Assert.Equal(File.ReadAllBytes(shared), File.ReadAllBytes(SamplePath));
        using var gz = new GZipStream(File.OpenRead(SamplePath), CompressionMode.Decompress);
        using var text = new StreamReader(gz);
        int lines = 0;
        while (text.ReadLine() is not null) lines++;
        Assert.Equal(1969, lines);
    }
}
