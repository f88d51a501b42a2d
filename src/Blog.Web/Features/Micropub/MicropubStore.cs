using Blog.Web.Data;
using Blog.Web.Identity;
using Dapper;

namespace Blog.Web.Features.Micropub;

/// <summary>The SQL of Micropub: which post an address names, whose token may touch it, and deleted posts' records.</summary>
public sealed class MicropubStore(BlogDatabase db)
{
    /// <summary>The id of the post or page of <paramref name="kind"/> that has, or once had, <paramref name="slug"/>; drafts included.</summary>
    public async Task<long?> FindIdBySlugAsync(string kind, string slug, CancellationToken ct)
    {
        // A current slug wins over an old one: a live post owns its address (see PostStore's redirects).
        const string sql = """
            SELECT id FROM (
                SELECT id, 0 AS rank FROM posts WHERE kind = @Kind AND slug = @Slug
                UNION ALL
                SELECT r.post_id, 1 FROM post_slug_redirects r WHERE r.kind = @Kind AND r.old_slug = @Slug) AS found
            ORDER BY rank
            LIMIT 1
            """;
        await using var connection = await db.OpenAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<long?>(new CommandDefinition(sql, new { Kind = kind, Slug = slug }, cancellationToken: ct));
    }

    public async Task<bool> IsOwnerAsync(string memberId, CancellationToken ct)
    {
        const string sql = "SELECT role FROM members WHERE id = @MemberId;";
        await using var connection = await db.OpenAsync(ct);
        var role = await connection.QuerySingleOrDefaultAsync<string?>(new CommandDefinition(sql, new { MemberId = memberId }, cancellationToken: ct));
        return role == MemberRole.Owner.ToName();
    }

    public async Task<MicropubDeletion?> FindDeletionAsync(long postId, CancellationToken ct)
    {
        const string sql = """
            SELECT post_id, previous_status, previous_published_at
            FROM micropub_deletions
            WHERE post_id = @PostId
            """;
        await using var connection = await db.OpenAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<MicropubDeletion>(new CommandDefinition(sql, new { PostId = postId }, cancellationToken: ct));
    }

    /// <summary>Records what an undelete needs; false when the post is already deleted (the first record is the one to keep).</summary>
    public async Task<bool> RecordDeletionAsync(MicropubDeletion deletion, string deletedBy, DateTime now, CancellationToken ct)
    {
        const string sql = """
            INSERT INTO micropub_deletions (post_id, previous_status, previous_published_at, deleted_by, deleted_at)
            VALUES (@PostId, @PreviousStatus, @PreviousPublishedAt, @DeletedBy, @Now)
            ON CONFLICT (post_id) DO NOTHING
            """;
        await using var write = await db.BeginWriteAsync(ct);
        var added = await write.Connection.ExecuteAsync(new CommandDefinition(sql, new
        {
            deletion.PostId, deletion.PreviousStatus, deletion.PreviousPublishedAt, DeletedBy = deletedBy, Now = now,
        }, write.Transaction, cancellationToken: ct));
        await write.CommitAsync(ct);
        return added == 1;
    }

    public async Task ForgetDeletionAsync(long postId, CancellationToken ct)
    {
        const string sql = "DELETE FROM micropub_deletions WHERE post_id = @PostId;";
        await using var write = await db.BeginWriteAsync(ct);
        await write.Connection.ExecuteAsync(new CommandDefinition(sql, new { PostId = postId }, write.Transaction, cancellationToken: ct));
        await write.CommitAsync(ct);
    }
}

/// <summary>A post a Micropub client deleted, with what it was before.</summary>
public sealed record MicropubDeletion
{
    public long PostId { get; init; }

    /// <summary>A <see cref="Posts.PostStatus"/>.</summary>
    public string PreviousStatus { get; init; } = "";

    public DateTime? PreviousPublishedAt { get; init; }
}
