using System.Globalization;
using Blog.Web.Features.Export;
using Blog.Web.Features.Import;
using Blog.Web.Identity;
using Blog.Web.Tests.Infrastructure;
using Dapper;
using Microsoft.Extensions.DependencyInjection;

namespace Blog.Web.Tests.Features.Export;

/// <summary>The blog every round trip starts from, exported from once per format.</summary>
public sealed class RoundTripSourceFixture : IAsyncLifetime, IDisposable
{
    public BlogAppFactory App { get; } = new();

    public async Task InitializeAsync() => await ExportTestBlog.SeedAsync(App, DateTime.UtcNow);

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose() => App.Dispose();
}

/// <summary>
/// Export, then import into an empty blog: the same posts and pages (kind, slug, title, status, date, labels, text)
/// and the same comments in the same threads. What the format cannot carry is left out on both sides of the
/// comparison: removed comments (their replies answer the nearest comment kept), and in Blogger's format held ones.
/// </summary>
public sealed class ExportImportRoundTripTests(RoundTripSourceFixture source) : IClassFixture<RoundTripSourceFixture>, IDisposable
{
    private readonly string _folder = TestDataFolder.Create();
    private readonly BlogAppFactory _target = new();

    public void Dispose()
    {
        _target.Dispose();
        TestDataFolder.Delete(_folder);
    }

    [Theory]
    [InlineData(ExportFormat.WordPress)]
    [InlineData(ExportFormat.BloggerClassic)]
    public async Task ExportThenImportIntoAnEmptyBlogGivesTheSamePostsPagesCommentsThreadsLabelsAndSlugs(ExportFormat format)
    {
        var file = Path.Combine(_folder, "export.xml");
        await File.WriteAllTextAsync(file, await ExportTestBlog.ExportAsync(source.App, format));
        var owner = await BlogClient.CreateAccountAsync(_target, MemberRole.Owner);
        var runner = _target.Services.GetRequiredService<IImportRunner>();

        var report = await runner.RunAsync(new ImportRequest { FilePath = file, ImporterId = owner.Id }, null, CancellationToken.None);

        var heldIncluded = format == ExportFormat.WordPress;
        Assert.Equal(Posts(source.App), Posts(_target));
        Assert.Equal(Comments(source.App, heldIncluded), Comments(_target, includeHeld: true));
        Assert.Equal(4, report.For(ImportKinds.Posts).Imported + report.For(ImportKinds.Pages).Imported);
        Assert.Equal(heldIncluded ? 7 : 6, report.For(ImportKinds.Comments).Imported);
    }

    private static List<string> Posts(BlogAppFactory app)
    {
        using var connection = app.OpenDatabase();
        return [.. connection.Query<PostShape>("""
            SELECT p.id, p.kind, p.slug, p.title, p.status, p.published_at, p.body_html,
                   (SELECT string_agg(l.name, '|' ORDER BY l.name) FROM post_labels pl JOIN labels l ON l.id = pl.label_id WHERE pl.post_id = p.id) AS labels
            FROM posts p
            """).Select(p => string.Join(" · ",
                p.Kind, p.Slug, ExportXml.Clean(p.Title), p.Status,
                p.Status == "published" ? p.PublishedAt?.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) : "",
                p.Labels ?? "", Text(ExportXml.Clean(p.BodyHtml))))
            .Order(StringComparer.Ordinal)];
    }

    /// <summary>Each comment as "post slug · writer · text · status ← the text of the comment it answers".</summary>
    private static List<string> Comments(BlogAppFactory app, bool includeHeld)
    {
        using var connection = app.OpenDatabase();
        var rows = connection.Query<CommentShape>("""
            SELECT c.id, c.parent_id, p.slug, COALESCE(m.display_name, c.guest_name) AS writer, c.body_html, c.status, c.removed_at IS NOT NULL AS removed
            FROM comments c
            JOIN posts p ON p.id = c.post_id
            LEFT JOIN members m ON m.id = c.author_id
            """).ToDictionary(c => c.Id);
        bool Kept(CommentShape c) => !c.Removed && (c.Status == "approved" || includeHeld);
        CommentShape? KeptParent(CommentShape c)
        {
            var parent = c.ParentId is { } id ? rows[id] : null;
            while (parent is not null && !Kept(parent))
            {
                parent = parent.ParentId is { } up ? rows[up] : null;
            }
            return parent;
        }
        return [.. rows.Values.Where(Kept)
            .Select(c => $"{c.Slug} · {c.Writer} · {Text(c.BodyHtml)} · {c.Status} ← {(KeptParent(c) is { } parent ? Text(parent.BodyHtml) : "")}")
            .Order(StringComparer.Ordinal)];
    }

    private static string Text(string html) =>
        string.Join(' ', (BlogClient.Parse(html).Body?.TextContent ?? "").Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));

    private sealed record PostShape
    {
        public long Id { get; init; }
        public string Kind { get; init; } = "";
        public string Slug { get; init; } = "";
        public string Title { get; init; } = "";
        public string Status { get; init; } = "";
        public DateTime? PublishedAt { get; init; }
        public string BodyHtml { get; init; } = "";
        public string? Labels { get; init; }
    }

    private sealed record CommentShape
    {
        public long Id { get; init; }
        public long? ParentId { get; init; }
        public string Slug { get; init; } = "";
        public string? Writer { get; init; }
        public string BodyHtml { get; init; } = "";
        public string Status { get; init; } = "";
        public bool Removed { get; init; }
    }
}
