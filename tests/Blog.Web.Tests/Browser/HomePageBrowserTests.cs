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
    [InlineData(320, "light")]
    [InlineData(320, "dark")]
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
        var cutOff = await page.EvaluateAsync<string[]>(CutOffElementsScript);
        Assert.True(cutOff.Length == 0, $"Cut off at {width}px: {string.Join("; ", cutOff)}");
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

    /// <summary>
    /// Visible elements that stick out of the viewport on either side, content (e.g. a long word) that spills out past
    /// its right edge, and boxes that hide part of their own content (text clipped by overflow: hidden). Elements wholly outside the viewport are there on purpose (the skip link
    /// waits off-screen until it gets focus), so only those partly inside count.
    /// </summary>
    private const string CutOffElementsScript = """
        () => {
          const width = document.documentElement.clientWidth;
          const name = el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + (el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\s+/).join('.') : '');
          const problems = [];
          for (const el of document.body.querySelectorAll('*')) {
            const box = el.getBoundingClientRect();
            const style = getComputedStyle(el);
            if (box.width === 0 || box.height === 0 || style.visibility === 'hidden') continue;
            const partlyIn = box.right > 0 && box.left < width;
            if (partlyIn && (box.left < -0.5 || box.right > width + 0.5)) {
              problems.push(`${name(el)} spans ${Math.round(box.left)}..${Math.round(box.right)}px`);
            } else if (partlyIn && ['hidden', 'clip'].includes(style.overflowX) && el.scrollWidth > el.clientWidth + 1
                && !(box.width <= 1 && box.height <= 1)) {
              problems.push(`${name(el)} hides ${el.scrollWidth - el.clientWidth}px of its content`);
            } else if (partlyIn && style.overflowX === 'visible' && box.left + el.scrollWidth > width + 0.5) {
              problems.push(`${name(el)}'s content reaches ${Math.round(box.left + el.scrollWidth)}px`);
            }
          }
          return problems;
        }
        """;

    [Fact]
    public async Task SkipLinkMovesFocusToTheMainContent()
    {
        var page = await browser.NewPageAsync();
        await page.GotoAsync("/");

        await page.Keyboard.PressAsync("Tab");
        var focused = await page.EvaluateAsync<string>("document.activeElement.textContent.trim()");
        await page.Keyboard.PressAsync("Enter");
        // The browser follows the link after the key press returns: wait for it (up to the default timeout) rather than race it.
        await page.WaitForFunctionAsync("location.hash === '#main'");

        Assert.Equal("Skip to main content", focused);
        Assert.EndsWith("#main", page.Url, StringComparison.Ordinal);
    }
}
