using Blog.Web.Data;
using Blog.Web.Features.Comments;
using Blog.Web.Features.Posts;
using Blog.Web.Features.Settings;
using Blog.Web.Identity;
using Dapper;

namespace Blog.Web.Features.Moderation;

/// <summary>
/// The reads of the owner's queue: comments that are held, or that members reported and nobody has looked at yet.
/// </summary>
public sealed class ModerationQueries(BlogDatabase db, SiteSettingsStore settingsStore)
{
    private const int PageSize = 25;

    // Both halves of the OR are served by partial indexes (ix_comments_held, ix_comment_reports_open).
    private const string InQueue = """
        c.removed_at IS NULL
        AND (c.status = 'held' OR c.id IN (SELECT r.comment_id FROM comment_reports r WHERE r.resolved_at IS NULL))
        """;

    /// <summary>
    /// The number beside "Moderation" in the navigation, on every page the owner sees. Two counts added up rather
    /// than one with an OR, which SQLite answers by reading the whole comments table: held comments from
    /// ix_comments_held alone, reported ones by looking up each open report's comment.
    /// </summary>
    public async Task<int> PendingCountAsync(CancellationToken ct)
    {
        const string sql = """
            SELECT (SELECT COUNT(*) FROM comments c WHERE c.status = 'held' AND c.removed_at IS NULL)
                 + (SELECT COUNT(*) FROM comments c
                    WHERE c.id IN (SELECT r.comment_id FROM comment_reports r WHERE r.resolved_at IS NULL)
                      AND c.status <> 'held' AND c.removed_at IS NULL)
            """;
        await using var connection = await db.OpenAsync(ct);
        return await connection.ExecuteScalarAsync<int>(new CommandDefinition(sql, cancellationToken: ct));
    }

    /// <summary>
    /// One page of the queue with the comment rules form: <paramref name="rules"/> as the owner sent them when they
    /// come back refused, otherwise the rules in force.
    /// </summary>
    public async Task<ModerationPage> PageAsync(int page, ModerationSettingsForm? rules, string? message, CancellationToken ct)
    {
        var pending = await PendingCountAsync(ct);
        var pageCount = Math.Max(1, (pending + PageSize - 1) / PageSize);
        page = Math.Clamp(page, 1, pageCount);
        var site = await settingsStore.GetAsync(ct);
        return new ModerationPage
        {
            Items = await QueueAsync((page - 1) * PageSize, PageSize, ct),
            Pending = pending,
            Page = page,
            PageCount = pageCount,
            Settings = rules ?? ModerationSettingsForm.From(site.Comments),
            TimeZone = PostUrls.TimeZone(site.TimeZone),
            Message = message,
        };
    }

    private async Task<IReadOnlyList<QueueItem>> QueueAsync(int offset, int limit, CancellationToken ct)
    {
        const string sql = $"""
            SELECT c.id, c.post_id, p.title AS post_title, c.author_id, m.display_name AS author_name, c.guest_name, c.guest_url,
                   m.banned_at AS author_banned_at, m.role AS author_role, c.body_html, c.status, c.held_reason, c.created_at,
                   (SELECT string_agg(r.reason, ' · ' ORDER BY r.id) FROM comment_reports r
                    WHERE r.comment_id = c.id AND r.resolved_at IS NULL) AS report_reasons
            FROM comments c
            JOIN posts p ON p.id = c.post_id
            LEFT JOIN members m ON m.id = c.author_id
            WHERE {InQueue}
            ORDER BY c.created_at, c.id
            LIMIT @Limit OFFSET @Offset
            """;
        await using var connection = await db.OpenAsync(ct);
        return (await connection.QueryAsync<QueueItem>(new CommandDefinition(sql, new { Offset = offset, Limit = limit }, cancellationToken: ct))).ToList();
    }
}

public sealed record QueueItem
{
    public long Id { get; init; }

    public long PostId { get; init; }

    public string PostTitle { get; init; } = "";

    public string? AuthorId { get; init; }

    public string? AuthorName { get; init; }

    public string? GuestName { get; init; }

    public string? GuestUrl { get; init; }

    public DateTime? AuthorBannedAt { get; init; }

    public string? AuthorRole { get; init; }

    public string BodyHtml { get; init; } = "";

    public string Status { get; init; } = "";

    public string? HeldReason { get; init; }

    public DateTime CreatedAt { get; init; }

    public string? ReportReasons { get; init; }

    public CommentWriter Writer => CommentWriter.Of(AuthorId, AuthorName, GuestName, GuestUrl);

    public bool IsHeld => Status == CommentStatus.Held;

    /// <summary>A writer who still has an account, is not banned yet and is not the owner.</summary>
    public bool CanBeBanned => AuthorId is not null && AuthorBannedAt is null && AuthorRole != MemberRole.Owner.ToName();
}
