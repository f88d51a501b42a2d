using Blog.Web.Data;
using Blog.Web.Features.Account;

namespace Blog.Web.Features.Micropub;

/// <summary>The "appDeletions" part of a person's data download: the posts they took off the blog from an app.</summary>
public sealed class MicropubDeletionsDataSection(BlogDatabase db) : RowsDataSection<ExportedMicropubDeletion>(db)
{
    public override string Name => "appDeletions";

    protected override string Sql => """
        SELECT post_id, previous_status, previous_published_at, deleted_at
        FROM micropub_deletions
        WHERE deleted_by = @MemberId
        ORDER BY post_id
        """;
}

public sealed record ExportedMicropubDeletion
{
    public long PostId { get; init; }

    public string PreviousStatus { get; init; } = "";

    public DateTime? PreviousPublishedAt { get; init; }

    public DateTime DeletedAt { get; init; }
}
