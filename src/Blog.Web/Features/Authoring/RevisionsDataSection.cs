using Blog.Web.Data;
using Blog.Web.Features.Account;

namespace Blog.Web.Features.Authoring;

/// <summary>The "revisions" part of a person's data download: every version of a post or page they saved.</summary>
public sealed class RevisionsDataSection(BlogDatabase db) : RowsDataSection<ExportedRevision>(db)
{
    public override string Name => "revisions";

    protected override string Sql => """
        SELECT post_id, version, origin, created_at, title, subtitle, body, body_format, labels
        FROM post_revisions
        WHERE editor_id = @MemberId
        ORDER BY post_id, version
        """;
}

/// <summary>The "autosaves" part: text autosaved in the editor and not saved yet.</summary>
public sealed class AutosavesDataSection(BlogDatabase db) : RowsDataSection<ExportedAutosave>(db)
{
    public override string Name => "autosaves";

    protected override string Sql => """
        SELECT post_id, base_version, title, subtitle, body, labels, saved_at
        FROM post_autosaves
        WHERE editor_id = @MemberId
        ORDER BY post_id
        """;
}

public sealed record ExportedRevision
{
    public long PostId { get; init; }

    public long Version { get; init; }

    /// <summary>A <see cref="RevisionOrigin"/>.</summary>
    public string Origin { get; init; } = "";

    public DateTime CreatedAt { get; init; }

    public string Title { get; init; } = "";

    public string Subtitle { get; init; } = "";

    public string Body { get; init; } = "";

    /// <summary>A <see cref="Authoring.BodyFormat"/>.</summary>
    public string BodyFormat { get; init; } = "";

    public string Labels { get; init; } = "";
}

public sealed record ExportedAutosave
{
    public long PostId { get; init; }

    public long BaseVersion { get; init; }

    public string Title { get; init; } = "";

    public string Subtitle { get; init; } = "";

    public string Body { get; init; } = "";

    public string Labels { get; init; } = "";

    public DateTime SavedAt { get; init; }
}
