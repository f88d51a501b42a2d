using Blog.Web.Data;
using Blog.Web.Features.Settings;
using Dapper;

namespace Blog.Web.Features.Members;

/// <summary>The reads behind the membership pages: a person's own standing, and the owner's Members page.</summary>
public sealed class MembershipQueries(BlogDatabase db, MembershipStore store, SiteSettingsStore settings, TimeProvider clock)
{
    private const int MembersPageSize = 25;

    /// <summary>What the /membership page needs to know about the person; null if there is no such person.</summary>
    public async Task<MembershipStatus?> GetStatusAsync(string memberId, CancellationToken ct)
    {
        var standing = await store.FindStandingAsync(memberId, ct);
        if (standing is null)
        {
            return null;
        }
        var mode = (await settings.GetAsync(ct)).MembershipMode;
        return new MembershipStatus(standing.Role, standing.BannedAt is not null, standing.HasOpenRequest, mode);
    }

    // A search ignores case: SQLite's LIKE already does (for ASCII), PostgreSQL's needs ILIKE.
    private static readonly DialectSql SearchCondition = new(
        Sqlite: """
            WHERE @Pattern IS NULL
               OR display_name LIKE @Pattern ESCAPE '\' OR email LIKE @Pattern ESCAPE '\'
            """,
        PostgreSql: """
            WHERE @Pattern IS NULL
               OR display_name ILIKE @Pattern ESCAPE '\' OR email ILIKE @Pattern ESCAPE '\'
            """);

    public async Task<MembersOverview> GetOverviewAsync(string? search, int page, string? currentMemberId, CancellationToken ct)
    {
        var where = db.Dialect.Text(SearchCondition);
        var count = $"SELECT COUNT(*) FROM members {where};";
        var list = $"""
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
            new { Pattern = pattern, Take = MembersPageSize, Skip = (page - 1) * MembersPageSize }, cancellationToken: ct));
        var open = await connection.QueryAsync<MembershipRequestRow>(new CommandDefinition(requests, cancellationToken: ct));
        var links = await connection.QueryAsync<InvitationRow>(new CommandDefinition(invitations,
            new { Now = clock.GetUtcNow().UtcDateTime }, cancellationToken: ct));
        var mode = (await settings.GetAsync(ct)).MembershipMode;
        return new MembersOverview(new MembersPage([.. members], total, page, MembersPageSize, search), [.. open], [.. links], mode, currentMemberId);
    }
}
