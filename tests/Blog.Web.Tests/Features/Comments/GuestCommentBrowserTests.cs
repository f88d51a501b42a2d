using Blog.Web.Features.Posts;
using Blog.Web.Identity;
using Blog.Web.Tests.Browser;
using Blog.Web.Tests.Infrastructure;
using Dapper;
using Microsoft.Playwright;

namespace Blog.Web.Tests.Features.Comments;

/// <summary>Imported commenters on a real post page, and a member claiming theirs from the account page.</summary>
public sealed class GuestCommentBrowserTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task ReadersSeeImportedWritersAndAMemberClaimsTheirOwn()
    {
        var publishedAt = DateTime.UtcNow.AddDays(-1);
        var postId = await CommentTestData.CreatePostAsync(browser.App, publishedAt);
        string slug;
        await using (var connection = browser.App.OpenDatabase())
        {
            slug = (await connection.ExecuteScalarAsync<string>("SELECT slug FROM posts WHERE id = @Id", new { Id = postId }))!;
        }
        var path = PostUrls.PostPath(publishedAt, slug, TimeZoneInfo.Utc);
        var member = await BlogClient.CreateAccountAsync(browser.App, MemberRole.Member, displayName: "Margaret Now");
        var top = GuestCommentData.Insert(browser.App, postId, "Margaret (2014)", "https://margaret.example/", member.Email!,
            DateTime.UtcNow.AddYears(-10), body: "I wrote this on the old blog.");
        GuestCommentData.Insert(browser.App, postId, "Alan", null, "alan@old.example", DateTime.UtcNow.AddYears(-10).AddHours(2),
            top, body: "And I answered it there.");
        var page = await browser.NewPageAsync(375, 900);
        var problems = new PageProblems(page);

        await page.GotoAsync(path);
        var imported = page.Locator($"#c{top}");
        await Assertions.Expect(imported.Locator(".comment-author a")).ToHaveAttributeAsync("rel", "nofollow ugc noopener");
        await Assertions.Expect(imported.Locator(".comment-imported")).ToHaveTextAsync("imported");
        await BrowserFixture.ScreenshotAsync(page, "comments-imported-375");

        await BrowserFixture.SignInAsync(page, member.Email!, returnUrl: "/account");
        await Assertions.Expect(page.Locator(".account-claim")).ToContainTextAsync("1 comment");
        await BrowserFixture.ScreenshotAsync(page, "account-claim-imported-375");
        await page.GetByRole(AriaRole.Button, new() { Name = "Claim it" }).ClickAsync();
        await Assertions.Expect(page.Locator(".notice")).ToContainTextAsync("1 imported comment is now yours.");
        await page.GotoAsync(path);

        await Assertions.Expect(page.Locator($"#c{top} .comment-author")).ToHaveTextAsync("Margaret Now");
        await Assertions.Expect(page.Locator($"#c{top} .comment-imported")).ToHaveCountAsync(0);
        Assert.Empty(problems.All);
    }
}
