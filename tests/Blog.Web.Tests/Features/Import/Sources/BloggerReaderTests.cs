using System.Text;
using Blog.Web.Features.Import;
using Blog.Web.Tests.Infrastructure;

namespace Blog.Web.Tests.Features.Import.Sources;

public sealed class BloggerReaderTests : IDisposable
{
    private const string Tag = "tag:blogger.com,1999:blog-" + SampleExports.BlogId;
    private readonly ExportFiles _files = new();

    [Fact]
    public void ClassicExportGivesTheBlogPostsPageAndThreadedComments()
    {
        var export = ExportFiles.Read(_files.Write("blog.xml", SampleExports.BloggerClassic()));

        Assert.Equal(ExportFormat.BloggerClassic, export.Format);
        Assert.IsType<ImportedBlog>(export.Items[0]);
        Assert.Equal("blogger:" + SampleExports.BlogId, export.Blog.SourceKey);
        Assert.Equal("Field Notes", export.Blog.Title);
        Assert.Equal("https://notes.example.org/", export.Blog.Address);
        Assert.Equal(["fieldnotes.blogspot.com"], export.Blog.OtherHosts);
        var post = export.Post("Hello from the coast");
        Assert.Equal(ImportedPostStatus.Published, post.Status);
        Assert.Equal("hello-from-coast", post.Slug);
        Assert.Equal(["travel", "Café"], post.Labels);
        Assert.Equal(["https://notes.example.org/2011/10/hello-from-coast.html"], post.OldAddresses);
        Assert.Equal(new DateTimeOffset(2011, 10, 8, 23, 40, 0, TimeSpan.Zero), post.PublishedAt);
        Assert.Equal("<p>First part.</p>", post.HtmlBeforeMore);
        Assert.DoesNotContain("name='more'", post.Html, StringComparison.Ordinal);
        Assert.Contains("Second part", post.Html, StringComparison.Ordinal);
        Assert.Equal("Ann Writer", post.AuthorName);
        Assert.Equal(ImportedPostStatus.Draft, export.Post("Unfinished thoughts").Status);
        var page = Assert.Single(export.Pages);
        Assert.Equal("about", page.Slug);
        var comment = Assert.Single(export.Comments, c => c.ParentSourceId is null);
        Assert.Equal(Tag + ".post-100", comment.PostSourceId);
        Assert.Equal("Bob Reader", comment.AuthorName);
        Assert.Equal("https://bob.example.net/", comment.AuthorUrl);
        Assert.Equal("bob@example.net", comment.AuthorEmail);
        Assert.False(comment.Anonymous);
        Assert.Equal("Lovely <b>harbour</b>!", comment.Html);
        var reply = Assert.Single(export.Comments, c => c.ParentSourceId is not null);
        Assert.Equal(comment.SourceId, reply.ParentSourceId);
        Assert.True(reply.Anonymous);
        Assert.Null(reply.AuthorEmail);
        Assert.Equal(1, export.Skipped(ImportKinds.Other, "Blogger settings"));
        Assert.Equal(1, export.Skipped(ImportKinds.Other, "Blogger template"));
        Assert.Empty(export.Report.Notes);
    }

    [Fact]
    public void UndeclaredAppPrefixIsReadAndNotedOnce()
    {
        var undeclared = SampleExports.BloggerClassic().Replace(" xmlns:app='http://purl.org/atom/app#'", "", StringComparison.Ordinal);

        var export = ExportFiles.Read(_files.Write("blog.xml", undeclared));

        Assert.Equal(ImportedPostStatus.Draft, export.Post("Unfinished thoughts").Status);
        var note = Assert.Single(export.Report.Notes);
        Assert.Contains("app: prefix without declaring it", note.Message, StringComparison.Ordinal);
        Assert.True(note.Line > 0);
    }

    [Fact]
    public void SecondPassReadsTheSameItemsAgain()
    {
        using var source = Blog.Web.Features.Import.Sources.ImportSources.Open(_files.Write("blog.xml", SampleExports.BloggerClassic()), null, null);

        var first = source.ReadItems(new ImportReport()).Select(i => i.SourceId).ToList();
        var second = source.ReadItems(new ImportReport()).Select(i => i.SourceId).ToList();

        Assert.Equal(6, first.Count);
        Assert.Equal(first, second);
    }

    [Fact]
    public void TakeoutFeedGivesStatusesThreadsAndAnonymousCommenters()
    {
        var export = ExportFiles.Read(_files.Write("feed.atom", SampleExports.Takeout()));

        Assert.Equal(ExportFormat.BloggerTakeout, export.Format);
        Assert.Equal("blogger:" + SampleExports.BlogId, export.Blog.SourceKey);
        var post = export.Post("Hello from the coast");
        Assert.Equal(ImportedPostStatus.Published, post.Status);
        Assert.Equal("hello-from-coast", post.Slug);
        Assert.Equal(["/2011/10/hello-from-coast.html"], post.OldAddresses);
        Assert.Equal("A day by the sea", post.Description);
        Assert.Equal(["travel"], post.Labels);
        Assert.Equal(ImportedPostStatus.Draft, export.Post("Unfinished thoughts").Status);
        Assert.Equal(ImportedPostStatus.Trashed, export.Post("Thrown away").Status);
        Assert.Equal("about", Assert.Single(export.Pages).Slug);
        Assert.Equal(4, export.Comments.Count);
        var reply = Assert.Single(export.Comments, c => c.ParentSourceId is not null);
        Assert.Equal(Tag + ".post-200", reply.ParentSourceId);
        Assert.True(reply.Anonymous);
        Assert.Equal("Anonymous", reply.AuthorName);
        Assert.All(export.Comments, c => Assert.Equal(Tag + ".post-100", c.PostSourceId));
        Assert.Equal(ImportedCommentStatus.Spam, Assert.Single(export.Comments, c => c.AuthorName == "Cheap Pills").Status);
        Assert.Equal(ImportedCommentStatus.Held, Assert.Single(export.Comments, c => c.AuthorName == "Carol").Status);
        Assert.Equal("https://bob.example.net/", Assert.Single(export.Comments, c => c.AuthorName == "Bob Reader").AuthorUrl);
    }

    [Fact]
    public void TakeoutZipGivesItsFeedAndThePicturesInItsAlbums()
    {
        var harbour = TestImages.Jpeg(64, 48);
        var other = TestImages.Png(20, 20);
        var path = _files.Zip("takeout-20240101T000000Z-001.zip",
            ("Takeout/archive_browser.html", "<html><body>Index</body></html>"u8.ToArray()),
            ("Takeout/Blogger/Blogs/Field Notes/feed.atom", Encoding.UTF8.GetBytes(SampleExports.Takeout())),
            ("Takeout/Blogger/Blogs/Field Notes/settings.csv", "name,value"u8.ToArray()),
            ("Takeout/Blogger/Albums/Field Notes/harbour view.jpg", harbour),
            ("Takeout/Blogger/Albums/Field Notes/boat.png", other),
            ("Takeout/Blogger/Albums/Other Blog/image.png", other),
            ("Takeout/Blogger/Albums/Field Notes/image.png", other));
        using var source = Blog.Web.Features.Import.Sources.ImportSources.Open(path, "takeout.zip", null);

        var items = source.ReadItems(new ImportReport()).ToList();
        using var picture = source.OpenImage("https://blogger.googleusercontent.com/img/b/R29v/AVvX/s1600/harbour%20view.jpg");
        using var resized = source.OpenImage("http://1.bp.blogspot.com/-x/T1/AAA/s320/harbour%20view.jpg");
        using var sameNameTwice = source.OpenImage("https://1.bp.blogspot.com/-x/s1600/image.png");
        using var missing = source.OpenImage("https://1.bp.blogspot.com/-x/s1600/elsewhere.jpg");

        Assert.Equal(ExportFormat.BloggerTakeout, source.Format);
        Assert.Equal(4, items.OfType<ImportedPost>().Count());
        Assert.Equal(harbour, ExportFiles.ReadAll(picture!));
        Assert.Equal(harbour, ExportFiles.ReadAll(resized!));
        Assert.Null(sameNameTwice);
        Assert.Null(missing);
        Assert.Null(source.OpenImage("https://1.bp.blogspot.com/-x/s1600/"));
        Assert.Null(source.OpenImage("not an address"));
    }

    [Fact]
    public void ZipWithTwoTakeoutBlogsIsRefusedNamingThem()
    {
        var feed = Encoding.UTF8.GetBytes(SampleExports.Takeout());
        var path = _files.Zip("takeout.zip",
            ("Takeout/Blogger/Blogs/First/feed.atom", feed),
            ("Takeout/Blogger/Blogs/Second/feed.atom", feed));

        var refusal = Assert.Throws<ImportRefusedException>(() => ExportFiles.Read(path));

        Assert.Contains("First, Second", refusal.Message, StringComparison.Ordinal);
    }

    public void Dispose() => _files.Dispose();
}
