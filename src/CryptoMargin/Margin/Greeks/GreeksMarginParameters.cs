using CryptoMargin.MarketData;

namespace CryptoMargin.Margin.Greeks;

/// <summary>
/// Parameters of <see cref="GreeksMarginModel"/>. Defaults: price range ±10% and vol shock 38%·(30/DTE)^0.30, the
/// parameters Deribit's portfolio-margin page lists ("maximum price move of +/- 10.00%", "maximum implied volatility
/// change of (30/days to expiration)^0.30*38.00%", https://www.deribit.com/pages/docs/portfoliomargin; Deribit may
/// change them without notice); BTC–ETH correlation 0.81, the correlation of daily log returns of the shipped
/// <c>samples/data/btc-usd-daily.csv</c> and <c>eth-usd-daily.csv</c> over the last five years of the files
/// (closes 2020-11-20 … 2025-11-20, 1,826 returns: 0.810; the last three years give 0.799, the whole overlap since 2015 0.612).
/// </summary>
public sealed record GreeksMarginParameters
{
    /// <summary>Relative price move R of every underlying (0.10 = ±10%), unless <see cref="PriceRangeByCurrency"/> names the coin.</summary>
    public double PriceRange { get; init; } = 0.10;

    /// <summary>Per-coin price ranges overriding <see cref="PriceRange"/> (e.g. a wider one for ETH).</summary>
    public IReadOnlyDictionary<string, double> PriceRangeByCurrency { get; init; } = new Dictionary<string, double>();

    /// <summary>Relative implied-vol shock V at 30 days: an option with DTE days to expiry has its vol moved by ±V·(30/DTE)^p relative (+0.38 = ×1.38).</summary>
    public double VolShock { get; init; } = 0.38;

    /// <summary>The term exponent p below 30 days to expiry.</summary>
    public double VolPowerShort { get; init; } = 0.30;

    /// <summary>The term exponent p at and beyond 30 days to expiry.</summary>
    public double VolPowerLong { get; init; } = 0.30;

    /// <summary>Days to expiry are floored here in the term law (an option hours from expiry would otherwise get an unbounded shock).</summary>
    public double MinDaysToExpiry { get; init; } = 1;

    /// <summary>The largest relative vol fall (0.9: never below 10% of the current vol), so a scaled down-shock never makes vol negative.</summary>
    public double MaxVolDown { get; init; } = 0.9;

    /// <summary>Multiplier of the SIMM-like curvature charge (0 switches it off).</summary>
    public double CurvatureScale { get; init; } = 1;

    /// <summary>MM = factor × IM.</summary>
    public double MaintenanceFactor { get; init; } = 0.8;

    /// <summary>Correlation of BTC and ETH price moves in the cross-underlying aggregation.</summary>
    public double BtcEthCorrelation { get; init; } = 0.81;

    /// <summary>Correlation used for any other pair of underlyings (1: no diversification where none was estimated).</summary>
    public double OtherCorrelation { get; init; } = 1;

    /// <summary>The price range of a coin.</summary>
    public double PriceRangeOf(string currency) => PriceRangeByCurrency.TryGetValue(currency, out var r) ? r : PriceRange;

    /// <summary>The correlation of two underlyings (1 for a coin with itself).</summary>
    public double Correlation(string a, string b) =>
        a == b ? 1
        : (a, b) is ("BTC", "ETH") or ("ETH", "BTC") ? BtcEthCorrelation
        : OtherCorrelation;

    /// <summary>The relative vol-shock multiplier (30/DTE)^p of an expiry <paramref name="t"/> years away.</summary>
    public double TermScale(double t)
    {
        double days = Math.Max(t * 365.0, MinDaysToExpiry);
        return Math.Pow(30.0 / days, days < 30 ? VolPowerShort : VolPowerLong);
    }

    /// <exception cref="DataValidationException">A parameter out of its range; the field names it.</exception>
    public void Validate()
    {
        Check(PriceRange > 0 && PriceRange < 1, nameof(PriceRange), PriceRange, "must be in (0, 1)");
        foreach (var (coin, r) in PriceRangeByCurrency)
            Check(r > 0 && r < 1, nameof(PriceRangeByCurrency) + "." + coin, r, "must be in (0, 1)");
        Check(VolShock >= 0 && double.IsFinite(VolShock), nameof(VolShock), VolShock, "must be ≥ 0");
        Check(VolPowerShort >= 0 && VolPowerShort <= 2, nameof(VolPowerShort), VolPowerShort, "must be in [0, 2]");
        Check(VolPowerLong >= 0 && VolPowerLong <= 2, nameof(VolPowerLong), VolPowerLong, "must be in [0, 2]");
        Check(MinDaysToExpiry > 0 && double.IsFinite(MinDaysToExpiry), nameof(MinDaysToExpiry), MinDaysToExpiry, "must be positive");
        Check(MaxVolDown > 0 && MaxVolDown < 1, nameof(MaxVolDown), MaxVolDown, "must be in (0, 1)");
        Check(CurvatureScale >= 0 && double.IsFinite(CurvatureScale), nameof(CurvatureScale), CurvatureScale, "must be ≥ 0");
        Check(MaintenanceFactor > 0 && MaintenanceFactor <= 1, nameof(MaintenanceFactor), MaintenanceFactor, "must be in (0, 1]");
        Check(BtcEthCorrelation >= -1 && BtcEthCorrelation <= 1, nameof(BtcEthCorrelation), BtcEthCorrelation, "must be in [−1, 1]");
        Check(OtherCorrelation >= -1 && OtherCorrelation <= 1, nameof(OtherCorrelation), OtherCorrelation, "must be in [−1, 1]");
    }

    private static void Check(bool ok, string field, double value, string what)
    {
        if (!ok) throw new DataValidationException($"greeks margin parameter {field} = {value} {what}", field: field);
    }
}
