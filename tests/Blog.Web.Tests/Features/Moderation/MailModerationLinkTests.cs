using System.Net;
using System.Text.RegularExpressions;
using Blog.Web.Features.Settings;
using Blog.Web.Identity;
using Blog.Web.Tests.Infrastructure;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using static Blog.Web.Tests.Infrastructure.CommentTestData;

namespace Blog.Web.Tests.Features.Moderation;

/// <summary>
/// The approve and reject links in the mail about a held comment, taken from the mail the blog really sent (the
/// mail folder) and used by a visitor who is not signed in, as the owner reading mail on a phone would be.
/// </summary>
public sealed partial class MailModerationLinkTests(MailLinkAppFactory app) : IClassFixture<MailLinkAppFactory>
{
    [GeneratedRegex(@"^https?://\S+$", RegexOptions.Multiline)]
    private static partial Regex LinkLine();

    [Fact]
    public async Task HeldCommentMailCarriesTwoLinksOnTheBlogsAddressEachOnItsOwnLineAndStoresOnlyTheirHashes()
    {
        var held = await HeldCommentAsync("Please approve me");

        var body = Mailbox.LastMessageTo(app, held.Owner.Email!).TextBody!;
        var links = LinkLine().Matches(body).Select(m => m.Value.TrimEnd('\r')).ToList();
        var approve = links.Single(link => link.Contains("/moderation/approve?token=", StringComparison.Ordinal));
        var reject = links.Single(link => link.Contains("/moderation/reject?token=", StringComparison.Ordinal));

        Assert.StartsWith("http://localhost/moderation/approve?token=", approve, StringComparison.Ordinal);
        Assert.StartsWith("http://localhost/moderation/reject?token=", reject, StringComparison.Ordinal);
        Assert.Contains("Approve it (it appears under the post for everyone):\n" + approve, body.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.Contains("Reject it (it is removed; readers never see it):\n" + reject, body.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.Matches(@"Each link works once, for this comment only, until \d{1,2} \w{3} \d{4}, \d{2}:\d{2}", body);
        Assert.Equal(43, Token(approve).Length);
        Assert.Equal(2, Scalar<long>(app, "SELECT COUNT(*) FROM moderation_links WHERE comment_id = @Id AND recipient_id = @Owner",
            new { Id = held.CommentId, Owner = held.Owner.Id }));
        Assert.Equal(1, Scalar<long>(app, "SELECT COUNT(*) FROM moderation_links WHERE token_hash = @Hash AND action = 'approve'", new { Hash = AccessHash(Token(approve)) }));
        Assert.Equal(1, Scalar<long>(app, "SELECT COUNT(*) FROM moderation_links WHERE token_hash = @Hash AND action = 'reject'", new { Hash = AccessHash(Token(reject)) }));
        Assert.Equal(0, Scalar<long>(app, "SELECT COUNT(*) FROM moderation_links WHERE token_hash LIKE '%' || @Approve || '%' OR token_hash LIKE '%' || @Reject || '%'",
            new { Approve = Token(approve), Reject = Token(reject) }));
    }

    [Fact]
    public async Task OpeningALinkShowsTheCommentAndWhatTheButtonDoesAndChangesNothingHoweverOftenItIsAsked()
    {
        var held = await HeldCommentAsync("Held words *worth* reading");
        var approve = LinkTo(held, "/moderation/approve");
        var reject = LinkTo(held, "/moderation/reject");
        using var visitor = new BlogClient(app);
        var before = State();

        using var page = await visitor.GetAsync(approve);
        var text = await BlogClient.TextOfAsync(page);
        using var rejectPage = await visitor.GetAsync(reject);
        var rejectText = await BlogClient.TextOfAsync(rejectPage);
        for (var i = 0; i < 20; i++)
        {
            using var again = await visitor.GetAsync(i % 2 == 0 ? approve : reject);
            using var head = await visitor.Http.SendAsync(new HttpRequestMessage(HttpMethod.Head, approve));
            Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        }

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.True(page.Headers.CacheControl?.NoStore, $"Cache-Control: {page.Headers.CacheControl}");
        Assert.Contains("Approve this comment?", text, StringComparison.Ordinal);
        Assert.Contains(held.PostTitle, text, StringComparison.Ordinal);
        Assert.Contains("Held words worth reading", text, StringComparison.Ordinal);
        Assert.Contains(held.Writer.DisplayName, text, StringComparison.Ordinal);
        Assert.Contains("Approving publishes it under the post", text, StringComparison.Ordinal);
        Assert.Contains("Nothing has changed yet", text, StringComparison.Ordinal);
        Assert.Contains("Reject this comment?", rejectText, StringComparison.Ordinal);
        Assert.Contains("Rejecting removes it", rejectText, StringComparison.Ordinal);
        Assert.DoesNotContain(page.Headers.TryGetValues("Set-Cookie", out var cookies) ? cookies : [], cookie => cookie.StartsWith(".AspNetCore.Identity", StringComparison.Ordinal));
        Assert.Equal(before, State());
        Assert.Equal("held", Comment(app, held.CommentId).Status);
    }

    [Fact]
    public async Task ApproveLinkPublishesTheCommentOnceThroughTheQueuesRulesAndSpendsItsSibling()
    {
        var held = await HeldCommentAsync("Approve me from the inbox");
        var approve = LinkTo(held, "/moderation/approve");
        var reject = LinkTo(held, "/moderation/reject");
        using var visitor = new BlogClient(app);
        var postPath = PostPath(app, held.PostId);
        var readerBefore = await visitor.GetPageAsync(postPath);

        using var done = await visitor.SubmitFormAsync(approve, new Dictionary<string, string>(), "form[action='/moderation/approve']");
        var doneText = await BlogClient.TextOfAsync(done);
        var readerAfter = await visitor.GetPageAsync(postPath);
        using var reused = await visitor.GetAsync(approve);
        using var reusedPost = await PostAsync(visitor, "/moderation/approve", new Dictionary<string, string> { ["token"] = Token(approve) });
        using var sibling = await visitor.GetAsync(reject);
        using var siblingPost = await PostAsync(visitor, "/moderation/reject", new Dictionary<string, string> { ["token"] = Token(reject) });
        using var queue = await visitor.GetAsync("/admin/moderation");

        Assert.Equal(HttpStatusCode.OK, done.StatusCode);
        Assert.Contains("Comment approved", doneText, StringComparison.Ordinal);
        Assert.Equal("approved", Comment(app, held.CommentId).Status);
        Assert.DoesNotContain("Approve me from the inbox", readerBefore.Body!.TextContent, StringComparison.Ordinal);
        Assert.Contains("Approve me from the inbox", readerAfter.Body!.TextContent, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Gone, reused.StatusCode);
        Assert.Contains("already approved", await BlogClient.TextOfAsync(reused), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Gone, reusedPost.StatusCode);
        Assert.Equal(HttpStatusCode.Gone, sibling.StatusCode);
        Assert.Equal(HttpStatusCode.Gone, siblingPost.StatusCode);
        Assert.Equal("approved", Comment(app, held.CommentId).Status);
        Assert.Equal(0, Scalar<long>(app, "SELECT COUNT(*) FROM moderation_links WHERE comment_id = @Id AND used_at IS NULL", new { Id = held.CommentId }));
        Assert.Equal(HttpStatusCode.Redirect, queue.StatusCode);
        Assert.Contains("/account/sign-in", queue.Headers.Location!.OriginalString, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ApprovingAReplyFromTheInboxTellsItsParentsWriterAsTheQueueDoes()
    {
        await HoldEverythingAsync();
        var owner = await BlogClient.CreateAccountAsync(app, MemberRole.Owner);
        var postId = await CreatePostAsync(app);
        var (parentWriter, parentAccount) = await SignedInAsync(app, MemberRole.Member);
        var parentId = await CommentIdAsync(parentWriter, postId, "The first word", emailReplies: true);
        Execute(app, "UPDATE comments SET status = 'approved' WHERE id = @Id", new { Id = parentId });
        var (replier, _) = await SignedInAsync(app, MemberRole.Member);
        var replyId = await CommentIdAsync(replier, postId, "A held reply", parentId);
        var repliesBefore = Mailbox.MessagesTo(app, parentAccount.Email!).Count;
        var approve = Mailbox.LinkInLastMessageTo(app, owner.Email!, "/moderation/approve");
        using var visitor = new BlogClient(app);

        using var done = await visitor.SubmitFormAsync(approve, new Dictionary<string, string>(), "form[action='/moderation/approve']");

        Assert.Equal(HttpStatusCode.OK, done.StatusCode);
        Assert.Equal("approved", Comment(app, replyId).Status);
        Assert.Equal(repliesBefore + 1, Mailbox.MessagesTo(app, parentAccount.Email!).Count);
        Assert.Contains("A held reply", Mailbox.LastMessageTo(app, parentAccount.Email!).TextBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RejectLinkRemovesTheCommentAsAnAdministratorWouldAndSpendsTheApproveLink()
    {
        var held = await HeldCommentAsync("Reject me from the inbox");
        var approve = LinkTo(held, "/moderation/approve");
        var reject = LinkTo(held, "/moderation/reject");
        using var visitor = new BlogClient(app);

        using var done = await visitor.SubmitFormAsync(reject, new Dictionary<string, string>(), "form[action='/moderation/reject']");
        using var sibling = await visitor.GetAsync(approve);

        Assert.Equal(HttpStatusCode.OK, done.StatusCode);
        Assert.Contains("Comment rejected", await BlogClient.TextOfAsync(done), StringComparison.Ordinal);
        Assert.Equal("admin", Comment(app, held.CommentId).RemovedBy);
        Assert.Equal(HttpStatusCode.Gone, sibling.StatusCode);
        Assert.Contains("already removed", await BlogClient.TextOfAsync(sibling), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnExpiredLinkSaysSoAndLeavesTheCommentInTheQueue()
    {
        var held = await HeldCommentAsync("Too late for the inbox");
        var approve = LinkTo(held, "/moderation/approve");
        using var visitor = new BlogClient(app);
        var confirm = await visitor.GetPageAsync(approve);
        app.Clock.Advance(TimeSpan.FromDays(7).Add(TimeSpan.FromMinutes(1)));

        using var opened = await visitor.GetAsync(approve);
        using var posted = await visitor.Http.PostAsync("/moderation/approve", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["token"] = Token(approve),
            [BlogClient.AntiforgeryField] = BlogClient.AntiforgeryToken(confirm, approve),
        }));

        Assert.Equal(HttpStatusCode.Gone, opened.StatusCode);
        Assert.Contains("This link has expired", await BlogClient.TextOfAsync(opened), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Gone, posted.StatusCode);
        Assert.Contains("/admin/moderation", await posted.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal("held", Comment(app, held.CommentId).Status);
        Assert.Equal(0, Scalar<long>(app, "SELECT COUNT(*) FROM moderation_links WHERE comment_id = @Id AND used_at IS NOT NULL", new { Id = held.CommentId }));
    }

    [Fact]
    public async Task ALinkWorksOnlyForTheDecisionItWasMadeFor()
    {
        var held = await HeldCommentAsync("Approve, not reject");
        var approveToken = Token(LinkTo(held, "/moderation/approve"));
        var rejectToken = Token(LinkTo(held, "/moderation/reject"));
        using var visitor = new BlogClient(app);
        var before = State();

        using var swappedGet = await visitor.GetAsync("/moderation/reject?token=" + approveToken);
        using var swappedPost = await PostAsync(visitor, "/moderation/reject", new Dictionary<string, string> { ["token"] = approveToken });
        using var otherSwap = await PostAsync(visitor, "/moderation/approve", new Dictionary<string, string> { ["token"] = rejectToken });
        using var otherVerb = await visitor.GetAsync("/moderation/publish?token=" + approveToken);

        Assert.Equal(HttpStatusCode.NotFound, swappedGet.StatusCode);
        Assert.Contains("This moderation link doesn't work", await BlogClient.TextOfAsync(swappedGet), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, swappedPost.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, otherSwap.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, otherVerb.StatusCode);
        Assert.Equal(before, State());
    }

    [Fact]
    public async Task HostileTokensGetAClearRefusalNeverAServerErrorAndChangeNothing()
    {
        var held = await HeldCommentAsync("Under attack");
        var approveToken = Token(LinkTo(held, "/moderation/approve"));
        using var visitor = new BlogClient(app);
        var before = State();
        string[] tokens =
        [
            "", " ", approveToken[..42], approveToken + "A", approveToken + "=", approveToken.ToUpperInvariant(),
            new string('A', 43), new string('a', 100_000), "%00" + approveToken[3..], "é" + approveToken[1..],
            "../../admin/moderation", "<script>alert(1)</script>", "' OR 1=1 --" + new string('x', 32),
            string.Concat(Enumerable.Repeat("%F0%9F%92%A9", 43)), "\u0000" + approveToken[1..],
        ];

        foreach (var token in tokens)
        {
            using var get = await visitor.GetAsync("/moderation/approve?token=" + Uri.EscapeDataString(token));
            using var post = await PostAsync(visitor, "/moderation/approve", new Dictionary<string, string> { ["token"] = token });
            Assert.True(get.StatusCode == HttpStatusCode.NotFound, $"GET with '{token[..Math.Min(20, token.Length)]}' answered {(int)get.StatusCode}");
            // The blog refuses any form carrying a NUL with a 400 before it reaches an action; the rest are links it never sent.
            Assert.True(post.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.BadRequest, $"POST with '{token[..Math.Min(20, token.Length)]}' answered {(int)post.StatusCode}");
            Assert.DoesNotContain("Approve the comment", await post.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        using var repeated = await visitor.GetAsync("/moderation/approve?token=" + approveToken + "&token=" + approveToken);
        using var noToken = await PostAsync(visitor, "/moderation/approve", new Dictionary<string, string>());

        Assert.True(repeated.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.OK, $"A repeated token answered {(int)repeated.StatusCode}");
        Assert.Equal(HttpStatusCode.NotFound, noToken.StatusCode);
        Assert.Equal(before, State());
    }

    [Fact]
    public async Task APostWithoutTheConfirmPagesAntiforgeryTokenChangesNothing()
    {
        var held = await HeldCommentAsync("Forged from elsewhere");
        var approveToken = Token(LinkTo(held, "/moderation/approve"));
        using var visitor = new BlogClient(app);
        var before = State();

        using var forged = await visitor.Http.PostAsync("/moderation/approve", new FormUrlEncodedContent(new Dictionary<string, string> { ["token"] = approveToken }));

        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Equal(before, State());
    }

    [Fact]
    public async Task DecidingInTheQueueSpendsTheMailLinks()
    {
        var held = await HeldCommentAsync("Decided in the queue");
        var approve = LinkTo(held, "/moderation/approve");
        var reject = LinkTo(held, "/moderation/reject");
        using var owner = new BlogClient(app);
        await owner.SignInAsync(held.Owner.Email!);

        using var queued = await owner.PostAsync("/admin/moderation/approve", new Dictionary<string, string> { ["id"] = held.CommentId.ToString(System.Globalization.CultureInfo.InvariantCulture) }, "/admin/moderation");
        using var visitor = new BlogClient(app);
        using var opened = await visitor.GetAsync(reject);
        using var approveOpened = await visitor.GetAsync(approve);

        Assert.Equal(HttpStatusCode.Redirect, queued.StatusCode);
        Assert.Equal(HttpStatusCode.Gone, opened.StatusCode);
        Assert.Contains("already approved", await BlogClient.TextOfAsync(opened), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Gone, approveOpened.StatusCode);
        Assert.Equal(0, Scalar<long>(app, "SELECT COUNT(*) FROM moderation_links WHERE comment_id = @Id AND used_at IS NULL", new { Id = held.CommentId }));
    }

    [Fact]
    public async Task EditingAHeldCommentSpendsItsLinksAndMailsNewOnesForTheNewText()
    {
        var held = await HeldCommentAsync("Harmless at first");
        var oldApprove = LinkTo(held, "/moderation/approve");
        app.Clock.Advance(TimeSpan.FromSeconds(1));

        using var edited = await held.WriterClient.SubmitFormAsync($"/comments/{held.CommentId}/edit", new Dictionary<string, string> { ["Body"] = "Something else entirely" });
        var newMail = Mailbox.LastMessageTo(app, held.Owner.Email!).TextBody!;
        var newApprove = Mailbox.LinkInLastMessageTo(app, held.Owner.Email!, "/moderation/approve");
        using var visitor = new BlogClient(app);
        using var oldOpened = await visitor.GetAsync(oldApprove);
        var newPage = await visitor.GetPageAsync(newApprove);

        Assert.Equal(HttpStatusCode.Redirect, edited.StatusCode);
        Assert.Contains("edited a comment", newMail, StringComparison.Ordinal);
        Assert.Contains("Something else entirely", newMail, StringComparison.Ordinal);
        Assert.NotEqual(oldApprove, newApprove);
        Assert.Equal(HttpStatusCode.Gone, oldOpened.StatusCode);
        Assert.Contains("changed after the email was sent", await BlogClient.TextOfAsync(oldOpened), StringComparison.Ordinal);
        Assert.Contains("Something else entirely", newPage.Body!.TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain("Harmless at first", newPage.Body!.TextContent, StringComparison.Ordinal);
        Assert.Equal("held", Comment(app, held.CommentId).Status);
    }

    [Fact]
    public async Task AnEditThatSlipsPastTheSpendingStillCannotBeApprovedWithTheOldLink()
    {
        var held = await HeldCommentAsync("Text the owner read");
        var approve = LinkTo(held, "/moderation/approve");
        using var visitor = new BlogClient(app);
        var confirm = await visitor.GetPageAsync(approve);
        app.Clock.Advance(TimeSpan.FromSeconds(1));
        // The text changes under the open confirm page without the links being spent (a write racing the click).
        Execute(app, "UPDATE comments SET body_html = '<p>Swapped</p>', edited_at = @Now WHERE id = @Id", new { Id = held.CommentId, Now = TestDatabase.StoredTime(app.Now) });

        using var posted = await visitor.Http.PostAsync("/moderation/approve", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["token"] = Token(approve),
            [BlogClient.AntiforgeryField] = BlogClient.AntiforgeryToken(confirm, approve),
        }));

        Assert.Equal(HttpStatusCode.Gone, posted.StatusCode);
        Assert.Equal("held", Comment(app, held.CommentId).Status);
    }

    [Fact]
    public async Task ThePostsAuthorDecidesFromTheirMailWhileTheyStillWriteHereAndNotOnceDemotedOrBanned()
    {
        await HoldEverythingAsync();
        var author = await BlogClient.CreateAccountAsync(app, MemberRole.Author);
        var postId = await CreatePostAsync(app, author.Id);
        var (writer, _) = await SignedInAsync(app, MemberRole.Member);
        var first = await CommentIdAsync(writer, postId, "For the author to approve");
        var firstApprove = Mailbox.LinkInLastMessageTo(app, author.Email!, "/moderation/approve");
        var second = await CommentIdAsync(writer, postId, "For a demoted author");
        var secondApprove = Mailbox.LinkInLastMessageTo(app, author.Email!, "/moderation/approve");
        using var visitor = new BlogClient(app);

        using var approved = await visitor.SubmitFormAsync(firstApprove, new Dictionary<string, string>(), "form[action='/moderation/approve']");
        var confirm = await visitor.GetPageAsync(secondApprove);
        Execute(app, "UPDATE members SET role = 'member' WHERE id = @Id", new { author.Id });
        using var demoted = await visitor.GetAsync(secondApprove);
        using var demotedPost = await visitor.Http.PostAsync("/moderation/approve", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["token"] = Token(secondApprove),
            [BlogClient.AntiforgeryField] = BlogClient.AntiforgeryToken(confirm, secondApprove),
        }));
        Execute(app, "UPDATE members SET role = 'author', banned_at = @Now WHERE id = @Id", new { author.Id, Now = TestDatabase.StoredTime(app.Now) });
        using var banned = await visitor.GetAsync(secondApprove);

        Assert.Equal(HttpStatusCode.OK, approved.StatusCode);
        Assert.Equal("approved", Comment(app, first).Status);
        Assert.Equal(HttpStatusCode.Forbidden, demoted.StatusCode);
        Assert.Contains("no longer works for you", await BlogClient.TextOfAsync(demoted), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, demotedPost.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, banned.StatusCode);
        Assert.Equal("held", Comment(app, second).Status);
    }

    [Fact]
    public async Task AMembersMailAboutTheirOwnPostsCommentsHasNoLinksAndNobodyElseGetsAny()
    {
        await HoldEverythingAsync();
        var postId = await CreatePostAsync(app);
        var (writer, _) = await SignedInAsync(app, MemberRole.Member);
        var owner = await BlogClient.CreateAccountAsync(app, MemberRole.Owner);

        var id = await CommentIdAsync(writer, postId, "Held, with links for the owner only");
        Mailbox.MessagesTo(app, owner.Email!);

        Assert.Equal(0, Scalar<long>(app, """
            SELECT COUNT(*) FROM moderation_links l JOIN members m ON m.id = l.recipient_id
            WHERE l.comment_id = @Id AND m.role <> 'owner'
            """, new { Id = id }));
        Assert.True(Scalar<long>(app, "SELECT COUNT(*) FROM moderation_links WHERE comment_id = @Id AND recipient_id = @Owner", new { Id = id, Owner = owner.Id }) == 2);
    }

    private async Task HoldEverythingAsync()
    {
        var store = app.Services.GetRequiredService<SiteSettingsStore>();
        await store.SaveAsync(await store.GetAsync() with { Comments = new CommentSettings { Moderation = CommentModeration.Always } });
    }

    private async Task<HeldComment> HeldCommentAsync(string text)
    {
        await HoldEverythingAsync();
        var owner = await BlogClient.CreateAccountAsync(app, MemberRole.Owner);
        var postId = await CreatePostAsync(app);
        var (writerClient, writer) = await SignedInAsync(app, MemberRole.Member);
        var id = await CommentIdAsync(writerClient, postId, text);
        Assert.Equal("held", Comment(app, id).Status);
        var title = Scalar<string>(app, "SELECT title FROM posts WHERE id = @Id", new { Id = postId });
        return new HeldComment(owner, writer, writerClient, postId, title, id);
    }

    /// <summary>A POST with an antiforgery token, as a visitor who is not signed in gets one (from the sign-in form).</summary>
    private static Task<HttpResponseMessage> PostAsync(BlogClient visitor, string url, Dictionary<string, string> fields) =>
        visitor.PostAsync(url, fields, "/account/sign-in");

    private string LinkTo(HeldComment held, string path) => Mailbox.LinkInLastMessageTo(app, held.Owner.Email!, path);

    private static string Token(string link) => link[(link.IndexOf("token=", StringComparison.Ordinal) + "token=".Length)..];

    private static string AccessHash(string token) => Blog.Web.Features.IndieAuth.AccessTokenStore.Hash(token);

    /// <summary>Everything a link could change: the comments, the links themselves, the queue's reports and the outbox.</summary>
    private string State()
    {
        using var db = app.OpenDatabase();
        return Snapshot(app) + "\n--\n"
            + string.Join(",", db.Query<string>("SELECT id || ':' || COALESCE(CAST(used_at AS text), '-') FROM moderation_links ORDER BY id")) + "\n--\n"
            + Scalar<long>(app, "SELECT COUNT(*) FROM mail_outbox");
    }

    private sealed record HeldComment(Member Owner, Member Writer, BlogClient WriterClient, long PostId, string PostTitle, long CommentId);
}
