using System.Diagnostics;
using SkiaSharp;

namespace CryptoMargin.Reporting.Tests;

/// <summary>
/// The report as a person sees it: headless Chromium renders it to PNG and the picture must show the charts.
/// Needs Debian's chromium (apt-get install chromium); skips cleanly where it is absent.
/// </summary>
public class BrowserRenderTests
{
    private static readonly string? Chromium = new[] { "/usr/bin/chromium", "/usr/bin/chromium-browser" }.FirstOrDefault(File.Exists);

    [Fact]
    public void ChromiumRendersTheChartsAndTables()
    {
        Assert.SkipWhen(Chromium is null, "chromium is not installed (apt-get install chromium)");
        var dir = Directory.CreateTempSubdirectory("cm-render-").FullName;
        try
        {
            var html = Path.Combine(dir, "report.html");
            var png = Path.Combine(dir, "report.png");
            File.WriteAllText(html, CalibrationReport.Render(SampleReportModel.Build()));
            var start = new ProcessStartInfo(Chromium!)
            {
                ArgumentList =
                {
                    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                    "--disable-sync", "--no-first-run", "--hide-scrollbars", $"--user-data-dir={Path.Combine(dir, "profile")}",
                    "--window-size=1280,3000", $"--screenshot={png}", "file://" + html,
                },
                RedirectStandardError = true,
                RedirectStandardOutput = true,
            };
            using (var process = Process.Start(start)!)
            {
                _ = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
                _ = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
                Assert.True(process.WaitForExit(60_000), "chromium did not finish in 60 s");
            }
            Assert.True(File.Exists(png), "chromium wrote no screenshot");

            using var bitmap = SKBitmap.Decode(png);
            Assert.Equal(1280, bitmap.Width);
            int blue = 0, red = 0, ink = 0, total = 0;
            for (int y = 0; y < bitmap.Height; y += 2)
                for (int x = 0; x < bitmap.Width; x += 2)
                {
                    var c = bitmap.GetPixel(x, y);
                    total++;
                    if (c.Red < 200 || c.Green < 200 || c.Blue < 200) ink++;
                    if (c.Blue > 120 && c.Red < 100 && c.Blue > c.Red + 60) blue++;     // chart lines (ScottPlot's blue)
                    if (c.Red > 170 && c.Green < 90 && c.Blue < 90) red++;               // exceedances, findings, fail badges
                }
            // A blank or broken page (no CSS, no SVG) has almost no ink and no coloured chart pixels.
            Assert.InRange(ink / (double)total, 0.03, 0.8);
            Assert.True(blue > 2000, $"only {blue} chart-blue pixels sampled");
            Assert.True(red > 20, $"only {red} red pixels sampled");
        }
        finally
        {
            try { Directory.Delete(dir, true); } catch (IOException) { }
        }
    }
}
