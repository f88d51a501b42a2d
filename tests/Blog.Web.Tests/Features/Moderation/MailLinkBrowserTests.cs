using Blog.Web.Identity;
using Blog.Web.Tests.Browser;
using Blog.Web.Tests.Infrastructure;
using Microsoft.Playwright;
using static Blog.Web.Tests.Infrastructure.CommentTestData;

namespace Blog.Web.Tests.Features.Moderation;

/// <summary>The confirm page a mail link opens, in a real browser that is not signed in, as a phone's would be.</summary>
public sealed class MailLinkBrowserTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Theory]
    [InlineData(375, "light", "reject")]
    [InlineData(1280, "dark", "approve")]
    public async Task TheConfirmPageShowsTheCommentAndItsButtonDecides(int width, string theme, string decision)
    {
        var app = browser.App;
        var owner = await BlogClient.CreateAccountAsync(app, MemberRole.Owner, displayName: "The Owner");
        var writer = await BlogClient.CreateAccountAsync(app, MemberRole.Member, displayName: "Ada Writer");
        var postId = await CreatePostAsync(app, DateTime.UtcNow.AddDays(-3));
        var commentId = await MailLinkTestData.InsertHeldCommentAsync(app, postId, writer.Id);
        var (path, token) = await MailLinkTestData.LinkForHeldCommentAsync(app, commentId, owner.Id, decision);
        var page = await browser.NewPageAsync(width, 900, theme == "dark" ? ColorScheme.Dark : ColorScheme.Light);
        var problems = new PageProblems(page);
        var buttonName = decision == "approve" ? "Approve the comment" : "Reject the comment";

        await page.GotoAsync($"{path}?token={token}");
        await BrowserFixture.ScreenshotAsync(page, $"mail-link-{decision}-{width}-{theme}");
        var heading = await page.Locator("h1").TextContentAsync();
        var shown = await page.Locator(".queue-body").TextContentAsync();
        var overflow = await page.EvaluateAsync<int>("document.documentElement.scrollWidth - window.innerWidth");
        var statusBefore = Scalar<string>(app, "SELECT status FROM comments WHERE id = @Id", new { Id = commentId });
        await page.GetByRole(AriaRole.Button, new() { Name = buttonName }).ClickAsync();
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync(decision == "approve" ? "Comment approved" : "Comment rejected");
        await BrowserFixture.ScreenshotAsync(page, $"mail-link-{decision}-done-{width}-{theme}");

        Assert.Equal(decision == "approve" ? "Approve this comment?" : "Reject this comment?", heading);
        Assert.Contains("Great post! More at https://a.example", shown, StringComparison.Ordinal);
        Assert.Equal("held", statusBefore);
        Assert.True(overflow <= 0, $"The page scrolls sideways by {overflow}px at {width}px.");
        var comment = Comment(app, commentId);
        Assert.Equal(decision == "approve" ? "approved" : "held", comment.Status);
        Assert.Equal(decision == "approve" ? null : "admin", comment.RemovedBy);
        Assert.Empty(problems.All);
    }
}
