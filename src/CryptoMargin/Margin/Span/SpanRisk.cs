using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using CryptoMargin.Instruments;
using CryptoMargin.Margin.Scenarios;

namespace CryptoMargin.Margin.Span;

/// <summary>
/// SPAN's computational kernels over spans, allocation-free. Sign convention: SPAN's own, a <b>risk array</b> holds
/// losses as positive numbers and gains as negative ones, for one long unit (CME, "Components of SPAN": "losses are
/// represented as positive values, and gains as negative values"). <see cref="SpanMarginModel"/> turns them into
/// account-view P&amp;L (loss &lt; 0) at the edge, in its <see cref="MarginResult"/>.
/// </summary>
public static class SpanRisk
{
    /// <summary>
    /// The risk array of one unit of size (USD for inverse futures, coin otherwise; <see cref="Instrument.SizeUnit"/>)
    /// of <paramref name="instrument"/> over the 16 scenarios, in its margin currency, losses positive:
    /// riskArray[k] = −coverage_k · <see cref="Revaluation.UnitPnl"/>(F, t, σ₀, s_k, σ₀(1 + v_k)), s_k and v_k from
    /// <paramref name="scan"/> (<see cref="SpanScan.PriceShock"/>, <see cref="SpanScan.VolShock"/>); options by full
    /// Black-76 revaluation on the shifted vol, futures and spot in closed form. No time passes.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="riskArray"/> shorter than 16.</exception>
    public static void UnitRiskArray(Instrument instrument, double underlying, double t, double vol, in SpanScan scan, Span<double> riskArray)
    {
        ArgumentNullException.ThrowIfNull(instrument);
        if (riskArray.Length < SpanScenarios.Count)
            throw new ArgumentException($"a risk array holds {SpanScenarios.Count} scenarios, got room for {riskArray.Length}", nameof(riskArray));
        var scenarios = SpanScenarios.Standard;
        // An option's P&L is its value after minus before (Revaluation.UnitPnl); today's value is computed once.
        bool option = instrument is OptionInstrument;
        double value0 = option ? Revaluation.UnitValue(instrument, underlying, t, vol) : 0;
        for (int k = 0; k < SpanScenarios.Count; k++)
        {
            ref readonly var sc = ref scenarios[k];
            double s = scan.PriceShock(sc);
            double v1 = vol * (1 + scan.VolShock(sc));
            double pnl = option
                ? Revaluation.UnitValue(instrument, underlying * (1 + s), t, v1) - value0
                : Revaluation.UnitPnl(instrument, underlying, t, vol, s, v1);
            riskArray[k] = -scan.Coverage(sc) * pnl;
        }
    }

    /// <summary>portfolio[k] += quantity · unit[k]: a position's risk array added to its combined commodity's.</summary>
    public static void Accumulate(Span<double> portfolio, ReadOnlySpan<double> unit, double quantity)
    {
        if (unit.Length != portfolio.Length) throw new ArgumentException($"risk arrays of different lengths ({unit.Length} vs {portfolio.Length})", nameof(unit));
        for (int k = 0; k < portfolio.Length; k++) portfolio[k] += quantity * unit[k];
    }

    /// <summary>
    /// Scanning risk of an account from risk arrays revalued once per instrument (not per position):
    /// book[k] = Σ_j sizes[j] · unitArrays[16·instruments[j] + k], then <see cref="ScanningRisk(ReadOnlySpan{double}, out int)"/>.
    /// <paramref name="unitArrays"/> holds the instruments' unit risk arrays back to back (16 each); <paramref name="book"/>
    /// (16) receives the account's risk array. Allocation-free; four 256-bit accumulators where the CPU has them.
    /// </summary>
    /// <exception cref="ArgumentException">Lengths that do not match, or an instrument index outside the arrays.</exception>
    public static double AccountScanningRisk(ReadOnlySpan<double> unitArrays, ReadOnlySpan<int> instruments, ReadOnlySpan<double> sizes,
        Span<double> book, out int binding)
    {
        const int n = SpanScenarios.Count;
        if (instruments.Length != sizes.Length) throw new ArgumentException($"{instruments.Length} instruments but {sizes.Length} sizes", nameof(sizes));
        if (book.Length != n) throw new ArgumentException($"the account's risk array holds {n} scenarios", nameof(book));
        if (unitArrays.Length % n != 0) throw new ArgumentException($"unit risk arrays come {n} to an instrument", nameof(unitArrays));
        int count = unitArrays.Length / n;
        foreach (int i in instruments)
            if ((uint)i >= (uint)count) throw new ArgumentException($"instrument index {i} outside the {count} risk arrays", nameof(instruments));
        if (Vector256.IsHardwareAccelerated)
        {
            var a0 = Vector256<double>.Zero;
            var a1 = a0;
            var a2 = a0;
            var a3 = a0;
            ref double u = ref System.Runtime.InteropServices.MemoryMarshal.GetReference(unitArrays);
            for (int j = 0; j < instruments.Length; j++)
            {
                var w = Vector256.Create(sizes[j]);
                ref double row = ref Unsafe.Add(ref u, instruments[j] * n);
                a0 += w * Vector256.LoadUnsafe(ref row);
                a1 += w * Vector256.LoadUnsafe(ref row, 4);
                a2 += w * Vector256.LoadUnsafe(ref row, 8);
                a3 += w * Vector256.LoadUnsafe(ref row, 12);
            }
            a0.CopyTo(book);
            a1.CopyTo(book[4..]);
            a2.CopyTo(book[8..]);
            a3.CopyTo(book[12..]);
        }
        else
        {
            book.Clear();
            for (int j = 0; j < instruments.Length; j++) Accumulate(book, unitArrays.Slice(instruments[j] * n, n), sizes[j]);
        }
        return ScanningRisk(book, out binding);
    }

    /// <summary>
    /// Scanning risk: the largest loss of a (combined commodity's) risk array, floored at 0 (a book that gains in
    /// every scenario has no scanning risk); <paramref name="binding"/> is the index of the scenario with the largest
    /// loss (the first on ties).
    /// </summary>
    /// <exception cref="ArgumentException">An empty array.</exception>
    public static double ScanningRisk(ReadOnlySpan<double> riskArray, out int binding)
    {
        if (riskArray.IsEmpty) throw new ArgumentException("empty risk array", nameof(riskArray));
        binding = 0;
        double worst = riskArray[0];
        for (int k = 1; k < riskArray.Length; k++)
            if (riskArray[k] > worst)
            {
                worst = riskArray[k];
                binding = k;
            }
        return Math.Max(worst, 0);
    }

    /// <summary>
    /// Intra-commodity (calendar) spread charge from delta tiers: for each spread in priority order, the matched delta
    /// m = min(|Δ_A|, |Δ_B|) of two tiers whose remaining net deltas have opposite signs is charged
    /// rate · m · <paramref name="valuePerDelta"/>, and both tiers' remaining deltas shrink by m (CME SPAN intra-commodity
    /// spreading: tiers, priorities and a charge per spread, https://www.cmegroup.com/confluence/display/pubspan/Intra+Spreads).
    /// <paramref name="tierDeltas"/> (index = tier − 1) is left holding the unspread deltas; <paramref name="tierCharges"/>
    /// (same length, added to) receives half of each spread's charge on each leg.
    /// </summary>
    /// <returns>The total charge, ≥ 0.</returns>
    public static double IntraCommoditySpreadCharge(Span<double> tierDeltas, IReadOnlyList<SpanTierSpread> spreads, double valuePerDelta, Span<double> tierCharges)
    {
        ArgumentNullException.ThrowIfNull(spreads);
        if (tierCharges.Length != tierDeltas.Length) throw new ArgumentException("one charge per tier", nameof(tierCharges));
        double total = 0;
        for (int i = 0; i < spreads.Count; i++)
        {
            var s = spreads[i];
            int a = s.TierA - 1, b = s.TierB - 1;
            if ((uint)a >= (uint)tierDeltas.Length || (uint)b >= (uint)tierDeltas.Length)
                throw new ArgumentOutOfRangeException(nameof(spreads), $"spread tier {s.TierA} vs {s.TierB}: only {tierDeltas.Length} tiers");
            double da = tierDeltas[a], db = tierDeltas[b];
            if (!(da * db < 0)) continue;
            double m = Math.Min(Math.Abs(da), Math.Abs(db));
            tierDeltas[a] = da - Math.CopySign(m, da);
            tierDeltas[b] = db - Math.CopySign(m, db);
            double charge = s.Rate * m * valuePerDelta;
            tierCharges[a] += charge / 2;
            tierCharges[b] += charge / 2;
            total += charge;
        }
        return total;
    }

    /// <summary>
    /// Inter-commodity spread credit between two combined commodities with opposite-signed net deltas
    /// <paramref name="deltaA"/>, <paramref name="deltaB"/>: spreads n = min(|Δ_A|/r_A, |Δ_B|/r_B) (r the leg ratio),
    /// and each leg is credited rate · n·r · WPR, WPR = price risk / |Δ| its weighted price risk per delta (CME SPAN
    /// weighted-price-risk credit: "a percentage of credit off the top of the full outright margin of the products
    /// that make up the legs", https://www.cmegroup.com/clearing/margins/spread-calc.html).
    /// </summary>
    public static void InterCommodityCredit(double deltaA, double priceRiskA, double ratioA, double deltaB, double priceRiskB, double ratioB,
        double creditRate, out double creditA, out double creditB)
    {
        creditA = creditB = 0;
        if (!(deltaA * deltaB < 0) || !(ratioA > 0) || !(ratioB > 0)) return;
        double n = Math.Min(Math.Abs(deltaA) / ratioA, Math.Abs(deltaB) / ratioB);
        creditA = creditRate * n * ratioA * Math.Max(priceRiskA, 0) / Math.Abs(deltaA);
        creditB = creditRate * n * ratioB * Math.Max(priceRiskB, 0) / Math.Abs(deltaB);
    }
}
