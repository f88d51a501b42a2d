using System.ComponentModel.DataAnnotations;
using System.Globalization;

namespace Blog.Web.Features.Import.Runs;

/// <summary>The <c>Blog:Import</c> configuration section, as far as the import page reads it.</summary>
public sealed class ImportUploadOptions
{
    public const string SectionName = "Blog:Import";

    /// <summary>
    /// The largest export the import page accepts, in bytes. One gigabyte holds the WordPress export of a very large
    /// blog (a WXR is text: a few hundred megabytes for tens of thousands of posts) and a Takeout zip with a few
    /// thousand pictures, while keeping a mistaken upload from filling the server's disk. Larger archives can be
    /// imported with the <c>import</c> command, which has no limit, or by raising this.
    /// </summary>
    [Range(1024 * 1024, 64L * 1024 * 1024 * 1024)]
    public long MaxUploadBytes { get; set; } = 1L << 30;
}

/// <summary>A row of <c>import_runs</c>.</summary>
public sealed record ImportRun
{
    public long Id { get; init; }

    public string? StartedBy { get; init; }

    public string FileName { get; init; } = "";

    public bool DryRun { get; init; }

    public bool FetchRemoteImages { get; init; }

    public string State { get; init; } = ImportRunStates.Queued;

    public string Phase { get; init; } = "";

    public long Done { get; init; }

    public long Total { get; init; }

    public string? ReportJson { get; init; }

    public string? Error { get; init; }

    public DateTime CreatedAt { get; init; }

    public DateTime? FinishedAt { get; init; }

    public bool IsOver => State is ImportRunStates.Finished or ImportRunStates.Failed;

    /// <summary>How far, as a whole percentage; null while the total is not known yet.</summary>
    public int? Percent => Total > 0 ? (int)Math.Clamp(Done * 100 / Total, 0, 100) : null;

    public string Path => "/admin/import/" + Id.ToString(CultureInfo.InvariantCulture);

    /// <summary>What the run is doing, in words for the page and the progress endpoint.</summary>
    public string Status => State switch
    {
        ImportRunStates.Queued => "Waiting to start",
        ImportRunStates.Running => Phase.Length > 0 ? char.ToUpperInvariant(Phase[0]) + Phase[1..] : "Starting",
        ImportRunStates.Finished => DryRun ? "Dry run finished: nothing was written" : "Finished",
        _ => "Stopped",
    };
}

public sealed record ImportingMember
{
    public string Id { get; init; } = "";

    public string? Email { get; init; }

    public string Role { get; init; } = "";
}

public static class ImportRunStates
{
    public const string Queued = "queued";
    public const string Running = "running";
    public const string Finished = "finished";
    public const string Failed = "failed";
}

/// <summary>The import page: the upload form (as sent, with its error) and the recent runs.</summary>
public sealed record ImportIndexPage
{
    public required IReadOnlyList<ImportRun> Recent { get; init; }

    /// <summary>The run in progress, which a new one would have to wait for.</summary>
    public ImportRun? Active { get; init; }

    public required long MaxUploadBytes { get; init; }

    public bool DryRun { get; init; }

    public bool FetchRemoteImages { get; init; }

    public string? FileError { get; init; }
}

/// <summary>One run's page: its progress, and once it is over its report.</summary>
public sealed record ImportRunPage
{
    public required ImportRun Run { get; init; }

    public ImportReport? Report { get; init; }
}
