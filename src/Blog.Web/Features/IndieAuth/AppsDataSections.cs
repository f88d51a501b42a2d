using Blog.Web.Data;
using Blog.Web.Features.Account;

namespace Blog.Web.Features.IndieAuth;

/// <summary>The apps the person let in, revoked ones included; never the tokens (only their hashes are kept anyway).</summary>
public sealed class AppsDataSection(BlogDatabase db) : RowsDataSection<AppsDataSection.Row>(db)
{
    public override string Name => "apps";

    protected override string Sql => """
        SELECT client_id, client_name, scope, created_at, last_used_at, expires_at, revoked_at
        FROM indieauth_tokens
        WHERE member_id = @MemberId
        ORDER BY created_at, id;
        """;

    public sealed record Row
    {
        public string ClientId { get; init; } = "";
        public string ClientName { get; init; } = "";
        public string Scope { get; init; } = "";
        public DateTime CreatedAt { get; init; }
        public DateTime? LastUsedAt { get; init; }
        public DateTime? ExpiresAt { get; init; }
        public DateTime? RevokedAt { get; init; }
    }
}

/// <summary>The person's recent approvals of apps (codes live ten minutes and are forgotten a day later); never the codes.</summary>
public sealed class AppApprovalsDataSection(BlogDatabase db) : RowsDataSection<AppApprovalsDataSection.Row>(db)
{
    public override string Name => "appApprovals";

    protected override string Sql => """
        SELECT client_id, client_name, redirect_uri, scope, created_at, expires_at, used_at
        FROM indieauth_codes
        WHERE member_id = @MemberId
        ORDER BY created_at;
        """;

    public sealed record Row
    {
        public string ClientId { get; init; } = "";
        public string ClientName { get; init; } = "";
        public string RedirectUri { get; init; } = "";
        public string Scope { get; init; } = "";
        public DateTime CreatedAt { get; init; }
        public DateTime ExpiresAt { get; init; }
        public DateTime? UsedAt { get; init; }
    }
}
