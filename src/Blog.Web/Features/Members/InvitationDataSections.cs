using Blog.Web.Data;
using Blog.Web.Features.Account;

namespace Blog.Web.Features.Members;

/// <summary>
/// The "invitationsSent" part of a person's data download: the invitations they created. Who used one is the
/// invitee's data, so only whether and when it was used is given.
/// </summary>
public sealed class InvitationsSentDataSection(BlogDatabase db) : RowsDataSection<InvitationRow>(db)
{
    public override string Name => "invitationsSent";

    protected override string Sql => """
        SELECT id, email, created_at, expires_at, used_at, revoked_at
        FROM invitations
        WHERE created_by = @MemberId
        ORDER BY id
        """;
}

/// <summary>The "invitationsAccepted" part of a person's data download: the invitation they joined with, if any.</summary>
public sealed class InvitationsAcceptedDataSection(BlogDatabase db) : RowsDataSection<ExportedAcceptedInvitation>(db)
{
    public override string Name => "invitationsAccepted";

    protected override string Sql => """
        SELECT id, email, used_at
        FROM invitations
        WHERE used_by = @MemberId
        ORDER BY id
        """;
}

public sealed record ExportedAcceptedInvitation
{
    public long Id { get; init; }

    /// <summary>The address the invitation was bound to, when it was bound to one.</summary>
    public string? Email { get; init; }

    public DateTime UsedAt { get; init; }
}
