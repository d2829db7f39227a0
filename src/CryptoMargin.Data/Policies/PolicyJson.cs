using System.Globalization;
using System.Text.Json;
using CryptoMargin.Backtesting;
using CryptoMargin.Margin;
using CryptoMargin.MarketData;
using CryptoMargin.Risk;

namespace CryptoMargin.Data.Policies;

/// <summary>
/// A margin policy as JSON (camelCase; rates and confidence as fractions; dates yyyy-MM-dd; non-finite numbers as
/// null). <see cref="Write"/> is atomic; <see cref="Read"/> checks every field and reports the first problem as
/// <c>FILE:LINE: field 'NAME': what is wrong</c>.
/// </summary>
public static class PolicyJson
{
    private static readonly JsonWriterOptions WriterOptions = new() { Indented = true };

    /// <summary>Writes the policy atomically; throws <see cref="DataValidationException"/> (and writes nothing) when a field is out of range.</summary>
    public static void Write(MarginPolicy policy, string path)
    {
        ArgumentNullException.ThrowIfNull(policy);
        var bytes = ToUtf8(policy);
        // The document must pass the reader's checks: an invalid policy is refused and nothing is written.
        using (var check = JsonSource.Parse(bytes, path)) Parse(check);
        AtomicFile.WriteAllBytes(path, bytes);
    }

    /// <summary>The JSON document of a policy (what <see cref="Write"/> puts in the file).</summary>
    public static byte[] ToUtf8(MarginPolicy policy)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, WriterOptions)) WritePolicy(w, policy);
        buffer.WriteByte((byte)'\n');
        return buffer.ToArray();
    }

    private static void WritePolicy(Utf8JsonWriter w, MarginPolicy p)
    {
        w.WriteStartObject();
        w.WriteString("asset", p.Asset);
        w.WriteString("method", p.Method.ToName());
        w.WriteNumber("confidence", p.Confidence);
        w.WriteNumber("mporDays", p.MporDays);
        w.WriteNumber("lookbackDays", p.LookbackDays);
        Number(w, "lambda", p.Lambda);
        w.WritePropertyName("apc");
        WriteApc(w, p.Apc);
        w.WriteNumber("initialMarginRate", p.InitialMarginRate);
        w.WriteNumber("maintenanceMarginRate", p.MaintenanceMarginRate);
        w.WriteNumber("liquidationThreshold", p.LiquidationThreshold);
        w.WriteStartObject("maintenanceRule");
        w.WriteNumber("fraction", p.MaintenanceRule.Fraction);
        Number(w, "maintenanceConfidence", p.MaintenanceRule.MaintenanceConfidence);
        w.WriteString("basis", p.MaintenanceRule.Basis);
        w.WriteEndObject();
        w.WriteStartArray("tiers");
        foreach (var t in p.Tiers)
        {
            w.WriteStartObject();
            w.WriteNumber("maxNotional", t.MaxNotional);
            w.WriteNumber("initialMarginRate", t.InitialMarginRate);
            w.WriteNumber("maintenanceMarginRate", t.MaintenanceMarginRate);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        if (p.TierSettings is { } ts)
        {
            w.WriteStartObject("tierSettings");
            w.WriteNumber("impactCoefficient", ts.ImpactCoefficient);
            w.WriteStartArray("maxNotionals");
            foreach (var q in ts.MaxNotionals) w.WriteNumberValue(q);
            w.WriteEndArray();
            w.WriteEndObject();
        }
        else w.WriteNull("tierSettings");
        w.WriteNumber("reestimationDays", p.ReestimationDays);
        w.WriteString("inputSha256", p.InputSha256);
        w.WriteString("start", Date(p.Start));
        w.WriteString("end", Date(p.End));
        if (p.HoldoutFrom is DateOnly h) w.WriteString("holdoutFrom", Date(h)); else w.WriteNull("holdoutFrom");
        w.WriteBoolean("fallback", p.Fallback);
        if (p.FallbackReason is { } reason) w.WriteString("fallbackReason", reason); else w.WriteNull("fallbackReason");
        if (p.HoldoutLong is { } hl && p.HoldoutShort is { } hs)
        {
            w.WriteStartObject("holdoutBacktest");
            w.WritePropertyName("long");
            WriteBacktest(w, hl);
            w.WritePropertyName("short");
            WriteBacktest(w, hs);
            w.WriteEndObject();
        }
        else w.WriteNull("holdoutBacktest");
        w.WriteStartArray("candidates");
        foreach (var c in p.Candidates)
        {
            w.WriteStartObject();
            w.WriteString("method", c.Method.ToName());
            w.WriteNumber("lookbackDays", c.LookbackDays);
            Number(w, "lambda", c.Lambda);
            w.WritePropertyName("apc");
            WriteApc(w, c.Apc);
            Number(w, "averageMargin", c.AverageMargin);
            w.WriteBoolean("passes", c.Passes);
            w.WriteStartArray("failures");
            foreach (var f in c.Failures) w.WriteStringValue(f);
            w.WriteEndArray();
            w.WriteStartObject("backtest");
            w.WritePropertyName("long");
            WriteBacktest(w, c.LongBacktest);
            w.WritePropertyName("short");
            WriteBacktest(w, c.ShortBacktest);
            w.WriteEndObject();
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
    }

    /// <summary>The apc{…} object, as in a policy (for other JSON outputs that show a policy's APC).</summary>
    public static void WriteApc(Utf8JsonWriter w, AntiProcyclicality a)
    {
        w.WriteStartObject();
        Number(w, "buffer", a.Buffer);
        Number(w, "stressWeight", a.StressWeight);
        w.WriteBoolean("floor", a.Floor);
        Number(w, "maxDailyIncrease", a.MaxDailyIncrease);
        w.WriteNumber("stressLookbackDays", a.StressLookbackDays);
        w.WriteNumber("stressQuantile", a.StressQuantile);
        w.WriteNumber("stressPeriodDays", a.StressPeriodDays);
        w.WriteEndObject();
    }

    /// <summary>A backtest object {observations, exceedances, …, procyclicality{…}}, as in a policy.</summary>
    public static void WriteBacktest(Utf8JsonWriter w, BacktestResult b)
    {
        w.WriteStartObject();
        w.WriteNumber("observations", b.Observations);
        w.WriteNumber("exceedances", b.Exceedances);
        Number(w, "expectedExceedances", b.ExpectedExceedances);
        Number(w, "kupiecStatistic", b.Kupiec.Statistic);
        Number(w, "kupiecPValue", b.Kupiec.PValue);
        Number(w, "christoffersenStatistic", b.ChristoffersenIndependence.Statistic);
        Number(w, "christoffersenPValue", b.ChristoffersenIndependence.PValue);
        Number(w, "conditionalCoverageStatistic", b.ConditionalCoverage.Statistic);
        Number(w, "conditionalCoveragePValue", b.ConditionalCoverage.PValue);
        w.WriteString("trafficLight", b.TrafficLight.ToString().ToLowerInvariant());
        Number(w, "esBacktestStatistic", b.EsBacktest.Statistic);
        Number(w, "esBacktestPValue", b.EsBacktest.PValue);
        w.WriteStartObject("procyclicality");
        Number(w, "peakToTrough", b.Procyclicality.PeakToTrough);
        Number(w, "maxOneDayIncrease", b.Procyclicality.MaxOneDayIncrease);
        Number(w, "max30DayIncrease", b.Procyclicality.Max30DayIncrease);
        Number(w, "averageMargin", b.Procyclicality.AverageMargin);
        w.WriteEndObject();
        w.WriteEndObject();
    }

    private static void Number(Utf8JsonWriter w, string name, double? x)
    {
        if (x is double v && double.IsFinite(v)) w.WriteNumber(name, v);
        else w.WriteNull(name);
    }

    private static string Date(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    // ---------------------------------------------------------------- reading

    /// <summary>
    /// Every policy in a file: a single policy document, or a bundle {"policies": [ … ]} as <c>calibrate</c> writes for
    /// several assets (field errors then name e.g. <c>policies[1].confidence</c>).
    /// </summary>
    public static IReadOnlyList<MarginPolicy> ReadAll(string path)
    {
        using var source = JsonSource.Load(path);
        if (source.Root.ValueKind == JsonValueKind.Object && source.Has(source.Root, "policies"))
        {
            var list = new List<MarginPolicy>();
            int i = 0;
            foreach (var element in source.Array(source.Root, "", "policies").EnumerateArray())
            {
                var at = $"policies[{i++}]";
                if (element.ValueKind != JsonValueKind.Object) throw source.Error(at, "expected a policy object");
                list.Add(Parse(source, element, at));
            }
            if (list.Count == 0) throw source.Error("policies", "holds no policy");
            return list;
        }
        return [Parse(source)];
    }

    /// <summary>Writes several policies as one bundle {"policies": [ … ]}, atomically, after the same checks as <see cref="Write"/>.</summary>
    public static void WriteAll(IReadOnlyList<MarginPolicy> policies, string path)
    {
        ArgumentNullException.ThrowIfNull(policies);
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, WriterOptions))
        {
            w.WriteStartObject();
            w.WriteStartArray("policies");
            foreach (var p in policies) WritePolicy(w, p);
            w.WriteEndArray();
            w.WriteEndObject();
        }
        buffer.WriteByte((byte)'\n');
        var bytes = buffer.ToArray();
        using (var check = JsonSource.Parse(bytes, path))
        {
            int i = 0;
            foreach (var element in check.Root.GetProperty("policies").EnumerateArray()) Parse(check, element, $"policies[{i++}]");
        }
        AtomicFile.WriteAllBytes(path, bytes);
    }

    public static MarginPolicy Read(string path)
    {
        using var source = JsonSource.Load(path);
        return Parse(source);
    }

    private static MarginPolicy Parse(JsonSource s) => Parse(s, s.Root, "");

    /// <summary>One policy object at <paramref name="top"/> ("" for a single-policy file, "policies[i]" in a bundle).</summary>
    private static MarginPolicy Parse(JsonSource s, JsonElement root, string top)
    {
        string P(string relative) => top.Length == 0 ? relative : top + "." + relative;

        var asset = s.String(root, top, "asset");
        var method = Method(s, root, top);
        double confidence = s.Number(root, top, "confidence", x => x > 0 && x < 1, "(0, 1)");
        int mpor = s.Integer(root, top, "mporDays", 1);
        int lookback = s.Integer(root, top, "lookbackDays", 2);
        double? lambda = s.OptionalNumber(root, top, "lambda", x => x > 0 && x < 1, "(0, 1)");
        var apc = ReadApc(s, s.Object(root, top, "apc"), P("apc"));
        double im = s.Number(root, top, "initialMarginRate", x => x > 0 && x <= 1, "(0, 1]");
        double mm = s.Number(root, top, "maintenanceMarginRate", x => x > 0 && x <= 1, "(0, 1]");
        if (mm > im) throw s.Error("maintenanceMarginRate", $"{JsonSource.Format(mm)} is above initialMarginRate {JsonSource.Format(im)}");

        var rule = new MaintenanceRule(mm / im, null);
        if (s.Has(root, "maintenanceRule"))
        {
            var r = s.Object(root, top, "maintenanceRule");
            rule = new MaintenanceRule(
                s.Number(r, P("maintenanceRule"), "fraction", x => x > 0 && x <= 1, "(0, 1]"),
                s.OptionalNumber(r, P("maintenanceRule"), "maintenanceConfidence", x => x > 0 && x < 1, "(0, 1)"));
        }

        var tiers = new List<RiskLimitTier>();
        var tierArray = s.Array(root, top, "tiers");
        double previous = 0;
        int i = 0;
        foreach (var t in tierArray.EnumerateArray())
        {
            var at = P($"tiers[{i}]");
            if (t.ValueKind != JsonValueKind.Object) throw s.Error(at, "expected an object");
            double q = s.Number(t, at, "maxNotional", x => x > previous, $"(previous tier's maxNotional {JsonSource.Format(previous)}, ∞)");
            double tim = s.Number(t, at, "initialMarginRate", x => x > 0 && x <= 1, "(0, 1]");
            double tmm = s.Number(t, at, "maintenanceMarginRate", x => x > 0 && x <= tim, $"(0, initialMarginRate {JsonSource.Format(tim)}]");
            tiers.Add(new RiskLimitTier(q, tim, tmm));
            previous = q;
            i++;
        }

        TierSettings? tierSettings = null;
        if (s.Has(root, "tierSettings"))
        {
            var ts = s.Object(root, top, "tierSettings");
            double k = s.Number(ts, P("tierSettings"), "impactCoefficient", x => x >= 0, "[0, ∞)");
            var qs = s.Array(ts, P("tierSettings"), "maxNotionals");
            var bounds = new List<double>();
            int j = 0;
            foreach (var q in qs.EnumerateArray())
            {
                double last = bounds.Count == 0 ? 0 : bounds[^1];
                bounds.Add(s.CheckNumber(q, $"tierSettings.maxNotionals[{j++}]", x => x > last, $"({JsonSource.Format(last)}, ∞): bounds must increase"));
            }
            tierSettings = new TierSettings(k, bounds);
        }

        int reestimation = s.OptionalInteger(root, top, "reestimationDays", 1) ?? 1;
        var sha = s.String(root, top, "inputSha256");
        if (sha.Length != 64 || !sha.All(Uri.IsHexDigit)) throw s.Error("inputSha256", $"'{sha}' is not a SHA-256 (64 hex digits)");
        var start = s.Date(root, top, "start");
        var end = s.Date(root, top, "end");
        if (end < start) throw s.Error("end", $"{Date(end)} is before start {Date(start)}");
        var holdoutFrom = s.OptionalDate(root, top, "holdoutFrom");
        bool fallback = s.Boolean(root, top, "fallback", absent: false);
        var reason = s.OptionalString(root, top, "fallbackReason");
        if (fallback && reason is null) throw s.Error("fallbackReason", "is missing: a fallback policy must say why");

        BacktestResult? holdoutLong = null, holdoutShort = null;
        if (s.Has(root, "holdoutBacktest"))
        {
            var hb = s.Object(root, top, "holdoutBacktest");
            holdoutLong = ReadBacktest(s, s.Object(hb, P("holdoutBacktest"), "long"), P("holdoutBacktest.long"));
            holdoutShort = ReadBacktest(s, s.Object(hb, P("holdoutBacktest"), "short"), P("holdoutBacktest.short"));
        }

        var candidates = new List<CandidateRecord>();
        i = 0;
        foreach (var c in s.Array(root, top, "candidates").EnumerateArray())
        {
            var at = P($"candidates[{i++}]");
            if (c.ValueKind != JsonValueKind.Object) throw s.Error(at, "expected an object");
            var cm = Method(s, c, at);
            int cl = s.Integer(c, at, "lookbackDays", 2);
            double? cλ = s.OptionalNumber(c, at, "lambda", x => x > 0 && x < 1, "(0, 1)");
            var capc = ReadApc(s, s.Object(c, at, "apc"), at + ".apc");
            double avg = s.OptionalNumber(c, at, "averageMargin", x => x >= 0, "[0, ∞)") ?? double.NaN;
            bool passes = s.Boolean(c, at, "passes");
            var failures = new List<string>();
            int j = 0;
            foreach (var f in s.Array(c, at, "failures").EnumerateArray()) failures.Add(s.CheckString(f, $"{at}.failures[{j++}]"));
            var bt = s.Object(c, at, "backtest");
            var bl = ReadBacktest(s, s.Object(bt, at + ".backtest", "long"), at + ".backtest.long");
            var bs = ReadBacktest(s, s.Object(bt, at + ".backtest", "short"), at + ".backtest.short");
            candidates.Add(new CandidateRecord(cm, cl, cλ, capc, avg, bl, bs, passes, failures));
        }

        return new MarginPolicy
        {
            Asset = asset,
            Method = method,
            Confidence = confidence,
            MporDays = mpor,
            LookbackDays = lookback,
            Lambda = lambda,
            Apc = apc,
            InitialMarginRate = im,
            MaintenanceMarginRate = mm,
            MaintenanceRule = rule,
            Tiers = tiers,
            TierSettings = tierSettings,
            ReestimationDays = reestimation,
            InputSha256 = sha,
            Start = start,
            End = end,
            HoldoutFrom = holdoutFrom,
            Fallback = fallback,
            FallbackReason = reason,
            HoldoutLong = holdoutLong,
            HoldoutShort = holdoutShort,
            Candidates = candidates,
        };
    }

    private static RiskMethod Method(JsonSource s, JsonElement obj, string parent)
    {
        var name = s.String(obj, parent, "method");
        try { return RiskMethodNames.Parse(name); }
        catch (ArgumentException) { throw s.Error(JsonSource.Path(parent, "method"), $"unknown method '{name}': expected hs, fhs, normal, t or evt"); }
    }

    internal static AntiProcyclicality ReadApc(JsonSource s, JsonElement a, string at)
    {
        var apc = new AntiProcyclicality
        {
            Buffer = s.OptionalNumber(a, at, "buffer", x => x >= 0.25 && x <= 10, "[0.25, 10] (EMIR Art. 28(1)(a): at least 25%)"),
            StressWeight = s.OptionalNumber(a, at, "stressWeight", x => x >= 0.25 && x <= 1, "[0.25, 1] (EMIR Art. 28(1)(b): at least 25%)"),
            Floor = s.Boolean(a, at, "floor", absent: false),
            MaxDailyIncrease = s.OptionalNumber(a, at, "maxDailyIncrease", x => x > 0, "(0, ∞)"),
            StressLookbackDays = s.OptionalInteger(a, at, "stressLookbackDays", AntiProcyclicality.MinimumStressHistory) ?? 365,
            StressQuantile = s.OptionalNumber(a, at, "stressQuantile", x => x > 0 && x <= 1, "(0, 1]") ?? 0.95,
            StressPeriodDays = s.OptionalInteger(a, at, "stressPeriodDays", 1) ?? 365,
        };
        apc.Validate();
        return apc;
    }

    private static BacktestResult ReadBacktest(JsonSource s, JsonElement b, string at)
    {
        int n = s.Integer(b, at, "observations", 0);
        int x = s.Integer(b, at, "exceedances", 0);
        if (x > n) throw s.Error(at + ".exceedances", $"{x} is above observations {n}");
        double expected = Optional(s, b, at, "expectedExceedances", v => v >= 0, "[0, ∞)");
        TestResult Test(string name) => new(
            Optional(s, b, at, name + "Statistic", _ => true, "the reals"),
            Optional(s, b, at, name + "PValue", v => v >= 0 && v <= 1, "[0, 1]"));
        var kupiec = Test("kupiec");
        var independence = Test("christoffersen");
        var cc = Test("conditionalCoverage");
        var light = s.String(b, at, "trafficLight") switch
        {
            "green" => TrafficLightZone.Green,
            "yellow" => TrafficLightZone.Yellow,
            "red" => TrafficLightZone.Red,
            var other => throw s.Error(at + ".trafficLight", $"'{other}' is not green, yellow or red"),
        };
        var es = Test("esBacktest");
        var p = s.Object(b, at, "procyclicality");
        var pat = at + ".procyclicality";
        var pro = new ProcyclicalityMeasures(
            Optional(s, p, pat, "peakToTrough", v => v >= 1, "[1, ∞)"),
            Optional(s, p, pat, "maxOneDayIncrease", _ => true, "the reals"),
            Optional(s, p, pat, "max30DayIncrease", _ => true, "the reals"),
            Optional(s, p, pat, "averageMargin", v => v >= 0, "[0, ∞)"));
        return new BacktestResult(n, x, expected, kupiec, independence, cc, light, es, pro);
    }

    /// <summary>A number that may be null in the file (written for a non-finite value): read back as NaN.</summary>
    private static double Optional(JsonSource s, JsonElement obj, string at, string name, Func<double, bool> valid, string range)
    {
        if (!obj.TryGetProperty(name, out _)) throw s.Error(JsonSource.Path(at, name), "is missing");
        return s.OptionalNumber(obj, at, name, valid, range) ?? double.NaN;
    }
}
