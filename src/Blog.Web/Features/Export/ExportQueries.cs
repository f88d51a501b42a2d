using System.Data.Common;
using System.Runtime.CompilerServices;
using Blog.Web.Data;
using Blog.Web.Features.Posts;
using Dapper;

namespace Blog.Web.Features.Export;

/// <summary>
/// The whole blog, read for an export in keyset-paged batches (a seek in an index per batch, never OFFSET, never one
/// read of everything): however large the blog, an export holds one batch of rows at a time. Comments are read per
/// post, top-level ones first and then the replies thread by thread, so a reply follows the comment it answers.
/// </summary>
public sealed class ExportQueries(BlogDatabase db)
{
    /// <summary>Rows per batch: a post body may be large, so a batch is a few dozen posts, not thousands.</summary>
    public int BatchSize { get; init; } = 100;

    private const string CommentColumns = """
        c.id, c.post_id, c.parent_id, c.body_html, c.status, c.created_at,
        m.display_name AS member_name, m.email AS member_email, c.guest_name, c.guest_url, c.guest_email
        """;

    /// <summary>A comment an export keeps: not removed, and approved unless the format carries held comments too.</summary>
    private const string Kept = "c.removed_at IS NULL AND (c.status = 'approved' OR @IncludeHeld)";

    public IAsyncEnumerable<ExportPostRow> PostsAsync(CancellationToken ct)
    {
        const string sql = """
            SELECT p.id, p.kind, p.title, p.subtitle, p.slug, p.body_html, p.status, p.published_at, p.updated_at,
                   p.allow_comments, p.author_id, m.display_name AS author_name
            FROM posts p
            LEFT JOIN members m ON m.id = p.author_id
            WHERE p.id > @After
            ORDER BY p.id
            LIMIT @Take
            """;
        return PagedAsync<ExportPostRow, long>(sql, after => new { After = after, Take = BatchSize }, 0L, post => post.Id, ct, WithLabelsAsync);
    }

    private static async Task<List<ExportPostRow>> WithLabelsAsync(DbConnection connection, List<ExportPostRow> posts, CancellationToken ct)
    {
        var labels = await PostQueries.LabelLookupAsync(connection, [.. posts.Select(p => p.Id)], ct);
        return [.. posts.Select(p => p with { Labels = [.. labels[p.Id]] })];
    }

    /// <summary>
    /// The comments of one post an export keeps: the top-level ones, then the replies thread by thread in id order, so
    /// each reply comes after the comment it answers (a reply written here always has a higher id than its parent).
    /// </summary>
    public async IAsyncEnumerable<ExportCommentRow> CommentsOfAsync(long postId, bool includeHeld, [EnumeratorCancellation] CancellationToken ct)
    {
        await foreach (var comment in TopLevelCommentsAsync(postId, includeHeld, ct))
        {
            yield return comment;
        }
        await foreach (var reply in RepliesAsync(postId, includeHeld, ct))
        {
            yield return reply.ParentKept ? reply : reply with { ParentId = await KeptAncestorAsync(reply.ParentId!.Value, includeHeld, ct) };
        }
    }

    private IAsyncEnumerable<ExportCommentRow> TopLevelCommentsAsync(long postId, bool includeHeld, CancellationToken ct)
    {
        const string sql = $"""
            SELECT {CommentColumns}
            FROM comments c
            LEFT JOIN members m ON m.id = c.author_id
            WHERE c.post_id = @PostId AND c.parent_id IS NULL AND c.id > @After AND {Kept}
            ORDER BY c.id
            LIMIT @Take
            """;
        return PagedAsync<ExportCommentRow, long>(sql, after => new { PostId = postId, After = after, IncludeHeld = includeHeld, Take = BatchSize }, 0L, c => c.Id, ct);
    }

    /// <summary>
    /// Replies in the order of the (post, thread, id) index. Each batch is two seeks in it: the rest of the thread the
    /// last batch ended in, then the threads after it. One row-value comparison over both columns would make SQLite
    /// seek by thread only and step over the thread's rows already read, every batch: too slow for a thread of thousands.
    /// </summary>
    private async IAsyncEnumerable<ExportCommentRow> RepliesAsync(long postId, bool includeHeld, [EnumeratorCancellation] CancellationToken ct)
    {
        const string select = $"""
            SELECT {CommentColumns}, c.root_id,
                   parent.removed_at IS NULL AND (parent.status = 'approved' OR @IncludeHeld) AS parent_kept
            FROM comments c
            JOIN comments parent ON parent.id = c.parent_id
            LEFT JOIN members m ON m.id = c.author_id
            """;
        const string restOfThread = $"{select} WHERE c.post_id = @PostId AND c.root_id = @Root AND c.id > @After AND {Kept} ORDER BY c.id LIMIT @Take";
        const string laterThreads = $"{select} WHERE c.post_id = @PostId AND c.root_id > @Root AND {Kept} ORDER BY c.root_id, c.id LIMIT @Take";
        (long Root, long Id) after = (0, 0);
        while (true)
        {
            var batch = after.Root == 0
                ? []
                : await QueryAsync(restOfThread, new { PostId = postId, after.Root, After = after.Id, IncludeHeld = includeHeld, Take = BatchSize }, ct);
            if (batch.Count < BatchSize)
            {
                batch.AddRange(await QueryAsync(laterThreads, new { PostId = postId, after.Root, IncludeHeld = includeHeld, Take = BatchSize - batch.Count }, ct));
            }
            foreach (var reply in batch)
            {
                yield return reply;
            }
            if (batch.Count < BatchSize)
            {
                yield break;
            }
            after = (batch[^1].RootId ?? 0, batch[^1].Id);
        }
    }

    private async Task<List<ExportCommentRow>> QueryAsync(string sql, object parameters, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        return (await connection.QueryAsync<ExportCommentRow>(new CommandDefinition(sql, parameters, cancellationToken: ct))).AsList();
    }

    /// <summary>
    /// The nearest ancestor an export keeps, for a reply whose parent it leaves out; null makes the reply top-level.
    /// Rare (a removed comment with replies), and as deep as a thread at most.
    /// </summary>
    private async Task<long?> KeptAncestorAsync(long parentId, bool includeHeld, CancellationToken ct)
    {
        const string sql = """
            WITH RECURSIVE up (id, parent_id, kept) AS (
                SELECT c.id, c.parent_id, c.removed_at IS NULL AND (c.status = 'approved' OR @IncludeHeld)
                FROM comments c WHERE c.id = @ParentId
                UNION ALL
                SELECT c.id, c.parent_id, c.removed_at IS NULL AND (c.status = 'approved' OR @IncludeHeld)
                FROM comments c JOIN up ON c.id = up.parent_id
                WHERE NOT up.kept
            )
            SELECT id FROM up WHERE kept LIMIT 1
            """;
        await using var connection = await db.OpenAsync(ct);
        return await connection.ExecuteScalarAsync<long?>(new CommandDefinition(sql, new { ParentId = parentId, IncludeHeld = includeHeld }, cancellationToken: ct));
    }

    public IAsyncEnumerable<ExportLabelRow> LabelsAsync(CancellationToken ct)
    {
        const string sql = "SELECT id, name FROM labels WHERE id > @After ORDER BY id LIMIT @Take";
        return PagedAsync<ExportLabelRow, long>(sql, after => new { After = after, Take = BatchSize }, 0L, label => label.Id, ct);
    }

    /// <summary>The owner, the authors, and anyone else who wrote a post still here (e.g. an author made a member again).</summary>
    public IAsyncEnumerable<ExportAuthorRow> AuthorsAsync(CancellationToken ct)
    {
        const string sql = """
            SELECT m.id, m.display_name, m.email
            FROM members m
            WHERE m.id > @After
              AND (m.role IN ('owner', 'author') OR EXISTS (SELECT 1 FROM posts p WHERE p.author_id = m.id))
            ORDER BY m.id
            LIMIT @Take
            """;
        return PagedAsync<ExportAuthorRow, string>(sql, after => new { After = after, Take = BatchSize }, "", author => author.Id, ct);
    }

    /// <summary>Batch after batch, each starting after the key of the last row of the one before.</summary>
    private async IAsyncEnumerable<TRow> PagedAsync<TRow, TKey>(
        string sql, Func<TKey, object> parametersAfter, TKey start, Func<TRow, TKey> keyOf, [EnumeratorCancellation] CancellationToken ct,
        Func<DbConnection, List<TRow>, CancellationToken, Task<List<TRow>>>? complete = null)
    {
        var after = start;
        while (true)
        {
            List<TRow> batch;
            await using (var connection = await db.OpenAsync(ct))
            {
                batch = (await connection.QueryAsync<TRow>(new CommandDefinition(sql, parametersAfter(after), cancellationToken: ct))).AsList();
                if (complete is not null && batch.Count > 0)
                {
                    batch = await complete(connection, batch, ct);
                }
            }
            foreach (var row in batch)
            {
                yield return row;
            }
            if (batch.Count < BatchSize)
            {
                yield break;
            }
            after = keyOf(batch[^1]);
        }
    }
}
