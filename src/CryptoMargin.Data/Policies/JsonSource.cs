using System.Globalization;
using System.Text.Json;
using CryptoMargin.MarketData;

namespace CryptoMargin.Data.Policies;

/// <summary>
/// A JSON file parsed for validation: the document, plus the 1-based line where each value starts, keyed by its
/// field path ("confidence", "apc.buffer", "tiers[1].initialMarginRate"), so that every error names file, line and field.
/// </summary>
internal sealed class JsonSource : IDisposable
{
    private static readonly JsonDocumentOptions DocumentOptions = new() { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };
    private readonly Dictionary<string, int> _lines = [];
    private readonly int[] _newlines;

    private JsonSource(string file, byte[] bytes, JsonDocument document)
    {
        File = file;
        Document = document;
        var newlines = new List<int>();
        for (int i = 0; i < bytes.Length; i++) if (bytes[i] == (byte)'\n') newlines.Add(i);
        _newlines = [.. newlines];
        MapLines(bytes);
    }

    public string File { get; }

    public void Dispose() => Document.Dispose();
    public JsonDocument Document { get; }
    public JsonElement Root => Document.RootElement;

    public static JsonSource Load(string path)
    {
        byte[] bytes;
        try { bytes = System.IO.File.ReadAllBytes(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DataValidationException($"cannot read the file ({e.Message})", file: path, inner: e);
        }
        return Parse(bytes, path);
    }

    /// <summary>Parses <paramref name="bytes"/> as the content of <paramref name="path"/> (named in errors).</summary>
    public static JsonSource Parse(byte[] bytes, string path)
    {
        var span = bytes.AsSpan();
        if (span.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF])) bytes = bytes[3..];
        JsonDocument document;
        try { document = JsonDocument.Parse(bytes, DocumentOptions); }
        catch (JsonException e)
        {
            throw new DataValidationException($"not valid JSON ({FirstSentence(e.Message)})", file: path,
                line: e.LineNumber is long l ? (int)l + 1 : null, inner: e);
        }
        var source = new JsonSource(path, bytes, document);
        if (source.Root.ValueKind != JsonValueKind.Object)
            throw new DataValidationException("the document must be a JSON object", file: path, line: 1);
        return source;
    }

    /// <summary>Line of the value at <paramref name="path"/>, else of the nearest enclosing value found.</summary>
    public int? LineOf(string path)
    {
        while (true)
        {
            if (_lines.TryGetValue(path, out var line)) return line;
            int cut = Math.Max(path.LastIndexOf('.'), path.LastIndexOf('['));
            if (cut <= 0) return _lines.TryGetValue("", out var root) ? root : null;
            path = path[..cut];
        }
    }

    public DataValidationException Error(string path, string reason) => new(reason, file: File, line: LineOf(path), field: path);

    // ---- typed access; every failure names the field ----

    public static string Path(string parent, string name) => parent.Length == 0 ? name : parent + "." + name;

    public bool Has(JsonElement obj, string name) => obj.TryGetProperty(name, out var v) && v.ValueKind != JsonValueKind.Null;

    public JsonElement Required(JsonElement obj, string parent, string name)
    {
        if (!obj.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null)
            throw Error(Path(parent, name), "is missing");
        return v;
    }

    public double Number(JsonElement obj, string parent, string name, Func<double, bool> valid, string range)
    {
        var v = Required(obj, parent, name);
        return CheckNumber(v, Path(parent, name), valid, range);
    }

    public double? OptionalNumber(JsonElement obj, string parent, string name, Func<double, bool> valid, string range) =>
        Has(obj, name) ? CheckNumber(obj.GetProperty(name), Path(parent, name), valid, range) : null;

    public double CheckNumber(JsonElement v, string path, Func<double, bool> valid, string range)
    {
        if (v.ValueKind != JsonValueKind.Number) throw Error(path, $"expected a number, found {Show(v)}");
        double x = v.GetDouble();
        if (!double.IsFinite(x) || !valid(x)) throw Error(path, $"{Format(x)} is outside {range}");
        return x;
    }

    public int Integer(JsonElement obj, string parent, string name, int min) =>
        CheckInteger(Required(obj, parent, name), Path(parent, name), min);

    public int? OptionalInteger(JsonElement obj, string parent, string name, int min) =>
        Has(obj, name) ? CheckInteger(obj.GetProperty(name), Path(parent, name), min) : null;

    public int CheckInteger(JsonElement v, string path, int min)
    {
        if (v.ValueKind != JsonValueKind.Number || !v.TryGetInt32(out int x))
            throw Error(path, $"expected a whole number, found {Show(v)}");
        if (x < min) throw Error(path, $"{x} must be ≥ {min}");
        return x;
    }

    public string String(JsonElement obj, string parent, string name)
    {
        var v = Required(obj, parent, name);
        return CheckString(v, Path(parent, name));
    }

    public string CheckString(JsonElement v, string path)
    {
        if (v.ValueKind != JsonValueKind.String) throw Error(path, $"expected a string, found {Show(v)}");
        var s = v.GetString()!;
        if (s.Trim().Length == 0) throw Error(path, "is empty");
        return s;
    }

    public string? OptionalString(JsonElement obj, string parent, string name) =>
        Has(obj, name) ? CheckString(obj.GetProperty(name), Path(parent, name)) : null;

    public bool Boolean(JsonElement obj, string parent, string name, bool? absent = null)
    {
        if (absent is bool d && !Has(obj, name)) return d;
        var v = Required(obj, parent, name);
        if (v.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
            throw Error(Path(parent, name), $"expected true or false, found {Show(v)}");
        return v.GetBoolean();
    }

    public DateOnly Date(JsonElement obj, string parent, string name) => CheckDate(Required(obj, parent, name), Path(parent, name));

    public DateOnly? OptionalDate(JsonElement obj, string parent, string name) =>
        Has(obj, name) ? CheckDate(obj.GetProperty(name), Path(parent, name)) : null;

    private DateOnly CheckDate(JsonElement v, string path)
    {
        var s = CheckString(v, path);
        if (!DateOnly.TryParseExact(s, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d))
            throw Error(path, $"'{s}' is not a date yyyy-MM-dd");
        return d;
    }

    public JsonElement Object(JsonElement obj, string parent, string name)
    {
        var v = Required(obj, parent, name);
        if (v.ValueKind != JsonValueKind.Object) throw Error(Path(parent, name), $"expected an object, found {Show(v)}");
        return v;
    }

    public JsonElement Array(JsonElement obj, string parent, string name)
    {
        var v = Required(obj, parent, name);
        if (v.ValueKind != JsonValueKind.Array) throw Error(Path(parent, name), $"expected an array, found {Show(v)}");
        return v;
    }

    /// <summary>Rejects fields the reader does not know (a typo would otherwise be a silent default).</summary>
    public void OnlyKnown(JsonElement obj, string parent, IReadOnlyCollection<string> known)
    {
        foreach (var p in obj.EnumerateObject())
            if (!known.Contains(p.Name))
                throw Error(Path(parent, p.Name), $"unknown field (known: {string.Join(", ", known)})");
    }

    public static string Format(double x) => x.ToString("R", CultureInfo.InvariantCulture);

    private static string Show(JsonElement v) => v.ValueKind switch
    {
        JsonValueKind.String => $"\"{v.GetString()}\"",
        JsonValueKind.Null => "null",
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        _ => v.GetRawText(),
    };

    private static string FirstSentence(string message)
    {
        int cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        return cut > 0 ? message[..cut] : message;
    }

    private int LineAt(long offset)
    {
        int i = System.Array.BinarySearch(_newlines, (int)offset);
        return (i >= 0 ? i : ~i) + 1;
    }

    private sealed class Frame(string path, bool isArray)
    {
        public string Path { get; } = path;
        public bool IsArray { get; } = isArray;
        public int Index { get; set; }
    }

    private void MapLines(byte[] bytes)
    {
        var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        var stack = new Stack<Frame>();
        string property = "";
        while (reader.Read())
        {
            int line = LineAt(reader.TokenStartIndex);
            if (reader.TokenType == JsonTokenType.PropertyName)
            {
                property = Path(stack.Count == 0 ? "" : stack.Peek().Path, reader.GetString()!);
                _lines[property] = line;
                continue;
            }
            if (reader.TokenType is JsonTokenType.EndObject or JsonTokenType.EndArray)
            {
                stack.Pop();
                continue;
            }
            string path;
            if (stack.Count == 0) path = "";
            else if (stack.Peek().IsArray) { var f = stack.Peek(); path = $"{f.Path}[{f.Index}]"; f.Index++; }
            else path = property;
            _lines.TryAdd(path, line);
            if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
                stack.Push(new Frame(path, reader.TokenType == JsonTokenType.StartArray));
        }
    }
}
