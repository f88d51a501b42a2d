using System.Net;
using Blog.Web.Identity;
using Blog.Web.Tests.Infrastructure;
using static Blog.Web.Tests.Infrastructure.CommentTestData;

namespace Blog.Web.Tests.Features.Comments;

public sealed class CommentThreadTests(CommentAppFactory app) : IClassFixture<CommentAppFactory>
{
    [Fact]
    public async Task MemberCommentIsStoredRenderedAndCounted()
    {
        var postId = await CreatePostAsync(app);
        var (member, account) = await SignedInAsync(app, MemberRole.Member);

        using var response = await CommentAsync(member, postId, "Hello **there**");
        var id = IdFromLocation(response);
        var section = await member.GetPageAsync(PostPath(app, postId));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Matches(@"^/\d{4}/\d{2}/post-[0-9a-f]+#c\d+$", response.Headers.Location!.OriginalString);
        Assert.Equal("approved", Comment(app, id).Status);
        Assert.Equal(account.Id, Comment(app, id).AuthorId);
        Assert.Equal("<p>Hello <strong>there</strong></p>", Comment(app, id).BodyHtml);
        Assert.Equal("1 comment", section.QuerySelector("#comments-heading")!.TextContent);
        Assert.Contains("there", section.QuerySelector($"#c{id} .comment-body strong")!.TextContent, StringComparison.Ordinal);
        Assert.Equal("Test Member", section.QuerySelector($"#c{id} .comment-author")!.TextContent);
    }

    [Fact]
    public async Task HeadingCountsOnlyApprovedNonRemovedComments()
    {
        var postId = await CreatePostAsync(app);
        var (member, _) = await SignedInAsync(app, MemberRole.Member);
        var anonymous = new BlogClient(app);

        var empty = await anonymous.GetPageAsync(PostPath(app, postId));
        var first = await CommentIdAsync(member, postId, "one");
        await CommentIdAsync(member, postId, "two");
        var third = await CommentIdAsync(member, postId, "three");
        Execute(app, "UPDATE comments SET status = 'held' WHERE id = @Id", new { Id = third });
        using var _ = await PostFormAsync(member, $"/comments/{first}/delete");
        var after = await anonymous.GetPageAsync(PostPath(app, postId));

        Assert.Equal("No comments", empty.QuerySelector("#comments-heading")!.TextContent);
        Assert.Equal("1 comment", after.QuerySelector("#comments-heading")!.TextContent);
    }

    [Fact]
    public async Task RepliesNestAndAReplyBelowTheDeepestLevelAttachesAtThatLevel()
    {
        var postId = await CreatePostAsync(app);
        var (member, _) = await SignedInAsync(app, MemberRole.Member);

        var top = await CommentIdAsync(member, postId, "top");
        var one = await CommentIdAsync(member, postId, "one", top);
        var two = await CommentIdAsync(member, postId, "two", one);
        var three = await CommentIdAsync(member, postId, "three", two);
        var four = await CommentIdAsync(member, postId, "four", three);
        var section = await member.GetPageAsync(PostPath(app, postId));

        Assert.Equal([0L, 1, 2, 3, 3], new[] { top, one, two, three, four }.Select(id => Comment(app, id).Depth));
        Assert.Equal(two, Comment(app, four).ParentId);
        Assert.Equal(two, Comment(app, three).ParentId);
        Assert.NotNull(section.QuerySelector($"#c{two} ~ ol.comment-replies #c{four}"));
        Assert.NotNull(section.QuerySelector($"#c{top} ~ ol #c{one} ~ ol #c{two}"));
    }

    [Fact]
    public async Task ReplyingToARemovedCommentStillWorks()
    {
        var postId = await CreatePostAsync(app);
        var (writer, _) = await SignedInAsync(app, MemberRole.Member);
        var (other, _) = await SignedInAsync(app, MemberRole.Member);
        var parent = await CommentIdAsync(writer, postId, "soon gone");
        using var _ = await PostFormAsync(writer, $"/comments/{parent}/delete");

        var reply = await CommentIdAsync(other, postId, "answering anyway", parent);

        Assert.Equal(parent, Comment(app, reply).ParentId);
        Assert.Equal(1, Comment(app, reply).Depth);
    }

    [Fact]
    public async Task ReplyLinkReRendersTheFormWithTheParentSet()
    {
        var postId = await CreatePostAsync(app);
        var (member, _) = await SignedInAsync(app, MemberRole.Member);
        var parent = await CommentIdAsync(member, postId, "parent");

        var plain = await member.GetPageAsync(PostPath(app, postId));
        var replyHref = plain.QuerySelector($"#c{parent} .comment-actions a")!.GetAttribute("href")!;
        var replying = await member.GetPageAsync(replyHref.Split('#')[0]);

        Assert.Equal($"{PostPath(app, postId)}?replyTo={parent}#reply-form", replyHref);
        Assert.Null(plain.QuerySelector("#reply-form input[name=ParentId]"));
        Assert.Equal(parent.ToString(System.Globalization.CultureInfo.InvariantCulture),
            replying.QuerySelector("#reply-form input[name=ParentId]")!.GetAttribute("value"));
        Assert.Contains("Replying to", replying.QuerySelector("#reply-form")!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OwnCommentCanBeEditedInsideTheWindowAndIsMarkedEdited()
    {
        var postId = await CreatePostAsync(app);
        var (member, _) = await SignedInAsync(app, MemberRole.Member);
        var id = await CommentIdAsync(member, postId, "frist");
        app.Clock.Advance(TimeSpan.FromMinutes(14));

        using var response = await member.SubmitFormAsync($"/comments/{id}/edit", new Dictionary<string, string> { ["Body"] = "first, *fixed*" });
        var section = await member.GetPageAsync(PostPath(app, postId));

        Assert.True(HttpStatusCode.Redirect == response.StatusCode, await BlogClient.TextOfAsync(response));
        Assert.Equal("first, *fixed*", Comment(app, id).BodyMarkdown);
        Assert.Equal("<p>first, <em>fixed</em></p>", Comment(app, id).BodyHtml);
        Assert.NotNull(section.QuerySelector($"#c{id} .comment-edited"));
    }

    [Fact]
    public async Task EditingAfterTheWindowIsRefusedAndChangesNothing()
    {
        var postId = await CreatePostAsync(app);
        var (member, _) = await SignedInAsync(app, MemberRole.Member);
        var id = await CommentIdAsync(member, postId, "original");
        var token = await member.AntiforgeryTokenAsync($"/comments/{id}/edit");
        app.Clock.Advance(TimeSpan.FromMinutes(16));

        using var form = await member.GetAsync($"/comments/{id}/edit");
        using var post = await member.Http.PostAsync($"/comments/{id}/edit", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            [BlogClient.AntiforgeryField] = token,
            ["Body"] = "sneaky change",
        }));
        var section = await member.GetPageAsync(PostPath(app, postId));

        Assert.Equal(HttpStatusCode.Forbidden, form.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, post.StatusCode);
        Assert.Contains("15 minutes", await BlogClient.TextOfAsync(post), StringComparison.Ordinal);
        Assert.Equal("original", Comment(app, id).BodyMarkdown);
        Assert.Null(section.QuerySelector($"#c{id} a[href$='/edit']"));
    }

    [Fact]
    public async Task DeletingOwnCommentLeavesATombstoneAndKeepsReplies()
    {
        var postId = await CreatePostAsync(app);
        var (writer, _) = await SignedInAsync(app, MemberRole.Member);
        var (other, _) = await SignedInAsync(app, MemberRole.Member);
        var parent = await CommentIdAsync(writer, postId, "I will regret this");
        var reply = await CommentIdAsync(other, postId, "a reply that stays", parent);

        using var response = await PostFormAsync(writer, $"/comments/{parent}/delete");
        var section = await new BlogClient(app).GetPageAsync(PostPath(app, postId));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("author", Comment(app, parent).RemovedBy);
        Assert.Equal("This comment has been removed by the author.", section.QuerySelector($"#c{parent} .comment-tombstone")!.TextContent.Trim());
        Assert.DoesNotContain("regret", section.Body!.TextContent, StringComparison.Ordinal);
        Assert.Contains("a reply that stays", section.QuerySelector($"#c{reply}")!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OwnerAndPostAuthorRemoveCommentsAsAdministrators()
    {
        var (author, authorAccount) = await SignedInAsync(app, MemberRole.Author);
        var (owner, _) = await SignedInAsync(app, MemberRole.Owner);
        var postId = await CreatePostAsync(app, authorAccount.Id);
        var (member, _) = await SignedInAsync(app, MemberRole.Member);
        var first = await CommentIdAsync(member, postId, "rude one");
        var second = await CommentIdAsync(member, postId, "rude two");

        using var byAuthor = await PostFormAsync(author, $"/comments/{first}/remove");
        using var byOwner = await PostFormAsync(owner, $"/comments/{second}/remove");
        var section = await new BlogClient(app).GetPageAsync(PostPath(app, postId));

        Assert.Equal(HttpStatusCode.Redirect, byAuthor.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, byOwner.StatusCode);
        Assert.All(new[] { first, second }, id => Assert.Equal(
            "This comment has been removed by a blog administrator.", section.QuerySelector($"#c{id} .comment-tombstone")!.TextContent.Trim()));
    }

    [Fact]
    public async Task EmptyAndTooLongCommentsAreRefusedWithTheTextKept()
    {
        var postId = await CreatePostAsync(app);
        var (member, _) = await SignedInAsync(app, MemberRole.Member);
        var before = Snapshot(app);
        var tooLong = new string('x', 10_001);

        using var empty = await CommentAsync(member, postId, "   \n  ");
        using var longOne = await CommentAsync(member, postId, tooLong);
        var page = BlogClient.Parse(await longOne.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
        Assert.Contains("empty", await BlogClient.TextOfAsync(empty), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, longOne.StatusCode);
        Assert.Contains("at most 10,000 characters", page.Body!.TextContent, StringComparison.Ordinal);
        Assert.Equal(tooLong, page.QuerySelector("textarea[name=Body]")!.TextContent);
        Assert.Equal(before, Snapshot(app));
    }

    [Theory]
    [InlineData("<script>x</script>")]
    [InlineData("<img src=x onerror=alert(1)>")]
    [InlineData("<iframe src=\"https://evil.example\"></iframe>\n\n<p></p>")]
    public async Task MarkupOnlyCommentsAreRefusedWithTheTextKept(string body)
    {
        var postId = await CreatePostAsync(app);
        var (member, _) = await SignedInAsync(app, MemberRole.Member);
        var id = await CommentIdAsync(member, postId, "words first");
        var before = Snapshot(app);

        using var created = await CommentAsync(member, postId, body);
        var createdPage = BlogClient.Parse(await created.Content.ReadAsStringAsync());
        using var edited = await member.SubmitFormAsync($"/comments/{id}/edit", new Dictionary<string, string> { ["Body"] = body });
        var editedPage = BlogClient.Parse(await edited.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.BadRequest, created.StatusCode);
        Assert.Contains("no text left once unsafe markup is removed", createdPage.QuerySelector(".form-errors")!.TextContent, StringComparison.Ordinal);
        Assert.Equal(body, createdPage.QuerySelector("textarea[name=Body]")!.TextContent);
        Assert.Equal(HttpStatusCode.BadRequest, edited.StatusCode);
        Assert.Contains("no text left once unsafe markup is removed", editedPage.Body!.TextContent, StringComparison.Ordinal);
        Assert.Equal(body, editedPage.QuerySelector("textarea[name=Body]")!.TextContent);
        Assert.Equal(before, Snapshot(app));
        Assert.Equal(0L, Scalar<long>(app, "SELECT COUNT(*) FROM comments WHERE body_html = '' AND removed_at IS NULL"));
    }

    [Fact]
    public async Task ClosedPostRefusesCommentsAndSaysCommentsAreClosed()
    {
        var postId = await CreatePostAsync(app, allowComments: false);
        var (member, _) = await SignedInAsync(app, MemberRole.Member);
        var before = Snapshot(app);

        using var response = await CommentAsync(member, postId, "let me in");
        var section = await member.GetPageAsync(PostPath(app, postId));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("Comments are closed", await BlogClient.TextOfAsync(response), StringComparison.Ordinal);
        Assert.Equal(before, Snapshot(app));
        Assert.Contains("Comments are closed.", section.Body!.TextContent, StringComparison.Ordinal);
        Assert.Null(section.QuerySelector("form.comment-form"));
    }

    [Theory]
    [InlineData("draft")]
    [InlineData("scheduled")]
    [InlineData("page")]
    public async Task InvisiblePostsTakeNoCommentsAndShowNoSection(string kind)
    {
        var postId = kind switch
        {
            "draft" => await CreatePostAsync(app, app.Now.AddDays(-1), status: "draft"),
            "scheduled" => await CreatePostAsync(app, app.Now.AddDays(1)),
            _ => await CreatePostAsync(app, app.Now.AddDays(-1), kind: "page"),
        };
        var (member, _) = await SignedInAsync(app, MemberRole.Member);

        using var response = await CommentAsync(member, postId, "hello?");
        using var shown = await member.GetAsync(PostPath(app, postId));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(0L, Scalar<long>(app, "SELECT COUNT(*) FROM comments WHERE post_id = @PostId", new { PostId = postId }));
        // Drafts and scheduled posts are not found at all; a page is, but takes no comments.
        Assert.Equal(kind == "page" ? HttpStatusCode.OK : HttpStatusCode.NotFound, shown.StatusCode);
        Assert.Null(BlogClient.Parse(await shown.Content.ReadAsStringAsync()).QuerySelector("#comments"));
    }

    [Fact]
    public async Task DeletedAccountsCommentsStayAndShowAsADeletedMember()
    {
        var postId = await CreatePostAsync(app);
        var (member, account) = await SignedInAsync(app, MemberRole.Member);
        var id = await CommentIdAsync(member, postId, "I was here");

        Execute(app, "DELETE FROM members WHERE id = @Id", new { account.Id });
        var section = await new BlogClient(app).GetPageAsync(PostPath(app, postId));

        Assert.Null(Comment(app, id).AuthorId);
        Assert.Equal("a deleted member", section.QuerySelector($"#c{id} .comment-author")!.TextContent);
        Assert.Contains("I was here", section.QuerySelector($"#c{id}")!.TextContent, StringComparison.Ordinal);
    }
}
