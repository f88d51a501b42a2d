using System.Text.RegularExpressions;
using Blog.Web.Identity;
using Blog.Web.Tests.Infrastructure;
using Microsoft.Playwright;
using static Blog.Web.Tests.Infrastructure.CommentTestData;

namespace Blog.Web.Tests.Browser;

public sealed class ModerationBrowserTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Theory]
    [InlineData(375, "light")]
    [InlineData(1280, "dark")]
    public async Task OwnerApprovesAHeldCommentFromTheQueue(int width, string theme)
    {
        var app = browser.App;
        var owner = await BlogClient.CreateAccountAsync(app, MemberRole.Owner, displayName: "The Owner");
        var writer = await BlogClient.CreateAccountAsync(app, MemberRole.Member, displayName: "Ada Writer");
        var postId = await CreatePostAsync(app, DateTime.UtcNow.AddDays(-3));
        Execute(app, """
            INSERT INTO comments (post_id, depth, author_id, body_markdown, body_html, status, held_reason, created_at)
            VALUES (@PostId, 0, @AuthorId, 'Buy at https://a.example and https://b.example',
                    '<p>Buy at <a href="https://a.example" rel="nofollow ugc noopener">https://a.example</a> and <a href="https://b.example" rel="nofollow ugc noopener">https://b.example</a></p>',
                    'held', 'Contains 2 links', @Now)
            """, new { PostId = postId, AuthorId = writer.Id, Now = TestDatabase.StoredTime(DateTime.UtcNow) });
        var commentId = Scalar<long>(app, "SELECT MAX(id) FROM comments");
        var page = await browser.NewPageAsync(width, 900, theme == "dark" ? ColorScheme.Dark : ColorScheme.Light);
        var problems = new PageProblems(page);

        await BrowserFixture.SignInAsync(page, owner.Email!, returnUrl: "/admin/moderation");
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/admin/moderation$"));
        await BrowserFixture.ScreenshotAsync(page, $"moderation-queue-{width}-{theme}");
        var badge = await page.Locator("a[href='/admin/moderation'] .nav-count").TextContentAsync();
        var item = page.Locator($"#q{commentId}");
        var reason = await item.Locator(".queue-reason").TextContentAsync();
        await item.GetByRole(AriaRole.Button, new() { Name = "Approve" }).ClickAsync();
        // The address already matches before the click; wait for what the redirect after it shows.
        await Assertions.Expect(page.GetByText("1 comment approved.")).ToBeVisibleAsync();
        await BrowserFixture.ScreenshotAsync(page, $"moderation-approved-{width}-{theme}");

        Assert.NotNull(badge);
        Assert.Contains("Contains 2 links", reason, StringComparison.Ordinal);
        Assert.Equal(0, await page.Locator($"#q{commentId}").CountAsync());
        Assert.True(await page.GetByText("1 comment approved.").IsVisibleAsync());
        Assert.Equal("approved", Scalar<string>(app, "SELECT status FROM comments WHERE id = @Id", new { Id = commentId }));
        var overflow = await page.EvaluateAsync<int>("document.documentElement.scrollWidth - window.innerWidth");
        Assert.True(overflow <= 0, $"The page scrolls sideways by {overflow}px at {width}px.");
        Assert.Empty(problems.All);
    }
}
