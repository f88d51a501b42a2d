using System.Globalization;
using System.Net;
using Blog.Web.Features.Settings;
using Blog.Web.Identity;
using Blog.Web.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using static Blog.Web.Tests.Infrastructure.CommentTestData;

namespace Blog.Web.Tests.Features.Comments;

public sealed class CommentModerationTests(CommentAppFactory app) : IClassFixture<CommentAppFactory>
{
    [Theory]
    [InlineData("Never", 30, "approved")]
    [InlineData("Always", 1, "held")]
    [InlineData("OlderThanDays", 10, "held")]
    [InlineData("OlderThanDays", 2, "approved")]
    public async Task ModerationModeDecidesWhetherANewCommentIsHeld(string mode, double postAgeDays, string expected)
    {
        var (owner, _) = await SignedInAsync(app, MemberRole.Owner);
        using var saved = await owner.SubmitFormAsync("/admin/moderation", Fields(mode, moderateAfterDays: 7), "form.moderation-settings");
        var postId = await CreatePostAsync(app, ageDays: postAgeDays);
        var (member, _) = await SignedInAsync(app, MemberRole.Member);

        var id = await CommentIdAsync(member, postId, "a plain comment");

        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        Assert.Equal(expected, Comment(app, id).Status);
    }

    [Fact]
    public async Task TrustedMembersSkipModerationButLinksAndBlockedWordsAreStillHeld()
    {
        await SaveAsync(new CommentSettings { Moderation = CommentModeration.Always, TrustedAfterApproved = 2, HoldLinksAtLeast = 2, BlockedWords = "casino\ncheap pills" });
        var postId = await CreatePostAsync(app);
        var (member, account) = await SignedInAsync(app, MemberRole.Member);

        var first = await CommentIdAsync(member, postId, "first");
        var firstStatus = Comment(app, first).Status;
        Execute(app, "UPDATE comments SET status = 'approved' WHERE author_id = @Id", new { account.Id });
        var second = await CommentIdAsync(member, postId, "second");
        var secondStatus = Comment(app, second).Status;
        Execute(app, "UPDATE comments SET status = 'approved' WHERE author_id = @Id", new { account.Id });
        var trusted = await CommentIdAsync(member, postId, "third, trusted now, with one https://example.com link");
        var links = await CommentIdAsync(member, postId, "see https://a.example and https://b.example");
        var blocked = await CommentIdAsync(member, postId, "Visit my CASINO");

        Assert.Equal("held", firstStatus);
        Assert.Equal("held", secondStatus);
        Assert.Equal("approved", Comment(app, trusted).Status);
        Assert.Equal("held", Comment(app, links).Status);
        Assert.Equal("Contains 2 links", Comment(app, links).HeldReason);
        Assert.Equal("held", Comment(app, blocked).Status);
        Assert.Contains("casino", Comment(app, blocked).HeldReason!, StringComparison.Ordinal);
        await SaveAsync(new CommentSettings());
    }

    [Fact]
    public async Task EditingInABlockedWordOrLinksPutsAnApprovedCommentBackInTheQueueWithTheTextKept()
    {
        await SaveAsync(new CommentSettings { HoldLinksAtLeast = 2, BlockedWords = "casino" });
        var owner = await BlogClient.CreateAccountAsync(app, MemberRole.Owner);
        var postId = await CreatePostAsync(app);
        var (member, _) = await SignedInAsync(app, MemberRole.Member);
        using var created = await CommentAsync(member, postId, "Nice post");
        var id = IdFromLocation(created);
        var other = await CommentIdAsync(member, postId, "Plain words");
        var postPath = created.Headers.Location!.OriginalString.Split('#')[0];
        var anonymous = new BlogClient(app);
        var before = await anonymous.GetPageAsync(postPath);
        // Mail files are named by the (fake) clock; move it so the notice about the edit sorts last, once the
        // notices of the two new comments have left the background queue (named before the move).
        Mailbox.MessagesTo(app, owner.Email!);
        app.Clock.Advance(TimeSpan.FromSeconds(1));

        using var blocked = await member.SubmitFormAsync($"/comments/{id}/edit", new Dictionary<string, string> { ["Body"] = "Nice post. Visit my CASINO" });
        using var links = await member.SubmitFormAsync($"/comments/{other}/edit", new Dictionary<string, string> { ["Body"] = "see https://a.example and https://b.example" });
        var readersView = await anonymous.GetPageAsync(postPath);
        var writersView = await member.GetPageAsync(postPath);
        var notice = Mailbox.LastMessageTo(app, owner.Email!);
        await SaveAsync(new CommentSettings());

        Assert.NotNull(before.QuerySelector($"#c{id}"));
        Assert.Equal(HttpStatusCode.Redirect, blocked.StatusCode);
        Assert.Equal("held", Comment(app, id).Status);
        Assert.Contains("casino", Comment(app, id).HeldReason!, StringComparison.Ordinal);
        Assert.Equal("Nice post. Visit my CASINO", Comment(app, id).BodyMarkdown);
        Assert.Equal("held", Comment(app, other).Status);
        Assert.Equal("Contains 2 links", Comment(app, other).HeldReason);
        Assert.Null(readersView.QuerySelector($"#c{id}"));
        Assert.Null(readersView.QuerySelector($"#c{other}"));
        Assert.Equal("Awaiting moderation", writersView.QuerySelector($"#c{id} .comment-badge")!.TextContent);
        Assert.StartsWith("Comment awaiting moderation", notice.Subject, StringComparison.Ordinal);
        Assert.Contains("edited a comment", notice.TextBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BlockedWordsHiddenByMarkupEntitiesOrLookalikeLettersAreHeldWhenPostedOrEditedIn()
    {
        await SaveAsync(new CommentSettings { BlockedWords = "spam" });
        var postId = await CreatePostAsync(app);
        var (member, _) = await SignedInAsync(app, MemberRole.Member);
        string[] disguised = ["Buy sp&#97;m", "Buy s<b></b>pam", "Buy s*p*am", "Buy ｓｐａｍ", "Buy sp\u200Bam"];

        var posted = new List<long>();
        foreach (var text in disguised)
        {
            posted.Add(await CommentIdAsync(member, postId, text));
        }
        var plain = await CommentIdAsync(member, postId, "Nothing to see");
        var approvedBefore = Comment(app, plain).Status;
        using var edited = await member.SubmitFormAsync($"/comments/{plain}/edit", new Dictionary<string, string> { ["Body"] = "Nothing to s*p*am" });
        await SaveAsync(new CommentSettings());

        Assert.All(posted, id => Assert.Equal(("held", "Contains the blocked word “spam”"), (Comment(app, id).Status, Comment(app, id).HeldReason)));
        Assert.Equal("approved", approvedBefore);
        Assert.Equal(HttpStatusCode.Redirect, edited.StatusCode);
        Assert.Equal("held", Comment(app, plain).Status);
        Assert.Equal("Nothing to s*p*am", Comment(app, plain).BodyMarkdown);
    }

    [Fact]
    public async Task EditsFollowTheTrustedWriterRuleAndNeverApproveAHeldComment()
    {
        await SaveAsync(new CommentSettings { Moderation = CommentModeration.Always, TrustedAfterApproved = 2 });
        var postId = await CreatePostAsync(app);
        var (newcomer, _) = await SignedInAsync(app, MemberRole.Member);
        var (regular, _) = await SignedInAsync(app, MemberRole.Member);
        var (owner, _) = await SignedInAsync(app, MemberRole.Owner);
        var newcomers = await CommentIdAsync(newcomer, postId, "hello");
        var regulars = await CommentIdAsync(regular, postId, "one");
        var regularsOther = await CommentIdAsync(regular, postId, "two");
        var owners = await CommentIdAsync(owner, postId, "from the owner");
        Execute(app, "UPDATE comments SET status = 'approved', held_reason = NULL WHERE id IN (@A, @B, @C)", new { A = newcomers, B = regulars, C = regularsOther });
        var waiting = await CommentIdAsync(newcomer, postId, "waiting");

        using var newcomerEdit = await newcomer.SubmitFormAsync($"/comments/{newcomers}/edit", new Dictionary<string, string> { ["Body"] = "hello, edited" });
        using var regularEdit = await regular.SubmitFormAsync($"/comments/{regulars}/edit", new Dictionary<string, string> { ["Body"] = "one, edited" });
        using var ownerEdit = await owner.SubmitFormAsync($"/comments/{owners}/edit", new Dictionary<string, string> { ["Body"] = "from the owner, edited" });
        await SaveAsync(new CommentSettings());
        using var waitingEdit = await newcomer.SubmitFormAsync($"/comments/{waiting}/edit", new Dictionary<string, string> { ["Body"] = "waiting, edited" });

        Assert.All(new[] { newcomerEdit, regularEdit, ownerEdit, waitingEdit }, response => Assert.Equal(HttpStatusCode.Redirect, response.StatusCode));
        Assert.Equal("held", Comment(app, newcomers).Status);
        Assert.Equal("All comments are moderated", Comment(app, newcomers).HeldReason);
        Assert.Equal("approved", Comment(app, regulars).Status);
        Assert.Equal("approved", Comment(app, owners).Status);
        Assert.Equal("held", Comment(app, waiting).Status);
        Assert.Equal("waiting, edited", Comment(app, waiting).BodyMarkdown);
    }

    [Fact]
    public async Task HeldCommentIsSeenByItsWriterAndTheOwnerOnlyAndNotCounted()
    {
        await SaveAsync(new CommentSettings { Moderation = CommentModeration.Always });
        var postId = await CreatePostAsync(app);
        var (writer, _) = await SignedInAsync(app, MemberRole.Member);
        var (other, _) = await SignedInAsync(app, MemberRole.Member);
        var (owner, _) = await SignedInAsync(app, MemberRole.Owner);
        var id = await CommentIdAsync(writer, postId, "wait for me");
        await SaveAsync(new CommentSettings());

        var writersView = await writer.GetPageAsync(PostPath(app, postId));
        var othersView = await other.GetPageAsync(PostPath(app, postId));
        var ownersView = await owner.GetPageAsync(PostPath(app, postId));
        var anonymousView = await new BlogClient(app).GetPageAsync(PostPath(app, postId));
        using var link = await other.GetAsync($"/comments/{id}");

        Assert.Equal("Awaiting moderation", writersView.QuerySelector($"#c{id} .comment-badge")!.TextContent);
        Assert.NotNull(ownersView.QuerySelector($"#c{id}"));
        Assert.Null(othersView.QuerySelector($"#c{id}"));
        Assert.Null(anonymousView.QuerySelector($"#c{id}"));
        Assert.All(new[] { writersView, othersView, ownersView }, view => Assert.Equal("No comments", view.QuerySelector("#comments-heading")!.TextContent));
        Assert.Equal(HttpStatusCode.NotFound, link.StatusCode);
    }

    [Fact]
    public async Task OwnerApprovesRemovesAndBulkApprovesFromTheQueue()
    {
        await SaveAsync(new CommentSettings { Moderation = CommentModeration.Always });
        var postId = await CreatePostAsync(app);
        var (member, _) = await SignedInAsync(app, MemberRole.Member);
        var (owner, _) = await SignedInAsync(app, MemberRole.Owner);
        var ids = new List<long>();
        for (var i = 0; i < 4; i++)
        {
            ids.Add(await CommentIdAsync(member, postId, $"queued {i}"));
        }
        await SaveAsync(new CommentSettings());

        var queue = await owner.GetPageAsync("/admin/moderation");
        using var approveOne = await PostFormAsync(owner, "/admin/moderation/approve", new() { ["id"] = ids[0].ToString(CultureInfo.InvariantCulture) });
        using var removeOne = await PostFormAsync(owner, "/admin/moderation/remove", new() { ["id"] = ids[1].ToString(CultureInfo.InvariantCulture) });
        using var bulk = await owner.Http.PostAsync("/admin/moderation/approve", new FormUrlEncodedContent(
        [
            new(BlogClient.AntiforgeryField, BlogClient.AntiforgeryToken(queue, "/admin/moderation")),
            new("ids", ids[2].ToString(CultureInfo.InvariantCulture)),
            new("ids", ids[3].ToString(CultureInfo.InvariantCulture)),
        ]));
        var after = await owner.GetPageAsync("/admin/moderation");

        Assert.All(ids, id => Assert.NotNull(queue.QuerySelector($"#q{id}")));
        Assert.Contains("Held:", queue.QuerySelector($"#q{ids[0]}")!.TextContent, StringComparison.Ordinal);
        Assert.All(new[] { approveOne, removeOne, bulk }, response => Assert.Equal(HttpStatusCode.Redirect, response.StatusCode));
        Assert.Equal("approved", Comment(app, ids[0]).Status);
        Assert.Equal("admin", Comment(app, ids[1]).RemovedBy);
        Assert.Equal("approved", Comment(app, ids[2]).Status);
        Assert.Equal("approved", Comment(app, ids[3]).Status);
        Assert.All(ids, id => Assert.Null(after.QuerySelector($"#q{id}")));
    }

    [Fact]
    public async Task NavigationShowsTheOwnerThePendingCount()
    {
        var (owner, _) = await SignedInAsync(app, MemberRole.Owner);
        var (member, _) = await SignedInAsync(app, MemberRole.Member);
        var postId = await CreatePostAsync(app);
        var id = await CommentIdAsync(member, postId, "hmm");
        var pendingBefore = Scalar<long>(app, "SELECT COUNT(*) FROM comments WHERE status = 'held' AND removed_at IS NULL");
        Execute(app, "UPDATE comments SET status = 'held' WHERE id = @Id", new { Id = id });

        var ownerHome = await owner.GetPageAsync("/");
        var memberHome = await member.GetPageAsync("/");

        Assert.True(ownerHome.QuerySelector(".nav-count") is not null, ownerHome.QuerySelector("nav")!.OuterHtml);
        Assert.Equal((pendingBefore + 1).ToString(CultureInfo.InvariantCulture), ownerHome.QuerySelector("a[href='/admin/moderation'] .nav-count")!.TextContent);
        Assert.Null(memberHome.QuerySelector(".nav-count"));
        Execute(app, "UPDATE comments SET removed_at = '2000-01-01', removed_by = 'admin' WHERE id = @Id", new { Id = id });
    }

    [Fact]
    public async Task ReportsEnterTheQueueOncePerMemberAndBanningEndsTheWritersAccess()
    {
        var postId = await CreatePostAsync(app);
        var (writer, writerAccount) = await SignedInAsync(app, MemberRole.Member);
        var (reporter, _) = await SignedInAsync(app, MemberRole.Member);
        var (owner, _) = await SignedInAsync(app, MemberRole.Owner);
        var id = await CommentIdAsync(writer, postId, "something rude");

        using var first = await reporter.SubmitFormAsync($"/comments/{id}/report", new Dictionary<string, string> { ["Reason"] = "rude to others" });
        using var again = await reporter.SubmitFormAsync($"/comments/{id}/report", new Dictionary<string, string> { ["Reason"] = "still rude" });
        var queue = await owner.GetPageAsync("/admin/moderation");
        using var ban = await PostFormAsync(owner, "/admin/moderation/ban", new() { ["memberId"] = writerAccount.Id });
        using var afterBan = await CommentAsync(writer, postId, "I am back");

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, again.StatusCode);
        Assert.Contains("already reported", await BlogClient.TextOfAsync(again), StringComparison.Ordinal);
        Assert.Equal(1L, Scalar<long>(app, "SELECT COUNT(*) FROM comment_reports WHERE comment_id = @Id", new { Id = id }));
        Assert.Contains("Reported: rude to others", queue.QuerySelector($"#q{id}")!.TextContent, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, ban.StatusCode);
        Assert.NotNull(Scalar<string?>(app, "SELECT banned_at FROM members WHERE id = @Id", new { writerAccount.Id }));
        Assert.Equal(HttpStatusCode.Forbidden, afterBan.StatusCode);
        Assert.Equal(0L, Scalar<long>(app, "SELECT COUNT(*) FROM comments WHERE body_markdown = 'I am back'"));
    }

    [Fact]
    public async Task AMemberCannotReportTheirOwnComment()
    {
        var postId = await CreatePostAsync(app);
        var (writer, _) = await SignedInAsync(app, MemberRole.Member);
        var id = await CommentIdAsync(writer, postId, "my own words");
        var before = Snapshot(app);

        using var form = await writer.GetAsync($"/comments/{id}/report");
        using var report = await PostFormAsync(writer, $"/comments/{id}/report", new() { ["Reason"] = "testing the button" });

        Assert.Equal(HttpStatusCode.BadRequest, form.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, report.StatusCode);
        Assert.Contains("can't report your own comment", await BlogClient.TextOfAsync(report), StringComparison.Ordinal);
        Assert.Equal(before, Snapshot(app));
        Assert.Equal(0L, Scalar<long>(app, "SELECT COUNT(*) FROM comment_reports WHERE comment_id = @Id", new { Id = id }));
    }

    [Fact]
    public async Task InvalidSettingsAreReshownWithAMessage()
    {
        var (owner, _) = await SignedInAsync(app, MemberRole.Owner);
        var before = Snapshot(app);

        using var response = await owner.SubmitFormAsync("/admin/moderation", Fields("Always", moderateAfterDays: -5), "form.moderation-settings");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("from 0 to 3650", await BlogClient.TextOfAsync(response), StringComparison.Ordinal);
        Assert.Equal(before, Snapshot(app));
    }

    private static Dictionary<string, string> Fields(string mode, int moderateAfterDays) => new()
    {
        ["Moderation"] = mode,
        ["ModerateAfterDays"] = moderateAfterDays.ToString(CultureInfo.InvariantCulture),
        ["TrustedAfterApproved"] = "0",
        ["HoldLinksAtLeast"] = "0",
        ["BlockedWords"] = "",
        ["CloseAfterDays"] = "0",
    };

    private async Task SaveAsync(CommentSettings comments)
    {
        var store = app.Services.GetRequiredService<SiteSettingsStore>();
        await store.SaveAsync(await store.GetAsync() with { Comments = comments });
    }
}
