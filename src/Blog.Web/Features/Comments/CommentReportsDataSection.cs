using Blog.Web.Data;
using Blog.Web.Features.Account;

namespace Blog.Web.Features.Comments;

/// <summary>The "commentReports" part of a person's data download: the comments they reported, and why.</summary>
public sealed class CommentReportsDataSection(BlogDatabase db) : RowsDataSection<ExportedCommentReport>(db)
{
    public override string Name => "commentReports";

    protected override string Sql => """
        SELECT r.id, r.comment_id, c.post_id, r.reason, r.created_at, r.resolved_at
        FROM comment_reports r
        JOIN comments c ON c.id = r.comment_id
        WHERE r.member_id = @MemberId
        ORDER BY r.id
        """;
}

public sealed record ExportedCommentReport
{
    public long Id { get; init; }

    public long CommentId { get; init; }

    public long PostId { get; init; }

    public string Reason { get; init; } = "";

    public DateTime CreatedAt { get; init; }

    public DateTime? ResolvedAt { get; init; }
}
