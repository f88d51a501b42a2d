using Blog.Web.Identity;
using Blog.Web.Tests.Features.Stats;
using Blog.Web.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Blog.Web.Tests.Browser;

public sealed class StatsBrowserTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Theory]
    [InlineData(1280, "light")]
    [InlineData(375, "dark")]
    public async Task TheStatisticsPageWithNumbersHasNoAxeViolations(int width, string theme)
    {
        await StatsSeed.InsertAsync(browser.App, "Pacific/Auckland");
        var owner = await BlogClient.CreateAccountAsync(browser.App, MemberRole.Owner, displayName: "Olive Owner");
        var page = await browser.NewPageAsync(width, 900, theme == "dark" ? ColorScheme.Dark : ColorScheme.Light, bypassCsp: true);
        await BrowserFixture.SignInAsync(page, owner.Email!);

        var violations = (await AccessibilityBrowserTests.AuditAsync(page, "/admin/stats")).ToList();
        await page.Locator("details.chart-numbers summary").First.ClickAsync();
        await BrowserFixture.ScreenshotAsync(page, $"stats-{width}-{theme}");
        var overflow = await page.EvaluateAsync<int>("document.documentElement.scrollWidth - window.innerWidth");

        Assert.True(violations.Count == 0, string.Join("\n", violations));
        Assert.True(overflow <= 0, $"The page scrolls sideways by {overflow}px at {width}px.");
    }
}
