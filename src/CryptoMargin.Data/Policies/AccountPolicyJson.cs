using System.Text.Json;
using CryptoMargin.Instruments;
using CryptoMargin.Margin.Accounts;
using CryptoMargin.Margin.Tiered;
using CryptoMargin.MarketData;

namespace CryptoMargin.Data.Policies;

/// <summary>The account-level sections of a policy file: <c>collateral</c> and <c>tiered</c> (null where absent).</summary>
/// <param name="Collateral">The collateral mode and haircuts.</param>
/// <param name="Tiered">The tiered model's parameters.</param>
/// <param name="OpenNotional">Market open notional (USD) by instrument name or coin, for the tiered model's open-interest scaling.</param>
public sealed record AccountPolicySections(CollateralPolicy? Collateral, TieredMarginParameters? Tiered, IReadOnlyDictionary<string, double> OpenNotional);

/// <summary>
/// Reads the <c>collateral</c> and <c>tiered</c> sections of a policy file (beside <c>grid</c> or <c>deribitPm</c>):
/// <code>
/// {"collateral": {"mode": "segregated" | "cross", "tierUnit": "usd" | "coin",
///                 "haircuts": {"BTC": [{"upTo": 100000000, "haircut": 0}, {"upTo": 120000000, "haircut": 0.025}, {"haircut": 0.05}]}},
///  "tiered": {"futures": {"BTC": {"initialBase": 0.02, "initialPerCoin": 0.00005, "maintenanceBase": 0.01, "maintenancePerCoin": 0.00005}},
///             "options": {"shortInitialBase": 0.15, "shortInitialFloor": 0.1, "shortMaintenance": 0.075, "chargeLongPremium": true},
///             "maintenanceBrackets": {"BTC": {"floors": [0, 50000, 250000], "rates": [0.004, 0.005, 0.01]}},
///             "openInterest": {"BTC": {"lowerCap": 40000000, "upperCap": 100000000}},
///             "openNotional": {"BTC-PERPETUAL": 1.2e9}}}
/// </code>
/// Haircut tiers: <c>upTo</c> the tier's upper bound in <c>tierUnit</c> (USD value by default, or the asset's amount),
/// strictly increasing, omitted only on the last tier (unbounded; a bounded last tier counts nothing above it);
/// <c>haircut</c> in [0, 1], not decreasing. <c>tiered.futures</c> replaces Deribit's published rates when given
/// (coins not listed cannot then be margined); <c>options</c> fields default to Deribit's. Unknown fields, wrong types,
/// out-of-range values are <see cref="DataValidationException"/>s naming file, line and field path.
/// </summary>
public static class AccountPolicyJson
{
    /// <summary>The top-level fields a policy file with a <c>collateral</c> or <c>tiered</c> section may hold.</summary>
    public static IReadOnlyList<string> TopFields { get; } = ["grid", "deribitPm", "collateral", "tiered"];

    private static readonly string[] CollateralFields = ["mode", "tierUnit", "haircuts"];
    private static readonly string[] TierFields = ["upTo", "haircut"];
    private static readonly string[] TieredFields = ["futures", "options", "maintenanceBrackets", "openInterest", "openNotional"];
    private static readonly string[] FuturesFields = ["initialBase", "initialPerCoin", "maintenanceBase", "maintenancePerCoin"];
    private static readonly string[] OptionFields = ["shortInitialBase", "shortInitialFloor", "shortMaintenance", "chargeLongPremium"];
    private static readonly string[] BracketFields = ["floors", "rates"];
    private static readonly string[] CapFields = ["lowerCap", "upperCap"];

    /// <summary>True when the file's root holds a <c>collateral</c> or <c>tiered</c> section.</summary>
    public static bool HasSections(JsonElement root) =>
        root.ValueKind == JsonValueKind.Object && (root.TryGetProperty("collateral", out _) || root.TryGetProperty("tiered", out _));

    /// <summary>Reads both sections of the policy file at <paramref name="path"/>.</summary>
    public static AccountPolicySections Read(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var source = JsonSource.Load(path);
        return Parse(source);
    }

    /// <summary>Reads both sections of a policy document; <paramref name="displayName"/> names it in messages.</summary>
    public static AccountPolicySections Read(byte[] bytes, string displayName)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        using var source = JsonSource.Parse(bytes, displayName);
        return Parse(source);
    }

    private static AccountPolicySections Parse(JsonSource s)
    {
        s.OnlyKnown(s.Root, "", [.. TopFields]);
        var collateral = s.Has(s.Root, "collateral") ? Collateral(s, s.Object(s.Root, "", "collateral")) : null;
        TieredMarginParameters? tiered = null;
        IReadOnlyDictionary<string, double> open = new Dictionary<string, double>();
        if (s.Has(s.Root, "tiered")) (tiered, open) = Tiered(s, s.Object(s.Root, "", "tiered"));
        return new AccountPolicySections(collateral, tiered, open);
    }

    private static CollateralPolicy Collateral(JsonSource s, JsonElement c)
    {
        const string at = "collateral";
        s.OnlyKnown(c, at, CollateralFields);
        var mode = (s.OptionalString(c, at, "mode") ?? "segregated") switch
        {
            "segregated" => CollateralMode.Segregated,
            "cross" => CollateralMode.Cross,
            var m => throw s.Error("collateral.mode", $"'{m}' is neither \"segregated\" nor \"cross\""),
        };
        var unit = (s.OptionalString(c, at, "tierUnit") ?? "usd") switch
        {
            "usd" => HaircutTierUnit.Usd,
            "coin" => HaircutTierUnit.Coin,
            var u => throw s.Error("collateral.tierUnit", $"'{u}' is neither \"usd\" (tier bounds in USD value) nor \"coin\" (in the asset's amount)"),
        };
        var haircuts = new SortedDictionary<string, HaircutSchedule>(StringComparer.Ordinal);
        if (s.Has(c, "haircuts"))
            foreach (var asset in s.Object(c, at, "haircuts").EnumerateObject())
            {
                string path = JsonSource.Path("collateral.haircuts", asset.Name);
                if (!IsCurrency(asset.Name)) throw s.Error(path, $"'{asset.Name}' is not an asset (2–10 capital letters)");
                if (asset.Value.ValueKind != JsonValueKind.Array)
                    throw s.Error(path, "expected an array of tiers [{\"upTo\": …, \"haircut\": …}, …]");
                var tiers = new List<HaircutTier>();
                int i = 0;
                foreach (var t in asset.Value.EnumerateArray())
                {
                    string tp = $"{path}[{i}]";
                    if (t.ValueKind != JsonValueKind.Object) throw s.Error(tp, "expected an object {\"upTo\": …, \"haircut\": …}");
                    s.OnlyKnown(t, tp, TierFields);
                    double h = s.Number(t, tp, "haircut", x => x >= 0 && x <= 1, "[0, 1] (a fraction of the value: 0.02 = 2 %)");
                    double? upTo = s.OptionalNumber(t, tp, "upTo", x => x > 0, "(0, ∞)");
                    tiers.Add(new HaircutTier(upTo, h));
                    i++;
                }
                try { haircuts[asset.Name] = new HaircutSchedule(tiers, unit); }
                catch (DataValidationException e) { throw s.Error(path + (e.Field ?? "haircuts")["haircuts".Length..], e.Reason); }
            }
        return new CollateralPolicy { Mode = mode, Haircuts = haircuts };
    }

    private static (TieredMarginParameters, IReadOnlyDictionary<string, double>) Tiered(JsonSource s, JsonElement t)
    {
        const string at = "tiered";
        s.OnlyKnown(t, at, TieredFields);
        var defaults = TieredMarginParameters.Deribit;
        IReadOnlyDictionary<string, FuturesMarginRates> futures = defaults.Futures;
        if (s.Has(t, "futures"))
        {
            var map = new SortedDictionary<string, FuturesMarginRates>(StringComparer.Ordinal);
            foreach (var coin in s.Object(t, at, "futures").EnumerateObject())
            {
                string p = Coin(s, "tiered.futures", coin.Name);
                if (coin.Value.ValueKind != JsonValueKind.Object) throw s.Error(p, "expected an object {initialBase, initialPerCoin, maintenanceBase, maintenancePerCoin}");
                s.OnlyKnown(coin.Value, p, FuturesFields);
                map[coin.Name] = new FuturesMarginRates(
                    s.Number(coin.Value, p, "initialBase", Rate, "[0, 1]"),
                    s.Number(coin.Value, p, "initialPerCoin", x => x >= 0, "[0, ∞)"),
                    s.Number(coin.Value, p, "maintenanceBase", Rate, "[0, 1]"),
                    s.Number(coin.Value, p, "maintenancePerCoin", x => x >= 0, "[0, ∞)"));
                if (map[coin.Name].MaintenanceBase > map[coin.Name].InitialBase)
                    throw s.Error(JsonSource.Path(p, "maintenanceBase"), $"{JsonSource.Format(map[coin.Name].MaintenanceBase)} is above initialBase {JsonSource.Format(map[coin.Name].InitialBase)} (maintenance must not exceed initial)");
                if (map[coin.Name].MaintenancePerCoin > map[coin.Name].InitialPerCoin)
                    throw s.Error(JsonSource.Path(p, "maintenancePerCoin"), $"{JsonSource.Format(map[coin.Name].MaintenancePerCoin)} is above initialPerCoin {JsonSource.Format(map[coin.Name].InitialPerCoin)} (maintenance must not exceed initial)");
            }
            futures = map;
        }
        var options = defaults.Options;
        if (s.Has(t, "options"))
        {
            var o = s.Object(t, at, "options");
            const string op = "tiered.options";
            s.OnlyKnown(o, op, OptionFields);
            options = new OptionMarginRates(
                s.OptionalNumber(o, op, "shortInitialBase", Rate, "[0, 1]") ?? options.ShortInitialBase,
                s.OptionalNumber(o, op, "shortInitialFloor", Rate, "[0, 1]") ?? options.ShortInitialFloor,
                s.OptionalNumber(o, op, "shortMaintenance", Rate, "[0, 1]") ?? options.ShortMaintenance,
                s.Boolean(o, op, "chargeLongPremium", options.ChargeLongPremium));
        }
        var brackets = new SortedDictionary<string, MaintenanceBrackets>(StringComparer.Ordinal);
        if (s.Has(t, "maintenanceBrackets"))
            foreach (var coin in s.Object(t, at, "maintenanceBrackets").EnumerateObject())
            {
                string p = Coin(s, "tiered.maintenanceBrackets", coin.Name);
                if (coin.Value.ValueKind != JsonValueKind.Object) throw s.Error(p, "expected an object {floors: [...], rates: [...]}");
                s.OnlyKnown(coin.Value, p, BracketFields);
                var floors = Numbers(s, s.Array(coin.Value, p, "floors"), JsonSource.Path(p, "floors"), x => x >= 0, "[0, ∞)");
                var rates = Numbers(s, s.Array(coin.Value, p, "rates"), JsonSource.Path(p, "rates"), Rate, "[0, 1]");
                try { brackets[coin.Name] = new MaintenanceBrackets(floors, rates); }
                catch (DataValidationException e) { throw s.Error(p, e.Reason); }
            }
        var caps = new SortedDictionary<string, OpenInterestScaling>(StringComparer.Ordinal);
        if (s.Has(t, "openInterest"))
            foreach (var coin in s.Object(t, at, "openInterest").EnumerateObject())
            {
                string p = Coin(s, "tiered.openInterest", coin.Name);
                if (coin.Value.ValueKind != JsonValueKind.Object) throw s.Error(p, "expected an object {lowerCap, upperCap} (USD open notional)");
                s.OnlyKnown(coin.Value, p, CapFields);
                double lower = s.Number(coin.Value, p, "lowerCap", x => x >= 0, "[0, ∞)");
                double upper = s.Number(coin.Value, p, "upperCap", x => x > lower, $"({JsonSource.Format(lower)} = lowerCap, ∞)");
                caps[coin.Name] = new OpenInterestScaling(lower, upper);
            }
        var open = new SortedDictionary<string, double>(StringComparer.Ordinal);
        if (s.Has(t, "openNotional"))
            foreach (var entry in s.Object(t, at, "openNotional").EnumerateObject())
            {
                string p = JsonSource.Path("tiered.openNotional", entry.Name);
                bool isFuture = Instrument.TryParse(entry.Name, out var ins, out _) && ins is FutureInstrument;
                if (!isFuture && !IsCurrency(entry.Name))
                    throw s.Error(p, $"'{entry.Name}' is neither a future/perpetual name (BTC-PERPETUAL) nor a coin (BTC)");
                open[entry.Name] = s.CheckNumber(entry.Value, p, x => x >= 0, "[0, ∞) (USD open notional)");
            }
        var parameters = new TieredMarginParameters { Futures = futures, Options = options, MaintenanceBrackets = brackets, OpenInterest = caps };
        try { parameters.Validate(); }
        catch (DataValidationException e) { throw s.Error(e.Field ?? at, e.Reason); }
        return (parameters, open);
    }

    private static bool Rate(double x) => x >= 0 && x <= 1;

    /// <summary>2–10 capital letters (the rule <see cref="Instrument.Parse"/> applies to a currency).</summary>
    private static bool IsCurrency(string name) => Instrument.TryParse(name + "_XX", out var i, out _) && i is SpotInstrument && i.Currency == name;

    private static string Coin(JsonSource s, string parent, string name)
    {
        string p = JsonSource.Path(parent, name);
        if (!IsCurrency(name)) throw s.Error(p, $"'{name}' is not a coin (2–10 capital letters)");
        return p;
    }

    private static List<double> Numbers(JsonSource s, JsonElement array, string path, Func<double, bool> valid, string range)
    {
        var list = new List<double>();
        int i = 0;
        foreach (var v in array.EnumerateArray()) list.Add(s.CheckNumber(v, $"{path}[{i++}]", valid, range));
        return list;
    }
}
