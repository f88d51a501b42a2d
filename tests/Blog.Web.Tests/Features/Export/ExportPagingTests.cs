using System.Xml.Linq;
using Blog.Web.Data;
using Blog.Web.Features.Export;
using Blog.Web.Features.Import;
using Blog.Web.Identity;
using Blog.Web.Tests.Infrastructure;
using Dapper;
using Microsoft.Extensions.DependencyInjection;

namespace Blog.Web.Tests.Features.Export;

/// <summary>
/// An export reads the blog in keyset-paged batches: however large the blog, no statement reads all of it, and no
/// statement skips rows it has read already (OFFSET). Batches of two make the paging visible on a small blog.
/// </summary>
public sealed class PagedBlogFixture : IDisposable
{
    public const int Posts = 7;
    public const int CommentsOnBusyPost = 9;

    public PagedBlogFixture()
    {
        var owner = BlogClient.CreateAccountAsync(App, MemberRole.Owner).GetAwaiter().GetResult();
        var posts = PostSeeder.InsertMany(App, Enumerable.Range(1, Posts).Select(i => new SeedPost { Title = $"Post {i}", AuthorId = owner.Id, Labels = [$"Label {i}"] }));
        BusyPost = posts[2].Id;
        using var connection = App.OpenDatabase();
        long? root = null;
        // Three threads: a top-level comment (T) with four replies (R), then two with one each, so batches of two
        // end inside a thread as well as at its end.
        foreach (var kind in ThreadShape)
        {
            var parent = kind == 'T' ? (long?)null : root;
            var id = connection.ExecuteScalar<long>("""
                INSERT INTO comments (post_id, parent_id, root_id, depth, body_markdown, body_html, created_at, guest_name)
                VALUES (@Post, @Parent, @Parent, @Depth, 'x', '<p>x</p>', '2024-01-01 00:00:00.0000000', 'Guest')
                RETURNING id
                """, new { Post = BusyPost, Parent = parent, Depth = parent is null ? 0 : 1 });
            root = kind == 'T' ? id : root;
        }
    }

    private const string ThreadShape = "TRRRRTRTR";

    public BlogAppFactory App { get; } = new();

    public long BusyPost { get; }

    public void Dispose() => App.Dispose();
}

public sealed class ExportPagingTests(PagedBlogFixture fixture) : IClassFixture<PagedBlogFixture>
{
    private const int Posts = PagedBlogFixture.Posts;
    private const int CommentsOnBusyPost = PagedBlogFixture.CommentsOnBusyPost;
    private readonly BlogAppFactory _app = fixture.App;
    private readonly long _busyPost = fixture.BusyPost;

    private ExportQueries SmallBatches => new(_app.Services.GetRequiredService<BlogDatabase>()) { BatchSize = 2 };

    // SQLite by nature: records statements with SQLite's trace hook.
    [Trait("Database", "Sqlite")]
    [Theory]
    [InlineData(ExportFormat.BloggerClassic)]
    [InlineData(ExportFormat.WordPress)]
    public async Task EveryReadIsAKeysetPagedBatchAndTogetherTheyReadEverything(ExportFormat format)
    {
        var queries = SmallBatches;
        using var output = new MemoryStream();

        var statements = await StatementRecorder.RecordAsync(_app, () => ExporterWith(queries).WriteAsync(format, output, CancellationToken.None));

        var document = ExportTestBlog.Parse(System.Text.Encoding.UTF8.GetString(output.ToArray()));
        var postReads = statements.Where(s => s.Contains("FROM posts p", StringComparison.Ordinal) && s.Contains("ORDER BY p.id", StringComparison.Ordinal)).ToList();
        var commentReads = statements.Where(s => s.Contains("FROM comments c", StringComparison.Ordinal) && !s.Contains("RECURSIVE", StringComparison.Ordinal)).ToList();
        // Seven posts two at a time: four batches, the last one short.
        Assert.Equal(4, postReads.Count);
        Assert.All(postReads.Concat(commentReads), s => Assert.Contains("LIMIT 2", s, StringComparison.Ordinal));
        Assert.DoesNotContain(statements, s => s.Contains("OFFSET", StringComparison.OrdinalIgnoreCase));
        // The busy post: three top-level comments in two reads. Six replies two at a time: the first batch one read (the
        // threads from the start), the second the rest of the first thread (full), the third the rest of it (none) and
        // the later threads (two), the fourth both reads finding nothing. Every other post: one short read of each kind.
        Assert.Equal((2 + 1 + 1 + 2 + 2) + 2 * (Posts - 1), commentReads.Count);
        Assert.Equal(Posts, document.Descendants().Count(e => e.Name.LocalName is "item" || (e.Name.LocalName == "entry" && IsPost(e))));
        Assert.Equal(CommentsOnBusyPost, document.Descendants().Count(e => e.Name.LocalName == "comment" || (e.Name.LocalName == "entry" && !IsPost(e))));
    }

    [Fact]
    public async Task ABatchHoldsAtMostBatchSizeRows()
    {
        var queries = SmallBatches;

        var posts = await queries.PostsAsync(CancellationToken.None).ToListAsync();
        var comments = await queries.CommentsOfAsync(_busyPost, includeHeld: true, CancellationToken.None).ToListAsync();

        Assert.Equal(Posts, posts.Count);
        Assert.Equal(posts.Select(p => p.Id).Order(), posts.Select(p => p.Id));
        Assert.All(posts, p => Assert.Single(p.Labels));
        Assert.Equal(CommentsOnBusyPost, comments.Select(c => c.Id).Distinct().Count());
        Assert.Equal(CommentsOnBusyPost, comments.Count);
        // Every reply comes after the comment it answers.
        Assert.All(comments.Select((c, i) => (c, i)), x => Assert.True(x.c.ParentId is null || comments.FindIndex(p => p.Id == x.c.ParentId) < x.i));
    }

    private static bool IsPost(XElement entry) =>
        entry.Elements().Any(c => c.Name.LocalName == "category" && ((string?)c.Attribute("term") ?? "").EndsWith("#post", StringComparison.Ordinal));

    private BlogExporter ExporterWith(ExportQueries queries) => ActivatorUtilities.CreateInstance<BlogExporter>(
        _app.Services, new BloggerExport(queries), new WordPressExport(queries));
}
