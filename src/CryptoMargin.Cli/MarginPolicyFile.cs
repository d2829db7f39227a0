using System.Text.Json;
using CryptoMargin.Calibration.Grid;
using CryptoMargin.Data.Policies;
using CryptoMargin.Margin;
using CryptoMargin.Margin.Accounts;
using CryptoMargin.Margin.DeribitPm;
using CryptoMargin.Margin.Greeks;
using CryptoMargin.Margin.Span;
using CryptoMargin.Margin.Tiered;
using CryptoMargin.MarketData;

namespace CryptoMargin.Cli;

/// <summary>
/// What a <c>--policy</c> file gives the portfolio margin models. Three kinds are recognised by their top-level field:
/// <list type="bullet">
/// <item><c>{"grid": …}</c> as <c>calibrate-grid</c> writes: per coin the calibrated price range and the fitted vol
/// shock law k·(30/DTE)^p → SPAN's price scan ranges, Deribit-PM's per-coin <c>price_range</c>,
/// <c>volatility_range_up/down</c> and vega powers ("Deribit-PM calibrated"), the Greeks model's price ranges and vol shock;</item>
/// <item><c>{"deribitPm": {…}}</c>: Deribit-PM parameters under Deribit's own names (<c>price_range</c>, <c>mm_factor</c>, …);</item>
/// <item>a calibrated futures policy (<c>calibrate</c>'s <c>policy.json</c>, one or <c>{"policies": […]}</c>): each asset's
/// IM rate becomes SPAN's price scan range and the Greeks model's price range.</item>
/// </list>
/// Beside <c>grid</c> or <c>deribitPm</c> (or alone), a file may hold the account sections <c>collateral</c> (segregated or
/// cross, haircut tiers: the account view) and <c>tiered</c> (the tiered model's rates, brackets, open-interest caps and
/// open notional), read by <see cref="AccountPolicyJson"/>; a file with either refuses other top-level fields.
/// No file: each model's published defaults, segregated accounts.
/// </summary>
internal sealed class MarginPolicyFile
{
    private MarginPolicyFile(GridPolicy? grid, DeribitPmParameters? deribitPm, IReadOnlyList<MarginPolicy>? policies, AccountPolicySections? account = null, string? path = null)
    {
        Grid = grid;
        DeribitPmSection = deribitPm;
        Policies = policies;
        Account = account;
        Path = path;
    }

    private AccountPolicySections? Account { get; }

    /// <summary>The file read (null: no file).</summary>
    public string? Path { get; }

    /// <summary>The <c>collateral</c> section, or segregated accounts without haircuts.</summary>
    public CollateralPolicy Collateral => Account?.Collateral ?? CollateralPolicy.Segregated;

    /// <summary>
    /// Only the <c>collateral</c> section of a policy file (segregated when there is no file or no such section), without
    /// reading the models' sections: the account view needs nothing else.
    /// </summary>
    public static CollateralPolicy CollateralOf(string? path)
    {
        if (path is null) return CollateralPolicy.Segregated;
        byte[] bytes;
        try { bytes = File.ReadAllBytes(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DataValidationException($"cannot read the policy file: {e.Message}", file: path);
        }
        using var doc = Parse(bytes, path);
        return AccountPolicyJson.HasSections(doc.RootElement) ? AccountPolicyJson.Read(path).Collateral ?? CollateralPolicy.Segregated : CollateralPolicy.Segregated;
    }

    /// <summary>The tiered model: the <c>tiered</c> section with its open notional, else Deribit's published rates.</summary>
    public TieredMarginModel Tiered() => new(Account?.Tiered, Account?.OpenNotional);

    public GridPolicy? Grid { get; }

    /// <summary>The mapping of an in-memory grid policy (as a <c>{"grid": …}</c> file would give), e.g. calibrate-grid's own result.</summary>
    public static MarginPolicyFile FromGrid(GridPolicy grid)
    {
        ArgumentNullException.ThrowIfNull(grid);
        return new(grid, null, null);
    }
    private DeribitPmParameters? DeribitPmSection { get; }
    public IReadOnlyList<MarginPolicy>? Policies { get; }

    private static readonly JsonSerializerOptions Strict = new() { UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow };

    /// <exception cref="DataValidationException">An unreadable file or a section that does not parse (names the file and field).</exception>
    public static MarginPolicyFile Load(string? path)
    {
        if (path is null) return new(null, null, null);
        byte[] bytes;
        try { bytes = File.ReadAllBytes(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DataValidationException($"cannot read the policy file: {e.Message}", file: path);
        }
        using var doc = Parse(bytes, path);
        var root = doc.RootElement;
        if (root.ValueKind != JsonValueKind.Object) throw new DataValidationException("a policy file is a JSON object", file: path, line: 1);
        var account = AccountPolicyJson.HasSections(root) ? AccountPolicyJson.Read(path) : null;
        if (root.TryGetProperty("grid", out _)) return new(GridPolicyJson.Read(path), null, null, account, path);
        if (root.TryGetProperty("deribitPm", out var pm))
        {
            DeribitPmParameters? p;
            try { p = pm.Deserialize<DeribitPmParameters>(Strict); }
            catch (JsonException e) { throw new DataValidationException($"deribitPm section: {e.Message}", file: path, field: "deribitPm"); }
            if (p is null) throw new DataValidationException("deribitPm section is null", file: path, field: "deribitPm");
            try { p.Validate(); }
            catch (DataValidationException e) { throw e.At(path); }
            return new(null, p, null, account, path);
        }
        if (account is not null) return new(null, null, null, account, path);
        return new(null, null, PolicyJson.ReadAll(path), null, path);
    }

    private static JsonDocument Parse(byte[] bytes, string path)
    {
        try { return JsonDocument.Parse(bytes); }
        catch (JsonException e) { throw new DataValidationException($"not valid JSON: {e.Message}", file: path, line: (int?)e.LineNumber + 1); }
    }

    /// <summary>SPAN parameters: scan ranges from a grid or calibrated policies; null = defaults.</summary>
    public SpanParameters? Span()
    {
        if (Policies is { } list) return new SpanParameters().WithPolicies(list);
        if (Grid is { } g)
            return new SpanParameters
            {
                PriceScanRanges = g.Coins.ToDictionary(c => c.Underlying, c => c.PriceRange),
                VolScanUp = g.Coins.Max(c => c.VolUp.Law.K),
                VolScanDown = g.Coins.Max(c => c.VolDown.Law.K),
            };
        return null;
    }

    /// <summary>
    /// The Deribit-PM model: the <c>deribitPm</c> section, or from a grid each coin's own calibrated price range and
    /// vol-shock law (k·(30/DTE)^p up and down) on top of Deribit's other published values; no file: Deribit's values.
    /// </summary>
    public DeribitPortfolioMargin DeribitPm()
    {
        if (DeribitPmSection is { } p) return new DeribitPortfolioMargin(p);
        if (Grid is { } g)
            return new DeribitPortfolioMargin(null, g.Coins.ToDictionary(c => c.Underlying, c => new DeribitPmParameters
            {
                PriceRange = c.PriceRange,
                VolatilityRangeUp = c.VolUp.Law.K,
                VolatilityRangeDown = c.VolDown.Law.K,
                ShortTermVegaPower = c.VolUp.Law.PShort,
                LongTermVegaPower = c.VolUp.Law.PLong,
            }));
        return new DeribitPortfolioMargin();
    }

    /// <summary>Greeks-model parameters: price ranges per coin and the vol shock law from a grid or calibrated policies; null = defaults.</summary>
    public GreeksMarginParameters? Greeks()
    {
        if (Policies is { } list)
            return new GreeksMarginParameters { PriceRangeByCurrency = list.ToDictionary(p => p.Asset, p => p.InitialMarginRate) };
        if (Grid is { } g)
            return new GreeksMarginParameters
            {
                PriceRangeByCurrency = g.Coins.ToDictionary(c => c.Underlying, c => c.PriceRange),
                VolShock = g.Coins.Max(c => c.VolUp.Law.K),
                VolPowerShort = g.Coins.Max(c => c.VolUp.Law.PShort),
                VolPowerLong = g.Coins.Max(c => c.VolUp.Law.PLong),
            };
        return null;
    }
}
