using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using CryptoMargin.Data.Markets;
using CryptoMargin.Margin;
using CryptoMargin.Margin.Accounts;
using Spectre.Console;

namespace CryptoMargin.Cli.Commands;

/// <summary>
/// <c>cryptomargin margin [--portfolio FILE] [--market FILE] [--policy FILE] [--model tiered|span|deribit-pm|greeks|hybrid|all] [--json]</c>:
/// the margin of a portfolio on a market snapshot under one model or all of them side by side, each figure with its
/// breakdown. Defaults: the shipped BTC options book on the shipped Deribit snapshot, <c>--model all</c> (every model
/// available in the build). JSON: one result object
/// <c>{model, currency, initialMargin, maintenanceMargin, bindingScenario{name, priceShock, volShock, pnl} | null,
/// addOns[{name, amount}], positions[{instrument, size, pnlInBindingScenario, contribution, incremental}], notes[]}</c>
/// plus <c>portfolio, market, valuationTime</c> when there is one result; else <c>{portfolio, market, valuationTime,
/// models: [result, …], unavailable: [names]}</c> (several models, or several margin currencies). Each result also carries
/// <c>account</c>: its model's account view (equity, available funds, margin ratio, status, shortfall per currency; the
/// cross-collateral view; liquidation distances), docs/margin/accounts-and-collateral.md.
/// </summary>
internal static class MarginCommand
{
    public static Command Create(CliConsole console)
    {
        var portfolio = new Option<string?>("--portfolio") { Description = "Portfolio JSON (docs/margin/portfolios-and-markets.md). Default: the shipped BTC options book." };
        var market = new Option<string?>("--market") { Description = "Market: a Deribit option snapshot CSV(.gz) (futures files beside it are used) or a JSON market. Default: the shipped 2026-04-15 snapshot." };
        var policy = new Option<string?>("--policy") { Description = "Policy JSON with the models' parameter sections. Default: each model's own defaults." };
        var model = new Option<string>("--model") { Description = "tiered, span, deribit-pm, greeks, hybrid or all (default: every model available).", DefaultValueFactory = _ => "all" };
        var json = CliOptions.Json();
        var vols = CliOptions.Vols();
        var command = new Command("margin", "Margin of a portfolio on a market snapshot: IM, MM, binding scenario, add-ons and each position's P&L, contribution and incremental margin.")
        {
            portfolio, market, policy, model, json, vols,
        };
        command.SetAction(parse => console.Execute(() =>
        {
            // Inputs first: a bad portfolio or market is reported (exit 2) whatever models the build holds.
            string? policyFile = MarginInputs.Policy(parse.GetValue(policy));
            var loaded = MarginInputs.Market(parse.GetValue(market), CliOptions.ParseVols(parse.GetValue(vols)));
            var (book, source) = MarginInputs.Portfolio(parse.GetValue(portfolio), loaded);
            var names = MarginModels.Resolve(parse.GetValue(model)!);
            var results = new List<MarginResult>();
            var accounts = new Dictionary<string, AccountView>(StringComparer.Ordinal);
            foreach (var name in names)
            {
                var m = MarginModels.Create(name, policyFile);
                var modelResults = MarginInputs.Compute(m, book, loaded, source);
                results.AddRange(modelResults);
                accounts[m.Name] = AccountOutput.Compute(m, modelResults, book, loaded, source, policyFile, searchLiquidation: true);
            }
            var unavailable = parse.GetValue(model) == "all" ? MarginModels.Names.Where(n => !MarginModels.IsAvailable(n)).ToList() : [];
            if (parse.GetValue(json)) JsonOutput.Write(console.Out, ToJson(results, source, loaded, unavailable, accounts));
            else Render(console, results, source, loaded, unavailable, accounts);
            return ExitCodes.Ok;
        }));
        return command;
    }

    internal static JsonObject ToJson(IReadOnlyList<MarginResult> results, string portfolio, LoadedMarket market, IReadOnlyList<string> unavailable,
        IReadOnlyDictionary<string, AccountView>? accounts = null)
    {
        JsonObject Result(MarginResult r)
        {
            var o = MarginCommand.Result(r);
            if (accounts is not null && accounts.TryGetValue(r.Model, out var a)) o["account"] = AccountOutput.ToJson(a);
            return o;
        }
        if (results.Count == 1 && unavailable.Count == 0)
        {
            var single = Result(results[0]);
            single["portfolio"] = portfolio;
            single["market"] = market.Source;
            single["valuationTime"] = JsonOutput.Iso(market.ValuationTime);
            return single;
        }
        return new JsonObject
        {
            ["portfolio"] = portfolio,
            ["market"] = market.Source,
            ["valuationTime"] = JsonOutput.Iso(market.ValuationTime),
            ["models"] = new JsonArray([.. results.Select(r => (JsonNode)Result(r))]),
            ["unavailable"] = new JsonArray([.. unavailable.Select(n => (JsonNode)JsonValue.Create(n))]),
        };
    }

    /// <summary>One result as the issue's JSON (every P&amp;L from the account's view, loss &lt; 0).</summary>
    internal static JsonObject Result(MarginResult r) => new()
    {
        ["model"] = r.Model,
        ["currency"] = r.Currency,
        ["initialMargin"] = JsonOutput.Number(r.InitialMargin),
        ["maintenanceMargin"] = JsonOutput.Number(r.MaintenanceMargin),
        ["bindingScenario"] = r.BindingScenario is { } b
            ? new JsonObject
            {
                ["name"] = b.Name,
                ["priceShock"] = JsonOutput.Number(b.PriceShock),
                ["volShock"] = JsonOutput.Number(b.VolShock),
                ["pnl"] = JsonOutput.Number(b.Pnl),
            }
            : null,
        ["addOns"] = new JsonArray([.. r.AddOns.Select(a => (JsonNode)new JsonObject { ["name"] = a.Name, ["amount"] = JsonOutput.Number(a.Amount) })]),
        ["positions"] = new JsonArray([.. r.Positions.Select(p => (JsonNode)new JsonObject
        {
            ["instrument"] = p.Instrument,
            ["size"] = JsonOutput.Number(p.Size),
            ["pnlInBindingScenario"] = p.PnlInBindingScenario is double pnl ? JsonOutput.Number(pnl) : null,
            ["contribution"] = JsonOutput.Number(p.Contribution),
            ["incremental"] = JsonOutput.Number(p.Incremental),
        })]),
        ["notes"] = new JsonArray([.. r.Notes.Select(n => (JsonNode)JsonValue.Create(n))]),
    };

    internal static string N(double x, string currency) =>
        !double.IsFinite(x) ? "n/a" : x.ToString(currency is "USD" or "USDC" or "USDT" ? "N2" : "N6", CultureInfo.InvariantCulture);

    private static void Render(CliConsole console, IReadOnlyList<MarginResult> results, string portfolio, LoadedMarket market, IReadOnlyList<string> unavailable,
        IReadOnlyDictionary<string, AccountView> accounts)
    {
        var t = console.Tables;
        t.WriteLine($"portfolio {portfolio} · market {market.Source} · valuation {JsonOutput.Iso(market.ValuationTime)}");
        foreach (var r in results)
        {
            var summary = new Table().Border(TableBorder.Rounded).AddColumn("").AddColumn(new TableColumn("").LeftAligned()).HideHeaders();
            summary.Title = new TableTitle(Markup.Escape($"{r.Model} · {r.Currency}"));
            summary.AddRow("initial margin", $"[bold]{N(r.InitialMargin, r.Currency)}[/] {Markup.Escape(r.Currency)}");
            summary.AddRow("maintenance margin", $"{N(r.MaintenanceMargin, r.Currency)} {Markup.Escape(r.Currency)}");
            summary.AddRow("binding scenario", r.BindingScenario is { } b
                ? Markup.Escape($"{b.Name}: price {b.PriceShock.ToString("+0.###%;-0.###%;0%", CultureInfo.InvariantCulture)}, vol {b.VolShock.ToString("+0.###%;-0.###%;0%", CultureInfo.InvariantCulture)}, P&L {N(b.Pnl, r.Currency)}")
                : "none (no scenarios in this model)");
            foreach (var a in r.AddOns) summary.AddRow(Markup.Escape("add-on: " + a.Name), N(a.Amount, r.Currency));
            foreach (var note in r.Notes) summary.AddRow("note", Markup.Escape(note));
            t.Write(summary);
            var positions = new Table().Border(TableBorder.Rounded).AddColumn("instrument").AddColumn(new TableColumn("size").RightAligned())
                .AddColumn(new TableColumn("P&L in binding").RightAligned()).AddColumn(new TableColumn("contribution").RightAligned())
                .AddColumn(new TableColumn("incremental").RightAligned());
            foreach (var p in r.Positions)
                positions.AddRow(Markup.Escape(p.Instrument), p.Size.ToString("G", CultureInfo.InvariantCulture),
                    p.PnlInBindingScenario is double pnl ? N(pnl, r.Currency) : "", N(p.Contribution, r.Currency), N(p.Incremental, r.Currency));
            t.Write(positions);
            // the account block after the model's last table (one account view per model, over all its currencies)
            if (accounts.TryGetValue(r.Model, out var account) && !results.Skip(results.ToList().IndexOf(r) + 1).Any(x => x.Model == r.Model))
                AccountOutput.Render(t, account);
        }
        if (unavailable.Count > 0) t.WriteLine($"not available in this build: {string.Join(", ", unavailable)}");
        foreach (var note in market.Notes) console.Error.WriteLine($"note: {note}");
    }
}
