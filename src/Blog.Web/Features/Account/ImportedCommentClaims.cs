using Blog.Web.Data;
using Blog.Web.Hosting;
using Blog.Web.Identity;
using Dapper;

namespace Blog.Web.Features.Account;

/// <summary>
/// Comments an import brought from the old blog carry the address their writer gave there (comments.guest_email,
/// normalized like members.normalized_email). A member whose confirmed address is that one may make them theirs:
/// then they show under the member's name and are the member's to delete, like any comment they wrote here. An
/// unconfirmed address proves nothing, so it matches nothing.
/// </summary>
public sealed class ImportedCommentClaims(BlogDatabase db, ReaderCache readerCache)
{
    /// <summary>How many imported comments carry the member's confirmed address and no one has claimed yet.</summary>
    public async Task<int> CountAsync(Member member, CancellationToken ct)
    {
        const string sql = "SELECT COUNT(*) FROM comments WHERE guest_email = @Email AND author_id IS NULL";
        if (ClaimableEmail(member) is not { } email)
        {
            return 0;
        }
        await using var connection = await db.OpenAsync(ct);
        return await connection.ExecuteScalarAsync<int>(new CommandDefinition(sql, new { Email = email }, cancellationToken: ct));
    }

    /// <summary>
    /// Makes them the member's and returns how many there were (none the second time). The old blog's name, link and
    /// address go: the member's own name is shown from now on, and their address is no longer kept twice.
    /// </summary>
    public async Task<int> ClaimAsync(Member member, CancellationToken ct)
    {
        const string sql = """
            UPDATE comments SET author_id = @MemberId, guest_name = NULL, guest_url = NULL, guest_email = NULL
            WHERE guest_email = @Email AND author_id IS NULL
            RETURNING post_id
            """;
        if (ClaimableEmail(member) is not { } email)
        {
            return 0;
        }
        List<long> postIds;
        await using (var write = await db.BeginWriteAsync(ct))
        {
            postIds = (await write.Connection.QueryAsync<long>(new CommandDefinition(sql,
                new { MemberId = member.Id, Email = email }, write.Transaction, cancellationToken: ct))).AsList();
            await write.CommitAsync(ct);
        }
        if (postIds.Count > 0)
        {
            // The writer's name changes under those comments, in the post pages and the comment feeds.
            await readerCache.CommentsChangedAsync(postIds);
        }
        return postIds.Count;
    }

    private static string? ClaimableEmail(Member member) =>
        member.EmailConfirmed && !string.IsNullOrEmpty(member.NormalizedEmail) ? member.NormalizedEmail : null;
}
