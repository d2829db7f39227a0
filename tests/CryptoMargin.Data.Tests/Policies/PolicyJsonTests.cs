using CryptoMargin.Backtesting;
using CryptoMargin.Data.Policies;
using CryptoMargin.Margin;
using CryptoMargin.MarketData;
using CryptoMargin.Risk;
using TestResult = CryptoMargin.Backtesting.TestResult;

namespace CryptoMargin.Data.Tests.Policies;

public class PolicyJsonTests
{
    private static BacktestResult Backtest(int exceedances, double esP) => new(
        700, exceedances, 7, new TestResult(0.4, 0.53), new TestResult(1.1, 0.29), new TestResult(1.5, 0.47),
        TrafficLightZone.Green, new TestResult(-0.2, esP), new ProcyclicalityMeasures(3.2, 0.15, 0.9, 0.121));

    internal static MarginPolicy Policy() => new()
    {
        Asset = "BTC",
        Method = RiskMethod.FilteredHistorical,
        Confidence = 0.99,
        MporDays = 2,
        LookbackDays = 500,
        Lambda = null,
        Apc = new AntiProcyclicality { Buffer = 0.25, Floor = true, MaxDailyIncrease = 0.3, StressPeriodDays = 180 },
        InitialMarginRate = 0.134,
        MaintenanceMarginRate = 0.0804,
        MaintenanceRule = new MaintenanceRule(0.6, 0.95),
        Tiers = [new RiskLimitTier(1e6, 0.136, 0.0816), new RiskLimitTier(1e7, 0.141, 0.0846)],
        TierSettings = new TierSettings(1.0, [1e6, 1e7]),
        ReestimationDays = 5,
        InputSha256 = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
        Start = new DateOnly(2013, 4, 28),
        End = new DateOnly(2025, 11, 30),
        HoldoutFrom = new DateOnly(2022, 2, 1),
        HoldoutLong = Backtest(6, 0.31),
        HoldoutShort = Backtest(4, double.NaN), // a test that could not be computed: null in the file, NaN back
        Candidates =
        [
            new CandidateRecord(RiskMethod.FilteredHistorical, 500, null, new AntiProcyclicality { Buffer = 0.25, Floor = true },
                0.121, Backtest(6, 0.2), Backtest(5, 0.4), true, []),
            new CandidateRecord(RiskMethod.Normal, 250, 0.94, AntiProcyclicality.None, 0.083, Backtest(19, 0.001), Backtest(9, 0.2),
                false, ["long: traffic light red", "long: Kupiec p = 0.001 < 0.05"]),
        ],
    };

    [Fact]
    public void RoundTripKeepsEveryField()
    {
        using var tmp = new TempFolder();
        var path = tmp.File("out/policy.json");
        var p = Policy();
        PolicyJson.Write(p, path);
        var back = PolicyJson.Read(path);

        Assert.Equal(p.Asset, back.Asset);
        Assert.Equal(p.Method, back.Method);
        Assert.Equal(p.Confidence, back.Confidence);
        Assert.Equal(p.MporDays, back.MporDays);
        Assert.Equal(p.LookbackDays, back.LookbackDays);
        Assert.Null(back.Lambda);
        Assert.Equal(p.Apc, back.Apc);
        Assert.Equal(p.InitialMarginRate, back.InitialMarginRate);
        Assert.Equal(p.MaintenanceMarginRate, back.MaintenanceMarginRate);
        Assert.Equal(p.MaintenanceRule, back.MaintenanceRule);
        Assert.Equal(p.Tiers, back.Tiers);
        Assert.Equal(p.TierSettings!.MaxNotionals, back.TierSettings!.MaxNotionals);
        Assert.Equal(p.ReestimationDays, back.ReestimationDays);
        Assert.Equal(p.InputSha256, back.InputSha256);
        Assert.Equal((p.Start, p.End, p.HoldoutFrom), (back.Start, back.End, back.HoldoutFrom));
        Assert.Equal(p.HoldoutLong, back.HoldoutLong);
        Assert.True(double.IsNaN(back.HoldoutShort!.EsBacktest.PValue));
        Assert.Equal(2, back.Candidates.Count);
        Assert.Equal(0.94, back.Candidates[1].Lambda);
        Assert.Equal(p.Candidates[1].Failures, back.Candidates[1].Failures);
        Assert.Equal(p.Candidates[0].LongBacktest, back.Candidates[0].LongBacktest);
        // and the file is the same when written again
        Assert.Equal(PolicyJson.ToUtf8(p), PolicyJson.ToUtf8(back));
    }

    [Fact]
    public void FileUsesTheIssueNames()
    {
        var text = System.Text.Encoding.UTF8.GetString(PolicyJson.ToUtf8(Policy()));
        foreach (var name in new[] { "asset", "method", "confidence", "mporDays", "lookbackDays", "lambda", "apc", "initialMarginRate",
                     "maintenanceMarginRate", "tiers", "maxNotional", "inputSha256", "start", "end", "candidates" })
            Assert.Contains($"\"{name}\":", text);
        Assert.Contains("\"method\": \"fhs\"", text);
        Assert.Contains("\"start\": \"2013-04-28\"", text);
    }

    public static TheoryData<string, string, string> InvalidFields => new()
    {
        { "\"confidence\": 0.99", "\"confidence\": 1.5", "confidence" },
        { "\"mporDays\": 2", "\"mporDays\": -2", "mporDays" },
        { "\"lookbackDays\": 500", "\"lookbackDays\": 1", "lookbackDays" },
        { "\"initialMarginRate\": 0.134", "\"initialMarginRate\": 1.2", "initialMarginRate" },
        { "\"initialMarginRate\": 0.134", "\"initialMarginRate\": 0", "initialMarginRate" },
        { "\"maintenanceMarginRate\": 0.0804", "\"maintenanceMarginRate\": 0.5", "maintenanceMarginRate" },
        { "\"method\": \"fhs\"", "\"method\": \"garch\"", "method" },
        { "\"asset\": \"BTC\"", "\"asset\": 7", "asset" },
        { "\"buffer\": 0.25", "\"buffer\": 0.1", "apc.buffer" },
        { "\"initialMarginRate\": 0.141", "\"initialMarginRate\": 2", "tiers[1].initialMarginRate" },
        { "\"maxNotional\": 10000000", "\"maxNotional\": 10", "tiers[1].maxNotional" },
        { "\"start\": \"2013-04-28\"", "\"start\": \"2013-13-28\"", "start" },
        { "\"inputSha256\": \"0123", "\"inputSha256\": \"xyz", "inputSha256" },
        { "\"lambda\": 0.94", "\"lambda\": 1.94", "candidates[1].lambda" },
    };

    [Theory]
    [MemberData(nameof(InvalidFields))]
    public void EachInvalidFieldIsNamedWithItsLine(string valid, string invalid, string field)
    {
        using var tmp = new TempFolder();
        var text = System.Text.Encoding.UTF8.GetString(PolicyJson.ToUtf8(Policy()));
        var at = LastIndexFor(text, valid, field);
        Assert.True(at >= 0, $"'{valid}' not in the document");
        var bad = text[..at] + invalid + text[(at + valid.Length)..];
        int line = bad[..at].Count(c => c == '\n') + 1;
        var path = tmp.Write("policy.json", bad);

        var e = Assert.Throws<DataValidationException>(() => PolicyJson.Read(path));
        Assert.Equal(field, e.Field);
        Assert.Equal(line, e.Line);
        Assert.Equal(path, e.File);
        Assert.StartsWith($"{path}:{line}: field '{field}': ", e.Message);
    }

    // tiers[1] and candidates[1] are the second occurrences; everything else the first.
    private static int LastIndexFor(string text, string valid, string field) =>
        field.Contains("[1]") ? text.LastIndexOf(valid, StringComparison.Ordinal) : text.IndexOf(valid, StringComparison.Ordinal);

    [Fact]
    public void MessageReadsLikeTheContract()
    {
        using var tmp = new TempFolder();
        var text = System.Text.Encoding.UTF8.GetString(PolicyJson.ToUtf8(Policy())).Replace("\"confidence\": 0.99", "\"confidence\": 1.5");
        var path = tmp.Write("policy.json", text);
        var e = Assert.Throws<DataValidationException>(() => PolicyJson.Read(path));
        // line 1 '{', 2 asset, 3 method, 4 confidence
        Assert.Equal($"{path}:4: field 'confidence': 1.5 is outside (0, 1)", e.Message);
    }

    [Theory]
    [InlineData("asset")]
    [InlineData("confidence")]
    [InlineData("tiers")]
    [InlineData("inputSha256")]
    [InlineData("candidates")]
    public void MissingFieldIsNamed(string field)
    {
        using var tmp = new TempFolder();
        var lines = System.Text.Encoding.UTF8.GetString(PolicyJson.ToUtf8(Policy())).Split('\n').ToList();
        int i = lines.FindIndex(l => l.StartsWith($"  \"{field}\":", StringComparison.Ordinal));
        // drop the field (and, for an array, its items up to the closing bracket at the same indent)
        int end = i;
        if (lines[i].TrimEnd().EndsWith('[')) while (!lines[end].StartsWith("  ]", StringComparison.Ordinal)) end++;
        lines.RemoveRange(i, end - i + 1);
        var text = string.Join('\n', lines).Replace(",\n}", "\n}");
        var path = tmp.Write("policy.json", text);
        var e = Assert.Throws<DataValidationException>(() => PolicyJson.Read(path));
        Assert.Equal(field, e.Field);
        Assert.Contains("is missing", e.Message);
    }

    [Fact]
    public void BrokenJsonGivesItsLine()
    {
        using var tmp = new TempFolder();
        var path = tmp.Write("policy.json", "{\n  \"asset\": \"BTC\",\n  \"confidence\": 0.99 oops\n}");
        var e = Assert.Throws<DataValidationException>(() => PolicyJson.Read(path));
        Assert.Equal(3, e.Line);
        Assert.Contains("not valid JSON", e.Message);
    }

    [Fact]
    public void InvalidPolicyIsNotWrittenAndTheOldFileStays()
    {
        using var tmp = new TempFolder();
        var path = tmp.File("policy.json");
        var e = Assert.Throws<DataValidationException>(() => PolicyJson.Write(Policy() with { Confidence = 1.5 }, path));
        Assert.Equal("confidence", e.Field);
        Assert.False(File.Exists(path));
        Assert.Empty(Directory.GetFiles(tmp.Path));

        PolicyJson.Write(Policy(), path);
        var before = File.ReadAllBytes(path);
        Assert.Throws<DataValidationException>(() => PolicyJson.Write(Policy() with { MporDays = -1 }, path));
        Assert.Equal(before, File.ReadAllBytes(path));
        Assert.Single(Directory.GetFiles(tmp.Path));
    }
}
