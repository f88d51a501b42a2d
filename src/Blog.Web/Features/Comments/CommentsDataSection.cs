using Blog.Web.Data;
using Blog.Web.Features.Account;

namespace Blog.Web.Features.Comments;

/// <summary>The "comments" part of a person's data download: everything they wrote, as they wrote it.</summary>
public sealed class CommentsDataSection(BlogDatabase db) : RowsDataSection<ExportedComment>(db)
{
    public override string Name => "comments";

    protected override string Sql => """
        SELECT c.id, c.post_id, p.title AS post_title, c.parent_id, c.body_markdown, c.status,
               c.created_at, c.edited_at, c.removed_at
        FROM comments c
        JOIN posts p ON p.id = c.post_id
        WHERE c.author_id = @MemberId
        ORDER BY c.id
        """;
}

/// <summary>One comment as its writer gets it back.</summary>
public sealed record ExportedComment
{
    public long Id { get; init; }

    public long PostId { get; init; }

    public string PostTitle { get; init; } = "";

    public long? ParentId { get; init; }

    public string BodyMarkdown { get; init; } = "";

    public string Status { get; init; } = "";

    public DateTime CreatedAt { get; init; }

    public DateTime? EditedAt { get; init; }

    public DateTime? RemovedAt { get; init; }
}
