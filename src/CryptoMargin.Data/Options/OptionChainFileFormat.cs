namespace CryptoMargin.Data.Options;

/// <summary>How an option-chain file is stored. Which CSV layout (Deribit snapshot or surface) is told by the header.</summary>
public enum OptionChainFileFormat
{
    Csv,
    CsvGzip,
    Json,
    JsonGzip,
}
