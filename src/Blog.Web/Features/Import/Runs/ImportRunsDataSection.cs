using Blog.Web.Data;
using Blog.Web.Features.Account;

namespace Blog.Web.Features.Import.Runs;

/// <summary>The "imports" part of a person's data download: the imports they started, and how each ended.</summary>
public sealed class ImportRunsDataSection(BlogDatabase db) : RowsDataSection<ExportedImportRun>(db)
{
    public override string Name => "imports";

    protected override string Sql => """
        SELECT id, file_name, dry_run, fetch_remote_images, state, error, created_at, finished_at
        FROM import_runs
        WHERE started_by = @MemberId
        ORDER BY id
        """;
}

public sealed record ExportedImportRun
{
    public long Id { get; init; }

    public string FileName { get; init; } = "";

    public bool DryRun { get; init; }

    public bool FetchRemoteImages { get; init; }

    public string State { get; init; } = "";

    public string? Error { get; init; }

    public DateTime CreatedAt { get; init; }

    public DateTime? FinishedAt { get; init; }
}
