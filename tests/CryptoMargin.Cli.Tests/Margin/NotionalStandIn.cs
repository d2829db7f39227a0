using System.Text.Json;
using CryptoMargin.Instruments;
using CryptoMargin.Margin;
using CryptoMargin.Margin.Scenarios;
using CryptoMargin.MarketData;
using CryptoMargin.Portfolios;

namespace CryptoMargin.Cli.Tests.Margin;

/// <summary>
/// A stand-in margin model for the CLI tests only (the real models are registered at merge): IM = rate × Σ |notional|
/// per margin currency, notional = |q|/F coin for inverse futures (q in USD), |size| coin for inverse options,
/// |size|·F USDC for linear instruments; MM = IM/2; contribution = incremental = rate × notional. With
/// <paramref name="scenario"/>, a binding scenario "down 10%" (price −10%, vol unchanged) whose P&amp;L is the
/// revaluation of every position (<see cref="Revaluation.UnitPnl"/>). The rate is 10%, or <c>rate</c> of the policy file.
/// </summary>
internal sealed class NotionalStandIn(string name, double rate, bool scenario) : IMarginModel
{
    public string Name => name;

    public static Func<string?, IMarginModel> Factory(string name, bool scenario) =>
        policy => new NotionalStandIn(name, policy is null ? 0.1 : JsonDocument.Parse(File.ReadAllText(policy)).RootElement.GetProperty("rate").GetDouble(), scenario);

    public static double Notional(Position p, MarketSnapshot market)
    {
        double f = market.UnderlyingPrice(p.Instrument);
        return p.Instrument switch
        {
            FutureInstrument { IsInverse: true } => Math.Abs(p.Size) / f,
            OptionInstrument { IsInverse: true } => Math.Abs(p.Size),
            _ => Math.Abs(p.Size) * f,
        };
    }

    public static double Pnl(Position p, MarketSnapshot market)
    {
        double f = market.UnderlyingPrice(p.Instrument);
        double t = p.Instrument is OptionInstrument o ? market.YearsTo(o.Expiry) : 0;
        double vol = p.Instrument is OptionInstrument opt ? market.Surface(opt.Currency).ImpliedVolatility(opt.Strike, t) : 0;
        return p.Size * Revaluation.UnitPnl(p.Instrument, f, t, vol, -0.1, vol);
    }

    public IReadOnlyList<MarginResult> Compute(Portfolio portfolio, MarketSnapshot market) =>
        [.. portfolio.Positions.GroupBy(p => p.Instrument.MarginCurrency).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g =>
        {
            double im = rate * g.Sum(p => Notional(p, market));
            var positions = g.Select(p => new PositionMargin(p.Instrument.Name, p.Size, scenario ? Pnl(p, market) : null,
                rate * Notional(p, market), rate * Notional(p, market))).ToList();
            var binding = scenario ? new BindingScenario("down 10%", -0.1, 0, g.Sum(p => Pnl(p, market))) : null;
            return new MarginResult(name, g.Key, im, im / 2, binding, [new MarginAddOn("none", 0)], positions, ["stand-in model for tests"]);
        })];
}
