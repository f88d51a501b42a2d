using System.Text.RegularExpressions;
using Blog.Web.Features.Posts;
using Blog.Web.Identity;
using Blog.Web.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Blog.Web.Tests.Browser;

public sealed class ReadingBrowserTests(BrowserFixture browser) : IClassFixture<BrowserFixture>, IAsyncLifetime
{
    // xUnit makes a new instance per test but shares the fixture: seed its blog once.
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<BrowserFixture, string> SeededPostPaths = [];

    private string _postPath = "";

    public async Task InitializeAsync()
    {
        if (SeededPostPaths.TryGetValue(browser, out var seeded))
        {
            _postPath = seeded;
            return;
        }
        var author = await BlogClient.CreateAccountAsync(browser.App, MemberRole.Author, displayName: "Khalid Bhatti");
        var published = DateTime.UtcNow.AddHours(-3);
        var post = PostSeeder.Insert(browser.App, new SeedPost
        {
            Title = "Kazakhstan protests: the government claims control",
            Subtitle = "Enemies are blamed for the protest movement",
            AuthorId = author.Id,
            PublishedAt = published,
            Labels = ["Kazakhstan", "Protests"],
            BodyHtml = "<p>The government has claimed that the situation is under control after days of mass protests.</p>"
                + "<p>Troops now patrol the centre of Almaty, the epicentre of the movement.</p>"
                + "<blockquote><p>The people have shown their anger.</p></blockquote>",
        });
        PostSeeder.Insert(browser.App, new SeedPost { Title = "An earlier note", Subtitle = "", Excerpt = "A short, older post about nothing much.", PublishedAt = published.AddDays(-40), Labels = ["Notes"] });
        PostSeeder.Insert(browser.App, new SeedPost { Kind = "page", Title = "About", Slug = "about", BodyHtml = "<p>Who writes here.</p>" });
        _postPath = PostUrls.PostPath(published, post.Slug, TimeZoneInfo.Utc);
        SeededPostPaths.Add(browser, _postPath);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task AReaderFindsThePostOnHomeLabelArchiveAndSearch()
    {
        var page = await browser.NewPageAsync();
        var problems = new PageProblems(page);
        var title = "Kazakhstan protests: the government claims control";

        await page.GotoAsync("/");
        await page.GetByRole(AriaRole.Link, new() { Name = title }).ClickAsync();
        // Web-first assertions retry until the next page is there: a click returns once navigation has
        // committed, which can be before the new page's content is parsed on a loaded machine.
        await Assertions.Expect(page.Locator("main h1")).ToHaveTextAsync(title);
        await page.GetByRole(AriaRole.Link, new() { Name = "Protests", Exact = true }).First.ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/label/Protests$"));
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = title })).ToBeVisibleAsync();
        var year = _postPath[1..5];
        await page.Locator($"aside a[href='/{year}/']").ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex($"/{year}/$"));
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = title })).ToBeVisibleAsync();
        await page.GetByLabel("Search this blog").FillAsync("almaty troops");
        await page.GetByLabel("Search this blog").PressAsync("Enter");
        await Assertions.Expect(page).ToHaveURLAsync(new Regex(@"/search\?q=almaty\+troops$"));
        await Assertions.Expect(page.Locator(".search-result h3").First).ToHaveTextAsync(title);
        var marks = await page.Locator(".snippet mark").AllTextContentsAsync();

        Assert.Contains("Almaty", marks);
        Assert.Empty(problems.All);
    }

    [Theory]
    [InlineData(375, "light")]
    [InlineData(375, "dark")]
    [InlineData(1280, "light")]
    [InlineData(1280, "dark")]
    public async Task HomePostAndSearchReadWellOnPhonesAndWideScreens(int width, string theme)
    {
        var page = await browser.NewPageAsync(width, 800, theme == "dark" ? ColorScheme.Dark : ColorScheme.Light);
        var problems = new PageProblems(page);

        foreach (var (name, url) in new[] { ("home", "/"), ("post", _postPath), ("search", "/search?q=government") })
        {
            await page.GotoAsync(url);
            await BrowserFixture.ScreenshotAsync(page, $"reading-{name}-{width}-{theme}");
            var overflow = await page.EvaluateAsync<int>("document.documentElement.scrollWidth - window.innerWidth");

            Assert.True(overflow <= 0, $"{url} scrolls sideways by {overflow}px at {width}px.");
        }
        Assert.Empty(problems.All);
    }
}
