namespace CryptoMargin.Tests.Pricing;

/// <summary>Comparison of an analytic Greek with a central finite difference (error O(h²) plus rounding).</summary>
internal static class FiniteDifference
{
    /// <summary>|fd − analytic| ≤ 1e-5·|analytic| + absolute (the absolute floor in the Greek's own scale).</summary>
    public static void AssertClose(double fd, double analytic, double absolute)
    {
        double tolerance = 1e-5 * Math.Abs(analytic) + absolute;
        Assert.True(Math.Abs(fd - analytic) <= tolerance, $"finite difference {fd:R} vs analytic {analytic:R} (tolerance {tolerance:R})");
    }
}
