using System.Security.Cryptography;
using System.Text;
using Blog.Web.Data;
using Blog.Web.Features.Settings;
using Blog.Web.Identity;
using Blog.Web.Mail;
using Dapper;
using Microsoft.AspNetCore.Identity;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace Blog.Web.Features.Members;

/// <summary>
/// Who is a member of the blog and how one becomes one: the owner account, invitations, requests to join,
/// and the owner's changes to roles and bans. Role changes are plain column updates: the claims
/// transformation re-reads the role on every request, so they take effect on the person's next request.
/// Every change of someone's standing also gives them a new concurrency stamp, so that an account update
/// prepared before it (through UserManager, which writes every column) fails instead of undoing it.
/// </summary>
public sealed class MembershipService(
    SqliteConnectionFactory db,
    UserManager<Member> users,
    SiteSettingsStore settings,
    MailSender mail,
    IOptions<MembershipOptions> options,
    TimeProvider clock)
{
    private const int SqliteConstraintViolation = 19;
    private static readonly string Reader = MemberRole.Reader.ToName();
    private static readonly string MemberName = MemberRole.Member.ToName();
    private static readonly string Owner = MemberRole.Owner.ToName();

    public async Task<bool> OwnerExistsAsync(CancellationToken ct = default)
    {
        const string sql = "SELECT EXISTS (SELECT 1 FROM members WHERE role = @Role);";
        await using var connection = await db.OpenAsync(ct);
        return await connection.ExecuteScalarAsync<bool>(new CommandDefinition(sql, new { Role = Owner }, cancellationToken: ct));
    }

    /// <summary>Creates the blog's owner (email already confirmed). Refused if an owner exists.</summary>
    public async Task<(IdentityResult Result, Member? Owner)> CreateOwnerAsync(string email, string displayName, string password, CancellationToken ct = default)
    {
        if (await OwnerExistsAsync(ct))
        {
            return (IdentityResult.Failed(new IdentityError { Code = "OwnerExists", Description = "This blog already has an owner." }), null);
        }
        var owner = new Member
        {
            UserName = email.Trim(),
            Email = email.Trim(),
            EmailConfirmed = true,
            DisplayName = displayName.Trim(),
            Role = MemberRole.Owner,
            CreatedAt = clock.GetUtcNow().UtcDateTime,
        };
        var result = await users.CreateAsync(owner, password);
        return (result, result.Succeeded ? owner : null);
    }

    public async Task<MembershipStatus?> GetStatusAsync(string memberId, CancellationToken ct = default)
    {
        const string sql = """
            SELECT m.role, m.banned_at,
                   EXISTS (SELECT 1 FROM membership_requests r WHERE r.member_id = m.id AND r.decided_at IS NULL) AS has_open_request
            FROM members m
            WHERE m.id = @Id;
            """;
        await using var connection = await db.OpenAsync(ct);
        var row = await connection.QuerySingleOrDefaultAsync<StatusRow>(new CommandDefinition(sql, new { Id = memberId }, cancellationToken: ct));
        if (row is null)
        {
            return null;
        }
        var mode = (await settings.GetAsync(ct)).MembershipMode;
        return new MembershipStatus(ParseRole(row.Role), row.BannedAt is not null, row.HasOpenRequest, mode);
    }

    /// <summary>Open mode: a signed-in reader (e.g. registered before the blog was opened) joins at once.</summary>
    public async Task<bool> JoinOpenBlogAsync(string memberId, CancellationToken ct = default)
    {
        if ((await settings.GetAsync(ct)).MembershipMode != MembershipMode.Open)
        {
            return false;
        }
        await using var connection = await db.OpenAsync(ct);
        return await PromoteReaderAsync(connection, null, memberId, ct) == 1;
    }

    public async Task<JoinRequestOutcome> RequestToJoinAsync(string memberId, string message, CancellationToken ct = default)
    {
        var status = await GetStatusAsync(memberId, ct);
        if (status is null || status.IsBanned)
        {
            return JoinRequestOutcome.Banned;
        }
        if (status.Role.IsMember())
        {
            return JoinRequestOutcome.AlreadyMember;
        }
        if (status.Mode != MembershipMode.Request)
        {
            return JoinRequestOutcome.NotAccepting;
        }
        const string sql = "INSERT INTO membership_requests (member_id, message, created_at) VALUES (@MemberId, @Message, @CreatedAt);";
        try
        {
            await using var connection = await db.OpenAsync(ct);
            await connection.ExecuteAsync(new CommandDefinition(sql,
                new { MemberId = memberId, Message = message.Trim(), CreatedAt = clock.GetUtcNow().UtcDateTime }, cancellationToken: ct));
            return JoinRequestOutcome.Requested;
        }
        catch (SqliteException ex) when (ex.SqliteErrorCode == SqliteConstraintViolation)
        {
            // The partial unique index allows one open request per person; a double click lands here.
            return JoinRequestOutcome.AlreadyRequested;
        }
    }

    /// <summary>Approves or declines an open request and tells the requester by email.</summary>
    public async Task<RequestDecision> DecideRequestAsync(long requestId, bool approve, string membershipUrl, CancellationToken ct = default)
    {
        const string decide = """
            UPDATE membership_requests SET decided_at = @Now, decision = @Decision
            WHERE id = @Id AND decided_at IS NULL
            RETURNING member_id;
            """;
        // The answer changes the person's standing (declined, too), so it rotates their stamp; it also names whom to tell.
        const string answered = "UPDATE members SET concurrency_stamp = @Stamp WHERE id = @Id RETURNING email, display_name;";
        await using var write = await db.BeginWriteAsync(ct);
        var memberId = await write.Connection.ExecuteScalarAsync<string?>(new CommandDefinition(decide,
            new { Id = requestId, Now = clock.GetUtcNow().UtcDateTime, Decision = approve ? "approved" : "declined" }, write.Transaction, cancellationToken: ct));
        if (memberId is null)
        {
            return RequestDecision.NotFound;
        }
        if (approve)
        {
            await PromoteReaderAsync(write.Connection, write.Transaction, memberId, ct);
        }
        var person = await write.Connection.QuerySingleAsync<(string Email, string DisplayName)>(
            new CommandDefinition(answered, new { Id = memberId, Stamp = Guid.NewGuid().ToString() }, write.Transaction, cancellationToken: ct));
        await write.CommitAsync(ct);

        var blog = (await settings.GetAsync(ct)).Title;
        var body = approve
            ? $"""
               Hello {person.DisplayName},

               Your request to become a member of {blog} was approved. You can now comment on posts.

               {membershipUrl}
               """
            : $"""
               Hello {person.DisplayName},

               Your request to become a member of {blog} was declined. You can still read the blog and keep your account.

               {membershipUrl}
               """;
        // The decision is committed whether or not the email goes out; the owner is told if it didn't.
        return await mail.TrySendAsync(person.Email, approve ? $"Welcome to {blog}" : $"Your request to join {blog}", body, ct)
            ? RequestDecision.DecidedAndTold
            : RequestDecision.DecidedNotTold;
    }

    /// <summary>Creates a single-use invitation; one bound to an email address is also sent there.</summary>
    public async Task<CreatedInvitation> CreateInvitationAsync(string ownerId, string? email, Func<string, string> linkFor, CancellationToken ct = default)
    {
        const string sql = """
            INSERT INTO invitations (token_hash, email, created_by, created_at, expires_at)
            VALUES (@TokenHash, @Email, @CreatedBy, @CreatedAt, @ExpiresAt)
            RETURNING id;
            """;
        // Lower-case hex because the router lower-cases generated URLs, route values included.
        var token = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        var now = clock.GetUtcNow().UtcDateTime;
        var expiresAt = now.AddDays(options.Value.InvitationDays);
        email = string.IsNullOrWhiteSpace(email) ? null : email.Trim();
        long id;
        await using (var connection = await db.OpenAsync(ct))
        {
            id = await connection.ExecuteScalarAsync<long>(new CommandDefinition(sql,
                new { TokenHash = Hash(token), Email = email, CreatedBy = ownerId, CreatedAt = now, ExpiresAt = expiresAt }, cancellationToken: ct));
        }
        var invitation = new CreatedInvitation(id, token, email, expiresAt);
        if (email is not null)
        {
            // The invitation exists either way; when the email fails, the owner still gets the link to pass on.
            invitation = invitation with { Emailed = await SendInvitationAsync(invitation, linkFor(token), ct) };
        }
        return invitation;
    }

    public async Task<(InvitationRow? Invitation, InvitationState State)> FindInvitationAsync(string token, CancellationToken ct = default)
    {
        const string sql = """
            SELECT id, email, created_at, expires_at, used_at, revoked_at
            FROM invitations
            WHERE token_hash = @TokenHash;
            """;
        await using var connection = await db.OpenAsync(ct);
        var invitation = await connection.QuerySingleOrDefaultAsync<InvitationRow>(
            new CommandDefinition(sql, new { TokenHash = Hash(token) }, cancellationToken: ct));
        return (invitation, StateOf(invitation));
    }

    public async Task<InvitationAcceptance> AcceptInvitationAsync(string token, string memberId, CancellationToken ct = default)
    {
        var (invitation, state) = await FindInvitationAsync(token, ct);
        var member = await users.FindByIdAsync(memberId);
        if (state != InvitationState.Usable || invitation is null || member is null)
        {
            return ToAcceptance(state);
        }
        if (member.IsBanned)
        {
            return InvitationAcceptance.Banned;
        }
        if (member.Role.IsMember())
        {
            return InvitationAcceptance.AlreadyMember;
        }
        if (invitation.Email is not null && !string.Equals(invitation.Email, member.Email, StringComparison.OrdinalIgnoreCase))
        {
            return InvitationAcceptance.OtherEmail;
        }

        // Marking the invitation used is conditional, so of two people racing with one link only one gets in.
        const string use = """
            UPDATE invitations SET used_by = @MemberId, used_at = @Now
            WHERE id = @Id AND used_at IS NULL AND revoked_at IS NULL AND expires_at > @Now;
            """;
        await using var write = await db.BeginWriteAsync(ct);
        var used = await write.Connection.ExecuteAsync(new CommandDefinition(use,
            new { invitation.Id, MemberId = memberId, Now = clock.GetUtcNow().UtcDateTime }, write.Transaction, cancellationToken: ct));
        if (used != 1)
        {
            return InvitationAcceptance.Used;
        }
        await PromoteReaderAsync(write.Connection, write.Transaction, memberId, ct);
        await write.CommitAsync(ct);
        return InvitationAcceptance.Accepted;
    }

    public async Task<bool> RevokeInvitationAsync(long id, CancellationToken ct = default)
    {
        const string sql = "UPDATE invitations SET revoked_at = @Now WHERE id = @Id AND used_at IS NULL AND revoked_at IS NULL;";
        await using var connection = await db.OpenAsync(ct);
        return await connection.ExecuteAsync(new CommandDefinition(sql, new { Id = id, Now = clock.GetUtcNow().UtcDateTime }, cancellationToken: ct)) == 1;
    }

    public async Task<MembersOverview> GetOverviewAsync(string? search, int page, string? currentMemberId, CancellationToken ct = default)
    {
        const int pageSize = 25;
        const string where = """
            WHERE @Pattern IS NULL
               OR display_name LIKE @Pattern ESCAPE '\' OR email LIKE @Pattern ESCAPE '\'
            """;
        const string count = $"SELECT COUNT(*) FROM members {where};";
        const string list = $"""
            SELECT id, display_name, email, role, banned_at, created_at
            FROM members
            {where}
            ORDER BY created_at DESC, id
            LIMIT @Take OFFSET @Skip;
            """;
        const string requests = """
            SELECT r.id, r.member_id, m.display_name, m.email, r.message, r.created_at
            FROM membership_requests r
            JOIN members m ON m.id = r.member_id
            WHERE r.decided_at IS NULL
            ORDER BY r.created_at;
            """;
        const string invitations = """
            SELECT id, email, created_at, expires_at, used_at, revoked_at
            FROM invitations
            WHERE used_at IS NULL AND revoked_at IS NULL AND expires_at > @Now
            ORDER BY created_at DESC;
            """;
        search = string.IsNullOrWhiteSpace(search) ? null : search.Trim();
        var pattern = search is null ? null : "%" + search.Replace(@"\", @"\\", StringComparison.Ordinal)
            .Replace("%", @"\%", StringComparison.Ordinal).Replace("_", @"\_", StringComparison.Ordinal) + "%";
        page = Math.Max(1, page);
        await using var connection = await db.OpenAsync(ct);
        var total = await connection.ExecuteScalarAsync<int>(new CommandDefinition(count, new { Pattern = pattern }, cancellationToken: ct));
        var members = await connection.QueryAsync<MemberRow>(new CommandDefinition(list,
            new { Pattern = pattern, Take = pageSize, Skip = (page - 1) * pageSize }, cancellationToken: ct));
        var open = await connection.QueryAsync<MembershipRequestRow>(new CommandDefinition(requests, cancellationToken: ct));
        var links = await connection.QueryAsync<InvitationRow>(new CommandDefinition(invitations,
            new { Now = clock.GetUtcNow().UtcDateTime }, cancellationToken: ct));
        var mode = (await settings.GetAsync(ct)).MembershipMode;
        return new MembersOverview(new MembersPage([.. members], total, page, pageSize, search), [.. open], [.. links], mode, currentMemberId);
    }

    /// <summary>Sets a non-owner's role (reader, member or author). False if there is no such person or they are the owner.</summary>
    public async Task<bool> SetRoleAsync(string memberId, MemberRole role, CancellationToken ct = default)
    {
        if (role == MemberRole.Owner)
        {
            return false;
        }
        const string sql = """
            UPDATE members SET role = @Role, concurrency_stamp = @Stamp
            WHERE id = @Id AND role <> @Owner;
            """;
        await using var connection = await db.OpenAsync(ct);
        return await connection.ExecuteAsync(new CommandDefinition(sql,
            new { Id = memberId, Role = role.ToName(), Owner, Stamp = Guid.NewGuid().ToString() }, cancellationToken: ct)) == 1;
    }

    /// <summary>
    /// Bans or unbans a non-owner. A ban also gives them a new security stamp, which ends their sessions on their
    /// next request (and voids links emailed to them before, such as a password reset); a banned person cannot
    /// sign in again until unbanned.
    /// </summary>
    public async Task<bool> SetBannedAsync(string memberId, bool banned, CancellationToken ct = default)
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

    public async Task SetModeAsync(MembershipMode mode, CancellationToken ct = default)
    {
        var current = await settings.GetAsync(ct);
        await settings.SaveAsync(current with { MembershipMode = mode }, ct);
    }

    private InvitationState StateOf(InvitationRow? invitation) => invitation switch
    {
        null => InvitationState.NotFound,
        { RevokedAt: not null } => InvitationState.Revoked,
        { UsedAt: not null } => InvitationState.Used,
        _ when invitation.ExpiresAt <= clock.GetUtcNow().UtcDateTime => InvitationState.Expired,
        _ => InvitationState.Usable,
    };

    private static InvitationAcceptance ToAcceptance(InvitationState state) => state switch
    {
        InvitationState.Expired => InvitationAcceptance.Expired,
        InvitationState.Used => InvitationAcceptance.Used,
        InvitationState.Revoked => InvitationAcceptance.Revoked,
        _ => InvitationAcceptance.NotFound,
    };

    /// <summary>Readers become members; authors and the owner already are, and keep their role.</summary>
    private static Task<int> PromoteReaderAsync(SqliteConnection connection, System.Data.Common.DbTransaction? transaction, string memberId, CancellationToken ct)
    {
        const string sql = "UPDATE members SET role = @Member, concurrency_stamp = @Stamp WHERE id = @Id AND role = @Reader AND banned_at IS NULL;";
        return connection.ExecuteAsync(new CommandDefinition(sql,
            new { Id = memberId, Member = MemberName, Reader, Stamp = Guid.NewGuid().ToString() }, transaction, cancellationToken: ct));
    }

    private async Task<bool> SendInvitationAsync(CreatedInvitation invitation, string link, CancellationToken ct)
    {
        var blog = (await settings.GetAsync(ct)).Title;
        return await mail.TrySendAsync(invitation.Email!, $"You're invited to join {blog}",
            $"""
            Hello,

            You're invited to become a member of {blog}, which lets you comment on its posts.
            Open this link to create an account (or sign in) and accept:

            {link}

            The link works once and expires on {invitation.ExpiresAt:yyyy-MM-dd HH:mm} UTC.
            """, ct);
    }

    private static string Hash(string token) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    private static MemberRole ParseRole(string role) =>
        Enum.GetValues<MemberRole>().FirstOrDefault(r => r.ToName() == role);

    private sealed record StatusRow
    {
        public string Role { get; init; } = "";

        public DateTime? BannedAt { get; init; }

        public bool HasOpenRequest { get; init; }
    }
}

public static class MembershipServiceCollectionExtensions
{
    public static IServiceCollection AddBlogMembership(this IServiceCollection services)
    {
        services.AddOptions<MembershipOptions>().BindConfiguration(MembershipOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddScoped<MembershipService>();
        services.AddSingleton<Setup.SetupToken>();
        return services;
    }
}
