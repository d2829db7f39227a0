using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using CryptoMargin.Data.Markets;
using CryptoMargin.Instruments;
using CryptoMargin.Margin;
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
                var before = MarginInputs.Compute(MarginModels.Create(name, oldPolicy), book, loaded, source);
                var afterResults = MarginInputs.Compute(MarginModels.Create(name, newPolicy), after, loaded, source);
                outputs.Add(Compare(name, before, afterResults, position, book.AccountCurrency));
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

    private static JsonObject Pair(Margins m) => new()
    {
        ["initialMargin"] = JsonOutput.Number(m.InitialMargin),
        ["maintenanceMargin"] = JsonOutput.Number(m.MaintenanceMargin),
    };

    private static JsonObject ToJson(Preview p, Context c)
    {
        var main = p.Main;
        return new JsonObject
        {
            ["model"] = p.Model,
            ["portfolio"] = c.Portfolio,
            ["market"] = c.Market.Source,
            ["valuationTime"] = JsonOutput.Iso(c.Market.ValuationTime),
            ["trade"] = c.Trade is { } t ? new JsonObject { ["instrument"] = t.Instrument.Name, ["size"] = t.Size } : null,
            ["policy"] = c.Policy,
            ["policyNew"] = c.PolicyNew,
            ["currency"] = main.Currency,
            ["before"] = Pair(main.Before),
            ["after"] = Pair(main.After),
            ["change"] = Pair(main.Change),
            ["currencies"] = new JsonArray([.. p.Currencies.Select(x => (JsonNode)new JsonObject
            {
                ["currency"] = x.Currency,
                ["before"] = Pair(x.Before),
                ["after"] = Pair(x.After),
                ["change"] = Pair(x.Change),
            })]),
        };
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
    }
}
