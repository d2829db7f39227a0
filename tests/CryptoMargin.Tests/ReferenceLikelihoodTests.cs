using CryptoMargin.Dynamics;

namespace CryptoMargin.Tests;

public class ReferenceLikelihoodTests
{
    [Fact]
    public void ConstantVarianceNormalEqualsClosedForm()
    {
        // GARCH with α = β = 0 is i.i.d. N(μ, ω) after the first step; with h₁ = mean(ε²) = ω exactly the
        // whole sample is i.i.d. and the log-likelihood has the closed form −n/2 (ln 2π + ln σ² + 1).
        double[] r = [0.5, -1.0, 1.5, -0.5, 0.25, -0.75];
        double mu = r.Average();
        double s2 = r.Select(x => (x - mu) * (x - mu)).Average();
        var p = new ReturnModelParameters(mu, s2, 0, 0, 0, double.PositiveInfinity, 0);
        double ll = ReferenceLikelihood.LogLikelihood(r, new ReturnModelSpec(), p);
        double expected = -r.Length / 2.0 * (Math.Log(2 * Math.PI) + Math.Log(s2) + 1);
        Assert.Equal(expected, ll, 12);
    }
}
