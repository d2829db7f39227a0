using System.Numerics;
using System.Runtime.InteropServices;
using CryptoMargin.Instruments;
using CryptoMargin.MarketData;
using CryptoMargin.Margin.Scenarios;
using CryptoMargin.Pricing;

namespace CryptoMargin.Margin.DeribitPm;

/// <summary>
/// Per-instrument revaluation over the Deribit-style grid (<see cref="DeribitPmScenarios"/>) with the conventions of
/// <see cref="Revaluation"/> (inverse future (q/F₀)(1 − 1/(1+s)), linear q·F₀·s, inverse option C/F in coin, linear
/// option C), and the account-level sum of size × vector. Both kernels are allocation-free.
/// </summary>
public static class DeribitPmRiskVectors
{
    /// <summary>
    /// Fills the per-unit P&amp;L of an instrument: <paramref name="standard"/> over the standard grid (length
    /// <see cref="DeribitPmParameters.StandardScenarioCount"/>) and <paramref name="extended"/> over the extended moves
    /// (vol up, unweighted; length = extended_moves). <paramref name="underlying"/> F₀, <paramref name="t"/> years to expiry,
    /// <paramref name="vol0"/> the option's implied vol (ignored for other instruments). Allocation-free.
    /// </summary>
    public static void Fill(Instrument instrument, double underlying, double t, double vol0, DeribitPmParameters parameters,
        Span<double> standard, Span<double> extended)
    {
        int n = parameters.StandardScenarioCount;
        if (standard.Length < n) throw new ArgumentException($"standard has {standard.Length} slots, the grid has {n} scenarios", nameof(standard));
        var moves = parameters.ExtendedMoves;
        if (extended.Length < moves.Count) throw new ArgumentException($"extended has {extended.Length} slots, the grid has {moves.Count} extended moves", nameof(extended));
        if (instrument is OptionInstrument)
        {
            double dte = t * 365;
            int vs = parameters.VolScenariosCount;
            Span<double> vol1 = stackalloc double[3];
            for (int v = 0; v < vs; v++)
                vol1[v] = DeribitPmScenarios.ShockedVolatility(vol0, dte, DeribitPmScenarios.VolScenarioAt(v, parameters), parameters);
            // P&L = value after − value before (Revaluation.UnitValue: C/F in coin for inverse, C for linear), the
            // same figure as Revaluation.UnitPnl with the starting value priced once instead of once per scenario.
            double value0 = Revaluation.UnitValue(instrument, underlying, t, vol0);
            for (int j = 0; j < n; j++)
                standard[j] = Revaluation.UnitValue(instrument, underlying * (1 + DeribitPmScenarios.StandardPriceShock(j, parameters)), t, vol1[j % vs]) - value0;
            double up = DeribitPmScenarios.ShockedVolatility(vol0, dte, VolScenario.Up, parameters);
            for (int e = 0; e < moves.Count; e++)
                extended[e] = Revaluation.UnitValue(instrument, underlying * (1 + moves[e]), t, up) - value0;
        }
        else
        {
            for (int j = 0; j < n; j++)
                standard[j] = Revaluation.UnitPnl(instrument, underlying, 0, 0, DeribitPmScenarios.StandardPriceShock(j, parameters), 0);
            for (int e = 0; e < moves.Count; e++)
                extended[e] = Revaluation.UnitPnl(instrument, underlying, 0, 0, moves[e], 0);
        }
    }

    /// <summary>
    /// The risk vector of one instrument on a market snapshot.
    /// </summary>
    /// <exception cref="DataValidationException">The snapshot cannot value the instrument (expired, no price, no vol); the reason names it.</exception>
    public static InstrumentRiskVector Compute(Instrument instrument, MarketSnapshot market, DeribitPmParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(instrument);
        ArgumentNullException.ThrowIfNull(market);
        ArgumentNullException.ThrowIfNull(parameters);
        string name = instrument.Name;
        double t = 0;
        DateTimeOffset? expiry = instrument switch
        {
            OptionInstrument o => o.Expiry,
            FutureInstrument f => f.Expiry,
            _ => null,
        };
        if (expiry is { } x)
        {
            t = market.YearsTo(x);
            if (!(t > 0))
                throw new DataValidationException($"{name} expired at {x:yyyy-MM-dd HH:mm}Z, before the snapshot's valuation time {market.ValuationTime:yyyy-MM-dd HH:mm}Z", field: "instrument");
        }
        double f0, index;
        try
        {
            f0 = market.UnderlyingPrice(instrument);
            index = market.Index(instrument.Currency);
        }
        catch (DataValidationException ex)
        {
            throw new DataValidationException($"{name}: {ex.Reason}", field: ex.Field ?? "instrument", inner: ex);
        }
        if (!(f0 > 0 && double.IsFinite(f0)))
            throw new DataValidationException($"{name}: underlying price {f0} is not positive and finite", field: "instrument");
        if (!(index > 0 && double.IsFinite(index)))
            throw new DataValidationException($"{name}: index price of {instrument.Currency} {index} is not positive and finite", field: "index");

        double vol = double.NaN, delta, underlyingValue;
        if (instrument is OptionInstrument option)
        {
            try
            {
                vol = market.Surface(option.Currency).ImpliedVolatility(option.Strike, t);
            }
            catch (DataValidationException ex)
            {
                throw new DataValidationException($"{name}: {ex.Reason}", field: ex.Field ?? "surface", inner: ex);
            }
            if (!(vol > 0 && double.IsFinite(vol)))
                throw new DataValidationException($"{name}: no usable implied vol for strike {option.Strike} at {t:0.####} years (surface gave {vol})", field: "surface");
            var g = Black76.Greeks(f0, option.Strike, t, vol, option.Type);
            // Deribit's delta_total uses the "net transaction delta" of inverse options: Black–Scholes delta − mark in coin
            // (Deribit API schema, field delta_total).
            delta = option.IsInverse ? g.Delta - g.Price / f0 : g.Delta;
            underlyingValue = option.IsInverse ? 1 : index;
        }
        else if (instrument is FutureInstrument { IsInverse: true })
        {
            delta = 1 / f0;
            underlyingValue = 1 / f0;
        }
        else
        {
            delta = 1;
            underlyingValue = f0;
        }

        var standard = new double[parameters.StandardScenarioCount];
        var extended = new double[parameters.ExtendedMoves.Count];
        Fill(instrument, f0, t, vol, parameters, standard, extended);

        double roll = 0, rollUp = 0, rollDown = 0;
        if (instrument is FutureInstrument { IsPerpetual: false })
        {
            // Roll (basis) shock, our assumption (Deribit publishes no formula): a dated future's basis to the perpetual
            // moves by annualised_move_risk × years to expiry, at least min_annualised_move.
            roll = Math.Max(parameters.MinAnnualisedMove, parameters.AnnualisedMoveRisk * t);
            rollUp = Revaluation.UnitPnl(instrument, f0, 0, 0, roll, 0);
            rollDown = Revaluation.UnitPnl(instrument, f0, 0, 0, -roll, 0);
        }
        return new InstrumentRiskVector(instrument, f0, index, t, vol, standard, extended, delta, roll, rollUp, rollDown, underlyingValue);
    }

    /// <summary>
    /// An account's scenario P&amp;L from a table of per-instrument vectors: <paramref name="total"/> = Σₖ sizes[k] ×
    /// row instruments[k] of <paramref name="vectors"/> (rows of <paramref name="width"/> entries, e.g. 27 standard + 8
    /// extended, laid out one instrument after another). The real-time engine's kernel: revalue each instrument once per
    /// tick, then every account is a sparse sum. Returns the smallest entry (the worst scenario's P&amp;L). Allocation-free.
    /// </summary>
    public static double AccountScenarioPnl(ReadOnlySpan<double> vectors, int width, ReadOnlySpan<int> instruments,
        ReadOnlySpan<double> sizes, Span<double> total)
    {
        if (width <= 0 || total.Length < width) throw new ArgumentException($"total has {total.Length} slots for rows of width {width}", nameof(total));
        if (instruments.Length != sizes.Length) throw new ArgumentException($"{instruments.Length} instruments but {sizes.Length} sizes", nameof(sizes));
        var row = total[..width];
        row.Clear();
        for (int k = 0; k < instruments.Length; k++)
            Accumulate(vectors.Slice(instruments[k] * width, width), sizes[k], row);
        double worst = double.PositiveInfinity;
        foreach (var x in row) if (x < worst) worst = x;
        return worst;
    }

    /// <summary>total[j] += size · unit[j] for every j: one position's contribution to an account's vector. Allocation-free, SIMD.</summary>
    public static void Accumulate(ReadOnlySpan<double> unit, double size, Span<double> total)
    {
        if (total.Length < unit.Length) throw new ArgumentException($"total has {total.Length} slots, the vector {unit.Length}", nameof(total));
        int i = 0;
        if (Vector.IsHardwareAccelerated && unit.Length >= Vector<double>.Count)
        {
            var u = MemoryMarshal.Cast<double, Vector<double>>(unit);
            var s = MemoryMarshal.Cast<double, Vector<double>>(total);
            var q = new Vector<double>(size);
            for (int k = 0; k < u.Length; k++) s[k] += q * u[k];
            i = u.Length * Vector<double>.Count;
        }
        for (; i < unit.Length; i++) total[i] += size * unit[i];
    }
}
