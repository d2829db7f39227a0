using System.Globalization;
using System.Text.Json.Nodes;
using CryptoMargin.Data.Markets;
using CryptoMargin.Margin;
using CryptoMargin.Margin.Accounts;
using CryptoMargin.MarketData;
using CryptoMargin.Portfolios;
using Spectre.Console;

namespace CryptoMargin.Cli;

/// <summary>
/// The account view of <c>margin</c> and <c>whatif</c> (docs/margin/accounts-and-collateral.md): computes it with the
/// policy's <c>collateral</c> section, writes it as JSON (<c>account</c>) and as a table.
/// </summary>
internal static class AccountOutput
{
    /// <summary>The account view of one model's results; with <paramref name="searchLiquidation"/>, the liquidation distances too (re-runs the model).</summary>
    public static AccountView Compute(IMarginModel model, IReadOnlyList<MarginResult> results, Portfolio book, LoadedMarket market,
        string portfolioSource, string? policyFile, bool searchLiquidation, IReadOnlyDictionary<string, double>? equityBefore = null)
    {
        var policy = MarginPolicyFile.CollateralOf(policyFile);
        try
        {
            return AccountMargin.Compute(book, market.Snapshot, results, policy, searchLiquidation ? model : null, equityBefore);
        }
        catch (DataValidationException e) when (e.File is null)
        {
            // a missing haircut is the policy's; a position the market cannot value is the portfolio's
            throw e.At(e.Field is { } f && f.StartsWith("collateral", StringComparison.Ordinal) && policyFile is not null ? policyFile : portfolioSource);
        }
    }

    public static string Status(AccountStatus s) => s switch
    {
        AccountStatus.Ok => "ok",
        AccountStatus.InitialMarginBreached => "initial-margin-breached",
        _ => "maintenance-breached",
    };

    public static JsonObject ToJson(AccountView v) => new()
    {
        ["mode"] = v.Mode == CollateralMode.Cross ? "cross" : "segregated",
        ["currencies"] = new JsonArray([.. v.Currencies.Select(c => (JsonNode)new JsonObject
        {
            ["currency"] = c.Currency,
            ["collateral"] = JsonOutput.Number(c.Collateral),
            ["optionsValue"] = JsonOutput.Number(c.OptionsValue),
            ["futuresPnl"] = JsonOutput.Number(c.FuturesPnl),
            ["spotValue"] = JsonOutput.Number(c.SpotValue),
            ["equity"] = JsonOutput.Number(c.Equity),
            ["initialMargin"] = JsonOutput.Number(c.InitialMargin),
            ["maintenanceMargin"] = JsonOutput.Number(c.MaintenanceMargin),
            ["availableFunds"] = JsonOutput.Number(c.AvailableFunds),
            ["marginRatio"] = c.MarginRatio is double r ? JsonOutput.Number(r) : null,
            ["status"] = Status(c.Status),
            ["shortfall"] = JsonOutput.Number(c.Shortfall),
        })]),
        ["cross"] = v.Cross is { } x
            ? new JsonObject
            {
                ["currency"] = x.Currency,
                ["assets"] = new JsonArray([.. x.Assets.Select(a => (JsonNode)new JsonObject
                {
                    ["asset"] = a.Asset,
                    ["equity"] = JsonOutput.Number(a.Equity),
                    ["priceUsd"] = JsonOutput.Number(a.Price),
                    ["valueUsd"] = JsonOutput.Number(a.Value),
                    ["discountedValueUsd"] = JsonOutput.Number(a.DiscountedValue),
                })]),
                ["discountedEquity"] = JsonOutput.Number(x.DiscountedEquity),
                ["initialMargin"] = JsonOutput.Number(x.InitialMargin),
                ["maintenanceMargin"] = JsonOutput.Number(x.MaintenanceMargin),
                ["availableFunds"] = JsonOutput.Number(x.AvailableFunds),
                ["marginRatio"] = x.MarginRatio is double r ? JsonOutput.Number(r) : null,
                ["status"] = Status(x.Status),
                ["shortfall"] = JsonOutput.Number(x.Shortfall),
            }
            : null,
        ["liquidation"] = new JsonArray([.. v.Liquidation.Select(l => (JsonNode)new JsonObject
        {
            ["account"] = l.Account,
            ["coin"] = l.Coin,
            ["down"] = l.Down is double d ? JsonOutput.Number(d) : null,
            ["up"] = l.Up is double u ? JsonOutput.Number(u) : null,
            ["nearest"] = l.Nearest is double n ? JsonOutput.Number(n) : null,
            ["reason"] = l.Reason,
        })]),
    };

    private static string Pct(double? x) => x is double v ? v.ToString("+0.00%;-0.00%;0%", CultureInfo.InvariantCulture) : "none";

    public static void Render(IAnsiConsole console, AccountView v)
    {
        var t = new Table().Border(TableBorder.Rounded).AddColumn("account")
            .AddColumn(new TableColumn("equity").RightAligned()).AddColumn(new TableColumn("IM").RightAligned()).AddColumn(new TableColumn("MM").RightAligned())
            .AddColumn(new TableColumn("available").RightAligned()).AddColumn(new TableColumn("MM ratio").RightAligned())
            .AddColumn("status").AddColumn(new TableColumn("shortfall").RightAligned());
        t.Title = new TableTitle(Markup.Escape($"{v.Model} · account ({(v.Mode == CollateralMode.Cross ? "cross collateral" : "segregated")})"));
        foreach (var c in v.Currencies)
            t.AddRow(Markup.Escape(c.Currency), Commands.MarginCommand.N(c.Equity, c.Currency), Commands.MarginCommand.N(c.InitialMargin, c.Currency),
                Commands.MarginCommand.N(c.MaintenanceMargin, c.Currency), Commands.MarginCommand.N(c.AvailableFunds, c.Currency),
                c.MarginRatio is double r ? r.ToString("P2", CultureInfo.InvariantCulture) : "n/a", Status(c.Status), Commands.MarginCommand.N(c.Shortfall, c.Currency));
        if (v.Cross is { } x)
            t.AddRow(Markup.Escape($"cross (discounted, {x.Currency})"), Commands.MarginCommand.N(x.DiscountedEquity, x.Currency), Commands.MarginCommand.N(x.InitialMargin, x.Currency),
                Commands.MarginCommand.N(x.MaintenanceMargin, x.Currency), Commands.MarginCommand.N(x.AvailableFunds, x.Currency),
                x.MarginRatio is double r ? r.ToString("P2", CultureInfo.InvariantCulture) : "n/a", Status(x.Status), Commands.MarginCommand.N(x.Shortfall, x.Currency));
        console.Write(t);
        if (v.Liquidation.Count == 0) return;
        var l = new Table().Border(TableBorder.Rounded).AddColumn("account").AddColumn("index of")
            .AddColumn(new TableColumn("liquidation down").RightAligned()).AddColumn(new TableColumn("liquidation up").RightAligned()).AddColumn("note");
        foreach (var d in v.Liquidation)
            l.AddRow(Markup.Escape(d.Account), Markup.Escape(d.Coin), Pct(d.Down), Pct(d.Up), Markup.Escape(d.Reason ?? ""));
        console.Write(l);
    }
}
