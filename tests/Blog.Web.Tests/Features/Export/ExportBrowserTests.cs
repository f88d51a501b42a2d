using Blog.Web.Identity;
using Blog.Web.Tests.Browser;
using Blog.Web.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Blog.Web.Tests.Features.Export;

public sealed class ExportBrowserTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task OwnerDownloadsAWordPressExportFromTheExportPage()
    {
        var owner = await BlogClient.CreateAccountAsync(browser.App, MemberRole.Owner);
        PostSeeder.Insert(browser.App, new SeedPost { Title = "A post to take along", AuthorId = owner.Id });
        var page = await browser.NewPageAsync();
        var problems = new PageProblems(page);
        await BrowserFixture.SignInAsync(page, owner.Email!);
        await page.GotoAsync("/admin/export");

        var download = await page.RunAndWaitForDownloadAsync(() =>
            page.GetByRole(AriaRole.Button, new() { Name = "Download for WordPress" }).ClickAsync());
        var folder = TestDataFolder.Create();
        var file = Path.Combine(folder, "export.xml");
        await download.SaveAsAsync(file);

        try
        {
            Assert.Matches(@"^[a-z0-9-]+-wordpress-\d{8}\.xml$", download.SuggestedFilename);
            var document = ExportTestBlog.Parse(await File.ReadAllTextAsync(file));
            Assert.Contains(document.Descendants("item"), item => item.Element("title")?.Value == "A post to take along");
            // Chromium reports a navigation that turns into a download as an aborted request; nothing else may fail.
            var downloadRequest = "request failed: " + new Uri(browser.BaseAddress, "/admin/export");
            Assert.DoesNotContain(problems.All, problem => !problem.StartsWith(downloadRequest, StringComparison.Ordinal));
        }
        finally
        {
            TestDataFolder.Delete(folder);
        }
    }

    [Theory]
    [InlineData(375, "light")]
    [InlineData(1280, "dark")]
    public async Task ExportPageFitsPhonesAndWideScreens(int width, string theme)
    {
        var owner = await BlogClient.CreateAccountAsync(browser.App, MemberRole.Owner);
        var page = await browser.NewPageAsync(width, 800, theme == "dark" ? ColorScheme.Dark : ColorScheme.Light);
        await BrowserFixture.SignInAsync(page, owner.Email!);

        await page.GotoAsync("/admin/export");
        await BrowserFixture.ScreenshotAsync(page, $"export-{width}-{theme}");

        var overflow = await page.EvaluateAsync<int>("document.documentElement.scrollWidth - window.innerWidth");
        Assert.True(overflow <= 0, $"The export page scrolls sideways by {overflow}px at {width}px.");
    }
}
