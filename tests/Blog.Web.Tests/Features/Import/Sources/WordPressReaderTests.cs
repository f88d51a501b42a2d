using System.Text;
using Blog.Web.Features.Import;
using Blog.Web.Features.Import.Sources;
using Blog.Web.Tests.Infrastructure;

namespace Blog.Web.Tests.Features.Import.Sources;

public sealed class WordPressReaderTests : IDisposable
{
    private readonly ExportFiles _files = new();

    [Theory]
    [InlineData("http://wordpress.org/export/1.0/")]
    [InlineData("http://wordpress.org/export/1.1/")]
    [InlineData("http://wordpress.org/export/1.2/")]
    [InlineData("https://wordpress.org/export/1.2/")]
    public void EveryExportNamespaceIsRead(string ns)
    {
        var export = ExportFiles.Read(_files.Write("export.xml", SampleExports.WordPress(ns: ns)));

        Assert.Equal(ExportFormat.WordPress, export.Format);
        var post = Assert.Single(export.Posts);
        Assert.Equal("First roses", post.Title);
        Assert.Equal("<p>Roses are out.</p>\n<p>The red ones first.</p>", post.Html);
    }

    [Fact]
    public void PostsCarryTheirSlugLabelsDatesAuthorAndOldAddresses()
    {
        var export = ExportFiles.Read(_files.Write("export.xml", SampleExports.WordPress()));

        Assert.Equal("wordpress:https://garden.example.org", export.Blog.SourceKey);
        Assert.Equal("Garden Diary", export.Blog.Title);
        var post = Assert.Single(export.Posts);
        Assert.Equal("11", post.SourceId);
        Assert.Equal("first-roses", post.Slug);
        Assert.Equal(["Roses", "Café"], post.Labels);
        Assert.Equal(new DateTimeOffset(2020, 5, 2, 10, 0, 0, TimeSpan.Zero), post.PublishedAt);
        Assert.Equal("Ann Gardener", post.AuthorName);
        Assert.Equal(["https://garden.example.org/2020/05/first-roses/", "/?p=11"], post.OldAddresses);
        var labels = export.Items.OfType<ImportedLabel>().ToList();
        Assert.Equal(2, labels.Count);
        Assert.Contains(labels, l => l is { Name: "Roses", Slug: "roses", IsTag: false });
        Assert.Contains(labels, l => l is { Name: "Café", Slug: "café", IsTag: true });
        Assert.Equal(1, export.Skipped(ImportKinds.Other, "WordPress menus and other terms"));
        Assert.True(export.Items.IndexOf(export.Blog) == 0);
    }

    [Theory]
    [InlineData("publish", "", ImportedPostStatus.Published)]
    [InlineData("future", "", ImportedPostStatus.Scheduled)]
    [InlineData("draft", "", ImportedPostStatus.Draft)]
    [InlineData("auto-draft", "", ImportedPostStatus.Draft)]
    [InlineData("pending", "", ImportedPostStatus.Pending)]
    [InlineData("private", "", ImportedPostStatus.Private)]
    [InlineData("trash", "", ImportedPostStatus.Trashed)]
    [InlineData("publish", "secret", ImportedPostStatus.Private)]
    public void StatusesAndPasswordsAreKept(string status, string password, ImportedPostStatus expected)
    {
        var items = SampleExports.WordPressItem(5, "Status", "Body", status: status, password: password);

        var post = Assert.Single(ExportFiles.Read(_files.Write("export.xml", SampleExports.WordPress(items))).Posts);

        Assert.Equal(expected, post.Status);
        Assert.Equal(password.Length > 0, post.PasswordProtected);
    }

    [Fact]
    public void PagesAreAnsweredAtTheirPageIdAndOtherItemsAreCounted()
    {
        var items = SampleExports.WordPressItem(7, "About", "Me.", type: "page", name: "about")
            + SampleExports.WordPressItem(8, "Home", "", type: "nav_menu_item", comments: SampleExports.WordPressComment(90, 0))
            + SampleExports.WordPressItem(9, "Old version", "", type: "revision")
            + SampleExports.WordPressItem(0, "Broken", "", type: "post").Replace("<wp:post_id>0</wp:post_id>", "<wp:post_id></wp:post_id>", StringComparison.Ordinal);

        var export = ExportFiles.Read(_files.Write("export.xml", SampleExports.WordPress(items)));

        var page = Assert.Single(export.Pages);
        Assert.Equal(["https://garden.example.org/2020/05/about/", "/?page_id=7"], page.OldAddresses);
        Assert.Empty(export.Posts);
        Assert.Equal(1, export.Skipped(ImportKinds.Other, "WordPress menu items"));
        Assert.Equal(1, export.Skipped(ImportKinds.Other, "WordPress 'revision' items"));
        Assert.Equal(1, export.Skipped(ImportKinds.Comments, "on something that is not a post"));
        Assert.Equal(1, export.Skipped(ImportKinds.Posts, "broken entry"));
        Assert.Contains(export.Report.Notes, n => n.Message.Contains("Broken", StringComparison.Ordinal) && n.Line > 0);
    }

    [Fact]
    public void CommentsKeepThreadsStatusesAndPings()
    {
        var comments = SampleExports.WordPressComment(1, 0)
            + SampleExports.WordPressComment(2, 1, author: "Carol")
            + SampleExports.WordPressComment(3, 2, approved: "0", author: "Dan")
            + SampleExports.WordPressComment(4, 0, approved: "spam", author: "Spammer")
            + SampleExports.WordPressComment(5, 0, approved: "trash", author: "Gone")
            + SampleExports.WordPressComment(6, 0, type: "pingback", author: "Other blog")
            + SampleExports.WordPressComment(7, 0, type: "trackback", author: "Third blog");
        var items = SampleExports.WordPressItem(11, "First roses", "Body", comments: comments);

        var export = ExportFiles.Read(_files.Write("export.xml", SampleExports.WordPress(items)));

        Assert.Equal(7, export.Comments.Count);
        Assert.All(export.Comments, c => Assert.Equal("11", c.PostSourceId));
        var bob = Assert.Single(export.Comments, c => c.AuthorName == "Bob");
        Assert.Equal("comment-1", bob.SourceId);
        Assert.Null(bob.ParentSourceId);
        Assert.Equal("bob@example.net", bob.AuthorEmail);
        Assert.Equal("https://bob.example.net/", bob.AuthorUrl);
        Assert.Equal("<p>Nice.<br />\nVery nice.</p>", bob.Html);
        Assert.Equal(new DateTimeOffset(2020, 5, 3, 10, 0, 0, TimeSpan.Zero), bob.PublishedAt);
        Assert.Equal("comment-1", Assert.Single(export.Comments, c => c.AuthorName == "Carol").ParentSourceId);
        var dan = Assert.Single(export.Comments, c => c.AuthorName == "Dan");
        Assert.Equal(("comment-2", ImportedCommentStatus.Held), (dan.ParentSourceId, dan.Status));
        Assert.Equal(ImportedCommentStatus.Spam, Assert.Single(export.Comments, c => c.AuthorName == "Spammer").Status);
        Assert.Equal(ImportedCommentStatus.Trashed, Assert.Single(export.Comments, c => c.AuthorName == "Gone").Status);
        Assert.Equal(ImportedCommentKind.Pingback, Assert.Single(export.Comments, c => c.AuthorName == "Other blog").CommentKind);
        Assert.Equal(ImportedCommentKind.Trackback, Assert.Single(export.Comments, c => c.AuthorName == "Third blog").CommentKind);
    }

    [Fact]
    public void MoreMarkerCaptionsAndOtherShortcodesAreMadeReadable()
    {
        var body = "Intro line one\nline two\n\n<!--more-->\n\n[caption id=\"attachment_6\" align=\"alignright\" width=\"300\"]"
            + "<a href=\"https://garden.example.org/wp-content/uploads/2020/05/rose.jpg\"><img src=\"https://garden.example.org/wp-content/uploads/2020/05/rose-300x200.jpg\" alt=\"A rose\" /></a> The first rose[/caption]\n\n"
            + "[gallery ids=\"1,2\"]\n\n<pre>keep\n\nthis</pre>\n<ul>\n<li>one</li>\n<li>two</li>\n</ul>";
        var items = SampleExports.WordPressItem(11, "Roses", body);

        var post = Assert.Single(ExportFiles.Read(_files.Write("export.xml", SampleExports.WordPress(items))).Posts);

        Assert.Equal("<p>Intro line one<br />\nline two</p>", post.HtmlBeforeMore);
        Assert.DoesNotContain("more", post.Html, StringComparison.Ordinal);
        Assert.Contains("<figure><a href=\"https://garden.example.org/wp-content/uploads/2020/05/rose.jpg\"><img src=\"https://garden.example.org/wp-content/uploads/2020/05/rose-300x200.jpg\" alt=\"A rose\" /></a><figcaption>The first rose</figcaption></figure>", post.Html.Replace("\n", "", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Contains("<p>[gallery ids=\"1,2\"]</p>", post.Html, StringComparison.Ordinal);
        Assert.Contains("<pre>keep\n\nthis</pre>", post.Html, StringComparison.Ordinal);
        Assert.Contains("<li>one</li>", post.Html, StringComparison.Ordinal);
        Assert.DoesNotContain("<li><p>", post.Html, StringComparison.Ordinal);
        Assert.DoesNotContain("[caption", post.Html, StringComparison.Ordinal);
    }

    [Fact]
    public void AttachmentsGiveTheirAddressParentAndDescription()
    {
        var attachment = SampleExports.WordPressItem(20, "Rose photo", "", type: "attachment", status: "inherit")
            .Replace("<wp:post_parent>0</wp:post_parent>", "<wp:post_parent>11</wp:post_parent><wp:attachment_url>https://garden.example.org/wp-content/uploads/2020/05/rose.jpg</wp:attachment_url><wp:postmeta><wp:meta_key>_wp_attachment_image_alt</wp:meta_key><wp:meta_value><![CDATA[A red rose]]></wp:meta_value></wp:postmeta>", StringComparison.Ordinal);

        var export = ExportFiles.Read(_files.Write("export.xml", SampleExports.WordPress(attachment)));

        var picture = Assert.Single(export.Items.OfType<ImportedAttachment>());
        Assert.Equal("https://garden.example.org/wp-content/uploads/2020/05/rose.jpg", picture.Url);
        Assert.Equal("11", picture.ParentSourceId);
        Assert.Equal("A red rose", picture.AltText);
    }

    [Fact]
    public void UploadsFolderGivenAlongsideAnswersPicturesFallingBackToTheOriginalSize()
    {
        var rose = TestImages.Jpeg(40, 30);
        _files.Write("uploads/2020/05/rose.jpg", rose);
        _files.Write("secret.jpg", TestImages.Jpeg(10, 10));
        using var source = ImportSources.Open(_files.Write("export.xml", SampleExports.WordPress()), null, Path.Combine(_files.Folder, "uploads"));

        using var exact = source.OpenImage("https://garden.example.org/wp-content/uploads/2020/05/rose.jpg");
        using var resized = source.OpenImage("http://garden.example.org/wp-content/uploads/2020/05/rose-300x200.jpg");

        Assert.Equal(rose, ExportFiles.ReadAll(exact!));
        Assert.Equal(rose, ExportFiles.ReadAll(resized!));
        Assert.Null(source.OpenImage("https://garden.example.org/wp-content/uploads/../secret.jpg"));
        Assert.Null(source.OpenImage("https://garden.example.org/wp-content/uploads/%2e%2e/secret.jpg"));
        Assert.Null(source.OpenImage("https://garden.example.org/wp-content/uploads/2020/05/tulip.jpg"));
        Assert.Null(source.OpenImage("https://garden.example.org/2020/05/rose.jpg"));
    }

    [Fact]
    public void ZipWithTheExportAndItsUploadsAnswersPictures()
    {
        var rose = TestImages.Png(30, 30);
        var canola = TestImages.Jpeg(20, 20);
        var path = _files.Zip("site.zip",
            ("garden/export.xml", Encoding.UTF8.GetBytes(SampleExports.WordPress())),
            ("garden/wp-content/uploads/2020/05/rose.png", rose),
            ("garden/wp-content/uploads/2008/06/canola2.jpg", canola));
        using var source = ImportSources.Open(path, null, null);

        var items = source.ReadItems(new ImportReport()).ToList();
        using var resized = source.OpenImage("https://garden.example.org/wp-content/uploads/2020/05/rose-1024x768.png");
        using var hosted = source.OpenImage("https://gardendiary.files.wordpress.com/2008/06/canola2.jpg");

        Assert.Equal(ExportFormat.WordPress, source.Format);
        Assert.Single(items.OfType<ImportedPost>());
        Assert.Equal(rose, ExportFiles.ReadAll(resized!));
        Assert.Equal(canola, ExportFiles.ReadAll(hosted!));
    }

    public void Dispose() => _files.Dispose();
}
