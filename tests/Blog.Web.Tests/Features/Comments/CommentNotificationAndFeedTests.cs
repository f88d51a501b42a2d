using System.Globalization;
using System.Net;
using System.Xml.Linq;
using Blog.Web.Features.Posts;
using Blog.Web.Features.Settings;
using Blog.Web.Identity;
using Blog.Web.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using static Blog.Web.Tests.Infrastructure.CommentTestData;

namespace Blog.Web.Tests.Features.Comments;

public sealed class CommentNotificationAndFeedTests(CommentAppFactory app) : IClassFixture<CommentAppFactory>
{
    private static readonly XNamespace Atom = "http://www.w3.org/2005/Atom";

    [Fact]
    public async Task PostAuthorAndOwnerAreEmailedAboutNewAndHeldComments()
    {
        var (authorClient, author) = await SignedInAsync(app, MemberRole.Author);
        var owner = await BlogClient.CreateAccountAsync(app, MemberRole.Owner);
        var postId = await CreatePostAsync(app, author.Id);
        var (member, _) = await SignedInAsync(app, MemberRole.Member);

        var id = await CommentIdAsync(member, postId, "Lovely post");
        var toAuthor = Mailbox.LastMessageTo(app, author.Email!);
        var toOwner = Mailbox.LastMessageTo(app, owner.Email!);
        var ownersLink = Mailbox.LinkInLastMessageTo(app, owner.Email!, "/comments/");
        await SaveAsync(new CommentSettings { Moderation = CommentModeration.Always });
        // Mail files are named by the (fake) clock; move it so the held notice sorts last.
        app.Clock.Advance(TimeSpan.FromSeconds(1));
        await CommentIdAsync(member, postId, "Held one");
        await SaveAsync(new CommentSettings());
        var heldToAuthor = Mailbox.LastMessageTo(app, author.Email!);
        var heldToOwner = Mailbox.LastMessageTo(app, owner.Email!);
        var authorsLink = Mailbox.LinkInLastMessageTo(app, author.Email!);
        using var authorOpensIt = await authorClient.GetAsync(authorsLink);
        using var authorOpensTheQueue = await authorClient.GetAsync("/admin/moderation");

        Assert.StartsWith("New comment on", toAuthor.Subject, StringComparison.Ordinal);
        Assert.Contains("Lovely post", toAuthor.TextBody, StringComparison.Ordinal);
        Assert.Equal($"/comments/{id}", ownersLink);
        Assert.StartsWith("New comment on", toOwner.Subject, StringComparison.Ordinal);
        Assert.StartsWith("Comment awaiting moderation", heldToAuthor.Subject, StringComparison.Ordinal);
        Assert.StartsWith("Comment awaiting moderation", heldToOwner.Subject, StringComparison.Ordinal);
        Assert.Equal("/admin/moderation", Mailbox.LinkInLastMessageTo(app, owner.Email!, "/admin/moderation"));
        Assert.DoesNotContain("/admin/moderation", heldToAuthor.TextBody, StringComparison.Ordinal);
        // The post's author decides on comments on their own post from the mail (Features/Moderation/MailModerationLinkTests).
        Assert.Contains("/moderation/approve?token=", heldToAuthor.TextBody, StringComparison.Ordinal);
        Assert.Contains("/moderation/reject?token=", heldToAuthor.TextBody, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, authorOpensIt.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, authorOpensTheQueue.StatusCode);
    }

    [Fact]
    public async Task ReplyNoticesCarryOneClickUnsubscribeHeadersThatAMailProgramCanUse()
    {
        var postId = await CreatePostAsync(app);
        var (writer, writerAccount) = await SignedInAsync(app, MemberRole.Member);
        var (replier, _) = await SignedInAsync(app, MemberRole.Member);
        var parent = await CommentIdAsync(writer, postId, "Tell me when someone answers", emailReplies: true);
        await CommentIdAsync(replier, postId, "Someone answers", parent);
        var notice = Mailbox.LastMessageTo(app, writerAccount.Email!);
        var listUnsubscribe = notice.Headers["List-Unsubscribe"] ?? "";
        var target = new Uri(listUnsubscribe.Trim().TrimStart('<').TrimEnd('>')).PathAndQuery;
        // A mail program has no cookie and no page to take an antiforgery token from.
        var mailProgram = new BlogClient(app);
        var before = Snapshot(app);

        using var withoutOneClick = await mailProgram.Http.PostAsync(target, new FormUrlEncodedContent([]));
        var afterRefusal = Snapshot(app);
        using var forged = await mailProgram.Http.PostAsync("/comments/unsubscribe?token=forged", OneClick());
        using var oneClick = await mailProgram.Http.PostAsync(target, OneClick());

        Assert.Equal("List-Unsubscribe=One-Click", notice.Headers["List-Unsubscribe-Post"]);
        Assert.StartsWith("<http", listUnsubscribe, StringComparison.Ordinal);
        Assert.StartsWith("/comments/unsubscribe?token=", target, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, withoutOneClick.StatusCode);
        Assert.Equal(before, afterRefusal);
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Equal(HttpStatusCode.OK, oneClick.StatusCode);
        Assert.Equal(0L, Scalar<long>(app, "SELECT email_reply_notices FROM member_preferences WHERE member_id = @Id", new { writerAccount.Id }));
    }

    private static FormUrlEncodedContent OneClick() => new(new Dictionary<string, string> { ["List-Unsubscribe"] = "One-Click" });

    [Fact]
    public async Task OptedInMembersHearAboutRepliesAndCanUnsubscribeWithoutSigningIn()
    {
        var postId = await CreatePostAsync(app);
        var (writer, writerAccount) = await SignedInAsync(app, MemberRole.Member);
        var (replier, _) = await SignedInAsync(app, MemberRole.Member);
        var parent = await CommentIdAsync(writer, postId, "What do you think?", emailReplies: true);

        await CommentIdAsync(replier, postId, "I think yes", parent);
        var notice = Mailbox.LastMessageTo(app, writerAccount.Email!);
        var unsubscribe = Mailbox.LinkInLastMessageTo(app, writerAccount.Email!, "/comments/unsubscribe");
        var stranger = new BlogClient(app);
        var confirm = await stranger.GetPageAsync(unsubscribe);
        var stillSubscribed = Scalar<long>(app, "SELECT email_reply_notices FROM member_preferences WHERE member_id = @Id", new { writerAccount.Id });
        using var done = await stranger.SubmitFormAsync(unsubscribe, new Dictionary<string, string>());
        var messagesBefore = Mailbox.MessagesTo(app, writerAccount.Email!).Count;
        await CommentIdAsync(replier, postId, "And another thing", parent);

        Assert.StartsWith("New reply to your comment", notice.Subject, StringComparison.Ordinal);
        Assert.Contains("I think yes", notice.TextBody, StringComparison.Ordinal);
        Assert.NotNull(confirm.QuerySelector("form[action='/comments/unsubscribe'] button"));
        Assert.Equal(1L, stillSubscribed);
        Assert.Equal(HttpStatusCode.OK, done.StatusCode);
        Assert.Equal(0L, Scalar<long>(app, "SELECT email_reply_notices FROM member_preferences WHERE member_id = @Id", new { writerAccount.Id }));
        Assert.Equal(messagesBefore, Mailbox.MessagesTo(app, writerAccount.Email!).Count);
    }

    [Theory]
    [InlineData("not-a-real-token")]
    [InlineData("%00")]
    [InlineData("abc%00def")]
    [InlineData("%E2%80%AE%F0%9F%98%80")]
    [InlineData("a%20b%2Bc%2F%3D")]
    public async Task TamperedUnsubscribeLinkIsRefused(string token)
    {
        var mailProgram = new BlogClient(app);
        using var response = await mailProgram.GetAsync("/comments/unsubscribe?token=" + token);
        using var oneClick = await mailProgram.Http.PostAsync("/comments/unsubscribe?token=" + token, OneClick());
        // The token in the form instead of the address, as a mail program may send it.
        using var inTheForm = await mailProgram.Http.PostAsync("/comments/unsubscribe", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["List-Unsubscribe"] = "One-Click", ["token"] = Uri.UnescapeDataString(token),
        }));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("doesn't work", await BlogClient.TextOfAsync(response), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, oneClick.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, inTheForm.StatusCode);
    }

    [Fact]
    public async Task FeedsCarryApprovedCommentsOnlyAndHideInvisiblePosts()
    {
        var postId = await CreatePostAsync(app);
        var draftId = await CreatePostAsync(app, app.Now.AddDays(-1), status: "draft");
        var (member, _) = await SignedInAsync(app, MemberRole.Member);
        var approved = await CommentIdAsync(member, postId, "In the *feed*");
        var held = await CommentIdAsync(member, postId, "Not in the feed");
        Execute(app, "UPDATE comments SET status = 'held' WHERE id = @Id", new { Id = held });
        var anonymous = new BlogClient(app);

        using var all = await anonymous.GetAsync("/feeds/comments/default");
        using var perPost = await anonymous.GetAsync($"/feeds/{postId}/comments/default");
        using var draft = await anonymous.GetAsync($"/feeds/{draftId}/comments/default");
        var allXml = XDocument.Parse(await all.Content.ReadAsStringAsync());
        var postXml = XDocument.Parse(await perPost.Content.ReadAsStringAsync());

        Assert.Equal("application/atom+xml", all.Content.Headers.ContentType!.MediaType);
        Assert.Contains(allXml.Descendants(Atom + "entry"), e => e.Element(Atom + "id")!.Value.EndsWith($"/comments/{approved}", StringComparison.Ordinal));
        var entries = postXml.Descendants(Atom + "entry").ToList();
        Assert.Single(entries);
        Assert.Contains("<em>feed</em>", entries[0].Element(Atom + "content")!.Value, StringComparison.Ordinal);
        Assert.DoesNotContain("Not in the feed", await perPost.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, draft.StatusCode);
    }

    [Fact]
    public async Task PostsThatTakeOrHaveCommentsLinkToTheirCommentFeedAndEveryPostPageNamesItInTheHead()
    {
        var publishedAt = app.Now.AddDays(-1);
        var open = await CreatePostAsync(app, publishedAt);
        var closedEmpty = await CreatePostAsync(app, publishedAt, allowComments: false);
        var closedWithComments = await CreatePostAsync(app, publishedAt);
        var (member, _) = await SignedInAsync(app, MemberRole.Member);
        await CommentIdAsync(member, closedWithComments, "Said before closing");
        Execute(app, "UPDATE posts SET allow_comments = FALSE WHERE id = @Id", new { Id = closedWithComments });
        app.ForgetCachedPages();
        var anonymous = new BlogClient(app);

        var openPage = await anonymous.GetPageAsync(PostPath(app, open));
        var closedEmptyPage = await anonymous.GetPageAsync(PostPath(app, closedEmpty));
        var closedWithCommentsPage = await anonymous.GetPageAsync(PostPath(app, closedWithComments));
        var headLink = openPage.Head!.QuerySelector($"link[rel=alternate][type='application/atom+xml'][href$='/feeds/{open}/comments/default']");
        using var feed = await anonymous.GetAsync(new Uri(headLink?.GetAttribute("href") ?? "http://missing/").PathAndQuery);

        Assert.Equal($"/feeds/{open}/comments/default", openPage.QuerySelector("#comments a.comment-feed")?.GetAttribute("href"));
        Assert.Null(closedEmptyPage.QuerySelector("a.comment-feed"));
        Assert.Equal($"/feeds/{closedWithComments}/comments/default", closedWithCommentsPage.QuerySelector("#comments a.comment-feed")?.GetAttribute("href"));
        Assert.NotNull(headLink);
        Assert.StartsWith("Comments on", headLink.GetAttribute("title"), StringComparison.Ordinal);
        Assert.NotNull(closedEmptyPage.Head!.QuerySelector($"link[rel=alternate][href$='/feeds/{closedEmpty}/comments/default']"));
        Assert.Equal(HttpStatusCode.OK, feed.StatusCode);
        Assert.Equal("application/atom+xml", feed.Content.Headers.ContentType!.MediaType);
    }

    [Fact]
    public async Task SectionShowsEachVisitorTheRightFormOrNote()
    {
        var postId = await CreatePostAsync(app);
        var (reader, _) = await SignedInAsync(app, MemberRole.Reader);
        var (member, _) = await SignedInAsync(app, MemberRole.Member);
        var url = PostPath(app, postId);

        var anonymous = await new BlogClient(app).GetPageAsync(url);
        var inviteOnly = await reader.GetPageAsync(url);
        await SaveSiteAsync(site => site with { MembershipMode = MembershipMode.Request });
        var requestMode = await reader.GetPageAsync(url);
        await SaveSiteAsync(site => site with { MembershipMode = MembershipMode.InviteOnly });
        var memberView = await member.GetPageAsync(url);

        Assert.Contains("Only a member of this blog may post a comment.", anonymous.Body!.TextContent, StringComparison.Ordinal);
        Assert.Equal($"/account/sign-in?returnUrl={Uri.EscapeDataString(url)}", anonymous.QuerySelector(".comment-note a")!.GetAttribute("href"));
        Assert.Null(anonymous.QuerySelector("form.comment-form"));
        Assert.Contains("by invitation", inviteOnly.Body!.TextContent, StringComparison.Ordinal);
        Assert.Null(inviteOnly.QuerySelector("form.comment-form"));
        Assert.Equal("/membership", requestMode.QuerySelector(".comment-note a.button")!.GetAttribute("href"));
        Assert.NotNull(memberView.QuerySelector("form.comment-form textarea[name=Body]"));
        Assert.Contains("Markdown", memberView.QuerySelector("#comment-hint")!.TextContent, StringComparison.Ordinal);
    }

    private async Task SaveAsync(CommentSettings comments) => await SaveSiteAsync(site => site with { Comments = comments });

    private async Task SaveSiteAsync(Func<SiteSettings, SiteSettings> change)
    {
        var store = app.Services.GetRequiredService<SiteSettingsStore>();
        await store.SaveAsync(change(await store.GetAsync()));
    }
}

public sealed class CommentPagingAndLimitTests : IDisposable
{
    private readonly CommentAppFactory _app = new();

    public CommentPagingAndLimitTests()
    {
        _app.Settings["Blog:Comments:PageSize"] = "2";
        _app.Settings["Blog:Comments:PerMinute"] = "7";
    }

    [Fact]
    public async Task ThreadsArePagedOldestFirstAndALinkToACommentLandsOnItsPage()
    {
        var postId = await CreatePostAsync(_app);
        var (member, _) = await SignedInAsync(_app, MemberRole.Member);
        var tops = new List<long>();
        for (var i = 0; i < 5; i++)
        {
            tops.Add(await CommentIdAsync(member, postId, $"top {i}"));
        }
        var reply = await CommentIdAsync(member, postId, "reply on page two", tops[3]);
        var url = PostPath(_app, postId);

        var first = await member.GetPageAsync(url);
        var second = await member.GetPageAsync(url + "?commentPage=2");
        var newest = await member.GetPageAsync(url + "?commentOrder=newest");
        using var link = await member.GetAsync($"/comments/{reply}");
        using var firstLink = await member.GetAsync($"/comments/{tops[0]}");

        Assert.Equal([$"c{tops[0]}", $"c{tops[1]}"], first.QuerySelectorAll(".comment-list > li > article").Select(a => a.Id));
        Assert.Equal([$"c{tops[2]}", $"c{tops[3]}"], second.QuerySelectorAll("#comments > .comment-list > li > article").Select(a => a.Id));
        Assert.NotNull(second.QuerySelector($"#c{reply}"));
        Assert.Equal([$"c{tops[4]}", $"c{tops[3]}"], newest.QuerySelectorAll("#comments > .comment-list > li > article").Select(a => a.Id));
        Assert.Equal("Page 1 of 3", first.QuerySelector(".comment-pages span")!.TextContent);
        Assert.Equal("6 comments", first.QuerySelector("#comments-heading")!.TextContent);
        Assert.EndsWith($"?commentPage=2#c{reply}", link.Headers.Location!.OriginalString, StringComparison.Ordinal);
        Assert.EndsWith($"#c{tops[0]}", firstLink.Headers.Location!.OriginalString, StringComparison.Ordinal);
        Assert.DoesNotContain("commentPage", firstLink.Headers.Location!.OriginalString, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ANewThreadPastTheFirstPageIsSentToTheLastPageWhereItIs()
    {
        var postId = await CreatePostAsync(_app);
        var (member, _) = await SignedInAsync(_app, MemberRole.Member);
        await CommentIdAsync(member, postId, "first");

        using var onFirstPage = await CommentAsync(member, postId, "second");
        await CommentIdAsync(member, postId, "third");
        using var onLastPage = await CommentAsync(member, postId, "fourth");
        var location = onLastPage.Headers.Location!.OriginalString;
        var page = await member.GetPageAsync(location.Split('#')[0]);

        Assert.DoesNotContain("commentPage", onFirstPage.Headers.Location!.OriginalString, StringComparison.Ordinal);
        Assert.Matches(@"\?commentPage=last#c\d+$", location);
        Assert.NotNull(page.QuerySelector("#" + location.Split('#')[1]));
        Assert.Equal("Page 2 of 2", page.QuerySelector(".comment-pages span")!.TextContent);
    }

    [Fact]
    public async Task TooManyCommentsAMinuteAreRefusedWithTheTextKept()
    {
        var postId = await CreatePostAsync(_app);
        var (member, _) = await SignedInAsync(_app, MemberRole.Member);
        for (var i = 0; i < 7; i++)
        {
            await CommentIdAsync(member, postId, $"quick {i}");
        }

        using var refused = await CommentAsync(member, postId, "one too many");
        var page = BlogClient.Parse(await refused.Content.ReadAsStringAsync());
        var stored = Scalar<long>(_app, "SELECT COUNT(*) FROM comments WHERE post_id = @PostId", new { PostId = postId });
        _app.Clock.Advance(TimeSpan.FromSeconds(61));
        using var later = await CommentAsync(member, postId, "after a pause");

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("up to 7 comments a minute", page.Body!.TextContent, StringComparison.Ordinal);
        Assert.Equal("one too many", page.QuerySelector("textarea[name=Body]")!.TextContent);
        Assert.Equal(7L, stored);
        Assert.Equal(HttpStatusCode.Redirect, later.StatusCode);
    }

    [Fact]
    public async Task PostsOlderThanTheCloseSettingTakeNoNewComments()
    {
        var postId = await CreatePostAsync(_app, ageDays: 40);
        var freshId = await CreatePostAsync(_app, ageDays: 5);
        var store = _app.Services.GetRequiredService<SiteSettingsStore>();
        await store.SaveAsync(await store.GetAsync() with { Comments = new CommentSettings { CloseAfterDays = 30 } });
        var (member, _) = await SignedInAsync(_app, MemberRole.Member);

        using var old = await CommentAsync(member, postId, "too late");
        using var fresh = await CommentAsync(member, freshId, "just in time");

        Assert.Equal(HttpStatusCode.Forbidden, old.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, fresh.StatusCode);
    }

    public void Dispose() => _app.Dispose();
}
