using CryptoMargin.Dynamics;

namespace CryptoMargin.Risk;

/// <summary>One entry point for every risk method (the <c>var</c> command): VaR and ES of a daily return history.</summary>
public static class RiskMeasures
{
    /// <summary>
    /// VaR and ES of <paramref name="dailyLogReturns"/> (oldest first) under <paramref name="spec"/>, using the last
    /// <see cref="RiskSpec.LookbackDays"/> returns (all when null).
    /// </summary>
    /// <exception cref="MarketData.DataValidationException">too little data for the method, or a non-finite return.</exception>
    public static RiskResult Estimate(ReadOnlySpan<double> dailyLogReturns, RiskSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        spec.Validate();
        RiskInput.RequireFinite(dailyLogReturns);
        var window = spec.LookbackDays is { } l && l < dailyLogReturns.Length ? dailyLogReturns[^l..] : dailyLogReturns;
        int h = spec.HorizonDays;
        switch (spec.Method)
        {
            case RiskMethod.Historical:
                return new RiskResult { Spec = spec, N = window.Length, Risk = HistoricalSimulation.Estimate(window, h, spec.Confidence, spec.Side) };
            case RiskMethod.Evt:
            {
                int count = Math.Max(window.Length - h + 1, 0);
                var losses = new double[count];
                HistoricalSimulation.OverlappingLosses(window, h, spec.Side, losses);
                var evt = PeaksOverThreshold.EstimateInPlace(losses, spec.Confidence, spec.ThresholdQuantile);
                return new RiskResult { Spec = spec, N = window.Length, Risk = evt.Risk, Evt = evt };
            }
            default:
            {
                var model = ModelFor(spec);
                var fit = ReturnModel.Fit(window, model);
                var (mean, volatility) = HorizonMoments(model, fit.Parameters, fit.NextVariance, h);
                RiskEstimate risk;
                if (spec.Method == RiskMethod.FilteredHistorical)
                {
                    var z = StandardizedResiduals(window, model, fit.Parameters);
                    risk = FilteredHistoricalSimulation.Estimate(z, model, fit.Parameters, fit.NextVariance, h, spec.Confidence, spec.Side, spec.Paths, spec.Seed);
                }
                else risk = Parametric(spec, mean, volatility, fit.Parameters.Nu);
                return new RiskResult { Spec = spec, N = window.Length, Risk = risk, Volatility = volatility, Mean = mean, Fit = fit };
            }
        }
    }

    /// <summary>
    /// The return model behind normal / t / fhs: EWMA with fixed λ and zero mean when <see cref="RiskSpec.Lambda"/>
    /// is set (Student-t innovations for t, so ν is fitted; Normal otherwise); else GARCH(1,1), constant mean,
    /// Normal innovations for normal and Student-t for t and fhs.
    /// </summary>
    public static ReturnModelSpec ModelFor(RiskSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (spec.Lambda is { } lambda)
            return new ReturnModelSpec(VolatilityModel.Ewma,
                spec.Method == RiskMethod.StudentT ? InnovationDistribution.StudentT : InnovationDistribution.Normal, MeanModel.Zero)
            { FixedLambda = lambda };
        return new ReturnModelSpec(VolatilityModel.Garch,
            spec.Method == RiskMethod.Normal ? InnovationDistribution.Normal : InnovationDistribution.StudentT, MeanModel.Constant);
    }

    internal static RiskEstimate Parametric(RiskSpec spec, double mean, double volatility, double nu) =>
        spec.Method == RiskMethod.StudentT
            ? ParametricRisk.StudentT(mean, volatility, nu, spec.Confidence, spec.Side)
            : ParametricRisk.Normal(mean, volatility, spec.Confidence, spec.Side);

    /// <summary>
    /// h-day mean h·μ and volatility √(Σ_{k=1..h} E[h_{n+k}]) with E[h_{n+k+1}] = ω + (α + γ/2 + β)E[h_{n+k}]
    /// (EWMA: flat), as <see cref="ReturnModelFit.Forecast"/>.
    /// </summary>
    internal static (double Mean, double Volatility) HorizonMoments(ReturnModelSpec model, in ReturnModelParameters p, double nextVariance, int h)
    {
        double mu = model.Mean == MeanModel.Constant ? p.Mu : 0;
        bool flat = model.Volatility == VolatilityModel.Ewma;
        double persistence = p.Persistence(model.Volatility);
        double v = nextVariance, cumulative = 0;
        for (int k = 0; k < h; k++)
        {
            cumulative += v;
            if (!flat) v = p.Omega + persistence * v;
        }
        return (h * mu, Math.Sqrt(cumulative));
    }

    /// <summary>z_t = (r_t − μ)/√h_t, t = 1 … n.</summary>
    internal static double[] StandardizedResiduals(ReadOnlySpan<double> returns, ReturnModelSpec model, in ReturnModelParameters p)
    {
        var h = ReturnModel.ConditionalVariances(returns, model, p);
        double mu = model.Mean == MeanModel.Constant ? p.Mu : 0;
        var z = new double[returns.Length];
        for (int t = 0; t < z.Length; t++) z[t] = (returns[t] - mu) / Math.Sqrt(h[t]);
        return z;
    }
}
