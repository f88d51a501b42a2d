using System.Net;
using System.Xml.Linq;
using Blog.Web.Identity;
using Blog.Web.Tests.Infrastructure;
using static Blog.Web.Tests.Infrastructure.CommentTestData;

namespace Blog.Web.Tests.Features.Comments;

public sealed class GuestCommentTests(CommentAppFactory app) : IClassFixture<CommentAppFactory>
{
    private static readonly XNamespace Atom = "http://www.w3.org/2005/Atom";

    [Fact]
    public async Task AnImportedCommentShowsItsWritersNameAndLinkMarkedAsImportedAndNeverTheirAddress()
    {
        var postId = await CreatePostAsync(app);
        var email = Email();
        var id = GuestCommentData.Insert(app, postId, "Ada from the old blog", "https://ada.example/about", email, app.Now.AddYears(-3));

        using var response = await new BlogClient(app).GetAsync(PostPath(app, postId));
        var html = await response.Content.ReadAsStringAsync();
        var page = BlogClient.Parse(html);

        var link = page.QuerySelector($"#c{id} .comment-author a")!;
        Assert.Equal("Ada from the old blog", link.TextContent);
        Assert.Equal("https://ada.example/about", link.GetAttribute("href"));
        Assert.Equal("nofollow ugc noopener", link.GetAttribute("rel"));
        Assert.Equal("imported", page.QuerySelector($"#c{id} .comment-imported")!.TextContent);
        Assert.Equal("1 comment", page.QuerySelector("#comments-heading")!.TextContent);
        Assert.DoesNotContain(email, html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(CommentRowDeletedWriter, page.QuerySelector($"#c{id}")!.TextContent, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("javascript:alert(1)")]
    [InlineData("data:text/html,<script>alert(1)</script>")]
    [InlineData("//evil.example/")]
    [InlineData("/relative/path")]
    [InlineData("ftp://files.example/")]
    [InlineData("https://user:secret@ada.example/")]
    [InlineData("not a link at all")]
    [InlineData("")]
    public async Task AWritersLinkThatIsNotAWebAddressIsNotLinked(string url)
    {
        var postId = await CreatePostAsync(app);
        var id = GuestCommentData.Insert(app, postId, "Grace", url, null, app.Now.AddYears(-2));

        var page = await new BlogClient(app).GetPageAsync(PostPath(app, postId));

        Assert.Equal("Grace", page.QuerySelector($"#c{id} .comment-author")!.TextContent);
        Assert.Null(page.QuerySelector($"#c{id} .comment-author a"));
        Assert.NotNull(page.QuerySelector($"#c{id} .comment-imported"));
    }

    [Fact]
    public async Task AnImportedCommentWithoutANameIsAnonymousAndADeletedMembersCommentStaysSo()
    {
        var postId = await CreatePostAsync(app);
        var nameless = GuestCommentData.Insert(app, postId, "  ", "https://someone.example/", null, app.Now.AddYears(-2));
        var (member, account) = await SignedInAsync(app, MemberRole.Member);
        var orphan = await CommentIdAsync(member, postId, "I will leave");
        Execute(app, "UPDATE comments SET author_id = NULL WHERE id = @Id", new { Id = orphan });
        app.ForgetCachedPages();

        var page = await new BlogClient(app).GetPageAsync(PostPath(app, postId));

        Assert.Equal("Anonymous", page.QuerySelector($"#c{nameless} .comment-author")!.TextContent);
        Assert.Equal("a deleted member", page.QuerySelector($"#c{orphan} .comment-author")!.TextContent);
        Assert.Null(page.QuerySelector($"#c{orphan} .comment-imported"));
        Assert.NotNull(account.Id);
    }

    [Fact]
    public async Task CommentFeedsNameTheImportedWriterWithTheirLinkAndNeverTheirAddress()
    {
        var postId = await CreatePostAsync(app);
        var email = Email();
        var name = "Feed writer " + Guid.NewGuid().ToString("N")[..6];
        GuestCommentData.Insert(app, postId, name, "http://writer.example/", email, app.Now.AddMinutes(-1));
        var client = new BlogClient(app);

        using var blogFeed = await client.GetAsync("/feeds/comments/default");
        using var postFeed = await client.GetAsync($"/feeds/{postId}/comments/default");
        var blogXml = await blogFeed.Content.ReadAsStringAsync();
        var postXml = await postFeed.Content.ReadAsStringAsync();

        foreach (var xml in new[] { blogXml, postXml })
        {
            var entry = XDocument.Parse(xml).Root!.Elements(Atom + "entry")
                .Single(e => e.Element(Atom + "author")?.Element(Atom + "name")?.Value == name);
            Assert.Equal("http://writer.example/", entry.Element(Atom + "author")!.Element(Atom + "uri")!.Value);
            Assert.StartsWith(name + " on ", entry.Element(Atom + "title")!.Value, StringComparison.Ordinal);
            Assert.DoesNotContain(email, xml, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public async Task AHeldImportedCommentWaitsInTheQueueByNameAndIsApprovedLikeAnyOther()
    {
        var postId = await CreatePostAsync(app);
        var (owner, _) = await SignedInAsync(app, MemberRole.Owner);
        var email = Email();
        var parent = GuestCommentData.Insert(app, postId, "Parent guest", null, Email(), app.Now.AddYears(-1));
        var held = GuestCommentData.Insert(app, postId, "Held guest", "https://held.example/", email, app.Now.AddYears(-1), parent, status: "held");

        var queue = await owner.GetPageAsync("/admin/moderation");
        var item = queue.QuerySelector($"#q{held}")!;
        using var approve = await PostFormAsync(owner, "/admin/moderation/approve", new() { ["id"] = held.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        var page = await new BlogClient(app).GetPageAsync(PostPath(app, postId));

        Assert.Equal("Held guest", item.QuerySelector(".comment-author")!.TextContent);
        Assert.NotNull(item.QuerySelector(".comment-imported"));
        Assert.Null(item.QuerySelector("button[formaction='/admin/moderation/ban']"));
        Assert.DoesNotContain(email, queue.Body!.InnerHtml, StringComparison.OrdinalIgnoreCase);
        Assert.True(approve.StatusCode is HttpStatusCode.Redirect or HttpStatusCode.SeeOther, $"{(int)approve.StatusCode}");
        Assert.Equal("approved", Comment(app, held).Status);
        Assert.NotNull(page.QuerySelector($"#c{parent} ~ ol #c{held}"));
    }

    [Fact]
    public async Task MembersReplyToAndReportAnImportedCommentAndItsWriterIsNeverMailed()
    {
        var postId = await CreatePostAsync(app);
        var email = Email();
        var guest = GuestCommentData.Insert(app, postId, "Replied-to guest", null, email, app.Now.AddYears(-1));
        var (member, _) = await SignedInAsync(app, MemberRole.Member);

        var section = await member.GetPageAsync(PostPath(app, postId) + $"?replyTo={guest}");
        var reply = await CommentIdAsync(member, postId, "Answering an old comment", guest);
        using var report = await PostFormAsync(member, $"/comments/{guest}/report", new() { ["Reason"] = "Off topic" });

        Assert.Contains("Replied-to guest", section.QuerySelector("#reply-form")?.TextContent ?? section.Body!.TextContent, StringComparison.Ordinal);
        Assert.Equal(guest, Comment(app, reply).ParentId);
        Assert.Equal(HttpStatusCode.OK, report.StatusCode);
        Assert.Equal(1L, Scalar<long>(app, "SELECT COUNT(*) FROM comment_reports WHERE comment_id = @Id", new { Id = guest }));
        Assert.Empty(Mailbox.MessagesTo(app, email));
    }

    [Fact]
    public async Task NoOneCanEditOrDeleteAnImportedCommentAsTheirOwn()
    {
        var postId = await CreatePostAsync(app);
        var guest = GuestCommentData.Insert(app, postId, "Untouchable", null, Email(), app.Now.AddMinutes(-1));
        var (member, _) = await SignedInAsync(app, MemberRole.Member);

        var page = await member.GetPageAsync(PostPath(app, postId));
        using var edit = await PostFormAsync(member, $"/comments/{guest}/edit", new() { ["Body"] = "Mine now" });
        using var delete = await PostFormAsync(member, $"/comments/{guest}/delete");

        Assert.Null(page.QuerySelector($"#c{guest} a[href='/comments/{guest}/edit']"));
        Assert.Equal(HttpStatusCode.Forbidden, edit.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, delete.StatusCode);
        Assert.Equal("<p>An old comment</p>", Comment(app, guest).BodyHtml);
        Assert.Null(Comment(app, guest).RemovedBy);
    }

    private const string CommentRowDeletedWriter = "a deleted member";

    private static string Email() => $"guest-{Guid.NewGuid():N}@old-blog.example";
}
