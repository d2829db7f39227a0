using System.Text.Json;
using CryptoMargin.Calibration;
using CryptoMargin.Margin;
using CryptoMargin.MarketData;
using CryptoMargin.Risk;

namespace CryptoMargin.Data.Policies;

/// <summary>
/// The calibrate command's <c>--config FILE</c>: a JSON object whose fields override <see cref="CalibrationConfig"/>'s
/// defaults (camelCase names of its properties; methods by CLI name; apcOptions as in a policy's apc; tiers as
/// {impactCoefficient, maxNotionals}). Unknown fields are errors, so a typo is not a silent default.
/// </summary>
public static class CalibrationConfigJson
{
    private static readonly string[] Known =
    [
        "confidence", "mporDays", "methods", "lookbackDays", "lambdas", "apcOptions", "maxDailyIncrease", "maxPeakToTrough",
        "max30DayIncrease", "holdoutFraction", "holdoutFrom", "reestimationDays", "maintenanceConfidence",
        "maintenanceFraction", "tiers", "volumeDays",
    ];

    private static readonly string[] KnownApc = ["buffer", "stressWeight", "floor", "maxDailyIncrease", "stressLookbackDays", "stressQuantile", "stressPeriodDays"];

    public static CalibrationConfig Read(string path)
    {
        using var s = JsonSource.Load(path);
        var root = s.Root;
        const string top = "";
        s.OnlyKnown(root, top, Known);
        var d = new CalibrationConfig();
        double confidence = s.OptionalNumber(root, top, "confidence", x => x > 0.5 && x < 1, "(0.5, 1)") ?? d.Confidence;
        var config = d with
        {
            Confidence = confidence,
            MporDays = s.OptionalInteger(root, top, "mporDays", 1) ?? d.MporDays,
            Methods = s.Has(root, "methods") ? List(s, root, "methods", (v, at) => Method(s, v, at)) : d.Methods,
            LookbackDays = s.Has(root, "lookbackDays") ? List(s, root, "lookbackDays", (v, at) => s.CheckInteger(v, at, 2)) : d.LookbackDays,
            Lambdas = s.Has(root, "lambdas") ? List(s, root, "lambdas", (v, at) => s.CheckNumber(v, at, x => x > 0 && x < 1, "(0, 1)")) : d.Lambdas,
            ApcOptions = s.Has(root, "apcOptions") ? List(s, root, "apcOptions", (v, at) =>
            {
                if (v.ValueKind != JsonValueKind.Object) throw s.Error(at, "expected an object");
                s.OnlyKnown(v, at, KnownApc);
                return PolicyJson.ReadApc(s, v, at);
            }) : d.ApcOptions,
            MaxDailyIncrease = s.OptionalNumber(root, top, "maxDailyIncrease", x => x > 0, "(0, ∞)"),
            MaxPeakToTrough = s.OptionalNumber(root, top, "maxPeakToTrough", x => x >= 1, "[1, ∞)"),
            Max30DayIncrease = root.TryGetProperty("max30DayIncrease", out _)
                ? s.OptionalNumber(root, top, "max30DayIncrease", x => x > 0, "(0, ∞)")
                : d.Max30DayIncrease,
            HoldoutFraction = s.OptionalNumber(root, top, "holdoutFraction", x => x > 0 && x < 1, "(0, 1)") ?? d.HoldoutFraction,
            HoldoutFrom = s.OptionalDate(root, top, "holdoutFrom"),
            ReestimationDays = s.OptionalInteger(root, top, "reestimationDays", 1) ?? d.ReestimationDays,
            MaintenanceConfidence = s.OptionalNumber(root, top, "maintenanceConfidence", x => x > 0.5 && x <= confidence, $"(0.5, confidence {JsonSource.Format(confidence)}]") ?? d.MaintenanceConfidence,
            MaintenanceFraction = s.OptionalNumber(root, top, "maintenanceFraction", x => x > 0 && x <= 1, "(0, 1]") ?? d.MaintenanceFraction,
            Tiers = s.Has(root, "tiers") ? Tiers(s, s.Object(root, top, "tiers")) : d.Tiers,
            VolumeDays = s.OptionalInteger(root, top, "volumeDays", 1) ?? d.VolumeDays,
        };
        try { config.Validate(); }
        catch (ArgumentException e) { throw new DataValidationException(e.Message, file: path, line: 1, field: Camel(e.ParamName)); }
        return config;
    }

    private static List<T> List<T>(JsonSource s, JsonElement root, string name, Func<JsonElement, string, T> item)
    {
        var list = new List<T>();
        int i = 0;
        foreach (var v in s.Array(root, "", name).EnumerateArray()) list.Add(item(v, $"{name}[{i++}]"));
        if (list.Count == 0) throw s.Error(name, "is empty");
        return list;
    }

    private static RiskMethod Method(JsonSource s, JsonElement v, string at)
    {
        var name = s.CheckString(v, at);
        try { return RiskMethodNames.Parse(name); }
        catch (ArgumentException) { throw s.Error(at, $"unknown method '{name}': expected hs, fhs, normal, t or evt"); }
    }

    private static TierSettings Tiers(JsonSource s, JsonElement t)
    {
        s.OnlyKnown(t, "tiers", ["impactCoefficient", "maxNotionals"]);
        double k = s.Number(t, "tiers", "impactCoefficient", x => x >= 0, "[0, ∞)");
        var bounds = new List<double>();
        int i = 0;
        foreach (var q in s.Array(t, "tiers", "maxNotionals").EnumerateArray())
        {
            double last = bounds.Count == 0 ? 0 : bounds[^1];
            bounds.Add(s.CheckNumber(q, $"tiers.maxNotionals[{i++}]", x => x > last, $"({JsonSource.Format(last)}, ∞): bounds must increase"));
        }
        if (bounds.Count == 0) throw s.Error("tiers.maxNotionals", "is empty");
        return new TierSettings(k, bounds);
    }

    private static string? Camel(string? name) => string.IsNullOrEmpty(name) ? name : char.ToLowerInvariant(name[0]) + name[1..];
}
