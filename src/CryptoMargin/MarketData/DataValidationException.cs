namespace CryptoMargin.MarketData;

/// <summary>
/// Input that cannot be used for computation. The library raises it with what is wrong;
/// <c>CryptoMargin.Data</c> fills in the file, the 1-based physical line (header = line 1) and the field,
/// so that the CLI can print <c>FILE:LINE: field 'NAME': message</c>.
/// </summary>
public sealed class DataValidationException : Exception
{
    public DataValidationException(string reason, string? file = null, int? line = null, string? field = null, Exception? inner = null)
        : base(Format(reason, file, line, field), inner)
    {
        Reason = reason;
        File = file;
        Line = line;
        Field = field;
    }

    /// <summary>What is wrong, without the location.</summary>
    public string Reason { get; }
    public string? File { get; }
    /// <summary>1-based physical line, the header being line 1; null when the problem is not on one line.</summary>
    public int? Line { get; }
    public string? Field { get; }

    /// <summary>The same problem located in a file (keeps what was already known).</summary>
    public DataValidationException At(string? file, int? line = null, string? field = null) =>
        new(Reason, file ?? File, line ?? Line, field ?? Field, this);

    private static string Format(string reason, string? file, int? line, string? field)
    {
        var where = file ?? "<input>";
        if (line is int l) where += ":" + l.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return field is null ? $"{where}: {reason}" : $"{where}: field '{field}': {reason}";
    }
}
