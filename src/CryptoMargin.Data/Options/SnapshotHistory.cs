using System.Collections.Concurrent;
using System.Globalization;
using System.IO.Compression;
using System.Text;
using CryptoMargin.Calibration.Grid;
using CryptoMargin.MarketData;

namespace CryptoMargin.Data.Options;

/// <summary>
/// A history of Deribit option-chain snapshots reduced to fixed-grid implied vols (<see cref="TenorVols"/>), for the
/// grid calibration (<c>calibrate-grid</c>).
/// <list type="bullet">
/// <item><see cref="Load"/>: every snapshot file of a folder (<c>*.csv</c>, <c>*.csv.gz</c>, read by
/// <see cref="OptionChainReader"/>; <c>MANIFEST.csv</c> is not a snapshot), in parallel over files, one
/// <see cref="TenorVols"/> per file and underlying. Several snapshots on one UTC date: the one nearest 09:10 UTC is kept
/// (the rule the shipped daily set was chosen by), so consecutive entries are one calendar day apart unless a day is missing.</item>
/// <item><see cref="WriteCsv"/> / <see cref="ReadCsv"/>: the compact derived form shipped under <c>samples/grid/</c>: a header
/// <c>time,underlying,iv_&lt;DAYS&gt;d_z&lt;Z&gt;,…</c> (tenor-major), one row per snapshot and underlying, vols as decimals with
/// 6 decimals, empty = NaN (the chain does not reach that point).</item>
/// </list>
/// </summary>
public static class SnapshotHistory
{
    private static readonly TimeSpan PreferredTimeOfDay = new(9, 10, 0);

    /// <summary>The snapshot files of <paramref name="directory"/>, sorted by name.</summary>
    /// <exception cref="DataValidationException">the folder does not exist or holds no snapshot file.</exception>
    public static IReadOnlyList<string> Files(string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        if (!Directory.Exists(directory)) throw new DataValidationException("folder not found", file: directory);
        var files = Directory.EnumerateFiles(directory)
            .Where(f => (f.EndsWith(".csv.gz", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".csv", StringComparison.OrdinalIgnoreCase))
                        && !Path.GetFileName(f).StartsWith("MANIFEST", StringComparison.OrdinalIgnoreCase))
            .Order(StringComparer.Ordinal)
            .ToList();
        if (files.Count == 0) throw new DataValidationException("holds no option snapshot (*.csv, *.csv.gz)", file: directory);
        return files;
    }

    /// <summary>
    /// Reads every snapshot of <paramref name="directory"/> and samples each underlying's chain on the grid; sorted by
    /// underlying, then time. A file that lacks one of the underlyings contributes only the others.
    /// </summary>
    /// <exception cref="DataValidationException">a file is malformed (named with its line), or no file holds an underlying.</exception>
    public static IReadOnlyList<TenorVols> Load(string directory, IReadOnlyList<string> underlyings,
        IReadOnlyList<double> tenorDays, IReadOnlyList<double> moneyness, int maxDegreeOfParallelism = -1)
    {
        ArgumentNullException.ThrowIfNull(underlyings);
        var files = Files(directory);
        var results = new ConcurrentBag<TenorVols>();
        var options = new ParallelOptions { MaxDegreeOfParallelism = maxDegreeOfParallelism };
        try
        {
            Parallel.ForEach(files, options, file =>
            {
                foreach (var coin in underlyings)
                {
                    OptionChainReaderResult(file, coin, tenorDays, moneyness, results);
                }
            });
        }
        catch (AggregateException e) when (e.InnerExceptions.OfType<DataValidationException>().FirstOrDefault() is { } first)
        {
            throw first;
        }
        foreach (var coin in underlyings)
            if (!results.Any(r => r.Underlying == coin))
                throw new DataValidationException($"no snapshot holds {coin} options", file: directory);
        return Daily(results);
    }

    /// <summary>
    /// The option chains of one underlying, one per UTC date (the snapshot nearest 09:10 UTC), oldest first: the input of
    /// <see cref="GridBacktest"/>. Read in parallel over files; files without that underlying are passed over.
    /// </summary>
    public static IReadOnlyList<MarketData.Options.OptionChain> LoadChains(string directory, string underlying, int maxDegreeOfParallelism = -1)
    {
        ArgumentException.ThrowIfNullOrEmpty(underlying);
        var files = Files(directory);
        var chains = new ConcurrentBag<MarketData.Options.OptionChain>();
        try
        {
            Parallel.ForEach(files, new ParallelOptions { MaxDegreeOfParallelism = maxDegreeOfParallelism }, file =>
            {
                try { chains.Add(OptionChainReader.Read(file, underlying)); }
                catch (DataValidationException e) when (e.Field == "currency" && e.Reason.StartsWith("no ", StringComparison.Ordinal)) { }
            });
        }
        catch (AggregateException e) when (e.InnerExceptions.OfType<DataValidationException>().FirstOrDefault() is { } first)
        {
            throw first;
        }
        if (chains.IsEmpty) throw new DataValidationException($"no snapshot holds {underlying} options", file: directory);
        return [.. chains.Where(c => c.ValuationTime is not null)
            .GroupBy(c => DateOnly.FromDateTime(c.ValuationTime!.Value.UtcDateTime))
            .Select(g => g.OrderBy(c => (c.ValuationTime!.Value.UtcDateTime.TimeOfDay - PreferredTimeOfDay).Duration()).ThenBy(c => c.ValuationTime).First())
            .OrderBy(c => c.ValuationTime)];
    }

    private static void OptionChainReaderResult(string file, string coin, IReadOnlyList<double> tenorDays,
        IReadOnlyList<double> moneyness, ConcurrentBag<TenorVols> results)
    {
        MarketData.Options.OptionChain chain;
        try
        {
            chain = OptionChainReader.Read(file, coin);
        }
        catch (DataValidationException e) when (e.Field == "currency" && e.Reason.StartsWith("no ", StringComparison.Ordinal))
        {
            return; // this snapshot has no options on that coin
        }
        results.Add(TenorVolSampler.Sample(chain, tenorDays, moneyness));
    }

    /// <summary>One entry per underlying and UTC date (nearest 09:10 UTC), sorted by underlying then time.</summary>
    public static IReadOnlyList<TenorVols> Daily(IEnumerable<TenorVols> snapshots) =>
        [.. snapshots
            .GroupBy(s => (s.Underlying, Date: DateOnly.FromDateTime(s.Time.UtcDateTime)))
            .Select(g => g.OrderBy(s => (s.Time.UtcDateTime.TimeOfDay - PreferredTimeOfDay).Duration()).ThenBy(s => s.Time).First())
            .OrderBy(s => s.Underlying, StringComparer.Ordinal).ThenBy(s => s.Time)];

    // ---------------------------------------------------------------- compact CSV

    /// <summary>Writes the compact CSV (all entries must share one grid); '\n' line ends, invariant culture.</summary>
    public static void WriteCsv(IReadOnlyList<TenorVols> history, TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(history);
        ArgumentNullException.ThrowIfNull(writer);
        if (history.Count == 0) throw new ArgumentException("nothing to write", nameof(history));
        var grid = history[0];
        var header = new StringBuilder("time,underlying");
        foreach (double d in grid.TenorDays)
            foreach (double z in grid.Moneyness)
                header.Append(",iv_").Append(F(d)).Append("d_z").Append(F(z));
        writer.Write(header.Append('\n').ToString());
        foreach (var s in history)
        {
            if (!s.TenorDays.SequenceEqual(grid.TenorDays) || !s.Moneyness.SequenceEqual(grid.Moneyness))
                throw new ArgumentException($"{s.Underlying} {s.Time:O} is sampled on another grid", nameof(history));
            var row = new StringBuilder();
            row.Append(s.Time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture)).Append(',').Append(s.Underlying);
            foreach (double v in s.Vols)
            {
                row.Append(',');
                if (double.IsFinite(v)) row.Append(v.ToString("0.######", CultureInfo.InvariantCulture));
            }
            writer.Write(row.Append('\n').ToString());
        }
    }

    /// <summary>Reads the compact CSV (<c>.gz</c> when <paramref name="gzip"/>); errors name the file, line and column.</summary>
    public static IReadOnlyList<TenorVols> ReadCsv(Stream stream, string displayName, bool gzip = false)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(displayName);
        using var input = gzip ? new GZipStream(stream, CompressionMode.Decompress, leaveOpen: true) : null;
        using var reader = new StreamReader(input ?? stream, Encoding.UTF8, leaveOpen: true);
        var headerLine = reader.ReadLine() ?? throw new DataValidationException("empty file", file: displayName);
        var header = headerLine.Split(',');
        if (header.Length < 3 || header[0] != "time" || header[1] != "underlying")
            throw new DataValidationException("expected the header time,underlying,iv_<DAYS>d_z<Z>,…", file: displayName, line: 1);
        var days = new List<double>();
        var zs = new List<double>();
        var cells = new (double Days, double Z)[header.Length - 2];
        for (int c = 2; c < header.Length; c++)
        {
            var name = header[c];
            int d = name.IndexOf("d_z", StringComparison.Ordinal);
            if (!name.StartsWith("iv_", StringComparison.Ordinal) || d < 0
                || !double.TryParse(name.AsSpan(3, d - 3), NumberStyles.Float, CultureInfo.InvariantCulture, out double day)
                || !double.TryParse(name.AsSpan(d + 3), NumberStyles.Float, CultureInfo.InvariantCulture, out double z))
                throw new DataValidationException("expected a column named iv_<DAYS>d_z<Z>", file: displayName, line: 1, field: name);
            cells[c - 2] = (day, z);
            if (!days.Contains(day)) days.Add(day);
            if (!zs.Contains(z)) zs.Add(z);
        }
        for (int c = 0; c < cells.Length; c++)
            if (cells[c] != (days[c / zs.Count], zs[c % zs.Count]))
                throw new DataValidationException($"columns must run tenor-major over one moneyness grid; column {c + 3} is out of place",
                    file: displayName, line: 1, field: header[c + 2]);

        var result = new List<TenorVols>();
        int lineNo = 1;
        string? text;
        while ((text = reader.ReadLine()) is not null)
        {
            lineNo++;
            if (text.Length == 0) continue;
            var fields = text.Split(',');
            if (fields.Length != header.Length)
                throw new DataValidationException($"{fields.Length} fields, the header has {header.Length}", file: displayName, line: lineNo);
            if (!DateTimeOffset.TryParse(fields[0], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time))
                throw new DataValidationException($"cannot parse '{fields[0]}' as a UTC time", file: displayName, line: lineNo, field: "time");
            if (fields[1].Length == 0) throw new DataValidationException("empty underlying", file: displayName, line: lineNo, field: "underlying");
            var vols = new double[cells.Length];
            for (int c = 0; c < cells.Length; c++)
            {
                var cell = fields[c + 2];
                if (cell.Length == 0) { vols[c] = double.NaN; continue; }
                if (!double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) || !(v > 0) || !double.IsFinite(v))
                    throw new DataValidationException($"'{cell}' is not a positive volatility (decimal)", file: displayName, line: lineNo, field: header[c + 2]);
                vols[c] = v;
            }
            result.Add(new TenorVols(time, fields[1], days, zs, vols));
        }
        if (result.Count == 0) throw new DataValidationException("holds no snapshot row", file: displayName);
        return result;
    }

    private static string F(double x) => x.ToString("0.###", CultureInfo.InvariantCulture);
}
