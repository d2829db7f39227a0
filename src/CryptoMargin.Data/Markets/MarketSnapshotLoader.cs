using System.Globalization;
using System.IO.Compression;
using CryptoMargin.Data.Options;
using CryptoMargin.MarketData;
using CryptoMargin.MarketData.Options;
using CryptoMargin.Pricing;
using CryptoMargin.Surfaces;

namespace CryptoMargin.Data.Markets;

/// <summary>
/// Reads a <see cref="MarketSnapshot"/> (what <c>--market</c> takes) from either
/// <list type="bullet">
/// <item>a Deribit option snapshot CSV(.gz) (the columns of <see cref="OptionChainReader"/>), every coin in it: valuation
/// time = the snapshot's <c>timestamp</c>; index = the median <c>index_price</c> of the coin's rows; perpetual marks from
/// <c>perpetual_futures_prices.csv</c> (<c>perp_futures_mark_price</c>) and dated-futures marks from
/// <c>term_futures_marks.csv(.gz)</c> (<c>term_mark_price_final</c>) found beside the snapshot (else in its parent folder, the layout of the shared data set), rows matched by
/// <c>snapshot_file</c> (the snapshot's file name without <c>.gz</c>) or, failing that, by <c>snapshot_timestamp_ms</c>
/// within one second; a listed future the files do not give is marked at the median <c>underlying</c> of the options
/// whose <c>underlying_name</c> is that future; a perpetual without a mark is left to the index
/// (<see cref="MarketSnapshot.UnderlyingPrice"/>); a raw SVI smile per expiry (<see cref="SviCalibration"/>) fitted, as
/// <c>fit-surface</c> does, to the out-of-the-money mark IVs of the chain cleaned by <see cref="OptionChainCleaner"/>
/// (default settings; forward = the expiry's median quote forward), combined into a <see cref="SliceVolSurface"/>;
/// expiries with fewer than 5 such quotes are left out and named in the notes (this is <see cref="VolSource.Svi"/>, the
/// default; <see cref="VolSource.Marks"/> and <see cref="VolSource.SviMarks"/> build the smiles from the mark IVs of every
/// listed strike instead, docs §2.5);</item>
/// <item>the JSON market format of <see cref="MarketJson"/>.</item>
/// </list>
/// Every problem is a <see cref="DataValidationException"/> naming the file, line and field.
/// </summary>
public static class MarketSnapshotLoader
{
    /// <summary>The perpetual-marks file looked for beside a snapshot.</summary>
    public const string PerpetualFile = "perpetual_futures_prices.csv";

    /// <summary>The dated-futures marks file looked for beside a snapshot (<c>.csv.gz</c> or <c>.csv</c>).</summary>
    public const string TermFuturesFile = "term_futures_marks.csv.gz";

    /// <summary>Reads <paramref name="path"/>: <c>.json</c> → <see cref="MarketJson"/>; <c>.csv</c>/<c>.csv.gz</c> → a Deribit snapshot with its futures files beside it.</summary>
    /// <param name="path">The market file.</param>
    /// <param name="vols">Where a Deribit snapshot's smiles come from (ignored for a JSON market, whose slices are given).</param>
    public static LoadedMarket Load(string path, VolSource vols = VolSource.Svi)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path)) throw new DataValidationException("file not found", file: path);
        if (path.EndsWith(".json", StringComparison.OrdinalIgnoreCase)) return MarketJson.Read(path);
        var format = OptionChainReader.FormatOf(path);
        if (format is not (OptionChainFileFormat.Csv or OptionChainFileFormat.CsvGzip))
            throw new DataValidationException("a market is a Deribit snapshot CSV(.gz) or a JSON market file (.json)", file: path);
        string dir = Path.GetDirectoryName(Path.GetFullPath(path)) ?? ".";
        string perp = Beside(dir, PerpetualFile);
        string term = Beside(dir, TermFuturesFile);
        if (!File.Exists(term)) term = Beside(dir, "term_futures_marks.csv");
        using var snapshot = File.OpenRead(path);
        using var perpStream = File.Exists(perp) ? File.OpenRead(perp) : null;
        using var termStream = File.Exists(term) ? File.OpenRead(term) : null;
        return LoadDeribit(snapshot, path, format, perpStream, perp, termStream, term, vols);
    }

    /// <summary>
    /// A futures file beside the snapshot, else in its parent folder (the shared data set keeps the snapshots in
    /// <c>daily/</c> and the futures files one level up).
    /// </summary>
    private static string Beside(string dir, string name)
    {
        string here = Path.Combine(dir, name);
        if (File.Exists(here)) return here;
        string? parent = Path.GetDirectoryName(dir);
        return parent is not null && File.Exists(Path.Combine(parent, name)) ? Path.Combine(parent, name) : here;
    }

    /// <summary>
    /// Reads a Deribit snapshot from streams (e.g. embedded samples). <paramref name="displayName"/> names the snapshot
    /// in messages and its file name is matched against the futures files' <c>snapshot_file</c>; the futures streams may be
    /// null. <paramref name="vols"/>: where the smiles come from (default SVI on the cleaned chain).
    /// </summary>
    public static LoadedMarket LoadDeribit(Stream snapshot, string displayName, OptionChainFileFormat format,
        Stream? perpetuals, string perpetualsName, Stream? termFutures, string termFuturesName, VolSource vols = VolSource.Svi)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(displayName);
        byte[] csv = Decompress(snapshot, displayName, format == OptionChainFileFormat.CsvGzip);
        var currencies = Currencies(csv, displayName);
        var chains = currencies.Select(c => OptionChainReader.Read(new MemoryStream(csv), displayName, OptionChainFileFormat.Csv, c)).ToList();
        var valuation = chains.Max(c => c.ValuationTime!.Value);

        var notes = new List<string>();
        var index = new SortedDictionary<string, double>(StringComparer.Ordinal);
        var marks = new SortedDictionary<string, double>(StringComparer.Ordinal);
        var sources = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var optionMarks = new SortedDictionary<string, OptionMark>(StringComparer.Ordinal);
        var surfaces = new SortedDictionary<string, IVolSurface>(StringComparer.Ordinal);
        var fits = new List<SurfaceSliceFit>();

        string key = SnapshotKey(displayName);
        long valuationMs = valuation.ToUnixTimeMilliseconds();
        if (perpetuals is not null)
            ReadMarks(perpetuals, perpetualsName, gzip: perpetualsName.EndsWith(".gz", StringComparison.OrdinalIgnoreCase), key, valuationMs,
                "instrument_name", "perp_futures_mark_price", marks, sources, Path.GetFileName(perpetualsName));
        else notes.Add($"no {PerpetualFile} beside the snapshot: perpetuals are marked at the index");
        if (termFutures is not null)
            ReadMarks(termFutures, termFuturesName, gzip: termFuturesName.EndsWith(".gz", StringComparison.OrdinalIgnoreCase), key, valuationMs,
                "futures_instrument_name", "term_mark_price_final", marks, sources, Path.GetFileName(termFuturesName));
        else notes.Add($"no {TermFuturesFile} beside the snapshot: dated futures are marked at their options' underlying price");

        foreach (var chain in chains)
            AddChain(chain, displayName, vols, valuation, index, marks, sources, optionMarks, surfaces, fits, notes);

        var market = new MarketSnapshot(valuation, index, marks, surfaces);
        return new LoadedMarket(market, displayName, optionMarks, sources, fits, notes);
    }

    /// <summary>
    /// A market from option chains alone (no futures files), by the same code path as a snapshot file: per coin the index
    /// (median <c>index_price</c>), each listed future at the median <c>underlying</c> of its options, and the SVI
    /// <see cref="SliceVolSurface"/> of the cleaned chain. Valuation time = the latest chain's. Used by the backtest of
    /// the margin models through the snapshot history (one market per day, fitted once, shared by every model).
    /// <paramref name="vols"/>: where the smiles come from (default SVI on the cleaned chain).
    /// </summary>
    /// <exception cref="DataValidationException">A chain without a valuation time, an underlying or any index price.</exception>
    public static LoadedMarket FromChains(IReadOnlyList<OptionChain> chains, string displayName, VolSource vols = VolSource.Svi)
    {
        ArgumentNullException.ThrowIfNull(chains);
        ArgumentNullException.ThrowIfNull(displayName);
        if (chains.Count == 0) throw new DataValidationException("no option chain", file: displayName);
        foreach (var c in chains)
            if (c.ValuationTime is null || c.Underlying is null)
                throw new DataValidationException("an option chain without a valuation time or an underlying", file: displayName);
        var notes = new List<string>();
        var index = new SortedDictionary<string, double>(StringComparer.Ordinal);
        var marks = new SortedDictionary<string, double>(StringComparer.Ordinal);
        var sources = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var optionMarks = new SortedDictionary<string, OptionMark>(StringComparer.Ordinal);
        var surfaces = new SortedDictionary<string, IVolSurface>(StringComparer.Ordinal);
        var fits = new List<SurfaceSliceFit>();
        var valuation = chains.Max(c => c.ValuationTime!.Value);
        foreach (var chain in chains)
            AddChain(chain, displayName, vols, valuation, index, marks, sources, optionMarks, surfaces, fits, notes);
        var market = new MarketSnapshot(valuation, index, marks, surfaces);
        return new LoadedMarket(market, displayName, optionMarks, sources, fits, notes);
    }

    /// <summary>One coin's index, futures marks from its options' underlying (where no file gave one), option marks and surface.</summary>
    private static void AddChain(OptionChain chain, string displayName, VolSource vols, DateTimeOffset valuation, SortedDictionary<string, double> index, SortedDictionary<string, double> marks,
        SortedDictionary<string, string> sources, SortedDictionary<string, OptionMark> optionMarks, SortedDictionary<string, IVolSurface> surfaces,
        List<SurfaceSliceFit> fits, List<string> notes)
    {
        string coin = chain.Underlying!;
        var indices = chain.Quotes.Where(q => q.IndexPrice is > 0).Select(q => q.IndexPrice!.Value).ToArray();
        if (indices.Length == 0)
            throw new DataValidationException($"no index_price for {coin}: a market snapshot needs the coin's index", file: displayName, field: "index_price");
        index[coin] = Median(indices);

        foreach (var g in chain.Quotes.Where(q => q.UnderlyingInstrument is { } u && IsListedFuture(u, coin)).GroupBy(q => q.UnderlyingInstrument!))
            if (marks.TryAdd(g.Key, Median(g.Select(q => q.Forward).ToArray())))
                sources[g.Key] = "options' underlying price (median)";

        foreach (var q in chain.Quotes)
            if (q.MarkUsd is double usd)
                optionMarks[q.Instrument] = new OptionMark(usd, q.MarkCoin, q.MarkIv, q.Forward, q.T);

        var (surface, coinFits, coinNotes) = vols switch
        {
            VolSource.Svi => FitSurface(chain),
            VolSource.Marks or VolSource.SviMarks => MarksSurface(chain, vols, valuation),
            _ => throw new ArgumentOutOfRangeException(nameof(vols), vols, "unknown vol source"),
        };
        if (surface is not null) surfaces[coin] = surface;
        fits.AddRange(coinFits);
        notes.AddRange(coinNotes);
    }

    /// <summary>The snapshot's file name without <c>.gz</c>, the key of the futures files' <c>snapshot_file</c>.</summary>
    internal static string SnapshotKey(string path)
    {
        string name = Path.GetFileName(path.Replace(" (embedded)", "", StringComparison.Ordinal));
        return name.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? name[..^3] : name;
    }

    private static double Median(double[] values)
    {
        Array.Sort(values);
        int n = values.Length;
        return n % 2 == 1 ? values[n / 2] : 0.5 * (values[n / 2 - 1] + values[n / 2]);
    }

    private static bool IsListedFuture(string name, string coin) =>
        name.StartsWith(coin + "-", StringComparison.Ordinal) && name.AsSpan().Count('-') == 1 && !name.EndsWith("-PERPETUAL", StringComparison.Ordinal);

    private static byte[] Decompress(Stream stream, string name, bool gzip)
    {
        using var buffer = new MemoryStream();
        try
        {
            if (gzip)
            {
                using var z = new GZipStream(stream, CompressionMode.Decompress, leaveOpen: true);
                z.CopyTo(buffer);
            }
            else stream.CopyTo(buffer);
        }
        catch (InvalidDataException e)
        {
            throw new DataValidationException($"not a valid gzip file ({e.Message})", file: name, inner: e);
        }
        return buffer.ToArray();
    }

    /// <summary>The coins of a Deribit snapshot, from its <c>currency</c> column (else the instrument names' prefix).</summary>
    private static List<string> Currencies(byte[] csv, string name)
    {
        var table = MarketCsv.Read(new MemoryStream(csv), name);
        int nameCol = table.Require("instrument_name");
        int? ccyCol = table.Column("currency");
        var set = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var (fields, line) in table.Rows)
        {
            string ccy = ccyCol is int c ? table.Cell(fields, line, c).ToUpperInvariant() : "";
            if (ccy.Length == 0)
            {
                string instrument = table.Cell(fields, line, nameCol);
                int dash = instrument.IndexOf('-');
                ccy = dash > 0 ? instrument[..dash] : instrument;
            }
            set.Add(ccy);
        }
        if (set.Count == 0) throw new DataValidationException("no data rows", file: name);
        return [.. set];
    }

    private static void ReadMarks(Stream stream, string name, bool gzip, string key, long valuationMs, string instrumentColumn, string priceColumn,
        IDictionary<string, double> marks, IDictionary<string, string> sources, string sourceName)
    {
        var table = MarketCsv.Read(new MemoryStream(Decompress(stream, name, gzip)), name);
        int file = table.Require("snapshot_file"), instrument = table.Require(instrumentColumn), price = table.Require(priceColumn);
        int? ms = table.Column("snapshot_timestamp_ms");
        var byFile = table.Rows.Where(r => table.Cell(r.Fields, r.Line, file) == key).ToList();
        if (byFile.Count == 0 && ms is int m)
            byFile = table.Rows.Where(r => long.TryParse(table.Cell(r.Fields, r.Line, m), NumberStyles.Integer, CultureInfo.InvariantCulture, out var t)
                                           && Math.Abs(t - valuationMs) <= 1000).ToList();
        foreach (var (fields, line) in byFile)
        {
            string n = table.Cell(fields, line, instrument);
            if (n.Length == 0) throw new DataValidationException("empty instrument name", file: name, line: line, field: instrumentColumn);
            marks[n] = table.Price(fields, line, price);
            sources[n] = $"{sourceName}:{line.ToString(CultureInfo.InvariantCulture)}";
        }
    }

    /// <summary>SVI per expiry on the OTM mark IVs of the cleaned chain (as fit-surface does).</summary>
    private static (IVolSurface? Surface, List<SurfaceSliceFit> Fits, List<string> Notes) FitSurface(OptionChain chain)
    {
        string coin = chain.Underlying!;
        var clean = OptionChainCleaner.Clean(chain, OptionCleaningSettings.Default).Chain;
        var slices = new List<(double T, double Forward, SviParameters Parameters)>();
        var fits = new List<SurfaceSliceFit>();
        var notes = new List<string>();
        var fitted = new HashSet<DateTimeOffset?>();
        foreach (var e in clean.Expiries)
        {
            double f = e.Forward;
            var chosen = e.Quotes
                .Where(q => q.Type == OptionType.Call ? q.Strike >= f : q.Strike < f)
                .Where(q => q.MarkIv is double iv && iv > 0 && double.IsFinite(iv))
                .OrderBy(q => q.Strike).ToList();
            string label = e.Expiry is { } x ? x.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : e.T.ToString("G4", CultureInfo.InvariantCulture);
            if (!(e.T > 0) || !(f > 0)) continue;
            if (chosen.Count < 5)
            {
                notes.Add($"{coin} expiry {label}: {chosen.Count} out-of-the-money mark IVs after cleaning, SVI needs 5: no smile fitted");
                continue;
            }
            var slice = new VolSlice(e.T, f, [.. chosen.Select(q => Math.Log(q.Strike / f))], [.. chosen.Select(q => q.MarkIv!.Value)]);
            SviFit fit;
            try { fit = SviCalibration.Fit(slice); }
            catch (DataValidationException ex)
            {
                notes.Add($"{coin} expiry {label}: SVI fit failed ({ex.Reason}): no smile fitted");
                continue;
            }
            var (rmse, _) = SviCalibration.Errors(slice, fit.Parameters);
            slices.Add((e.T, f, fit.Parameters));
            fits.Add(new SurfaceSliceFit(coin, e.Expiry, e.T, f, chosen.Count, rmse));
            fitted.Add(e.Expiry);
            if (!fit.Converged) notes.Add($"{coin} expiry {label}: SVI fit did not converge (RMSE {rmse.ToString("G3", CultureInfo.InvariantCulture)})");
        }
        foreach (var e in chain.Expiries)
            if (!fitted.Contains(e.Expiry) && clean.Expiries.All(c => c.Expiry != e.Expiry))
                notes.Add($"{coin} expiry {(e.Expiry is { } x ? x.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : "?")}: every quote rejected by the cleaner: no smile fitted");
        if (slices.Count == 0)
        {
            notes.Add($"{coin}: no expiry could be fitted: options on {coin} cannot be valued");
            return (null, fits, notes);
        }
        return (new SliceVolSurface(slices), fits, notes);
    }

    /// <summary>
    /// The mark IV of every listed strike of each unexpired expiry of the raw chain (no cleaning): per strike the
    /// out-of-the-money option's (call for K ≥ F, put for K &lt; F; the other one's where that has no mark IV), F the
    /// expiry's median quote forward, t from <paramref name="valuation"/> (the market's, so that the surface is evaluated
    /// at a slice's own expiry). <see cref="VolSource.Marks"/>: an <see cref="InterpolatedSmile"/> through them (needs 2
    /// strikes); <see cref="VolSource.SviMarks"/>: raw SVI fitted to them with weights 1 (needs 5).
    /// </summary>
    private static (IVolSurface? Surface, List<SurfaceSliceFit> Fits, List<string> Notes) MarksSurface(OptionChain chain, VolSource vols, DateTimeOffset valuation)
    {
        string coin = chain.Underlying!;
        var slices = new List<(double T, double Forward, ITotalVarianceSmile Smile)>();
        var fits = new List<SurfaceSliceFit>();
        var notes = new List<string>();
        int needed = vols == VolSource.Marks ? 2 : 5;
        foreach (var e in chain.Expiries)
        {
            double t = e.Expiry is { } expiry ? (expiry - valuation).TotalDays / 365.0 : e.T;
            double f = e.Forward;
            string label = e.Expiry is { } x ? x.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : e.T.ToString("G4", CultureInfo.InvariantCulture);
            if (!(t > 0) || !(f > 0)) continue;
            var (k, iv) = StrikeMarkIvs(e.Quotes, f);
            if (k.Length < needed)
            {
                notes.Add($"{coin} expiry {label}: {k.Length} strikes with a mark IV, {vols.Name()} needs {needed}: no smile");
                continue;
            }
            ITotalVarianceSmile smile;
            double rmse;
            if (vols == VolSource.Marks)
            {
                var marks = InterpolatedSmile.FromVolatilities(t, k, iv);
                double sse = 0;
                for (int i = 0; i < k.Length; i++)
                {
                    double err = Math.Sqrt(marks.TotalVariance(k[i]) / t) - iv[i];
                    sse += err * err;
                }
                (smile, rmse) = (marks, Math.Sqrt(sse / k.Length));
            }
            else
            {
                var slice = new VolSlice(t, f, k, iv);
                SviFit fit;
                try { fit = SviCalibration.Fit(slice); }
                catch (DataValidationException ex)
                {
                    notes.Add($"{coin} expiry {label}: SVI fit to the mark IVs failed ({ex.Reason}): no smile");
                    continue;
                }
                rmse = SviCalibration.Errors(slice, fit.Parameters).Rmse;
                smile = fit.Parameters;
                if (!fit.Converged) notes.Add($"{coin} expiry {label}: SVI fit did not converge (RMSE {rmse.ToString("G3", CultureInfo.InvariantCulture)})");
            }
            slices.Add((t, f, smile));
            fits.Add(new SurfaceSliceFit(coin, e.Expiry, t, f, k.Length, rmse));
        }
        if (slices.Count == 0)
        {
            notes.Add($"{coin}: no expiry has a smile: options on {coin} cannot be valued");
            return (null, fits, notes);
        }
        notes.Add($"{coin}: volatility from Deribit's mark IVs of every listed strike ({vols.Name()})");
        return (SliceVolSurface.FromSmiles(slices), fits, notes);
    }

    /// <summary>Per listed strike (increasing): k = ln(K/F) and the out-of-the-money option's mark IV (else the other's).</summary>
    internal static (double[] K, double[] Iv) StrikeMarkIvs(IReadOnlyList<OptionQuote> quotes, double forward)
    {
        var byStrike = new SortedDictionary<double, (double? Otm, double? Itm)>();
        foreach (var q in quotes)
        {
            if (q.MarkIv is not double iv || !(iv > 0) || !double.IsFinite(iv) || !(q.Strike > 0)) continue;
            bool otm = q.Type == OptionType.Call ? q.Strike >= forward : q.Strike < forward;
            byStrike.TryGetValue(q.Strike, out var v);
            byStrike[q.Strike] = otm ? (iv, v.Itm) : (v.Otm, iv);
        }
        var k = new double[byStrike.Count];
        var vols = new double[byStrike.Count];
        int i = 0;
        foreach (var (strike, v) in byStrike)
        {
            k[i] = Math.Log(strike / forward);
            vols[i++] = v.Otm ?? v.Itm!.Value;
        }
        return (k, vols);
    }
}
