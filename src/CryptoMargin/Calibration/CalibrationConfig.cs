using CryptoMargin.Margin;
using CryptoMargin.Risk;

namespace CryptoMargin.Calibration;

/// <summary>
/// What calibration searches and the criteria a candidate must meet. Confidence and MPOR are regulatory floors (EMIR
/// RTS 153/2013 Art. 24 and 26: 99% and at least 2 days for OTC-like 24/7 markets). λ applies to normal and t only;
/// other methods get one candidate per lookback with λ = null.
/// </summary>
public sealed record CalibrationConfig
{
    public double Confidence { get; init; } = 0.99;
    public int MporDays { get; init; } = 2;
    public IReadOnlyList<RiskMethod> Methods { get; init; } =
        [RiskMethod.Historical, RiskMethod.FilteredHistorical, RiskMethod.Normal, RiskMethod.StudentT, RiskMethod.Evt];
    public IReadOnlyList<int> LookbackDays { get; init; } = [250, 500, 1000];
    public IReadOnlyList<double> Lambdas { get; init; } = [0.94, 0.97, 0.99];
    /// <summary>APC options to try (each combined with every risk measure).</summary>
    public IReadOnlyList<AntiProcyclicality> ApcOptions { get; init; } =
    [
        new AntiProcyclicality { Buffer = 0.25 },
        new AntiProcyclicality { StressWeight = 0.25 },
        new AntiProcyclicality { Floor = true },
        new AntiProcyclicality { Buffer = 0.25, Floor = true },
        new AntiProcyclicality { StressWeight = 0.25, Floor = true },
    ];
    /// <summary>Speed limit added to every APC option that has none; null = no cap.</summary>
    public double? MaxDailyIncrease { get; init; }
    /// <summary>Procyclicality bound: largest allowed peak-to-trough ratio of the margin on the calibration window; null = none.</summary>
    public double? MaxPeakToTrough { get; init; }
    /// <summary>Procyclicality bound: largest allowed 30-day relative increase; null = none.</summary>
    public double? Max30DayIncrease { get; init; } = 2.0;
    /// <summary>Last fraction of the history held out of the choice (0.30); ignored when HoldoutFrom is set.</summary>
    public double HoldoutFraction { get; init; } = 0.30;
    public DateOnly? HoldoutFrom { get; init; }
    /// <summary>How often the risk engine re-estimates (reported; the risk delegate honours it).</summary>
    public int ReestimationDays { get; init; } = 1;
    /// <summary>Confidence of the measure that calibrates MM/IM (the same measure at a lower confidence).</summary>
    public double MaintenanceConfidence { get; init; } = 0.95;
    /// <summary>MM/IM used when the risk delegate supplies no maintenance series.</summary>
    public double MaintenanceFraction { get; init; } = 0.5;
    public TierSettings Tiers { get; init; } = TierSettings.Default;
    /// <summary>Trailing days of volume averaged into ADV for the tiers.</summary>
    public int VolumeDays { get; init; } = 30;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first setting out of range.</summary>
    public void Validate()
    {
        if (!(Confidence > 0.5 && Confidence < 1)) throw new ArgumentException($"confidence {Confidence} is outside (0.5, 1)", nameof(Confidence));
        if (MporDays < 1) throw new ArgumentException($"mporDays {MporDays} must be ≥ 1", nameof(MporDays));
        if (Methods.Count == 0) throw new ArgumentException("no methods", nameof(Methods));
        if (LookbackDays.Count == 0 || LookbackDays.Any(l => l < 2)) throw new ArgumentException("lookbackDays must be non-empty, each ≥ 2", nameof(LookbackDays));
        if (Lambdas.Any(l => !(l > 0 && l < 1))) throw new ArgumentException("each lambda must be in (0, 1)", nameof(Lambdas));
        if (ApcOptions.Count == 0) throw new ArgumentException("no APC options (use AntiProcyclicality.None for none)", nameof(ApcOptions));
        foreach (var a in ApcOptions) a.Validate();
        if (MaxDailyIncrease is double c && !(c > 0)) throw new ArgumentException($"maxDailyIncrease {c} must be > 0", nameof(MaxDailyIncrease));
        if (MaxPeakToTrough is double p && !(p >= 1)) throw new ArgumentException($"maxPeakToTrough {p} must be ≥ 1", nameof(MaxPeakToTrough));
        if (Max30DayIncrease is double i && !(i > 0)) throw new ArgumentException($"max30DayIncrease {i} must be > 0", nameof(Max30DayIncrease));
        if (!(HoldoutFraction > 0 && HoldoutFraction < 1)) throw new ArgumentException($"holdoutFraction {HoldoutFraction} is outside (0, 1)", nameof(HoldoutFraction));
        if (ReestimationDays < 1) throw new ArgumentException($"reestimationDays {ReestimationDays} must be ≥ 1", nameof(ReestimationDays));
        if (!(MaintenanceConfidence > 0.5 && MaintenanceConfidence <= Confidence))
            throw new ArgumentException($"maintenanceConfidence {MaintenanceConfidence} is outside (0.5, confidence]", nameof(MaintenanceConfidence));
        if (!(MaintenanceFraction > 0 && MaintenanceFraction <= 1)) throw new ArgumentException($"maintenanceFraction {MaintenanceFraction} is outside (0, 1]", nameof(MaintenanceFraction));
        if (VolumeDays < 1) throw new ArgumentException($"volumeDays {VolumeDays} must be ≥ 1", nameof(VolumeDays));
    }
}
