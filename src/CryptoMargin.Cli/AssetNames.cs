namespace CryptoMargin.Cli;

/// <summary>How a price file is named as an asset when --asset is not given (issue 3: `sol-usd_daily….csv` → SOL).</summary>
internal static class AssetNames
{
    /// <summary>The file name's leading alphanumeric token, upper-cased.</summary>
    public static string FromFileName(string path)
    {
        var name = Path.GetFileName(path);
        int end = 0;
        while (end < name.Length && char.IsAsciiLetterOrDigit(name[end])) end++;
        if (end == 0) throw new CliUsageException($"cannot derive an asset name from '{name}': give --asset NAME");
        return name[..end].ToUpperInvariant();
    }
}
