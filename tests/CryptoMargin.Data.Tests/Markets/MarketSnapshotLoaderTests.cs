using CryptoMargin.Data.Markets;
using CryptoMargin.Instruments;
using CryptoMargin.MarketData;
using CryptoMargin.Pricing;
using static CryptoMargin.Data.Tests.Markets.SampleMarket;

namespace CryptoMargin.Data.Tests.Markets;

/// <summary>
/// The market loader on the shipped 2026-04-15 Deribit snapshot against the files' own rows (read by plain text
/// splitting, not the library's CSV code), and the surfaces against the snapshot's mark IVs.
/// </summary>
public class MarketSnapshotLoaderTests
{
    [Fact]
    public void ValuationTimeIsTheSnapshotsTimestamp()
    {
        var expected = DateTimeOffset.Parse(Rows()[0]["timestamp"], System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(expected, Loaded.ValuationTime);
        Assert.Equal(new DateTimeOffset(2026, 4, 15, 10, 24, 47, TimeSpan.Zero), Loaded.ValuationTime.AddTicks(-Loaded.ValuationTime.Ticks % TimeSpan.TicksPerSecond));
    }

    [Theory]
    [InlineData("BTC")]
    [InlineData("ETH")]
    public void IndexIsTheMedianIndexPriceOfTheCoinsRows(string coin)
    {
        double expected = Median(Rows().Where(r => r["currency"] == coin).Select(r => D(r["index_price"])));
        Assert.Equal(expected, Loaded.Snapshot.Index(coin), 9);
    }

    [Fact]
    public void PerpetualAndDatedFuturesMarksComeFromTheFilesBesideTheSnapshot()
    {
        var perp = ReadCsv(ReadText(Path.Combine(Folder, "perpetual_futures_prices.csv")));
        Assert.Equal(2, perp.Count);
        foreach (var r in perp)
        {
            Assert.Equal(D(r["perp_futures_mark_price"]), Loaded.Snapshot.FuturesMarks[r["instrument_name"]]);
            Assert.StartsWith("perpetual_futures_prices.csv:", Loaded.MarkSources[r["instrument_name"]], StringComparison.Ordinal);
        }
        var term = ReadCsv(ReadText(Path.Combine(Folder, "term_futures_marks.csv.gz")));
        Assert.Equal(14, term.Count);
        foreach (var r in term)
            Assert.Equal(D(r["term_mark_price_final"]), Loaded.Snapshot.FuturesMarks[r["futures_instrument_name"]]);
        Assert.Equal(74012.5, Loaded.Snapshot.UnderlyingPrice(Instrument.Parse("BTC-PERPETUAL")));
        Assert.Equal(74295.0, Loaded.Snapshot.UnderlyingPrice(Instrument.Parse("BTC-26JUN26")));
        // A linear perpetual without its own mark moves with the inverse one (MarketSnapshot.UnderlyingPrice).
        Assert.Equal(2316.55, Loaded.Snapshot.UnderlyingPrice(Instrument.Parse("ETH_USDC-PERPETUAL")));
    }

    [Fact]
    public void WithoutTheFuturesFilesMarksComeFromTheOptionsUnderlying()
    {
        using var dir = new TempFolder();
        var copy = dir.File(Path.GetFileName(SnapshotPath));
        File.Copy(SnapshotPath, copy);
        var market = MarketSnapshotLoader.Load(copy);
        var rows = Rows();
        foreach (var g in rows.Where(r => r["underlying_name"] is var u && u.Contains('-') && !u.StartsWith("SYN.", StringComparison.Ordinal)).GroupBy(r => r["underlying_name"]))
        {
            Assert.Equal(Median(g.Select(r => D(r["underlying"]))), market.Snapshot.FuturesMarks[g.Key], 9);
            Assert.Equal("options' underlying price (median)", market.MarkSources[g.Key]);
        }
        Assert.DoesNotContain("BTC-PERPETUAL", market.Snapshot.FuturesMarks.Keys);
        // The perpetual then moves with the index.
        Assert.Equal(market.Snapshot.Index("BTC"), market.Snapshot.UnderlyingPrice(Instrument.Parse("BTC-PERPETUAL")));
        Assert.Contains(market.Notes, n => n.Contains("perpetual_futures_prices.csv", StringComparison.Ordinal));
    }

    /// <summary>The shared data set keeps the futures files one folder above daily/: they are found there (skips without ../shared/data).</summary>
    [Fact]
    public void SharedDataSnapshotFindsTheFuturesFilesOneFolderUp()
    {
        string root = Path.Combine(Repo.SharedData, "deribit-options-snapshots");
        Assert.SkipUnless(Directory.Exists(Path.Combine(root, "daily")), "../shared/data/deribit-options-snapshots is absent");
        var snapshot = Directory.GetFiles(Path.Combine(root, "daily"), "deribit_options_snapshot_202603*.csv.gz").Order(StringComparer.Ordinal).FirstOrDefault();
        Assert.SkipWhen(snapshot is null, "no March 2026 snapshot in the shared data");
        var market = MarketSnapshotLoader.Load(snapshot!);
        string key = Path.GetFileName(snapshot!)[..^3];
        var perp = ReadCsv(ReadText(Path.Combine(root, "perpetual_futures_prices.csv"))).Where(r => r["snapshot_file"] == key).ToList();
        Assert.Equal(2, perp.Count);
        foreach (var r in perp) Assert.Equal(D(r["perp_futures_mark_price"]), market.Snapshot.FuturesMarks[r["instrument_name"]]);
        var term = ReadCsv(ReadText(Path.Combine(root, "term_futures_marks.csv.gz"))).Where(r => r["snapshot_file"] == key).ToList();
        Assert.NotEmpty(term);
        foreach (var r in term) Assert.Equal(D(r["term_mark_price_final"]), market.Snapshot.FuturesMarks[r["futures_instrument_name"]]);
    }

    [Fact]
    public void OptionMarksAreTheSnapshotsMarksInUsd()
    {
        var rows = Rows();
        Assert.Equal(rows.Count, Loaded.OptionMarks.Count);
        foreach (var r in rows.Where((_, i) => i % 25 == 0))
        {
            var mark = Loaded.OptionMarks[r["instrument_name"]];
            Assert.Equal(D(r["mark_price"]), mark.PriceCoin!.Value, 12);
            Assert.Equal(D(r["mark_price"]) * D(r["underlying"]), mark.PriceUsd, 6);
            Assert.Equal(D(r["implied_volatility"]), mark.ImpliedVolatility!.Value, 12);
        }
    }

    /// <summary>
    /// The fitted surfaces reprice the snapshot's mark IVs where the cleaned chain had quotes to fit: over every listed
    /// option (calls and puts, ITM included) of a fitted expiry with Deribit's own |delta| in [0.05, 0.95], RMSE of
    /// surface vol − mark IV ≤ 0.5 vol point and max ≤ 1.5 vol points (measured 2026-11: BTC 0.28, ETH 0.20 vol pt RMSE).
    /// Far wings the cleaner left without quotes are SVI extrapolations and are not held to this (see the doc).
    /// Each fitted expiry's forward is its options' median underlying (to 1e-4: the fit takes the median of the cleaned quotes).
    /// </summary>
    [Theory]
    [InlineData("BTC")]
    [InlineData("ETH")]
    public void SurfacesRepriceTheMarkIvs(string coin)
    {
        var surface = Loaded.Snapshot.Surface(coin);
        var fitted = Loaded.Fits.Where(f => f.Currency == coin).ToDictionary(f => f.Expiry!.Value);
        Assert.Equal(10, fitted.Count); // 11 expiries; 16APR26 (21.6 h) is below the cleaner's minimum time to expiry
        double sse = 0, max = 0;
        int n = 0;
        foreach (var g in Rows().Where(r => r["currency"] == coin).GroupBy(r => DateTimeOffset.Parse(r["expiry_datetime"], System.Globalization.CultureInfo.InvariantCulture)))
        {
            if (!fitted.ContainsKey(g.Key)) continue;
            double t = Loaded.Snapshot.YearsTo(g.Key);
            double f = Median(g.Select(r => D(r["underlying"])));
            Assert.Equal(f, surface.Forward(t), f * 1e-4);
            foreach (var r in g)
            {
                double delta = Math.Abs(D(r["delta"]));
                if (delta is < 0.05 or > 0.95) continue;
                double e = surface.ImpliedVolatility(D(r["strike"]), t) - D(r["implied_volatility"]);
                sse += e * e;
                max = Math.Max(max, Math.Abs(e));
                n++;
            }
        }
        double rmse = Math.Sqrt(sse / n);
        Assert.True(n > 400, $"{n} options compared");
        Assert.True(rmse < 0.005, $"{coin}: RMSE {rmse:G4} over {n} options");
        Assert.True(max < 0.015, $"{coin}: max |error| {max:G4}");
    }

    /// <summary>Black-76 at the surface's vol reproduces the mark price of an ATM option to within its vega × 1 vol point.</summary>
    [Fact]
    public void SurfaceRepricesAtmMarkPrices()
    {
        foreach (var name in new[] { "BTC-29MAY26-74000-C", "BTC-26JUN26-74000-P", "ETH-26JUN26-2300-C" })
        {
            var o = OptionInstrument.Parse(name);
            var mark = Loaded.OptionMarks[name];
            double t = Loaded.Snapshot.YearsTo(o.Expiry);
            double f = Loaded.Snapshot.UnderlyingPrice(o);
            double vol = Loaded.Snapshot.Surface(o.Currency).ImpliedVolatility(o.Strike, t);
            double price = Black76.Price(f, o.Strike, t, vol, o.Type);
            double vega = Black76.Greeks(f, o.Strike, t, vol, o.Type).Vega;
            Assert.True(Math.Abs(price - mark.PriceUsd) < vega * 0.01, $"{name}: {price} vs mark {mark.PriceUsd} (vega {vega})");
        }
    }

    [Fact]
    public void ProblemNamesWhatCannotBeValued()
    {
        Assert.Null(Loaded.Problem(Instrument.Parse("BTC-29MAY26-85000-C")));
        Assert.Null(Loaded.Problem(Instrument.Parse("BTC_USDC-PERPETUAL")));
        Assert.Null(Loaded.Problem(Instrument.Parse("ETH_USDC")));
        Assert.Contains("expired", Loaded.Problem(Instrument.Parse("BTC-27MAR26-70000-C")));
        Assert.Contains("not listed", Loaded.Problem(Instrument.Parse("BTC-29MAY26-85500-C")));
        Assert.Contains("no mark", Loaded.Problem(Instrument.Parse("BTC-30APR26")));
        Assert.Contains("no index price for SOL", Loaded.Problem(Instrument.Parse("SOL_USDC-PERPETUAL")));
        Assert.Contains("no fitted volatility", Loaded.Problem(Instrument.Parse("BTC-16APR26-74000-C")));
    }

    [Fact]
    public void MissingFileAndWrongTypeAreReported()
    {
        var missing = Assert.Throws<DataValidationException>(() => MarketSnapshotLoader.Load("/nonexistent/market.csv"));
        Assert.Equal("file not found", missing.Reason);
        using var dir = new TempFolder();
        var txt = dir.Write("market.txt", "x");
        Assert.Throws<DataValidationException>(() => MarketSnapshotLoader.Load(txt));
    }
}
