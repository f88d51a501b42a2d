using System.Data.Common;
using Blog.Web.Data;
using Blog.Web.Identity;
using Dapper;

namespace Blog.Web.Features.Members;

/// <summary>
/// The SQL of membership: people's standing (role, ban) in <c>members</c>, <c>membership_requests</c> and
/// <c>invitations</c>. Every change of someone's standing also gives them a new concurrency stamp, so that an
/// account update prepared before it (through UserManager, which writes every column) fails instead of undoing it.
/// Methods that take a <see cref="DatabaseWrite"/> run inside the caller's transaction.
/// </summary>
public sealed class MembershipStore(BlogDatabase db, TimeProvider clock)
{
    private static readonly string Reader = MemberRole.Reader.ToName();
    private static readonly string MemberName = MemberRole.Member.ToName();
    private static readonly string Owner = MemberRole.Owner.ToName();

    public async Task<bool> OwnerExistsAsync(CancellationToken ct)
    {
        const string sql = "SELECT EXISTS (SELECT 1 FROM members WHERE role = @Role);";
        await using var connection = await db.OpenAsync(ct);
        return await connection.ExecuteScalarAsync<bool>(new CommandDefinition(sql, new { Role = Owner }, cancellationToken: ct));
    }

    public async Task<int> CountOwnersAsync(CancellationToken ct)
    {
        const string sql = "SELECT COUNT(*) FROM members WHERE role = @Role;";
        await using var connection = await db.OpenAsync(ct);
        return await connection.ExecuteScalarAsync<int>(new CommandDefinition(sql, new { Role = Owner }, cancellationToken: ct));
    }

    public async Task<MemberStandingRow?> FindStandingAsync(string memberId, CancellationToken ct)
    {
        const string sql = """
            SELECT m.role, m.banned_at,
                   EXISTS (SELECT 1 FROM membership_requests r WHERE r.member_id = m.id AND r.decided_at IS NULL) AS has_open_request
            FROM members m
            WHERE m.id = @Id;
            """;
        await using var connection = await db.OpenAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<MemberStandingRow>(new CommandDefinition(sql, new { Id = memberId }, cancellationToken: ct));
    }

    /// <summary>Makes a reader a member; true if they were an unbanned reader.</summary>
    public async Task<bool> PromoteReaderAsync(string memberId, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        return await PromoteReaderAsync(connection, null, memberId, ct);
    }

    public Task<bool> PromoteReaderAsync(DatabaseWrite write, string memberId, CancellationToken ct) =>
        PromoteReaderAsync(write.Connection, write.Transaction, memberId, ct);

    /// <summary>Adds an open request to join; false if the person already has one open.</summary>
    public async Task<bool> TryAddJoinRequestAsync(string memberId, string message, CancellationToken ct)
    {
        const string sql = "INSERT INTO membership_requests (member_id, message, created_at) VALUES (@MemberId, @Message, @CreatedAt);";
        try
        {
            await using var connection = await db.OpenAsync(ct);
            await connection.ExecuteAsync(new CommandDefinition(sql,
                new { MemberId = memberId, Message = message, CreatedAt = clock.GetUtcNow().UtcDateTime }, cancellationToken: ct));
            return true;
        }
        catch (DbException ex) when (DatabaseErrors.IsConstraintViolation(ex))
        {
            // The partial unique index allows one open request per person; a double click lands here.
            return false;
        }
    }

    /// <summary>Records the answer to an open request; the requester's id, or null if there is no such open request.</summary>
    public Task<string?> DecideJoinRequestAsync(DatabaseWrite write, long requestId, bool approve, CancellationToken ct)
    {
        const string sql = """
            UPDATE membership_requests SET decided_at = @Now, decision = @Decision
            WHERE id = @Id AND decided_at IS NULL
            RETURNING member_id;
            """;
        return write.Connection.ExecuteScalarAsync<string?>(new CommandDefinition(sql,
            new { Id = requestId, Now = clock.GetUtcNow().UtcDateTime, Decision = approve ? "approved" : "declined" },
            write.Transaction, cancellationToken: ct));
    }

    /// <summary>Gives the person a new concurrency stamp (their standing changed) and returns whom to write to.</summary>
    public Task<MailRecipientRow> RenewStampAsync(DatabaseWrite write, string memberId, CancellationToken ct)
    {
        const string sql = "UPDATE members SET concurrency_stamp = @Stamp WHERE id = @Id RETURNING email, display_name;";
        return write.Connection.QuerySingleAsync<MailRecipientRow>(new CommandDefinition(sql,
            new { Id = memberId, Stamp = Guid.NewGuid().ToString() }, write.Transaction, cancellationToken: ct));
    }

    public async Task<long> AddInvitationAsync(string tokenHash, string? email, string createdBy, DateTime createdAt, DateTime expiresAt, CancellationToken ct)
    {
        const string sql = """
            INSERT INTO invitations (token_hash, email, created_by, created_at, expires_at)
            VALUES (@TokenHash, @Email, @CreatedBy, @CreatedAt, @ExpiresAt)
            RETURNING id;
            """;
        await using var connection = await db.OpenAsync(ct);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition(sql,
            new { TokenHash = tokenHash, Email = email, CreatedBy = createdBy, CreatedAt = createdAt, ExpiresAt = expiresAt }, cancellationToken: ct));
    }

    public async Task<InvitationRow?> FindInvitationAsync(string tokenHash, CancellationToken ct)
    {
        const string sql = """
            SELECT id, email, created_at, expires_at, used_at, revoked_at
            FROM invitations
            WHERE token_hash = @TokenHash;
            """;
        await using var connection = await db.OpenAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<InvitationRow>(
            new CommandDefinition(sql, new { TokenHash = tokenHash }, cancellationToken: ct));
    }

    /// <summary>
    /// Marks an invitation used by the person; false if it was used, revoked or expired meanwhile. Being
    /// conditional, of two people racing with one link only one gets in.
    /// </summary>
    public async Task<bool> UseInvitationAsync(DatabaseWrite write, long invitationId, string memberId, CancellationToken ct)
    {
        const string sql = """
            UPDATE invitations SET used_by = @MemberId, used_at = @Now
            WHERE id = @Id AND used_at IS NULL AND revoked_at IS NULL AND expires_at > @Now;
            """;
        return await write.Connection.ExecuteAsync(new CommandDefinition(sql,
            new { Id = invitationId, MemberId = memberId, Now = clock.GetUtcNow().UtcDateTime }, write.Transaction, cancellationToken: ct)) == 1;
    }

    public async Task<bool> RevokeInvitationAsync(long id, CancellationToken ct)
    {
        const string sql = "UPDATE invitations SET revoked_at = @Now WHERE id = @Id AND used_at IS NULL AND revoked_at IS NULL;";
        await using var connection = await db.OpenAsync(ct);
        return await connection.ExecuteAsync(new CommandDefinition(sql, new { Id = id, Now = clock.GetUtcNow().UtcDateTime }, cancellationToken: ct)) == 1;
    }

    /// <summary>Sets the role of anyone but the owner; false if there is no such person or they are the owner.</summary>
    public async Task<bool> SetRoleAsync(string memberId, MemberRole role, CancellationToken ct)
    {
        const string sql = """
            UPDATE members SET role = @Role, concurrency_stamp = @Stamp
            WHERE id = @Id AND role <> @Owner;
            """;
        await using var connection = await db.OpenAsync(ct);
        return await connection.ExecuteAsync(new CommandDefinition(sql,
            new { Id = memberId, Role = role.ToName(), Owner, Stamp = Guid.NewGuid().ToString() }, cancellationToken: ct)) == 1;
    }

    /// <summary>
    /// Bans (with a new security stamp) or unbans anyone but the owner; false if there is no such person or they
    /// are the owner.
    /// </summary>
    public async Task<bool> SetBannedAsync(string memberId, bool banned, CancellationToken ct)
    {
        const string sql = """
            UPDATE members SET banned_at = @BannedAt, concurrency_stamp = @Stamp,
                security_stamp = CASE WHEN @BannedAt IS NULL THEN security_stamp ELSE @SecurityStamp END
            WHERE id = @Id AND role <> @Owner;
            """;
        DateTime? bannedAt = banned ? clock.GetUtcNow().UtcDateTime : null;
        await using var connection = await db.OpenAsync(ct);
        return await connection.ExecuteAsync(new CommandDefinition(sql,
            new { Id = memberId, BannedAt = bannedAt, Owner, Stamp = Guid.NewGuid().ToString(), SecurityStamp = Guid.NewGuid().ToString() },
            cancellationToken: ct)) == 1;
    }

    /// <summary>Readers become members; authors and the owner already are, and keep their role.</summary>
    private static async Task<bool> PromoteReaderAsync(DbConnection connection, DbTransaction? transaction, string memberId, CancellationToken ct)
    {
        const string sql = "UPDATE members SET role = @Member, concurrency_stamp = @Stamp WHERE id = @Id AND role = @Reader AND banned_at IS NULL;";
        return await connection.ExecuteAsync(new CommandDefinition(sql,
            new { Id = memberId, Member = MemberName, Reader, Stamp = Guid.NewGuid().ToString() }, transaction, cancellationToken: ct)) == 1;
    }
}
