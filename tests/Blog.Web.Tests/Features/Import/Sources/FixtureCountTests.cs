using Blog.Web.Features.Import;

namespace Blog.Web.Tests.Features.Import.Sources;

/// <summary>The real exports beside the checkout, read with every count their README gives.</summary>
public sealed class FixtureCountTests
{
    [Fact]
    public void Blogger2JekyllExportHasItsPostsDraftsPageThreadAndSettings()
    {
        if (ExportFiles.Fixture("blogger/blogger2jekyll-blog-08-19-2012.xml") is not { } path)
        {
            return;
        }

        var export = ExportFiles.Read(path);

        Assert.Equal(ExportFormat.BloggerClassic, export.Format);
        Assert.Equal("blogger:6103943824397639239", export.Blog.SourceKey);
        Assert.Equal("http://www.kriscargile.com/", export.Blog.Address);
        Assert.Equal(10, export.Posts.Count);
        Assert.Equal(2, export.Posts.Count(p => p.Status == ImportedPostStatus.Draft));
        Assert.Single(export.Pages);
        var comment = Assert.Single(export.Comments);
        Assert.Contains(export.Posts, p => p.SourceId == comment.PostSourceId);
        Assert.Equal(54, export.Skipped(ImportKinds.Other, "Blogger settings"));
        Assert.Equal(1, export.Skipped(ImportKinds.Other, "Blogger template"));
        Assert.All(export.Posts.Where(p => p.Status == ImportedPostStatus.Published), p =>
        {
            Assert.StartsWith("http://www.kriscargile.com/", Assert.Single(p.OldAddresses));
            Assert.NotEmpty(p.Slug);
        });
    }

    [Fact]
    public void CljExportSkipsItsBrokenEntryWithItsLineAndKeepsTheOrphanComment()
    {
        if (ExportFiles.Fixture("blogger/clj-blogger-export.xml") is not { } path)
        {
            return;
        }

        var export = ExportFiles.Read(path);

        Assert.Equal(2, export.Posts.Count);
        Assert.Single(export.Posts, p => p.Status == ImportedPostStatus.Draft);
        var orphan = Assert.Single(export.Comments);
        Assert.DoesNotContain(export.Posts, p => p.SourceId == orphan.PostSourceId);
        Assert.Equal(1, export.Skipped(ImportKinds.Posts, "broken entry"));
        var note = Assert.Single(export.Report.Notes, n => n.Message.Contains("pust-12345", StringComparison.Ordinal));
        Assert.Equal(File.ReadLines(path).TakeWhile(l => !l.Contains("Post entry with bad id", StringComparison.Ordinal)).Count() + 2, note.Line);
    }

    [Theory]
    [InlineData("blogger/pelican-bloggerexport.xml", true)]
    [InlineData("blogger/pelican-bloggerexport.app-ns-fixed.xml", false)]
    public void PelicanExportIsReadWhetherOrNotItDeclaresTheAppPrefix(string fixture, bool undeclared)
    {
        if (ExportFiles.Fixture(fixture) is not { } path)
        {
            return;
        }

        var export = ExportFiles.Read(path);

        Assert.Equal(2, export.Posts.Count);
        Assert.Equal(2, export.Pages.Count);
        var comment = Assert.Single(export.Comments);
        Assert.Matches(@"[^\x00-\x7F]", comment.AuthorName);
        Assert.Equal(58, export.Skipped(ImportKinds.Other, "Blogger settings"));
        Assert.Equal(undeclared, export.Report.Notes.Any(n => n.Message.Contains("app: prefix", StringComparison.Ordinal)));
    }

    [Fact]
    public void SmallWordPressExportHasItsPostsPagesCategoriesAndComment()
    {
        if (ExportFiles.Fixture("wordpress/wordpress-importer-small-export.xml") is not { } path)
        {
            return;
        }

        var export = ExportFiles.Read(path);

        Assert.Equal(ExportFormat.WordPress, export.Format);
        Assert.Equal("wordpress:http://localhost", export.Blog.SourceKey);
        Assert.Equal(6, export.Posts.Count);
        Assert.Equal(5, export.Pages.Count);
        Assert.Equal(30, export.Items.OfType<ImportedLabel>().Count(l => !l.IsTag));
        Assert.Single(export.Comments);
        Assert.Single(export.Posts, p => p.Status == ImportedPostStatus.Private);
        Assert.Single(export.Pages, p => p.Status == ImportedPostStatus.Draft);
    }

    [Fact]
    public void ThemeUnitTestDataHasItsPostsPagesCommentsThreadsAndPings()
    {
        if (ExportFiles.Fixture("wordpress/wordpress-importer-theme-unit-test-data.xml") is not { } path)
        {
            return;
        }

        var export = ExportFiles.Read(path);

        Assert.Equal(58, export.Posts.Count);
        Assert.Equal(21, export.Pages.Count);
        Assert.Equal(33, export.Comments.Count);
        Assert.Equal(10, export.Comments.Count(c => c.ParentSourceId is not null));
        Assert.Equal(3, export.Comments.Count(c => c.Status == ImportedCommentStatus.Held));
        Assert.Equal(2, export.Comments.Count(c => c.CommentKind == ImportedCommentKind.Pingback));
        Assert.Equal(2, export.Comments.Count(c => c.CommentKind == ImportedCommentKind.Trackback));
        Assert.Single(export.Posts, p => p.Status == ImportedPostStatus.Scheduled);
        Assert.Single(export.Posts, p => p.PasswordProtected && p.Status == ImportedPostStatus.Private);
        Assert.Equal(37, export.Items.OfType<ImportedAttachment>().Count());
        Assert.Equal(70, export.Skipped(ImportKinds.Other, "WordPress menu items"));
        Assert.Contains(export.Posts, p => p.HtmlBeforeMore is not null);
        var comments = export.Comments.Select(c => c.SourceId).ToHashSet();
        Assert.All(export.Comments.Where(c => c.ParentSourceId is not null), c => Assert.Contains(c.ParentSourceId!, comments));
    }
}
