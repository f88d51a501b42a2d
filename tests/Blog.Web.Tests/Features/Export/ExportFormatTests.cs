using System.Globalization;
using System.Xml.Linq;
using Blog.Web.Features.Export;
using Blog.Web.Features.Import;
using Blog.Web.Tests.Infrastructure;

namespace Blog.Web.Tests.Features.Export;

/// <summary>A blog in New York at a configured address, exported once in each format.</summary>
public sealed class ExportedBlogFixture : IAsyncLifetime, IDisposable
{
    public BlogAppFactory App { get; } = new()
    {
        Settings = { ["Blog:BaseUrl"] = ExportTestBlog.Address, ["Blog:Defaults:TimeZone"] = "America/New_York" },
    };

    public ExportTestBlog Blog { get; private set; } = null!;

    public string Blogger { get; private set; } = "";

    public string WordPress { get; private set; } = "";

    public async Task InitializeAsync()
    {
        Blog = await ExportTestBlog.SeedAsync(App, DateTime.UtcNow);
        Blogger = await ExportTestBlog.ExportAsync(App, ExportFormat.BloggerClassic);
        WordPress = await ExportTestBlog.ExportAsync(App, ExportFormat.WordPress);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose() => App.Dispose();
}

public sealed class ExportFormatTests(ExportedBlogFixture fixture) : IClassFixture<ExportedBlogFixture>
{
    private static readonly XNamespace Atom = "http://www.w3.org/2005/Atom";
    private static readonly XNamespace App = "http://purl.org/atom/app#";
    private static readonly XNamespace Thr = "http://purl.org/syndication/thread/1.0";
    private static readonly XNamespace Wp = "http://wordpress.org/export/1.2/";
    private static readonly XNamespace Content = "http://purl.org/rss/1.0/modules/content/";
    private const string Kind = "http://schemas.google.com/g/2005#kind";

    private ExportTestBlog Blog => fixture.Blog;

    /// <summary>SQLite stores the lone surrogate as U+FFFD; XML cannot hold U+0001 at all.</summary>
    private string StoredTitleWithoutControlCharacters =>
        CommentTestData.Scalar<string>(fixture.App, "SELECT title FROM posts WHERE id = @Id", new { Id = Blog.Rich }).Replace("\u0001", "", StringComparison.Ordinal);

    private static string N(long id) => id.ToString(CultureInfo.InvariantCulture);

    // Blogger

    private XElement BloggerFeed => ExportTestBlog.Parse(fixture.Blogger).Root!;

    private XElement Entry(string idSuffix) => BloggerFeed.Elements(Atom + "entry").Single(e => e.Element(Atom + "id")!.Value.EndsWith(idSuffix, StringComparison.Ordinal));

    private static string CommentSuffix(long id) => ".post-" + N(BloggerExport.CommentNumberOffset + id);

    private static string? KindOf(XElement entry) =>
        entry.Elements(Atom + "category").SingleOrDefault(c => (string?)c.Attribute("scheme") == Kind)?.Attribute("term")?.Value.Split('#')[1];

    [Fact]
    public void BloggerFeedHasABlogIdAndAnEntryOfTheRightKindForEveryPostPageAndKeptComment()
    {
        var feed = BloggerFeed;
        var kinds = feed.Elements(Atom + "entry").GroupBy(KindOf).ToDictionary(g => g.Key!, g => g.Count());

        Assert.Matches(@"^tag:blogger\.com,1999:blog-\d+\.archive$", feed.Element(Atom + "id")!.Value);
        Assert.Equal(3, kinds["post"]);
        Assert.Equal(1, kinds["page"]);
        // Member, guest, reply, reply to the reply, the reply under the removed one, the page's: not the held or the removed.
        Assert.Equal(6, kinds["comment"]);
        Assert.Equal(3, kinds.Count);
    }

    [Fact]
    public void BloggerPostCarriesLabelsDatesTitleAbsoluteMediaAndTheConfiguredAddress()
    {
        var post = Entry(".post-" + N(Blog.Rich));
        var labels = post.Elements(Atom + "category").Where(c => (string?)c.Attribute("scheme") == "http://www.blogger.com/atom/ns#").Select(c => c.Attribute("term")!.Value);
        var alternate = post.Elements(Atom + "link").Single(l => (string?)l.Attribute("rel") == "alternate").Attribute("href")!.Value;
        var content = post.Element(Atom + "content")!;

        Assert.Equal(["C#", "Travel", "日本"], labels.Order(StringComparer.Ordinal));
        Assert.Equal("2024-03-09T23:30:00.000Z", post.Element(Atom + "published")!.Value);
        Assert.Equal("2024-03-11T23:30:00.000Z", post.Element(Atom + "updated")!.Value);
        Assert.Equal(StoredTitleWithoutControlCharacters, post.Element(Atom + "title")!.Value);
        // Published 23:30 UTC on the 9th of March is the same day in New York, March.
        Assert.Equal($"{ExportTestBlog.Address}/2024/03/{Blog.RichSlug}", alternate);
        Assert.Equal("html", content.Attribute("type")!.Value);
        Assert.Contains($"src=\"{ExportTestBlog.Address}/media/abc/960.jpg\"", content.Value, StringComparison.Ordinal);
        Assert.Contains($"srcset=\"{ExportTestBlog.Address}/media/abc/480.webp 480w, {ExportTestBlog.Address}/media/abc/960.webp 960w\"", content.Value, StringComparison.Ordinal);
        Assert.Contains("<pre><code>line one\nline two\n</code></pre>", content.Value, StringComparison.Ordinal);
        Assert.Null(post.Element(App + "control"));
        Assert.Equal("Olive Owner", post.Element(Atom + "author")!.Element(Atom + "name")!.Value);
    }

    [Fact]
    public void BloggerDraftIsMarkedAndKeepsItsSlugInItsAddressAndThePageIsAPage()
    {
        var draft = Entry(".post-" + N(Blog.Draft));
        var page = Entry(".page-" + N(Blog.Page));

        Assert.Equal("yes", draft.Element(App + "control")!.Element(App + "draft")!.Value);
        Assert.Equal("page", KindOf(page));
        Assert.Equal($"{ExportTestBlog.Address}/p/{Blog.PageSlug}", page.Elements(Atom + "link").Single(l => (string?)l.Attribute("rel") == "alternate").Attribute("href")!.Value);
        Assert.Null(Entry(".post-" + N(Blog.Scheduled)).Element(App + "control"));
    }

    [Fact]
    public void BloggerCommentsPointAtTheirPostAndRepliesAtTheirParentComment()
    {
        var postId = Entry(".post-" + N(Blog.Rich)).Element(Atom + "id")!.Value;
        var comment = Entry(CommentSuffix(Blog.MemberComment));
        var reply = Entry(CommentSuffix(Blog.ReplyToReply));
        var underRemoved = Entry(CommentSuffix(Blog.UnderRemoved));
        string? Related(XElement entry) => entry.Elements(Atom + "link").SingleOrDefault(l => (string?)l.Attribute("rel") == "related")?.Attribute("href")?.Value;

        Assert.Equal(postId, comment.Element(Thr + "in-reply-to")!.Attribute("ref")!.Value);
        Assert.Equal($"{ExportTestBlog.Address}/2024/03/{Blog.RichSlug}", comment.Element(Thr + "in-reply-to")!.Attribute("href")!.Value);
        Assert.Null(Related(comment));
        Assert.EndsWith("/" + N(BloggerExport.CommentNumberOffset + Blog.Reply), Related(reply), StringComparison.Ordinal);
        // Its parent was removed: it answers the removed comment's parent instead, which the file holds.
        Assert.EndsWith("/" + N(BloggerExport.CommentNumberOffset + Blog.GuestComment), Related(underRemoved), StringComparison.Ordinal);
        Assert.DoesNotContain("Something rude", fixture.Blogger, StringComparison.Ordinal);
        Assert.DoesNotContain("Waiting for approval", fixture.Blogger, StringComparison.Ordinal);
        Assert.Equal(Entry(".page-" + N(Blog.Page)).Element(Atom + "id")!.Value, Entry(CommentSuffix(Blog.PageComment)).Element(Thr + "in-reply-to")!.Attribute("ref")!.Value);
    }

    [Fact]
    public void BloggerCommentAuthorsAreMembersByNameAndGuestsWithTheirOwnWebAddressOnly()
    {
        var member = Entry(CommentSuffix(Blog.MemberComment)).Element(Atom + "author")!;
        var guest = Entry(CommentSuffix(Blog.GuestComment)).Element(Atom + "author")!;
        var scriptedGuest = Entry(CommentSuffix(Blog.ReplyToReply)).Element(Atom + "author")!;

        Assert.Equal("Mia Member", member.Element(Atom + "name")!.Value);
        Assert.Null(member.Element(Atom + "uri"));
        Assert.Equal(Blog.Commenter.Email, member.Element(Atom + "email")!.Value);
        Assert.Equal("Gus Guest", guest.Element(Atom + "name")!.Value);
        Assert.Equal("https://gus.example.net/", guest.Element(Atom + "uri")!.Value);
        Assert.Equal("gus@example.net", guest.Element(Atom + "email")!.Value);
        Assert.Null(scriptedGuest.Element(Atom + "uri"));
    }

    // WordPress

    private XElement Channel => ExportTestBlog.Parse(fixture.WordPress).Root!.Element("channel")!;

    private XElement Item(long id) => Channel.Elements("item").Single(i => i.Element(Wp + "post_id")!.Value == N(id));

    private static string Wpv(XElement element, string name) => element.Element(Wp + name)!.Value;

    private XElement WpComment(long id) => Channel.Descendants(Wp + "comment").Single(c => Wpv(c, "comment_id") == N(id));

    [Fact]
    public void WxrChannelNamesItsVersionSiteAuthorsAndEveryLabelAsACategory()
    {
        var channel = Channel;
        var categories = channel.Elements(Wp + "category").ToDictionary(c => Wpv(c, "cat_name"), c => Wpv(c, "category_nicename"));

        Assert.Equal("2.0", ExportTestBlog.Parse(fixture.WordPress).Root!.Attribute("version")!.Value);
        Assert.Equal("1.2", Wpv(channel, "wxr_version"));
        Assert.Equal(ExportTestBlog.Address, Wpv(channel, "base_site_url"));
        Assert.Equal("travel", categories["Travel"]);
        Assert.Equal("c", categories["C#"]);
        Assert.Matches("^label-[0-9a-f]{10}$", categories["日本"]);
        Assert.Equal(3, categories.Count);
        Assert.Contains(channel.Elements(Wp + "author"), a => Wpv(a, "author_display_name") == "Olive Owner");
    }

    [Fact]
    public void WxrItemsHaveWhatTheWordPressImporterReads()
    {
        var post = Item(Blog.Rich);
        var labels = post.Elements("category").Select(c => (c.Attribute("domain")!.Value, c.Attribute("nicename")!.Value, c.Value));
        var creator = post.Element((XNamespace)"http://purl.org/dc/elements/1.1/" + "creator")!.Value;

        Assert.Equal(Blog.RichSlug, Wpv(post, "post_name"));
        Assert.Equal("post", Wpv(post, "post_type"));
        Assert.Equal("publish", Wpv(post, "status"));
        Assert.Equal("2024-03-09 23:30:00", Wpv(post, "post_date_gmt"));
        Assert.Equal("2024-03-09 18:30:00", Wpv(post, "post_date"));
        Assert.Equal("2024-03-11 23:30:00", Wpv(post, "post_modified_gmt"));
        Assert.Equal("Sat, 09 Mar 2024 23:30:00 +0000", post.Element("pubDate")!.Value);
        Assert.Equal("open", Wpv(post, "comment_status"));
        Assert.Equal("A subtitle ]]> with a CDATA end", post.Element((XNamespace)"http://wordpress.org/export/1.2/excerpt/" + "encoded")!.Value);
        Assert.Contains(("category", "c", "C#"), labels);
        Assert.Equal(3, labels.Count());
        Assert.Contains(Channel.Elements(Wp + "author"), a => Wpv(a, "author_login") == creator);
        Assert.Equal($"{ExportTestBlog.Address}/2024/03/{Blog.RichSlug}", post.Element("link")!.Value);
    }

    [Fact]
    public void WxrContentIsTheStoredHtmlWithAbsoluteMediaAndLineBreaksOnlyInsidePre()
    {
        var content = Item(Blog.Rich).Element(Content + "encoded")!.Value;

        Assert.Contains("<p>Hello <strong>world</strong>  with ]]&gt; and an emoji 🙂</p> <p><picture>", content, StringComparison.Ordinal);
        Assert.Contains($"src=\"{ExportTestBlog.Address}/media/abc/960.jpg\"", content, StringComparison.Ordinal);
        Assert.Contains("<pre><code>line one\nline two\n</code></pre> <p>The end.</p>", content, StringComparison.Ordinal);
        Assert.Equal(StoredTitleWithoutControlCharacters, Item(Blog.Rich).Element("title")!.Value);
    }

    [Fact]
    public void WxrStatusesForDraftScheduledAndPage()
    {
        var draft = Item(Blog.Draft);
        var scheduled = Item(Blog.Scheduled);

        Assert.Equal("draft", Wpv(draft, "status"));
        Assert.Equal("0000-00-00 00:00:00", Wpv(draft, "post_date_gmt"));
        Assert.Equal("future", Wpv(scheduled, "status"));
        Assert.Equal("closed", Wpv(scheduled, "comment_status"));
        Assert.Equal("page", Wpv(Item(Blog.Page), "post_type"));
        Assert.Equal(4, Channel.Elements("item").Count());
    }

    [Fact]
    public void WxrCommentsKeepThreadsHeldOnesUnapprovedAndLeaveRemovedOnesOut()
    {
        var comments = Item(Blog.Rich).Elements(Wp + "comment").Select(c => Wpv(c, "comment_id")).ToList();

        Assert.Equal([N(Blog.MemberComment), N(Blog.GuestComment), N(Blog.Held), N(Blog.Reply), N(Blog.ReplyToReply), N(Blog.UnderRemoved)], comments);
        Assert.Equal("0", Wpv(WpComment(Blog.MemberComment), "comment_parent"));
        Assert.Equal(N(Blog.MemberComment), Wpv(WpComment(Blog.Reply), "comment_parent"));
        Assert.Equal(N(Blog.Reply), Wpv(WpComment(Blog.ReplyToReply), "comment_parent"));
        Assert.Equal(N(Blog.GuestComment), Wpv(WpComment(Blog.UnderRemoved), "comment_parent"));
        Assert.Equal("1", Wpv(WpComment(Blog.MemberComment), "comment_approved"));
        Assert.Equal("0", Wpv(WpComment(Blog.Held), "comment_approved"));
        Assert.DoesNotContain("Something rude", fixture.WordPress, StringComparison.Ordinal);
        Assert.Single(Item(Blog.Page).Elements(Wp + "comment"));
    }

    [Fact]
    public void WxrCommentAuthorsCarryNameEmailAndOnlyAWebAddress()
    {
        var guest = WpComment(Blog.GuestComment);
        var member = WpComment(Blog.MemberComment);

        Assert.Equal("Gus Guest", Wpv(guest, "comment_author"));
        Assert.Equal("gus@example.net", Wpv(guest, "comment_author_email"));
        Assert.Equal("https://gus.example.net/", Wpv(guest, "comment_author_url"));
        Assert.Equal("", Wpv(WpComment(Blog.ReplyToReply), "comment_author_url"));
        Assert.Equal("Mia Member", Wpv(member, "comment_author"));
        Assert.Equal(Blog.Commenter.Email, Wpv(member, "comment_author_email"));
        Assert.Equal("<p>First!</p>", Wpv(member, "comment_content"));
        Assert.Equal("2024-03-10 00:30:00", Wpv(member, "comment_date_gmt"));
        Assert.Equal("2024-03-09 19:30:00", Wpv(member, "comment_date"));
    }

    [Fact]
    public void NeitherFileNamesTheAddressTheTestClientUses()
    {
        Assert.DoesNotContain("localhost", fixture.Blogger, StringComparison.Ordinal);
        Assert.DoesNotContain("localhost", fixture.WordPress, StringComparison.Ordinal);
    }
}
