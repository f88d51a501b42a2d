using Microsoft.Playwright;

namespace Blog.Web.Tests.Browser;

public sealed class HomePageBrowserTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task HomePageLoadsWithoutConsoleErrorsOrFailedRequests()
    {
        var page = await browser.NewPageAsync();
        var problems = new PageProblems(page);

        var response = await page.GotoAsync("/", new PageGotoOptions { WaitUntil = WaitUntilState.NetworkIdle });
        await BrowserFixture.ScreenshotAsync(page, "home-1280-light");

        Assert.Equal(200, response!.Status);
        Assert.Equal("My Quire blog", await page.TitleAsync());
        Assert.True(await page.GetByRole(AriaRole.Heading, new() { Name = "Nothing published yet" }).IsVisibleAsync());
        Assert.Empty(problems.All);
    }

    [Theory]
    [InlineData(375, "light")]
    [InlineData(375, "dark")]
    [InlineData(1280, "light")]
    [InlineData(1280, "dark")]
    public async Task LayoutHoldsOnPhonesAndWideScreensInBothThemes(int width, string theme)
    {
        var page = await browser.NewPageAsync(width, 800, theme == "dark" ? ColorScheme.Dark : ColorScheme.Light);

        await page.GotoAsync("/");
        await BrowserFixture.ScreenshotAsync(page, $"home-{width}-{theme}");

        var overflow = await page.EvaluateAsync<int>("document.documentElement.scrollWidth - window.innerWidth");
        Assert.True(overflow <= 0, $"The page scrolls sideways by {overflow}px at {width}px.");
        var main = (await page.Locator("main").BoundingBoxAsync())!;
        var sidebar = (await page.Locator("aside.sidebar").BoundingBoxAsync())!;
        if (width < 600)
        {
            Assert.True(sidebar.Y >= main.Y + main.Height, "On a phone the sidebar should sit below the content.");
        }
        else
        {
            Assert.True(sidebar.X >= main.X + main.Width, "On a wide screen the sidebar should sit beside the content.");
        }
        var background = await page.EvaluateAsync<string>("getComputedStyle(document.body).backgroundColor");
        Assert.Equal(theme == "dark" ? "rgb(21, 24, 28)" : "rgb(251, 250, 247)", background);
    }

    [Fact]
    public async Task SkipLinkMovesFocusToTheMainContent()
    {
        var page = await browser.NewPageAsync();
        await page.GotoAsync("/");

        await page.Keyboard.PressAsync("Tab");
        var focused = await page.EvaluateAsync<string>("document.activeElement.textContent.trim()");
        await page.Keyboard.PressAsync("Enter");

        Assert.Equal("Skip to main content", focused);
        Assert.EndsWith("#main", page.Url, StringComparison.Ordinal);
    }
}
