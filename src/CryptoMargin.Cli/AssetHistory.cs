using System.Security.Cryptography;
using CryptoMargin.Calibration;
using CryptoMargin.Data.Prices;
using CryptoMargin.MarketData;

namespace CryptoMargin.Cli;

/// <summary>One asset's validated price history as the margin commands use it: log returns by date, USD volume, input hash.</summary>
internal sealed record AssetHistory(string Asset, PriceHistory History, ValidationReport Report, double[] Returns, DateOnly[] Dates, double[]? VolumeUsd, string Sha256)
{
    public static readonly string[] DefaultSamples = ["btc-usd-daily.csv", "eth-usd-daily.csv"];

    /// <summary>Reads, validates (errors → exit 2) and turns prices into daily log returns; the volume column is optional.</summary>
    public static AssetHistory Load(string? path, string? sample, string? asset, string? column)
    {
        byte[] bytes;
        string source;
        PriceFileFormat format;
        if (path is not null)
        {
            if (!File.Exists(path)) throw new DataValidationException("file not found", file: path);
            bytes = File.ReadAllBytes(path);
            source = path;
            format = PriceHistoryReader.FormatOf(path);
        }
        else
        {
            using var stream = SampleData.Open(sample!);
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            bytes = copy.ToArray();
            source = SampleData.DisplayName(sample!);
            format = PriceFileFormat.Csv;
        }
        var history = PriceHistoryReader.Read(new MemoryStream(bytes), source, format, new PriceReadOptions { Column = column });
        var report = PriceHistoryValidation.Validate(history, ValidationSettings.Default);
        report.ThrowIfErrors();
        var series = history.Series;
        if (series.Times is null) throw new DataValidationException("margin calibration needs dated prices: no time column", file: source);
        double[] returns;
        try
        {
            returns = LogReturns.From(series);
        }
        catch (DataValidationException ex)
        {
            throw ex.At(source);
        }
        var dates = new DateOnly[returns.Length];
        for (int i = 0; i < dates.Length; i++) dates[i] = DateOnly.FromDateTime(series.Times[i + 1].UtcDateTime);

        // The name: --asset, else the file's own asset/symbol column, else the file name's leading token (issue 3).
        string name = asset ?? AssetColumn.Find(bytes, format) ?? AssetNames.FromFileName(path ?? sample!);
        return new AssetHistory(name, history, report, returns, dates,
            Volumes(bytes, source, format, series), Convert.ToHexStringLower(SHA256.HashData(bytes)));
    }

    public CalibrationInput ToCalibrationInput() => new(Asset, Dates, Returns, Sha256, VolumeUsd);

    /// <summary>USD volume of each return's day, when the file has a usable `volume` column (zeros count as missing).</summary>
    private static double[]? Volumes(byte[] bytes, string source, PriceFileFormat format, PriceSeries prices)
    {
        PriceHistory volume;
        try
        {
            volume = PriceHistoryReader.Read(new MemoryStream(bytes), source, format, new PriceReadOptions { Column = "volume" });
        }
        catch (DataValidationException)
        {
            return null; // no volume column: tiers need ADV, and the policy says so
        }
        var byLine = new Dictionary<int, double>();
        for (int i = 0; i < volume.Series.Count; i++) byLine[volume.Series.Lines[i]] = volume.Series.Values[i];
        var result = new double[prices.Count - 1];
        for (int i = 1; i < prices.Count; i++)
            result[i - 1] = byLine.TryGetValue(prices.Lines[i], out var v) && double.IsFinite(v) && v > 0 ? v : double.NaN;
        return result;
    }
}
