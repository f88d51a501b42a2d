using Blog.Web.Data;
using Dapper;

namespace Blog.Web.Features.Moderation;

/// <summary>The SQL of the one moderation write that is not a comment's (CommentStore approves and removes): a ban.</summary>
public sealed class ModerationStore(BlogDatabase db)
{
    /// <summary>
    /// Bans a writer (never an owner) and removes their comments still waiting in the queue. A new security stamp
    /// ends their sessions on the next request; a new concurrency stamp makes an account update prepared before the
    /// ban fail rather than write <c>banned_at</c> back to NULL. False when nobody was banned.
    /// </summary>
    public async Task<bool> BanAsync(string memberId, DateTime now, CancellationToken ct)
    {
        const string ban = """
            UPDATE members SET banned_at = @Now, security_stamp = @SecurityStamp, concurrency_stamp = @ConcurrencyStamp
            WHERE id = @MemberId AND role <> 'owner' AND banned_at IS NULL
            """;
        const string clear = """
            UPDATE comments SET removed_at = @Now, removed_by = 'admin'
            WHERE author_id = @MemberId AND status = 'held' AND removed_at IS NULL;
            UPDATE comment_reports SET resolved_at = @Now
            WHERE resolved_at IS NULL AND comment_id IN (SELECT id FROM comments WHERE author_id = @MemberId);
            """;
        await using var write = await db.BeginWriteAsync(ct);
        var banned = await write.Connection.ExecuteAsync(new CommandDefinition(ban,
            new { MemberId = memberId, Now = now, SecurityStamp = Guid.NewGuid().ToString(), ConcurrencyStamp = Guid.NewGuid().ToString() },
            write.Transaction, cancellationToken: ct));
        if (banned == 1)
        {
            await write.Connection.ExecuteAsync(new CommandDefinition(clear, new { MemberId = memberId, Now = now }, write.Transaction, cancellationToken: ct));
        }
        await write.CommitAsync(ct);
        return banned == 1;
    }
}
