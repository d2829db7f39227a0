using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using CryptoMargin.Data.Markets;
using CryptoMargin.Instruments;
using CryptoMargin.Margin;
using CryptoMargin.Margin.Accounts;
using CryptoMargin.Portfolios;
using Spectre.Console;

namespace CryptoMargin.Cli.Commands;

/// <summary>
/// <c>cryptomargin whatif [--portfolio FILE] [--market FILE] --trade "INSTRUMENT:SIZE" [--policy FILE] [--policy-new FILE] [--model NAME|all] [--json]</c>:
/// the margin before and after a trade (sizes of the same instrument add; the instrument must be one of the market
/// snapshot), and/or before and after a parameter change (<c>--policy-new</c>: "before" under <c>--policy</c>, "after"
/// under the new one). JSON per model: <c>{model, portfolio, market, valuationTime, trade{instrument, size} | null,
/// policy, policyNew, currency, before{initialMargin, maintenanceMargin}, after{…}, change{…}, currencies[{currency,
/// before, after, change}]}</c>; the top-level <c>currency/before/after/change</c> are those of the trade's margin
/// currency (without a trade: the account currency where it has a result, else the first currency); with
/// <c>--model all</c>, <c>{models: [...]}</c>. A currency without positions has zero margin. Default model: deribit-pm.
/// Account figures (docs/margin/accounts-and-collateral.md): each before/after also holds <c>equity, availableFunds,
/// marginRatio, status</c> and each change <c>equity, availableFunds, marginRatio</c>; the trade is taken at the mark, so
/// equity is unchanged; <c>collateralMode</c>, and <c>cross{currency, before, after, change}</c> in cross mode.
/// </summary>
internal static class WhatifCommand
{
    public static Command Create(CliConsole console)
    {
        var portfolio = new Option<string?>("--portfolio") { Description = "Portfolio JSON. Default: the shipped BTC options book." };
        var market = new Option<string?>("--market") { Description = "Market: a Deribit option snapshot CSV(.gz) or a JSON market. Default: the shipped 2026-04-15 snapshot." };
        var trade = new Option<string?>("--trade") { Description = "The trade INSTRUMENT:SIZE (Deribit name, size in the instrument's unit, negative = sell), e.g. BTC-29MAY26-85000-C:-1." };
        var policy = new Option<string?>("--policy") { Description = "Current policy JSON. Default: each model's own defaults." };
        var policyNew = new Option<string?>("--policy-new") { Description = "Proposed policy JSON: 'after' is computed under it." };
        var model = new Option<string>("--model") { Description = "tiered, span, deribit-pm (default), greeks, hybrid or all.", DefaultValueFactory = _ => "deribit-pm" };
        var json = CliOptions.Json();
        var vols = CliOptions.Vols();
        var command = new Command("whatif", "Margin before and after a trade or a proposed parameter change: the preview users ask venues for.")
        {
            portfolio, market, trade, policy, policyNew, model, json, vols,
        };
        command.SetAction(parse => console.Execute(() =>
        {
            string? tradeText = parse.GetValue(trade);
            string? newPolicyPath = parse.GetValue(policyNew);
            if (tradeText is null && newPolicyPath is null)
                throw new CliUsageException("whatif needs --trade INSTRUMENT:SIZE, --policy-new FILE, or both");
            string? oldPolicy = MarginInputs.Policy(parse.GetValue(policy));
            string? newPolicy = newPolicyPath is null ? oldPolicy : MarginInputs.Policy(newPolicyPath, "--policy-new");
            var loaded = MarginInputs.Market(parse.GetValue(market), CliOptions.ParseVols(parse.GetValue(vols)));
            var (book, source) = MarginInputs.Portfolio(parse.GetValue(portfolio), loaded);
            Position? position = tradeText is null ? null : ParseTrade(tradeText, loaded);
            var after = position is null ? book : book.With(position);
            if (position is { Instrument: SpotInstrument } && after.Positions.Any(p => p.Instrument.Name == position.Instrument.Name && p.Size < 0))
                throw new CliUsageException($"--trade '{tradeText}' would leave a negative spot holding of {position.Instrument.Name} (borrowing is not modelled)");
            var names = MarginModels.Resolve(parse.GetValue(model)!);

            var outputs = new List<Preview>();
            foreach (var name in names)
            {
                var modelBefore = MarginModels.Create(name, oldPolicy);
                var modelAfter = MarginModels.Create(name, newPolicy);
                var before = MarginInputs.Compute(modelBefore, book, loaded, source);
                var afterResults = MarginInputs.Compute(modelAfter, after, loaded, source);
                // a trade at the mark leaves each currency's equity as it was: the after view takes the before equity
                var accountBefore = AccountOutput.Compute(modelBefore, before, book, loaded, source, oldPolicy, searchLiquidation: false);
                var accountAfter = AccountOutput.Compute(modelAfter, afterResults, after, loaded, source, newPolicy, searchLiquidation: false,
                    accountBefore.Currencies.ToDictionary(c => c.Currency, c => c.Equity, StringComparer.Ordinal));
                outputs.Add(Compare(name, before, afterResults, position, book.AccountCurrency) with { AccountBefore = accountBefore, AccountAfter = accountAfter });
            }
            var context = new Context(source, loaded, position, parse.GetValue(policy), newPolicyPath);
            if (parse.GetValue(json))
                JsonOutput.Write(console.Out, outputs.Count == 1 ? ToJson(outputs[0], context)
                    : new JsonObject { ["models"] = new JsonArray([.. outputs.Select(o => (JsonNode)ToJson(o, context))]) });
            else Render(console.Tables, outputs, context);
            return ExitCodes.Ok;
        }));
        return command;
    }

    /// <summary>IM and MM of one currency.</summary>
    internal readonly record struct Margins(double InitialMargin, double MaintenanceMargin)
    {
        public static Margins operator -(Margins a, Margins b) => new(a.InitialMargin - b.InitialMargin, a.MaintenanceMargin - b.MaintenanceMargin);
    }

    internal sealed record CurrencyPreview(string Currency, Margins Before, Margins After)
    {
        public Margins Change => After - Before;
    }

    internal sealed record Preview(string Model, string Currency, IReadOnlyList<CurrencyPreview> Currencies)
    {
        public CurrencyPreview Main => Currencies.First(c => c.Currency == Currency);

        /// <summary>The account views before and after (null where not computed).</summary>
        public AccountView? AccountBefore { get; init; }
        public AccountView? AccountAfter { get; init; }

        public CurrencyAccount? Before(string currency) => AccountBefore?.Currencies.FirstOrDefault(c => c.Currency == currency);
        public CurrencyAccount? After(string currency) => AccountAfter?.Currencies.FirstOrDefault(c => c.Currency == currency);
    }

    private sealed record Context(string Portfolio, LoadedMarket Market, Position? Trade, string? Policy, string? PolicyNew);

    /// <summary>Parses <c>INSTRUMENT:SIZE</c> and checks the instrument is one of the market's.</summary>
    internal static Position ParseTrade(string text, LoadedMarket market)
    {
        int colon = text.LastIndexOf(':');
        if (colon <= 0 || colon == text.Length - 1)
            throw new CliUsageException($"--trade '{text}' is not INSTRUMENT:SIZE (e.g. BTC-29MAY26-85000-C:-1 or BTC-PERPETUAL:10000)");
        string name = text[..colon].Trim(), sizeText = text[(colon + 1)..].Trim();
        if (!Instrument.TryParse(name, out var instrument, out var error)) throw new CliUsageException($"--trade '{text}': {error}");
        if (!double.TryParse(sizeText, NumberStyles.Float, CultureInfo.InvariantCulture, out var size) || !double.IsFinite(size))
            throw new CliUsageException($"--trade '{text}': size '{sizeText}' is not a finite number");
        if (size == 0) throw new CliUsageException($"--trade '{text}': size is 0 (nothing to trade)");
        if (Math.Abs(size) > Portfolio.MaxAbsSize)
            throw new CliUsageException($"--trade '{text}': |size| {sizeText} is beyond {Portfolio.MaxAbsSize.ToString("G3", CultureInfo.InvariantCulture)}");
        if (market.Problem(instrument) is { } problem) throw new CliUsageException($"--trade '{text}': {problem}");
        return new Position(instrument, size);
    }

    internal static Preview Compare(string model, IReadOnlyList<MarginResult> before, IReadOnlyList<MarginResult> after, Position? trade, string accountCurrency)
    {
        var currencies = before.Select(r => r.Currency).Concat(after.Select(r => r.Currency)).Distinct().Order(StringComparer.Ordinal).ToList();
        if (trade is not null && !currencies.Contains(trade.Instrument.MarginCurrency)) currencies.Add(trade.Instrument.MarginCurrency);
        if (currencies.Count == 0) currencies.Add(accountCurrency);
        static Margins Of(IReadOnlyList<MarginResult> results, string ccy) =>
            results.FirstOrDefault(r => r.Currency == ccy) is { } r ? new Margins(r.InitialMargin, r.MaintenanceMargin) : default;
        var list = currencies.Select(c => new CurrencyPreview(c, Of(before, c), Of(after, c))).ToList();
        string main = trade?.Instrument.MarginCurrency ?? (currencies.Contains(accountCurrency) ? accountCurrency : currencies[0]);
        return new Preview(model, main, list);
    }

    private static JsonObject Pair(Margins m, CurrencyAccount? account = null)
    {
        var o = new JsonObject
        {
            ["initialMargin"] = JsonOutput.Number(m.InitialMargin),
            ["maintenanceMargin"] = JsonOutput.Number(m.MaintenanceMargin),
        };
        if (account is not null) AddStanding(o, account.Equity, account.AvailableFunds, account.MarginRatio, account.Status);
        return o;
    }

    /// <summary>The equity-based figures of an account (docs/margin/accounts-and-collateral.md), added beside IM and MM.</summary>
    private static void AddStanding(JsonObject o, double equity, double available, double? ratio, AccountStatus status)
    {
        o["equity"] = JsonOutput.Number(equity);
        o["availableFunds"] = JsonOutput.Number(available);
        o["marginRatio"] = ratio is double r ? JsonOutput.Number(r) : null;
        o["status"] = AccountOutput.Status(status);
    }

    private static JsonObject Change(Margins change, CurrencyAccount? before, CurrencyAccount? after)
    {
        var o = Pair(change);
        if (before is not null && after is not null)
        {
            o["equity"] = JsonOutput.Number(after.Equity - before.Equity);
            o["availableFunds"] = JsonOutput.Number(after.AvailableFunds - before.AvailableFunds);
            o["marginRatio"] = before.MarginRatio is double rb && after.MarginRatio is double ra ? JsonOutput.Number(ra - rb) : null;
        }
        return o;
    }

    private static JsonObject? Cross(CrossCollateralAccount? before, CrossCollateralAccount? after)
    {
        if (before is null || after is null) return null;
        JsonObject One(CrossCollateralAccount x)
        {
            var o = new JsonObject { ["initialMargin"] = JsonOutput.Number(x.InitialMargin), ["maintenanceMargin"] = JsonOutput.Number(x.MaintenanceMargin) };
            AddStanding(o, x.DiscountedEquity, x.AvailableFunds, x.MarginRatio, x.Status);
            return o;
        }
        return new JsonObject
        {
            ["currency"] = after.Currency,
            ["before"] = One(before),
            ["after"] = One(after),
            ["change"] = new JsonObject
            {
                ["initialMargin"] = JsonOutput.Number(after.InitialMargin - before.InitialMargin),
                ["maintenanceMargin"] = JsonOutput.Number(after.MaintenanceMargin - before.MaintenanceMargin),
                ["equity"] = JsonOutput.Number(after.DiscountedEquity - before.DiscountedEquity),
                ["availableFunds"] = JsonOutput.Number(after.AvailableFunds - before.AvailableFunds),
                ["marginRatio"] = before.MarginRatio is double rb && after.MarginRatio is double ra ? JsonOutput.Number(ra - rb) : null,
            },
        };
    }

    private static JsonObject ToJson(Preview p, Context c)
    {
        var main = p.Main;
        var json = new JsonObject
        {
            ["model"] = p.Model,
            ["portfolio"] = c.Portfolio,
            ["market"] = c.Market.Source,
            ["valuationTime"] = JsonOutput.Iso(c.Market.ValuationTime),
            ["trade"] = c.Trade is { } t ? new JsonObject { ["instrument"] = t.Instrument.Name, ["size"] = t.Size } : null,
            ["policy"] = c.Policy,
            ["policyNew"] = c.PolicyNew,
            ["currency"] = main.Currency,
            ["before"] = Pair(main.Before, p.Before(main.Currency)),
            ["after"] = Pair(main.After, p.After(main.Currency)),
            ["change"] = Change(main.Change, p.Before(main.Currency), p.After(main.Currency)),
            ["currencies"] = new JsonArray([.. p.Currencies.Select(x => (JsonNode)new JsonObject
            {
                ["currency"] = x.Currency,
                ["before"] = Pair(x.Before, p.Before(x.Currency)),
                ["after"] = Pair(x.After, p.After(x.Currency)),
                ["change"] = Change(x.Change, p.Before(x.Currency), p.After(x.Currency)),
            })]),
        };
        if (p.AccountAfter is { } aa) json["collateralMode"] = aa.Mode == CollateralMode.Cross ? "cross" : "segregated";
        if (Cross(p.AccountBefore?.Cross, p.AccountAfter?.Cross) is { } cross) json["cross"] = cross;
        return json;
    }

    private static void Render(IAnsiConsole console, IReadOnlyList<Preview> previews, Context c)
    {
        console.WriteLine($"portfolio {c.Portfolio} · market {c.Market.Source} · valuation {JsonOutput.Iso(c.Market.ValuationTime)}");
        if (c.Trade is { } trade) console.WriteLine($"trade {trade.Instrument.Name} {trade.Size.ToString("G", CultureInfo.InvariantCulture)} {trade.Instrument.SizeUnit}");
        if (c.PolicyNew is { } pn) console.WriteLine($"policy {c.Policy ?? "(defaults)"} → {pn}");
        var table = new Table().Border(TableBorder.Rounded).AddColumn("model").AddColumn("currency")
            .AddColumn(new TableColumn("IM before").RightAligned()).AddColumn(new TableColumn("IM after").RightAligned()).AddColumn(new TableColumn("IM change").RightAligned())
            .AddColumn(new TableColumn("MM before").RightAligned()).AddColumn(new TableColumn("MM after").RightAligned()).AddColumn(new TableColumn("MM change").RightAligned());
        foreach (var p in previews)
            foreach (var x in p.Currencies)
                table.AddRow(Markup.Escape(p.Model), Markup.Escape(x.Currency),
                    MarginCommand.N(x.Before.InitialMargin, x.Currency), MarginCommand.N(x.After.InitialMargin, x.Currency), MarginCommand.N(x.Change.InitialMargin, x.Currency),
                    MarginCommand.N(x.Before.MaintenanceMargin, x.Currency), MarginCommand.N(x.After.MaintenanceMargin, x.Currency), MarginCommand.N(x.Change.MaintenanceMargin, x.Currency));
        console.Write(table);
        var account = new Table().Border(TableBorder.Rounded).AddColumn("model").AddColumn("account")
            .AddColumn(new TableColumn("equity").RightAligned())
            .AddColumn(new TableColumn("available before").RightAligned()).AddColumn(new TableColumn("available after").RightAligned())
            .AddColumn(new TableColumn("MM ratio before").RightAligned()).AddColumn(new TableColumn("MM ratio after").RightAligned())
            .AddColumn("status before").AddColumn("status after");
        static string Ratio(double? r) => r is double x ? x.ToString("P2", CultureInfo.InvariantCulture) : "n/a";
        foreach (var p in previews)
        {
            foreach (var x in p.Currencies)
                if (p.Before(x.Currency) is { } b && p.After(x.Currency) is { } a)
                    account.AddRow(Markup.Escape(p.Model), Markup.Escape(x.Currency), MarginCommand.N(a.Equity, x.Currency),
                        MarginCommand.N(b.AvailableFunds, x.Currency), MarginCommand.N(a.AvailableFunds, x.Currency),
                        Ratio(b.MarginRatio), Ratio(a.MarginRatio), AccountOutput.Status(b.Status), AccountOutput.Status(a.Status));
            if (p.AccountBefore?.Cross is { } cb && p.AccountAfter?.Cross is { } ca)
                account.AddRow(Markup.Escape(p.Model), Markup.Escape($"cross ({ca.Currency})"), MarginCommand.N(ca.DiscountedEquity, ca.Currency),
                    MarginCommand.N(cb.AvailableFunds, ca.Currency), MarginCommand.N(ca.AvailableFunds, ca.Currency),
                    Ratio(cb.MarginRatio), Ratio(ca.MarginRatio), AccountOutput.Status(cb.Status), AccountOutput.Status(ca.Status));
        }
        console.Write(account);
    }
}
