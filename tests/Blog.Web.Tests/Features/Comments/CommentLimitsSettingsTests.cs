using System.Net;
using Blog.Web.Identity;
using Blog.Web.Tests.Infrastructure;
using static Blog.Web.Tests.Infrastructure.CommentTestData;

namespace Blog.Web.Tests.Features.Comments;

/// <summary>The Blog:Comments limits set to something other than their defaults are the ones enforced.</summary>
public sealed class CommentLimitsSettingsTests : IDisposable
{
    private readonly CommentAppFactory _app = new();

    public CommentLimitsSettingsTests()
    {
        _app.Settings["Blog:Comments:MaxDepth"] = "1";
        _app.Settings["Blog:Comments:EditWindowMinutes"] = "5";
        _app.Settings["Blog:Comments:MaxLength"] = "40";
    }

    [Fact]
    public async Task RepliesStopNestingAtTheConfiguredDepth()
    {
        var postId = await CreatePostAsync(_app);
        var (member, _) = await SignedInAsync(_app, MemberRole.Member);

        var top = await CommentIdAsync(member, postId, "top");
        var reply = await CommentIdAsync(member, postId, "reply", top);
        var deeper = await CommentIdAsync(member, postId, "reply to the reply", reply);

        Assert.Equal(1, Comment(_app, reply).Depth);
        Assert.Equal(1, Comment(_app, deeper).Depth);
        Assert.Equal(top, Comment(_app, deeper).ParentId);
    }

    [Fact]
    public async Task TheConfiguredEditWindowIsTheOneEnforced()
    {
        var postId = await CreatePostAsync(_app);
        var (member, _) = await SignedInAsync(_app, MemberRole.Member);
        var early = await CommentIdAsync(member, postId, "early");
        var late = await CommentIdAsync(member, postId, "late");
        _app.Clock.Advance(TimeSpan.FromMinutes(4));

        using var inTime = await member.SubmitFormAsync($"/comments/{early}/edit", new Dictionary<string, string> { ["Body"] = "early, fixed" });
        var token = await member.AntiforgeryTokenAsync($"/comments/{late}/edit");
        _app.Clock.Advance(TimeSpan.FromMinutes(2));
        using var tooLate = await member.Http.PostAsync($"/comments/{late}/edit", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            [BlogClient.AntiforgeryField] = token,
            ["Body"] = "late, fixed",
        }));

        Assert.Equal(HttpStatusCode.Redirect, inTime.StatusCode);
        Assert.Equal("early, fixed", Comment(_app, early).BodyMarkdown);
        Assert.Equal(HttpStatusCode.Forbidden, tooLate.StatusCode);
        Assert.Contains("edited for 5 minutes", await BlogClient.TextOfAsync(tooLate), StringComparison.Ordinal);
        Assert.Equal("late", Comment(_app, late).BodyMarkdown);
    }

    [Fact]
    public async Task TheConfiguredMaximumLengthIsTheOneEnforced()
    {
        var postId = await CreatePostAsync(_app);
        var (member, _) = await SignedInAsync(_app, MemberRole.Member);
        var fits = new string('a', 40);
        var tooLong = new string('b', 41);

        using var accepted = await CommentAsync(member, postId, fits);
        using var refused = await CommentAsync(member, postId, tooLong);
        var page = BlogClient.Parse(await refused.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.Redirect, accepted.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("at most 40 characters; this one has 41", page.Body!.TextContent, StringComparison.Ordinal);
        Assert.Equal("40", page.QuerySelector("textarea[name=Body]")!.GetAttribute("maxlength"));
        Assert.Equal(tooLong, page.QuerySelector("textarea[name=Body]")!.TextContent);
    }

    public void Dispose() => _app.Dispose();
}

/// <summary>The queue on its own blog, so that no other test's held comments change its pages.</summary>
public sealed class ModerationQueuePagingTests : IDisposable
{
    private readonly CommentAppFactory _app = new();

    [Fact]
    public async Task MoreThanAPageOfHeldCommentsContinuesOnPageTwo()
    {
        var postId = await CreatePostAsync(_app);
        var (member, account) = await SignedInAsync(_app, MemberRole.Member);
        var (owner, _) = await SignedInAsync(_app, MemberRole.Owner);
        var ids = new List<long>();
        for (var i = 0; i < 30; i++)
        {
            ids.Add(await CommentIdAsync(member, postId, $"held {i}"));
        }
        Execute(_app, "UPDATE comments SET status = 'held', held_reason = 'All comments are moderated' WHERE author_id = @Id", new { account.Id });

        var first = await owner.GetPageAsync("/admin/moderation");
        var second = await owner.GetPageAsync(first.QuerySelector("a[rel=next]")!.GetAttribute("href")!);

        Assert.Equal(ids[..25].Select(id => $"q{id}"), first.QuerySelectorAll("li.queue-item").Select(e => e.Id));
        Assert.Equal(ids[25..].Select(id => $"q{id}"), second.QuerySelectorAll("li.queue-item").Select(e => e.Id));
        Assert.Equal("Page 1 of 2", first.QuerySelector(".comment-pages span")!.TextContent);
        Assert.Equal("Page 2 of 2", second.QuerySelector(".comment-pages span")!.TextContent);
        Assert.Equal("/admin/moderation?page=2", first.QuerySelector("a[rel=next]")!.GetAttribute("href"));
    }

    public void Dispose() => _app.Dispose();
}

/// <summary>Closing comments stops new ones; what was said stays readable.</summary>
public sealed class ClosedPostCommentsTests(CommentAppFactory app) : IClassFixture<CommentAppFactory>
{
    [Fact]
    public async Task OldCommentsStayVisibleWhenAPostsCommentsAreClosed()
    {
        var postId = await CreatePostAsync(app);
        var (member, _) = await SignedInAsync(app, MemberRole.Member);
        var id = await CommentIdAsync(member, postId, "Said while it was open");
        var reply = await CommentIdAsync(member, postId, "And a reply", id);
        Execute(app, "UPDATE posts SET allow_comments = FALSE WHERE id = @Id", new { Id = postId });
        app.ForgetCachedPages();

        var anonymous = await new BlogClient(app).GetPageAsync(PostPath(app, postId));
        var memberView = await member.GetPageAsync(PostPath(app, postId));

        Assert.Equal("2 comments", anonymous.QuerySelector("#comments-heading")!.TextContent);
        Assert.Contains("Said while it was open", anonymous.QuerySelector($"#c{id} .comment-body")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("And a reply", anonymous.QuerySelector($"#c{reply} .comment-body")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("Comments are closed.", memberView.Body!.TextContent, StringComparison.Ordinal);
        Assert.NotNull(memberView.QuerySelector($"#c{id} .comment-body"));
        Assert.Null(memberView.QuerySelector("form.comment-form"));
        Assert.Null(memberView.QuerySelector($"#c{id} a[href*='replyTo']"));
    }
}
