using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace CryptoMargin.Cli;

/// <summary>The one JSON document a command prints with --json: camelCase, indented, NaN/∞ written as null.</summary>
public static class JsonOutput
{
    private static readonly JsonWriterOptions WriterOptions = new()
    {
        Indented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static void Write(TextWriter writer, JsonNode document)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, WriterOptions)) document.WriteTo(json);
        writer.WriteLine(System.Text.Encoding.UTF8.GetString(buffer.ToArray()));
    }

    /// <summary>A number, or null where it is not finite (JSON has no NaN).</summary>
    public static JsonNode? Number(double value) => double.IsFinite(value) ? JsonValue.Create(value) : null;

    public static JsonArray Numbers(IEnumerable<double> values) => new(values.Select(Number).ToArray());

    /// <summary>An object from name → value pairs, in order; non-finite values become null.</summary>
    public static JsonObject Map(IEnumerable<KeyValuePair<string, double>> values)
    {
        var obj = new JsonObject();
        foreach (var (name, value) in values) obj[name] = Number(value);
        return obj;
    }

    /// <summary>ISO-8601 UTC, e.g. 2025-11-20T00:00:00Z.</summary>
    public static string Iso(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
}
