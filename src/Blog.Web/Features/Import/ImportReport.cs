using System.Text.Json;

namespace Blog.Web.Features.Import;

/// <summary>
/// What an import found in the file and what it did with each thing: counts per kind (found, imported, already
/// there from an earlier import, skipped and why), the lines worth the owner's attention, and the lists the owner
/// acts on (private posts kept as drafts, pictures left on the old hosts). The reader and the writer fill the same
/// report; a dry run fills it without writing. It is stored as JSON with a background run.
/// </summary>
public sealed class ImportReport
{
    /// <summary>The most notes kept: a damaged export could otherwise make the report as large as itself.</summary>
    public const int MaxNotes = 200;

    public string FileName { get; set; } = "";

    public ExportFormat? Format { get; set; }

    public string BlogTitle { get; set; } = "";

    public bool DryRun { get; set; }

    /// <summary>Per kind (<see cref="ImportKinds"/>): what was found and what became of it.</summary>
    public Dictionary<string, ImportCount> Counts { get; init; } = new(StringComparer.Ordinal);

    /// <summary>Lines worth reading: an entry skipped and why, a thread flattened, a post the sanitizer changed.</summary>
    public List<ImportNote> Notes { get; init; } = [];

    /// <summary>How many notes were not kept beyond <see cref="MaxNotes"/>.</summary>
    public int NotesLeftOut { get; set; }

    /// <summary>The labels the imported posts carry.</summary>
    public List<string> Labels { get; init; } = [];

    /// <summary>Old addresses that now answer 301.</summary>
    public int RedirectsCreated { get; set; }

    /// <summary>Posts whose HTML the sanitizer changed (scripts, styles, unknown elements removed).</summary>
    public List<string> SanitizedPosts { get; init; } = [];

    /// <summary>Private and password-protected posts, imported as drafts.</summary>
    public List<string> PrivatePosts { get; init; } = [];

    /// <summary>Replies deeper than the blog allows, attached at the deepest level it allows.</summary>
    public int FlattenedReplies { get; set; }

    public int ImagesStored { get; set; }

    /// <summary>Pictures still on the old blog's hosts, with the titles of the posts showing them.</summary>
    public List<RemoteImage> ImagesLeftRemote { get; init; } = [];

    public ImportCount For(string kind)
    {
        if (!Counts.TryGetValue(kind, out var count))
        {
            count = new ImportCount();
            Counts[kind] = count;
        }
        return count;
    }

    public void Found(string kind) => For(kind).Found++;

    public void Imported(string kind) => For(kind).Imported++;

    public void AlreadyImported(string kind) => For(kind).AlreadyImported++;

    /// <summary>Counts a thing left out, by reason; with a line, the note says where.</summary>
    public void Skipped(string kind, string reason, int line = 0, string? detail = null)
    {
        var skipped = For(kind).Skipped;
        skipped[reason] = skipped.GetValueOrDefault(reason) + 1;
        if (line > 0 || detail is not null)
        {
            Note(line, detail ?? reason);
        }
    }

    public void Note(int line, string message)
    {
        if (Notes.Count >= MaxNotes)
        {
            NotesLeftOut++;
            return;
        }
        Notes.Add(new ImportNote(line, message));
    }

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = false };

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static ImportReport FromJson(string json) => JsonSerializer.Deserialize<ImportReport>(json, Json) ?? new ImportReport();
}

public sealed class ImportCount
{
    public int Found { get; set; }

    public int Imported { get; set; }

    /// <summary>Already here from an earlier import of the same blog: left as it is.</summary>
    public int AlreadyImported { get; set; }

    /// <summary>Left out, by reason ("spam", "in the trash", "its post is not in the file", …).</summary>
    public Dictionary<string, int> Skipped { get; init; } = new(StringComparer.Ordinal);

    public int SkippedTotal => Skipped.Values.Sum();
}

/// <param name="Line">Where in the feed (0 when it is not about one place).</param>
public sealed record ImportNote(int Line, string Message);

public sealed record RemoteImage(string Address, IReadOnlyList<string> PostTitles);

/// <summary>The kinds an import counts (the keys of <see cref="ImportReport.Counts"/>).</summary>
public static class ImportKinds
{
    public const string Posts = "posts";
    public const string Pages = "pages";
    public const string Comments = "comments";
    public const string Pingbacks = "pingbacks and trackbacks";
    public const string Labels = "labels";
    public const string Attachments = "attachments";
    public const string Images = "images";

    /// <summary>Blogger's settings and template entries, and anything else that is not blog content.</summary>
    public const string Other = "other entries";
}
