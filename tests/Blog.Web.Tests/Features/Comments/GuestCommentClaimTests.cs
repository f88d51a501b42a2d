using System.Net;
using Blog.Web.Identity;
using Blog.Web.Tests.Infrastructure;
using static Blog.Web.Tests.Infrastructure.CommentTestData;

namespace Blog.Web.Tests.Features.Comments;

public sealed class GuestCommentClaimTests(CommentAppFactory app) : IClassFixture<CommentAppFactory>
{
    private const string ClaimUrl = "/account/imported-comments/claim";

    [Fact]
    public async Task AMemberWithThatConfirmedAddressSeesTheImportedCommentsAndClaimsThem()
    {
        var postId = await CreatePostAsync(app);
        var (client, member) = await SignedInAsync(app, MemberRole.Member);
        var first = GuestCommentData.Insert(app, postId, "Old me", "https://me.example/", member.Email!, app.Now.AddYears(-2));
        var second = GuestCommentData.Insert(app, postId, "Old me", null, member.Email!.ToLowerInvariant(), app.Now.AddYears(-1), first);
        var others = GuestCommentData.Insert(app, postId, "Someone else", null, Email(), app.Now.AddYears(-1));

        var account = await client.GetPageAsync("/account");
        var reader = new BlogClient(app);
        var before = await reader.GetPageAsync(PostPath(app, postId));
        using var claim = await PostFormAsync(client, ClaimUrl);
        var after = await reader.GetPageAsync(PostPath(app, postId));
        var notice = await client.GetPageAsync("/account");

        Assert.Contains("2 comments", account.QuerySelector(".account-claim")!.TextContent, StringComparison.Ordinal);
        Assert.Equal("Old me", before.QuerySelector($"#c{first} .comment-author")!.TextContent);
        Assert.Equal(HttpStatusCode.Redirect, claim.StatusCode);
        Assert.Equal(member.Id, Comment(app, first).AuthorId);
        Assert.Equal(member.Id, Comment(app, second).AuthorId);
        Assert.Null(Comment(app, others).AuthorId);
        Assert.Equal(member.DisplayName, after.QuerySelector($"#c{first} .comment-author")!.TextContent);
        Assert.Null(after.QuerySelector($"#c{first} .comment-imported"));
        Assert.Equal("Someone else", after.QuerySelector($"#c{others} .comment-author")!.TextContent);
        Assert.Contains("2 imported comments are now yours", notice.QuerySelector(".notice")!.TextContent, StringComparison.Ordinal);
        Assert.Null(notice.QuerySelector(".account-claim"));
        Assert.Equal(0L, Scalar<long>(app, "SELECT COUNT(*) FROM comments WHERE id IN (@First, @Second) AND (guest_email IS NOT NULL OR guest_name IS NOT NULL)", new { First = first, Second = second }));
    }

    [Fact]
    public async Task AClaimedCommentIsTheMembersToDelete()
    {
        var postId = await CreatePostAsync(app);
        var (client, member) = await SignedInAsync(app, MemberRole.Member);
        var id = GuestCommentData.Insert(app, postId, "Old me", null, member.Email!, app.Now.AddYears(-2));
        using var claim = await PostFormAsync(client, ClaimUrl);

        var page = await client.GetPageAsync(PostPath(app, postId));
        using var delete = await PostFormAsync(client, $"/comments/{id}/delete");

        Assert.NotNull(page.QuerySelector($"#c{id} form[action='/comments/{id}/delete']"));
        Assert.Equal(HttpStatusCode.Redirect, delete.StatusCode);
        Assert.Equal("author", Comment(app, id).RemovedBy);
    }

    [Fact]
    public async Task ClaimingAgainChangesNothing()
    {
        var postId = await CreatePostAsync(app);
        var (client, member) = await SignedInAsync(app, MemberRole.Member);
        GuestCommentData.Insert(app, postId, "Old me", null, member.Email!, app.Now.AddYears(-2));
        using var first = await PostFormAsync(client, ClaimUrl);
        var snapshot = Snapshot(app);

        using var second = await PostFormAsync(client, ClaimUrl);
        var notice = await client.GetPageAsync("/account");

        Assert.Equal(HttpStatusCode.Redirect, second.StatusCode);
        Assert.Equal(snapshot, Snapshot(app));
        Assert.Contains("no imported comments left", notice.QuerySelector(".notice")!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnUnconfirmedAddressSeesNothingToClaimAndClaimsNothing()
    {
        var postId = await CreatePostAsync(app);
        var (client, member) = await SignedInAsync(app, MemberRole.Member);
        var id = GuestCommentData.Insert(app, postId, "Not proven", null, member.Email!, app.Now.AddYears(-2));
        // Signed in, but the address no longer counts as confirmed (as after an administrator reset it).
        Execute(app, "UPDATE members SET email_confirmed = FALSE WHERE id = @Id", new { member.Id });

        var account = await client.GetPageAsync("/account");
        using var claim = await PostFormAsync(client, ClaimUrl);
        var notice = await client.GetPageAsync("/account");

        Assert.Null(account.QuerySelector(".account-claim"));
        Assert.Equal(HttpStatusCode.Redirect, claim.StatusCode);
        Assert.Null(Comment(app, id).AuthorId);
        Assert.Contains("Confirm your email address first", notice.QuerySelector(".notice")!.TextContent, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{0}.evil.example")]
    [InlineData("x{0}")]
    [InlineData("{0} ")]
    [InlineData("%")]
    public async Task SomeoneElsesAddressIsNeverMatched(string pattern)
    {
        var postId = await CreatePostAsync(app);
        var (client, member) = await SignedInAsync(app, MemberRole.Member);
        var id = GuestCommentData.Insert(app, postId, "Lookalike", null, string.Format(System.Globalization.CultureInfo.InvariantCulture, pattern, member.Email), app.Now.AddYears(-2));

        var account = await client.GetPageAsync("/account");
        using var claim = await PostFormAsync(client, ClaimUrl);

        Assert.Null(account.QuerySelector(".account-claim"));
        Assert.Null(Comment(app, id).AuthorId);
    }

    [Fact]
    public async Task AnotherMembersClaimLeavesMyImportedCommentsAlone()
    {
        var postId = await CreatePostAsync(app);
        var (_, me) = await SignedInAsync(app, MemberRole.Member);
        var (other, _) = await SignedInAsync(app, MemberRole.Member);
        var mine = GuestCommentData.Insert(app, postId, "Me", null, me.Email!, app.Now.AddYears(-2));

        using var claim = await PostFormAsync(other, ClaimUrl);

        Assert.Null(Comment(app, mine).AuthorId);
    }

    [Fact]
    public async Task ClaimingNeedsSigningInAndTheFormsToken()
    {
        var (client, member) = await SignedInAsync(app, MemberRole.Member);
        var postId = await CreatePostAsync(app);
        var id = GuestCommentData.Insert(app, postId, "Me", null, member.Email!, app.Now.AddYears(-2));

        using var anonymous = await PostFormAsync(new BlogClient(app), ClaimUrl);
        using var withoutToken = await client.Http.PostAsync(ClaimUrl, new FormUrlEncodedContent([]));

        Assert.Contains("/account/sign-in", anonymous.Headers.Location!.OriginalString, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, withoutToken.StatusCode);
        Assert.Null(Comment(app, id).AuthorId);
    }

    private static string Email() => $"guest-{Guid.NewGuid():N}@old-blog.example";
}
