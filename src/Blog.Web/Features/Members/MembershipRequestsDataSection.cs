using Blog.Web.Data;
using Blog.Web.Features.Account;

namespace Blog.Web.Features.Members;

/// <summary>The "membershipRequests" part of a person's data download: each request to join and its answer.</summary>
public sealed class MembershipRequestsDataSection(BlogDatabase db) : RowsDataSection<ExportedMembershipRequest>(db)
{
    public override string Name => "membershipRequests";

    protected override string Sql => """
        SELECT id, message, created_at, decided_at, decision
        FROM membership_requests
        WHERE member_id = @MemberId
        ORDER BY id
        """;
}

public sealed record ExportedMembershipRequest
{
    public long Id { get; init; }

    public string Message { get; init; } = "";

    public DateTime CreatedAt { get; init; }

    public DateTime? DecidedAt { get; init; }

    public string? Decision { get; init; }
}
