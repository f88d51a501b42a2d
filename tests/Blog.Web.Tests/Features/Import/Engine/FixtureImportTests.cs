using Blog.Web.Features.Import;
using Blog.Web.Tests.Infrastructure;
using Dapper;
using Microsoft.Extensions.DependencyInjection;

namespace Blog.Web.Tests.Features.Import.Engine;

/// <summary>
/// The real exports beside the checkout, imported through the readers: the counts their README gives, and a second
/// import that changes nothing. Without the fixtures folder there is nothing to import and each test returns.
/// </summary>
public sealed class FixtureImportTests(ImportEngineAppFactory app) : IClassFixture<ImportEngineAppFactory>
{
    private static string? Fixture(string name) =>
        RepositoryRoot.FixturesPath is { } folder && File.Exists(Path.Combine(folder, name)) ? Path.Combine(folder, name) : null;

    private async Task<ImportReport> ImportAsync(string path, bool dryRun = false)
    {
        var runner = app.Services.GetRequiredService<IImportRunner>();
        var importer = await app.ImporterAsync();
        return await runner.RunAsync(new ImportRequest { FilePath = path, ImporterId = importer.Id, DryRun = dryRun }, null, CancellationToken.None);
    }

    private int Count(string sql, object? parameters = null)
    {
        using var connection = app.OpenDatabase();
        return connection.ExecuteScalar<int>(sql, parameters);
    }

    [Fact]
    public async Task Blogger2JekyllExportImportsItsPostsDraftsPageAndThreadOnce()
    {
        if (Fixture("blogger/blogger2jekyll-blog-08-19-2012.xml") is not { } path)
        {
            return;
        }
        const string source = "blogger:6103943824397639239";

        var dry = await ImportAsync(path, dryRun: true);
        var report = await ImportAsync(path);

        Assert.Equal((10, 10), (dry.For(ImportKinds.Posts).Imported, report.For(ImportKinds.Posts).Imported));
        Assert.Equal(1, report.For(ImportKinds.Pages).Imported);
        Assert.Equal(1, report.For(ImportKinds.Comments).Imported);
        Assert.Equal(55, report.For(ImportKinds.Other).SkippedTotal);
        Assert.Equal(2, Count("SELECT COUNT(*) FROM imported_items i JOIN posts p ON p.id = i.local_id WHERE i.source = @Source AND i.kind = 'post' AND p.status = 'draft'", new { Source = source }));
        Assert.Equal(1, Count("SELECT COUNT(*) FROM imported_items i JOIN comments c ON c.id = i.local_id WHERE i.source = @Source AND c.author_id IS NULL AND c.guest_name <> ''", new { Source = source }));
        Assert.True(report.RedirectsCreated >= 9, $"{report.RedirectsCreated} redirects");
        var before = await DatabaseSnapshot.TakeAsync(app);
        var again = await ImportAsync(path);
        Assert.Equal(before, await DatabaseSnapshot.TakeAsync(app));
        Assert.Equal((0, 10), (again.For(ImportKinds.Posts).Imported, again.For(ImportKinds.Posts).AlreadyImported));
    }

    [Fact]
    public async Task CljExportSkipsItsOrphanCommentAndBrokenEntryWithNotes()
    {
        if (Fixture("blogger/clj-blogger-export.xml") is not { } path)
        {
            return;
        }

        var report = await ImportAsync(path);

        Assert.Equal(2, report.For(ImportKinds.Posts).Imported);
        Assert.Equal(1, report.For(ImportKinds.Posts).Skipped["broken entry"]);
        Assert.Equal(1, report.For(ImportKinds.Comments).Skipped["its post is not in the file"]);
        Assert.Equal(0, report.For(ImportKinds.Comments).Imported);
        Assert.Contains(report.Notes, note => note.Line > 0 && note.Message.Contains("post is not in the file", StringComparison.Ordinal));
    }

    [Fact]
    public async Task PelicanExportWithItsUndeclaredPrefixImportsWithANote()
    {
        if (Fixture("blogger/pelican-bloggerexport.xml") is not { } path)
        {
            return;
        }

        var report = await ImportAsync(path);

        Assert.Equal((2, 2, 1), (report.For(ImportKinds.Posts).Imported, report.For(ImportKinds.Pages).Imported, report.For(ImportKinds.Comments).Imported));
        Assert.Contains(report.Notes, note => note.Message.Contains("app: prefix", StringComparison.Ordinal));
    }

    [Fact]
    public async Task WordPressThemeUnitTestDataImportsEveryPostPageAndThread()
    {
        if (Fixture("wordpress/wordpress-importer-theme-unit-test-data.xml") is not { } path)
        {
            return;
        }

        const string importedComments = "SELECT COUNT(*) FROM imported_items WHERE kind = 'comment'";
        const string heldGuestComments = "SELECT COUNT(*) FROM comments WHERE status = 'held' AND guest_name IS NOT NULL";
        await app.ImporterAsync();
        var (commentsBefore, heldBefore) = (Count(importedComments), Count(heldGuestComments));

        var report = await ImportAsync(path);

        Assert.Equal(58, report.For(ImportKinds.Posts).Found);
        Assert.Equal(21, report.For(ImportKinds.Pages).Found);
        Assert.Equal(33, report.For(ImportKinds.Comments).Found + report.For(ImportKinds.Pingbacks).Found);
        Assert.Equal(report.For(ImportKinds.Posts).Found, report.For(ImportKinds.Posts).Imported + report.For(ImportKinds.Posts).SkippedTotal);
        Assert.Equal(21, report.For(ImportKinds.Pages).Imported);
        Assert.Equal(report.For(ImportKinds.Comments).Imported, Count(importedComments) - commentsBefore);
        Assert.Equal(3, Count(heldGuestComments) - heldBefore);
        Assert.True(Count("SELECT COUNT(*) FROM comments WHERE guest_name IS NOT NULL AND parent_id IS NOT NULL") >= 9);
        Assert.Equal(0, Count("SELECT COUNT(*) FROM comments c JOIN comments p ON p.id = c.parent_id WHERE c.depth <> p.depth + 1 OR c.post_id <> p.post_id"));
        Assert.NotEmpty(report.PrivatePosts);
        Assert.True(Count("SELECT COUNT(*) FROM legacy_addresses WHERE address LIKE '/?p=%'") >= 50);
        Assert.True(Count("SELECT COUNT(*) FROM legacy_addresses WHERE address LIKE '/category/%' AND target LIKE '/search/label/%'") > 0);
    }

    [Fact]
    public async Task SmallWordPressExportImportsItsPostsPagesAndCategories()
    {
        if (Fixture("wordpress/wordpress-importer-small-export.xml") is not { } path)
        {
            return;
        }

        var report = await ImportAsync(path);

        Assert.Equal(6, report.For(ImportKinds.Posts).Found);
        Assert.Equal(5, report.For(ImportKinds.Pages).Found);
        Assert.Equal(1, report.For(ImportKinds.Comments).Found);
        Assert.True(report.For(ImportKinds.Labels).Found >= 30, $"{report.For(ImportKinds.Labels).Found} labels");
        Assert.Equal(6, report.For(ImportKinds.Posts).Imported + report.For(ImportKinds.Posts).SkippedTotal);
    }
}
