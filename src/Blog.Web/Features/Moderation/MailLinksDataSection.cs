using Blog.Web.Data;
using Blog.Web.Features.Account;

namespace Blog.Web.Features.Moderation;

/// <summary>
/// The "moderationLinks" part of a person's data download: the approve and reject links mailed to them, without
/// their secrets (only hashes are stored, and a used or expired link opens nothing).
/// </summary>
public sealed class MailLinksDataSection(BlogDatabase db) : RowsDataSection<ExportedMailLink>(db)
{
    public override string Name => "moderationLinks";

    protected override string Sql => """
        SELECT comment_id, action, created_at, expires_at, used_at
        FROM moderation_links
        WHERE recipient_id = @MemberId
        ORDER BY id
        """;
}

public sealed record ExportedMailLink
{
    public long CommentId { get; init; }

    /// <summary>"approve" or "reject".</summary>
    public string Action { get; init; } = "";

    public DateTime CreatedAt { get; init; }

    public DateTime ExpiresAt { get; init; }

    public DateTime? UsedAt { get; init; }
}
