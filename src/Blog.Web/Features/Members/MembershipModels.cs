using Blog.Web.Features.Settings;
using Blog.Web.Identity;

namespace Blog.Web.Features.Members;

/// <summary>One row of the owner's members list.</summary>
public sealed record MemberRow
{
    public string Id { get; init; } = "";

    public string DisplayName { get; init; } = "";

    public string Email { get; init; } = "";

    public MemberRole Role { get; init; }

    public DateTime? BannedAt { get; init; }

    public DateTime CreatedAt { get; init; }

    public bool IsOwner => Role == MemberRole.Owner;
}

/// <summary>Where a person stands: their role, whether they are banned, whether they asked to join.</summary>
public sealed record MemberStandingRow
{
    public MemberRole Role { get; init; }

    public DateTime? BannedAt { get; init; }

    public bool HasOpenRequest { get; init; }
}

/// <summary>Whom to write to about a change of their standing.</summary>
public sealed record MailRecipientRow
{
    public string Email { get; init; } = "";

    public string DisplayName { get; init; } = "";
}

public sealed record MembershipRequestRow
{
    public long Id { get; init; }

    public string MemberId { get; init; } = "";

    public string DisplayName { get; init; } = "";

    public string Email { get; init; } = "";

    public string Message { get; init; } = "";

    public DateTime CreatedAt { get; init; }
}

public sealed record InvitationRow
{
    public long Id { get; init; }

    public string? Email { get; init; }

    public DateTime CreatedAt { get; init; }

    public DateTime ExpiresAt { get; init; }

    public DateTime? UsedAt { get; init; }

    public DateTime? RevokedAt { get; init; }
}

/// <summary>A freshly created invitation: the only moment its link is known, since only a hash is stored.</summary>
public sealed record CreatedInvitation(long Id, string Token, string? Email, DateTime ExpiresAt)
{
    /// <summary>Whether the invitation email went out (only for invitations bound to an address).</summary>
    public bool Emailed { get; init; }
}

public enum RequestDecision
{
    NotFound,
    DecidedAndTold,
    DecidedNotTold,
}

public sealed record MembersPage(
    IReadOnlyList<MemberRow> Members,
    int TotalCount,
    int PageNumber,
    int PageSize,
    string? Search)
{
    public int PageCount => Math.Max(1, (TotalCount + PageSize - 1) / PageSize);
}

/// <summary>Everything the owner's Members page shows.</summary>
public sealed record MembersOverview(
    MembersPage Members,
    IReadOnlyList<MembershipRequestRow> Requests,
    IReadOnlyList<InvitationRow> Invitations,
    MembershipMode Mode,
    string? CurrentMemberId);

/// <summary>What following an invitation link found.</summary>
public enum InvitationState
{
    Usable,
    NotFound,
    Expired,
    Used,
    Revoked,
}

public enum InvitationAcceptance
{
    Accepted,
    AlreadyMember,
    NotFound,
    Expired,
    Used,
    Revoked,
    OtherEmail,
    Banned,
}

public enum JoinRequestOutcome
{
    Requested,
    AlreadyMember,
    AlreadyRequested,
    NotAccepting,
    Banned,
}

/// <summary>What the /membership page needs to know about the signed-in person.</summary>
public sealed record MembershipStatus(MemberRole Role, bool IsBanned, bool HasOpenRequest, MembershipMode Mode);
