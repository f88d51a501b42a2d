using Blog.Web.Features.Posts;
using Blog.Web.Identity;
using Blog.Web.Tests.Infrastructure;
using Dapper;
using Microsoft.Playwright;

namespace Blog.Web.Tests.Browser;

/// <summary>The comment section under a real post page, as readers, non-members and members use it.</summary>
public sealed class CommentsBrowserTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    private async Task<string> NewPostPathAsync()
    {
        var author = await BlogClient.CreateAccountAsync(browser.App, MemberRole.Author, displayName: "Ada the Author");
        var publishedAt = DateTime.UtcNow.AddDays(-1);
        var id = await CommentTestData.CreatePostAsync(browser.App, publishedAt, author.Id);
        await using var connection = browser.App.OpenDatabase();
        var slug = await connection.ExecuteScalarAsync<string>("SELECT slug FROM posts WHERE id = @Id", new { Id = id });
        return PostUrls.PostPath(publishedAt, slug!, TimeZoneInfo.Utc);
    }

    [Fact]
    public async Task AMemberSignsInFromTheNoteCommentsRepliesEditsAndDeletes()
    {
        var path = await NewPostPathAsync();
        var member = await BlogClient.CreateAccountAsync(browser.App, MemberRole.Member, displayName: "Grace the Member");
        var page = await browser.NewPageAsync(375, 900);
        var problems = new PageProblems(page);

        await page.GotoAsync(path);
        Assert.Contains("Only a member of this blog may post a comment.", await page.Locator("#comments").InnerTextAsync(), StringComparison.Ordinal);
        await page.Locator("#comments").GetByRole(AriaRole.Link, new() { Name = "Sign in" }).ClickAsync();
        await BrowserFixture.SubmitSignInFormAsync(page, member.Email!);
        Assert.EndsWith(path, new Uri(page.Url).AbsolutePath, StringComparison.Ordinal);

        await page.Locator("#comment-body").FillAsync("First! This is **bold**.");
        await page.GetByRole(AriaRole.Button, new() { Name = "Post comment" }).ClickAsync();
        var first = page.Locator("article.comment").Filter(new() { HasText = "First!" });
        Assert.Equal("bold", await first.Locator("strong").Last.InnerTextAsync());

        await first.GetByRole(AriaRole.Link, new() { Name = "Reply" }).ClickAsync();
        await page.Locator("#comment-body").FillAsync("A reply to myself.");
        await page.GetByRole(AriaRole.Button, new() { Name = "Post reply" }).ClickAsync();
        await Assertions.Expect(page.Locator(".comment-replies article.comment").Filter(new() { HasText = "A reply to myself." })).ToHaveCountAsync(1);

        await first.GetByRole(AriaRole.Link, new() { Name = "Edit" }).ClickAsync();
        await page.Locator("textarea[name=Body]").FillAsync("First, edited.");
        await page.Locator("main form button[type=submit]").First.ClickAsync();
        var edited = page.Locator("article.comment").Filter(new() { HasText = "First, edited." });
        Assert.Contains("(edited)", await edited.InnerTextAsync(), StringComparison.Ordinal);
        await BrowserFixture.ScreenshotAsync(page, "comments-member-375");

        await edited.GetByRole(AriaRole.Button, new() { Name = "Delete" }).ClickAsync();
        await Assertions.Expect(page.Locator("#comments")).ToContainTextAsync("This comment has been removed by the author.");
        await Assertions.Expect(page.Locator("article.comment").Filter(new() { HasText = "A reply to myself." })).ToHaveCountAsync(1);
        Assert.Empty(problems.All);
    }

    [Fact]
    public async Task ASignedInNonMemberSeesTheNoteAndNoForm()
    {
        var path = await NewPostPathAsync();
        var reader = await BlogClient.CreateAccountAsync(browser.App, MemberRole.Reader);
        var page = await browser.NewPageAsync(1280, 900);

        await BrowserFixture.SignInAsync(page, reader.Email!, returnUrl: path);
        await BrowserFixture.ScreenshotAsync(page, "comments-non-member-1280");

        Assert.Contains("Only a member of this blog may post a comment.", await page.Locator("#comments").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal(0, await page.Locator("#comment-body").CountAsync());
    }

    [Fact]
    public async Task NastyCommentsRunNoScriptAndOpenNoDialog()
    {
        string[] payloads =
        [
            "<script>alert('xss')</script>",
            "<img src=x onerror=alert(1)>",
            "<svg onload=alert(1)>",
            "[click](javascript:alert(1))",
            "<a href=\"javascript:alert(1)\">x</a>",
            "<iframe src=\"javascript:alert(1)\"></iframe>",
            "<body onload=alert(1)>",
            "<details open ontoggle=alert(1)>",
            "\"><script>alert(document.cookie)</script>",
            "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
            "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
            "<input autofocus onfocus=alert(1)>",
        ];
        var path = await NewPostPathAsync();
        var owner = await BlogClient.CreateAccountAsync(browser.App, MemberRole.Owner);
        var page = await browser.NewPageAsync();
        var dialogs = 0;
        page.Dialog += (_, dialog) => { dialogs++; _ = dialog.DismissAsync(); };
        await BrowserFixture.SignInAsync(page, owner.Email!, returnUrl: path);
        var refused = 0;
        foreach (var payload in payloads)
        {
            await page.Locator("#comment-body").FillAsync(payload);
            await page.GetByRole(AriaRole.Button, new() { Name = "Post comment" }).ClickAsync();
            // Either answer is a new page, and neither element is on the one the click left: the form again with
            // the reason, or the post scrolled to the new comment.
            await Assertions.Expect(page.Locator(".comment-compose, article.comment:target")).ToBeVisibleAsync();
            if (await page.Locator(".comment-compose").CountAsync() > 0)
            {
                refused++;
                Assert.Contains("no text left", await page.Locator(".form-errors").InnerTextAsync(), StringComparison.Ordinal);
                Assert.Equal(payload, await page.Locator("#comment-body").InputValueAsync());
            }
            await page.GotoAsync(path);
        }

        await page.GotoAsync(path, new() { WaitUntil = WaitUntilState.NetworkIdle });
        await page.WaitForTimeoutAsync(500);
        var bodies = await page.Locator("article.comment .comment-body").AllInnerTextsAsync();

        Assert.Equal(0, dialogs);
        // Some payloads are nothing but markup and sanitize to an empty comment, which is refused; the rest are
        // stored as harmless text, and none of them as an empty comment.
        Assert.True(refused > 0, "The markup-only payloads should have been refused.");
        Assert.Equal(payloads.Length - refused, bodies.Count);
        Assert.All(bodies, body => Assert.False(string.IsNullOrWhiteSpace(body), "An empty comment was stored."));
        Assert.Equal(0, await page.Locator(".comment-body script, .comment-body iframe, .comment-body img, .comment-body svg, .comment-body input, .comment-body [onerror], .comment-body a[href^=javascript]").CountAsync());
    }
}
