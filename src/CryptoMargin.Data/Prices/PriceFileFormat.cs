namespace CryptoMargin.Data.Prices;

/// <summary>The file formats <see cref="PriceHistoryReader"/> reads.</summary>
public enum PriceFileFormat
{
    /// <summary>Comma-separated text, header row first, invariant culture (<c>.csv</c>).</summary>
    Csv,

    /// <summary>Gzip-compressed CSV (<c>.csv.gz</c>), decompressed on the fly.</summary>
    CsvGzip,

    /// <summary>Apache Parquet (<c>.parquet</c>).</summary>
    Parquet,
}
