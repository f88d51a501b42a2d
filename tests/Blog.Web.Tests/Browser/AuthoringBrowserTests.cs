using Blog.Web.Identity;
using Blog.Web.Tests.Infrastructure;
using Dapper;
using Microsoft.Playwright;

namespace Blog.Web.Tests.Browser;

public sealed class AuthoringBrowserTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    private const string Body = """
        Spring came early this year. The *almond trees* were in flower by February.

        | Tree | Flowering |
        |------|-----------|
        | Almond | February |
        | Cherry | April |

        - [x] Prune the roses
        - [ ] Sow the beans

        > The best time to plant a tree was twenty years ago.[^1]

        [^1]: A proverb of uncertain origin.
        """;

    [Fact]
    public async Task AnAuthorWritesPreviewsAndPublishesWithoutJavaScriptThenReadersFindThePostEverywhere()
    {
        var author = await BlogClient.CreateAccountAsync(browser.App, MemberRole.Author, displayName: "Ada Gardener");
        var context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = browser.BaseAddress.ToString(),
            ViewportSize = new ViewportSize { Width = 1280, Height = 900 },
            JavaScriptEnabled = false,
        });
        var page = await context.NewPageAsync();
        var problems = new PageProblems(page);
        await BrowserFixture.SignInAsync(page, author.Email!);

        await page.GotoAsync("/admin/posts/new");
        await page.GetByLabel("Title", new() { Exact = true }).FillAsync("An early spring");
        await page.GetByLabel("Subtitle (optional)").FillAsync("Notes from the almond orchard");
        await page.GetByLabel("Body (Markdown)").FillAsync(Body);
        await page.GetByRole(AriaRole.Textbox, new() { Name = "Labels", Exact = true }).FillAsync("garden, Spring, garden");
        await page.GetByRole(AriaRole.Button, new() { Name = "Preview" }).ClickAsync();
        var previewTitle = await page.Locator("#preview-title").TextContentAsync();
        var previewSubtitle = await page.Locator("#preview-subtitle").TextContentAsync();
        var previewCells = await page.Locator("#preview-body td").CountAsync();
        var keptBody = await page.GetByLabel("Body (Markdown)").InputValueAsync();
        using (var db = browser.App.OpenDatabase())
        {
            Assert.Equal(0, db.QuerySingle<int>("SELECT COUNT(*) FROM posts WHERE title = 'An early spring'"));
        }
        await page.GetByRole(AriaRole.Button, new() { Name = "Publish now" }).ClickAsync();

        Assert.Equal("An early spring", previewTitle);
        Assert.Equal("Notes from the almond orchard", previewSubtitle);
        Assert.Equal(4, previewCells);
        Assert.Equal(Body.ReplaceLineEndings("\n"), keptBody.ReplaceLineEndings("\n"));
        Assert.Equal("Published.", (await page.Locator(".notice[role=status]").TextContentAsync())?.Trim());
        using var check = browser.App.OpenDatabase();
        var row = check.QuerySingle<(string Status, string Subtitle, string Slug)>(
            "SELECT status, subtitle, slug FROM posts WHERE title = 'An early spring'");
        Assert.Equal(("published", "Notes from the almond orchard", "an-early-spring"), row);
        Assert.Equal(2, check.QuerySingle<int>(
            "SELECT COUNT(*) FROM post_labels pl JOIN posts p ON p.id = pl.post_id WHERE p.title = 'An early spring'"));
        Assert.Empty(problems.All);

        await ReadersFindThePostAsync("An early spring", "Notes from the almond orchard", "Ada Gardener", "garden", "almond");
    }

    /// <summary>
    /// The reader's half of the story: an anonymous visitor, on a phone and on a wide screen, finds the post on the
    /// home page (and opens it from there), on its label's page, in the month's archive and in search results.
    /// </summary>
    private async Task ReadersFindThePostAsync(string title, string subtitle, string byline, string label, string word)
    {
        foreach (var width in new[] { 375, 1280 })
        {
            var page = await browser.NewPageAsync(width, 900);
            var problems = new PageProblems(page);
            ILocator Listed() => page.Locator("main").GetByRole(AriaRole.Link, new() { Name = title, Exact = true });

            await page.GotoAsync("/");
            await BrowserFixture.ScreenshotAsync(page, $"reader-home-{width}");
            var homeSummary = await page.Locator(".post-summary", new() { Has = page.GetByRole(AriaRole.Link, new() { Name = title, Exact = true }) }).InnerTextAsync();
            await Listed().ClickAsync();
            await page.Locator("#post-title").WaitForAsync();
            var postPath = new Uri(page.Url).AbsolutePath;
            await BrowserFixture.ScreenshotAsync(page, $"reader-post-{width}");
            var heading = await page.Locator("#post-title").TextContentAsync();
            var postByline = await page.Locator(".byline").TextContentAsync();

            await page.GotoAsync("/search/label/" + label);
            var onLabelPage = await Listed().GetAttributeAsync("href");
            await page.GotoAsync(postPath[..8]);
            var inArchive = await Listed().GetAttributeAsync("href");
            await page.GotoAsync("/search?q=" + word);
            await BrowserFixture.ScreenshotAsync(page, $"reader-search-{width}");
            var inSearch = await Listed().GetAttributeAsync("href");
            var highlighted = await page.Locator(".search-result mark").First.TextContentAsync();
            var overflow = await page.EvaluateAsync<int>("document.documentElement.scrollWidth - window.innerWidth");

            Assert.Contains(subtitle, homeSummary, StringComparison.Ordinal);
            Assert.Contains("by " + byline, homeSummary, StringComparison.Ordinal);
            Assert.Contains(label, homeSummary, StringComparison.Ordinal);
            Assert.Contains("No comments", homeSummary, StringComparison.Ordinal);
            Assert.Matches(@"^/\d{4}/\d{2}/an-early-spring$", postPath);
            Assert.Equal(title, heading);
            Assert.Contains(byline, postByline, StringComparison.Ordinal);
            Assert.Equal(postPath, onLabelPage);
            Assert.Equal(postPath, inArchive);
            Assert.Equal(postPath, inSearch);
            Assert.Equal(word, highlighted, ignoreCase: true);
            Assert.True(overflow <= 0, $"The search page scrolls sideways by {overflow}px at {width}px.");
            Assert.Empty(problems.All);
        }
    }

    [Fact]
    public async Task WithJavaScriptThePreviewFollowsTheTyping()
    {
        var author = await BlogClient.CreateAccountAsync(browser.App, MemberRole.Author);
        var page = await browser.NewPageAsync();
        var problems = new PageProblems(page);
        await BrowserFixture.SignInAsync(page, author.Email!);

        await page.GotoAsync("/admin/posts/new");
        await page.GetByLabel("Title", new() { Exact = true }).FillAsync("Live one");
        await page.GetByLabel("Body (Markdown)").FillAsync("Some **live** text <script>window.bad = 1</script>");

        await page.Locator("#preview-body strong").WaitForAsync();
        Assert.Equal("live", await page.Locator("#preview-body strong").TextContentAsync());
        Assert.Equal("Live one", await page.Locator("#preview-title").TextContentAsync());
        Assert.Equal(0, await page.Locator("#preview-body script").CountAsync());
        Assert.Empty(problems.All);
    }

    [Theory]
    [InlineData(375, "light")]
    [InlineData(375, "dark")]
    [InlineData(1280, "light")]
    [InlineData(1280, "dark")]
    public async Task EditorAndListFitPhonesAndWideScreensInBothThemes(int width, string theme)
    {
        var author = await BlogClient.CreateAccountAsync(browser.App, MemberRole.Author, displayName: "Screen Author");
        var page = await browser.NewPageAsync(width, 900, theme == "dark" ? ColorScheme.Dark : ColorScheme.Light);
        await BrowserFixture.SignInAsync(page, author.Email!);
        await page.GotoAsync("/admin/posts/new");
        await page.GetByLabel("Title", new() { Exact = true }).FillAsync("Screens " + width + theme);
        await page.GetByLabel("Subtitle (optional)").FillAsync("A subtitle");
        await page.GetByLabel("Body (Markdown)").FillAsync(Body);
        await page.GetByRole(AriaRole.Textbox, new() { Name = "Labels", Exact = true }).FillAsync("garden, spring");
        await page.GetByRole(AriaRole.Button, new() { Name = "Preview" }).ClickAsync();
        await page.Locator("#preview-body td").First.WaitForAsync();

        await BrowserFixture.ScreenshotAsync(page, $"editor-{width}-{theme}");
        var editorOverflow = await page.EvaluateAsync<int>("document.documentElement.scrollWidth - window.innerWidth");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save draft" }).ClickAsync();
        await page.GotoAsync("/admin/posts");
        await BrowserFixture.ScreenshotAsync(page, $"posts-list-{width}-{theme}");
        var listOverflow = await page.EvaluateAsync<int>("document.documentElement.scrollWidth - window.innerWidth");

        Assert.True(editorOverflow <= 0, $"The editor scrolls sideways by {editorOverflow}px at {width}px.");
        Assert.True(listOverflow <= 0, $"The list scrolls sideways by {listOverflow}px at {width}px.");
        Assert.True(await page.GetByText("Screens " + width + theme).IsVisibleAsync());
    }

    [Theory]
    [InlineData(375, "light")]
    [InlineData(1280, "dark")]
    public async Task SettingsPageFitsAndShowsErrorsNextToTheFields(int width, string theme)
    {
        var owner = await BlogClient.CreateAccountAsync(browser.App, MemberRole.Owner);
        var page = await browser.NewPageAsync(width, 900, theme == "dark" ? ColorScheme.Dark : ColorScheme.Light);
        await BrowserFixture.SignInAsync(page, owner.Email!);

        await page.GotoAsync("/admin/settings");
        await page.GetByLabel("Posts per page").FillAsync("500");
        await page.GetByLabel("Time zone").FillAsync("Nowhere/Special");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save settings" }).ClickAsync();
        await Assertions.Expect(page.GetByText("Show between 1 and 100 posts per page.")).ToBeVisibleAsync();
        await BrowserFixture.ScreenshotAsync(page, $"settings-{width}-{theme}");
        var overflow = await page.EvaluateAsync<int>("document.documentElement.scrollWidth - window.innerWidth");

        Assert.True(overflow <= 0, $"The settings page scrolls sideways by {overflow}px at {width}px.");
        Assert.True(await page.GetByText("That is not a time zone this server knows", new() { Exact = false }).IsVisibleAsync());
        Assert.Equal("Nowhere/Special", await page.GetByLabel("Time zone").InputValueAsync());
    }
}
