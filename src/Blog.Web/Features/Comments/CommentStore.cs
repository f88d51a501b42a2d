using Blog.Web.Data;
using Blog.Web.Identity;
using Dapper;

namespace Blog.Web.Features.Comments;

/// <summary>
/// The SQL behind comment writes: the rows <see cref="CommentCommands"/> checks and changes, and whom the change
/// concerns. The comment section's and the feeds' reads are in <see cref="CommentSectionQueries"/> and
/// <see cref="CommentFeedQueries"/>. Every query here is served by an index from 0004_create_comments.sql or
/// 0005_index_hot_reads.sql (tests/Blog.Web.Tests/Data/ReadingCostTests.cs checks the plans).
/// </summary>
public sealed class CommentStore(BlogDatabase db)
{
    /// <summary>The columns of a <see cref="CommentRow"/>, from comments <c>c</c> LEFT JOIN members <c>m</c>.</summary>
    internal const string CommentColumns = """
        c.id, c.post_id, c.parent_id, c.root_id, c.depth, c.author_id, m.display_name AS author_name,
        c.guest_name, c.guest_url, c.body_markdown, c.body_html, c.status, c.held_reason, c.removed_at, c.removed_by, c.edited_at, c.created_at
        """;

    // What makes a post visible to readers, for posts p: published, not a page, and its time has come.
    private const string VisiblePost = "p.kind = 'post' AND p.status = 'published' AND p.published_at <= @Now";

    private const string PostColumns = "p.id, p.author_id, p.title, p.slug, p.published_at, p.allow_comments";

    public async Task<CommentablePost?> FindVisiblePostAsync(long postId, DateTime now, CancellationToken ct)
    {
        const string sql = $"""
            SELECT {PostColumns}
            FROM posts p
            WHERE p.id = @PostId AND {VisiblePost}
            """;
        await using var connection = await db.OpenAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<CommentablePost>(
            new CommandDefinition(sql, new { PostId = postId, Now = now }, cancellationToken: ct));
    }

    public async Task<CommentRow?> FindAsync(long id, CancellationToken ct)
    {
        const string sql = $"""
            SELECT {CommentColumns}
            FROM comments c
            LEFT JOIN members m ON m.id = c.author_id
            WHERE c.id = @Id
            """;
        await using var connection = await db.OpenAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<CommentRow>(new CommandDefinition(sql, new { Id = id }, cancellationToken: ct));
    }

    /// <summary>
    /// A comment with the post it is on, or null when either is missing or readers cannot see the post (a draft, a
    /// page, a post still to come): one statement, both rows by primary key.
    /// </summary>
    public async Task<CommentOnPost?> FindWithVisiblePostAsync(long id, DateTime now, CancellationToken ct)
    {
        const string sql = $"""
            SELECT {CommentColumns}, {PostColumns}
            FROM comments c
            JOIN posts p ON p.id = c.post_id
            LEFT JOIN members m ON m.id = c.author_id
            WHERE c.id = @Id AND {VisiblePost}
            """;
        await using var connection = await db.OpenAsync(ct);
        // Dapper splits the row at the last "id" column: the comment's columns, then the post's.
        var rows = await connection.QueryAsync<CommentRow, CommentablePost, CommentOnPost>(
            new CommandDefinition(sql, new { Id = id, Now = now }, cancellationToken: ct),
            (comment, post) => new CommentOnPost(comment, post), splitOn: "id");
        return rows.SingleOrDefault();
    }

    /// <summary>
    /// Saves a new comment, the writer's "email me replies" choice from the same form and the mail the comment causes
    /// (written by <paramref name="notifications"/> once the new id is known), in one transaction: one commit per
    /// comment, and no comment saved without its notifications or the other way round.
    /// </summary>
    public async Task<long> InsertAsync(
        NewComment comment, bool emailReplies, CommentMail notifications, CancellationToken ct)
    {
        const string sql = """
            INSERT INTO comments (post_id, parent_id, root_id, depth, author_id, body_markdown, body_html, status, held_reason, created_at)
            VALUES (@PostId, @ParentId, @RootId, @Depth, @AuthorId, @BodyMarkdown, @BodyHtml, @Status, @HeldReason, @CreatedAt)
            RETURNING id
            """;
        await using var write = await db.BeginWriteAsync(ct);
        var id = await write.Connection.ExecuteScalarAsync<long>(new CommandDefinition(sql, comment, write.Transaction, cancellationToken: ct));
        await write.Connection.ExecuteAsync(new CommandDefinition(ReplyNoticesSql,
            new { MemberId = comment.AuthorId, Wanted = emailReplies, Now = comment.CreatedAt }, write.Transaction, cancellationToken: ct));
        await notifications(write, id, ct);
        await write.CommitAsync(ct);
        return id;
    }

    /// <summary>
    /// Saves edited text. A <paramref name="holdReason"/> puts the comment (back) in the queue; without one its
    /// status stays as it was: an edit never approves a held comment, that is the owner's call.
    /// </summary>
    public async Task UpdateBodyAsync(long id, string markdown, string html, string? holdReason, DateTime editedAt, CancellationToken ct)
    {
        const string sql = """
            UPDATE comments
            SET body_markdown = @Markdown, body_html = @Html, edited_at = @EditedAt,
                status = CASE WHEN @HoldReason IS NULL THEN status ELSE 'held' END,
                held_reason = COALESCE(@HoldReason, held_reason)
            WHERE id = @Id AND removed_at IS NULL
            """;
        await using var connection = await db.OpenAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(sql,
            new { Id = id, Markdown = markdown, Html = html, HoldReason = holdReason, EditedAt = editedAt }, cancellationToken: ct));
    }

    /// <summary>
    /// Leaves a tombstone. A writer's own deletion also drops the text (they asked for it to go); an administrator's
    /// removal keeps it so the decision can be reviewed. Open reports are settled either way.
    /// </summary>
    public async Task RemoveAsync(IReadOnlyCollection<long> ids, string removedBy, DateTime now, CancellationToken ct)
    {
        var sql = db.Dialect.Text(new DialectSql(
            Sqlite: """
                UPDATE comments
                SET removed_at = @Now, removed_by = @RemovedBy,
                    body_markdown = CASE WHEN @RemovedBy = 'author' THEN '' ELSE body_markdown END,
                    body_html = CASE WHEN @RemovedBy = 'author' THEN '' ELSE body_html END
                WHERE id IN @Ids AND removed_at IS NULL;
                UPDATE comment_reports SET resolved_at = @Now WHERE comment_id IN @Ids AND resolved_at IS NULL;
                """,
            PostgreSql: """
                UPDATE comments
                SET removed_at = @Now, removed_by = @RemovedBy,
                    body_markdown = CASE WHEN @RemovedBy = 'author' THEN '' ELSE body_markdown END,
                    body_html = CASE WHEN @RemovedBy = 'author' THEN '' ELSE body_html END
                WHERE id = ANY(@Ids) AND removed_at IS NULL;
                UPDATE comment_reports SET resolved_at = @Now WHERE comment_id = ANY(@Ids) AND resolved_at IS NULL;
                """));
        await using var write = await db.BeginWriteAsync(ct);
        await write.Connection.ExecuteAsync(new CommandDefinition(sql, new { Ids = ids.ToArray(), RemovedBy = removedBy, Now = now }, write.Transaction, cancellationToken: ct));
        await write.CommitAsync(ct);
    }

    /// <summary>Approves held comments and settles open reports on them; returns the ids that were held before.</summary>
    public async Task<IReadOnlyList<long>> ApproveAsync(IReadOnlyCollection<long> ids, DateTime now, CancellationToken ct)
    {
        var sql = db.Dialect.Text(new DialectSql(
            Sqlite: """
                UPDATE comments SET status = 'approved', held_reason = NULL
                WHERE id IN @Ids AND status = 'held' AND removed_at IS NULL
                RETURNING id;
                """,
            PostgreSql: """
                UPDATE comments SET status = 'approved', held_reason = NULL
                WHERE id = ANY(@Ids) AND status = 'held' AND removed_at IS NULL
                RETURNING id;
                """));
        var resolve = db.Dialect.Text(new DialectSql(
            Sqlite: "UPDATE comment_reports SET resolved_at = @Now WHERE comment_id IN @Ids AND resolved_at IS NULL;",
            PostgreSql: "UPDATE comment_reports SET resolved_at = @Now WHERE comment_id = ANY(@Ids) AND resolved_at IS NULL;"));
        await using var write = await db.BeginWriteAsync(ct);
        var approved = (await write.Connection.QueryAsync<long>(new CommandDefinition(sql, new { Ids = ids.ToArray() }, write.Transaction, cancellationToken: ct))).ToList();
        await write.Connection.ExecuteAsync(new CommandDefinition(resolve, new { Ids = ids.ToArray(), Now = now }, write.Transaction, cancellationToken: ct));
        await write.CommitAsync(ct);
        return approved;
    }

    /// <summary>The posts these comments are on, each once (one query for a bulk moderation, whatever its size).</summary>
    public async Task<IReadOnlyList<long>> PostIdsOfAsync(IReadOnlyCollection<long> commentIds, CancellationToken ct)
    {
        if (commentIds.Count == 0)
        {
            return [];
        }
        var sql = db.Dialect.Text(new DialectSql(
            Sqlite: "SELECT DISTINCT post_id FROM comments WHERE id IN @Ids",
            PostgreSql: "SELECT DISTINCT post_id FROM comments WHERE id = ANY(@Ids)"));
        await using var connection = await db.OpenAsync(ct);
        return (await connection.QueryAsync<long>(new CommandDefinition(sql, new { Ids = commentIds.ToArray() }, cancellationToken: ct))).AsList();
    }

    /// <summary>
    /// The writer's comments since <paramref name="since"/>, counted up to <paramref name="atMost"/> only: the rate
    /// limit asks "at least N?", and a high limit must not make each comment of a busy writer read N rows.
    /// </summary>
    public async Task<int> CountRecentByAuthorAsync(string authorId, DateTime since, int atMost, CancellationToken ct)
    {
        const string sql = """
            SELECT COUNT(*) FROM (
                SELECT 1 FROM comments WHERE author_id = @AuthorId AND created_at > @Since LIMIT @AtMost) AS recent
            """;
        await using var connection = await db.OpenAsync(ct);
        return await connection.ExecuteScalarAsync<int>(new CommandDefinition(sql, new { AuthorId = authorId, Since = since, AtMost = atMost }, cancellationToken: ct));
    }

    /// <summary>
    /// The writer's approved comments, counted up to <paramref name="atMost"/> only: the trusted-writer rule asks
    /// "at least N?", and a regular with thousands of comments must not make each new comment cost thousands of reads.
    /// </summary>
    public async Task<int> CountApprovedByAuthorAsync(string authorId, int atMost, CancellationToken ct)
    {
        if (atMost <= 0)
        {
            return 0;
        }
        const string sql = """
            SELECT COUNT(*) FROM (
                SELECT 1 FROM comments
                WHERE author_id = @AuthorId AND status = 'approved' AND removed_at IS NULL
                LIMIT @AtMost) AS approved
            """;
        await using var connection = await db.OpenAsync(ct);
        return await connection.ExecuteScalarAsync<int>(new CommandDefinition(sql, new { AuthorId = authorId, AtMost = atMost }, cancellationToken: ct));
    }

    /// <summary>True when the report was stored; false when this member had already reported this comment.</summary>
    public async Task<bool> AddReportAsync(long commentId, string memberId, string reason, DateTime now, CancellationToken ct)
    {
        const string sql = """
            INSERT INTO comment_reports (comment_id, member_id, reason, created_at)
            VALUES (@CommentId, @MemberId, @Reason, @Now)
            ON CONFLICT (comment_id, member_id) DO NOTHING
            """;
        await using var connection = await db.OpenAsync(ct);
        var rows = await connection.ExecuteAsync(new CommandDefinition(sql, new { CommentId = commentId, MemberId = memberId, Reason = reason, Now = now }, cancellationToken: ct));
        return rows == 1;
    }

    public async Task SetReplyNoticesAsync(string memberId, bool wanted, DateTime now, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(ReplyNoticesSql, new { MemberId = memberId, Wanted = wanted, Now = now }, cancellationToken: ct));
    }

    // Every comment form carries the choice, so it is written only when it changed. Not as one upsert: PostgreSQL's
    // ON CONFLICT DO UPDATE locks the member's row even when its WHERE leaves it as it is, and the comment's
    // transaction would hold that lock to its commit, queueing every other comment of the same member behind it. An
    // UPDATE whose WHERE does not match the row takes no lock.
    private const string ReplyNoticesSql = """
        INSERT INTO member_preferences (member_id, email_reply_notices, updated_at) VALUES (@MemberId, @Wanted, @Now)
        ON CONFLICT (member_id) DO NOTHING;
        UPDATE member_preferences SET email_reply_notices = @Wanted, updated_at = @Now
        WHERE member_id = @MemberId AND email_reply_notices <> @Wanted;
        """;

    /// <summary>The email addresses and names of everyone who should hear about a new comment on a post.</summary>
    public async Task<IReadOnlyList<Recipient>> PostWatchersAsync(string? postAuthorId, CancellationToken ct)
    {
        const string sql = """
            SELECT id, email, display_name, role FROM members
            WHERE (role = 'owner' OR id = @PostAuthorId) AND banned_at IS NULL AND email IS NOT NULL
            """;
        await using var connection = await db.OpenAsync(ct);
        return (await connection.QueryAsync<Recipient>(new CommandDefinition(sql, new { PostAuthorId = postAuthorId }, cancellationToken: ct))).ToList();
    }

    /// <summary>The writer of a comment when they asked to hear about replies.</summary>
    public async Task<Recipient?> ReplyWatcherAsync(long commentId, CancellationToken ct)
    {
        const string sql = """
            SELECT m.id, m.email, m.display_name
            FROM comments c
            JOIN members m ON m.id = c.author_id
            JOIN member_preferences p ON p.member_id = m.id
            WHERE c.id = @CommentId AND p.email_reply_notices = TRUE AND m.banned_at IS NULL AND m.email IS NOT NULL
            """;
        await using var connection = await db.OpenAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<Recipient>(new CommandDefinition(sql, new { CommentId = commentId }, cancellationToken: ct));
    }
}

public sealed record NewComment
{
    public required long PostId { get; init; }

    public long? ParentId { get; init; }

    public long? RootId { get; init; }

    public int Depth { get; init; }

    public required string AuthorId { get; init; }

    public required string BodyMarkdown { get; init; }

    public required string BodyHtml { get; init; }

    public required string Status { get; init; }

    public string? HeldReason { get; init; }

    public required DateTime CreatedAt { get; init; }
}

public sealed record Recipient
{
    public string Id { get; init; } = "";

    public string Email { get; init; } = "";

    public string DisplayName { get; init; } = "";

    /// <summary>Filled where it decides what the mail may offer (only the owner can open the moderation queue).</summary>
    public string Role { get; init; } = "";

    public bool IsOwner => Role == MemberRole.Owner.ToName();
}
