using Blog.Web.Data;
using Dapper;

namespace Blog.Web.Features.Moderation;

/// <summary>
/// The SQL of the approve and reject links mailed about a held comment (<c>moderation_links</c>): only a hash of each
/// link's secret is stored, so a copy of the database cannot be turned into working links.
/// </summary>
public sealed class MailLinkStore(BlogDatabase db)
{
    /// <summary>How long a dead link's row is kept after it expired, so that it says "expired" rather than "unknown".</summary>
    private static readonly TimeSpan KeptAfterExpiry = TimeSpan.FromDays(30);

    /// <summary>Saves the links of a mail inside the write that queues it, and drops rows long dead.</summary>
    public async Task AddAsync(DatabaseWrite write, IReadOnlyCollection<NewMailLink> links, DateTime now, CancellationToken ct)
    {
        if (links.Count == 0)
        {
            return;
        }
        const string insert = """
            INSERT INTO moderation_links (token_hash, comment_id, recipient_id, action, created_at, expires_at)
            VALUES (@TokenHash, @CommentId, @RecipientId, @Action, @CreatedAt, @ExpiresAt)
            """;
        const string prune = "DELETE FROM moderation_links WHERE expires_at < @Cutoff";
        await write.Connection.ExecuteAsync(new CommandDefinition(insert, links, write.Transaction, cancellationToken: ct));
        await write.Connection.ExecuteAsync(new CommandDefinition(prune, new { Cutoff = now - KeptAfterExpiry }, write.Transaction, cancellationToken: ct));
    }

    /// <summary>
    /// Spends every link still open for these comments: they were decided in the queue, or their text changed, so a
    /// link mailed earlier must not act on them any more.
    /// </summary>
    public async Task SpendAsync(DatabaseWrite write, IReadOnlyCollection<long> commentIds, DateTime now, CancellationToken ct)
    {
        var sql = db.Dialect.Text(new DialectSql(
            Sqlite: "UPDATE moderation_links SET used_at = @Now WHERE comment_id IN @CommentIds AND used_at IS NULL",
            PostgreSql: "UPDATE moderation_links SET used_at = @Now WHERE comment_id = ANY(@CommentIds) AND used_at IS NULL"));
        await write.Connection.ExecuteAsync(new CommandDefinition(sql, new { CommentIds = commentIds.ToArray(), Now = now }, write.Transaction, cancellationToken: ct));
    }

    public async Task SpendAsync(IReadOnlyCollection<long> commentIds, DateTime now, CancellationToken ct)
    {
        if (commentIds.Count == 0)
        {
            return;
        }
        await using var write = await db.BeginWriteAsync(ct);
        await SpendAsync(write, commentIds, now, ct);
        await write.CommitAsync(ct);
    }

    /// <summary>The link with this hash, with what its pages show and its checks need; null when there is none.</summary>
    public async Task<MailLinkRow?> FindAsync(string tokenHash, CancellationToken ct)
    {
        const string sql = """
            SELECT l.id, l.comment_id, l.recipient_id, l.action, l.created_at, l.expires_at, l.used_at,
                   r.role AS recipient_role, r.banned_at AS recipient_banned_at,
                   c.status AS comment_status, c.removed_at AS comment_removed_at, c.edited_at AS comment_edited_at,
                   c.created_at AS comment_created_at, c.body_html, c.held_reason,
                   c.author_id, w.display_name AS author_name, c.guest_name, c.guest_url,
                   p.title AS post_title, p.author_id AS post_author_id
            FROM moderation_links l
            JOIN members r ON r.id = l.recipient_id
            JOIN comments c ON c.id = l.comment_id
            JOIN posts p ON p.id = c.post_id
            LEFT JOIN members w ON w.id = c.author_id
            WHERE l.token_hash = @TokenHash
            """;
        await using var connection = await db.OpenAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<MailLinkRow>(new CommandDefinition(sql, new { TokenHash = tokenHash }, cancellationToken: ct));
    }

    /// <summary>
    /// Uses a link, once: true when it was still open, unexpired, and its comment still held with the text it was
    /// mailed with. Every other link to the comment (the sibling in the same mail, the ones mailed to others) is
    /// spent in the same write, so two clicks racing each other cannot both act.
    /// </summary>
    public async Task<bool> ClaimAsync(MailLinkRow link, DateTime now, CancellationToken ct)
    {
        const string claim = """
            UPDATE moderation_links SET used_at = @Now
            WHERE id = @Id AND used_at IS NULL AND expires_at > @Now
              AND EXISTS (SELECT 1 FROM comments c
                          WHERE c.id = @CommentId AND c.status = 'held' AND c.removed_at IS NULL
                            AND (c.edited_at IS NULL OR c.edited_at <= @CreatedAt))
            """;
        await using var write = await db.BeginWriteAsync(ct);
        var claimed = await write.Connection.ExecuteAsync(new CommandDefinition(claim,
            new { link.Id, link.CommentId, link.CreatedAt, Now = now }, write.Transaction, cancellationToken: ct)) == 1;
        if (claimed)
        {
            await SpendAsync(write, [link.CommentId], now, ct);
        }
        await write.CommitAsync(ct);
        return claimed;
    }
}

public sealed record NewMailLink
{
    public required string TokenHash { get; init; }

    public required long CommentId { get; init; }

    public required string RecipientId { get; init; }

    public required string Action { get; init; }

    public required DateTime CreatedAt { get; init; }

    public required DateTime ExpiresAt { get; init; }
}
