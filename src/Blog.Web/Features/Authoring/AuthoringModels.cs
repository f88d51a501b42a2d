using System.ComponentModel.DataAnnotations;
using System.Globalization;
using Blog.Web.Content;
using Blog.Web.Features.Media;
using Blog.Web.Features.Posts;

namespace Blog.Web.Features.Authoring;

/// <summary>What the editor form posts. Strings throughout, so whatever was typed comes back on an error.</summary>
public sealed class PostForm
{
    public const int TitleMaxLength = 200;
    public const int SubtitleMaxLength = 300;
    public const int LabelsMaxLength = 1_000;

    [Required(ErrorMessage = "Give it a title.")]
    [StringLength(TitleMaxLength, ErrorMessage = "Keep the title to {1} characters or fewer.")]
    [Display(Name = "Title")]
    public string Title { get; set; } = "";

    [StringLength(SubtitleMaxLength, ErrorMessage = "Keep the subtitle to {1} characters or fewer.")]
    [Display(Name = "Subtitle (optional)")]
    public string? Subtitle { get; set; }

    // As long as a slug may be (Slugs.From cuts there), so a typed address is never shortened silently.
    [StringLength(Slugs.MaxLength, ErrorMessage = "Keep the address to {1} characters or fewer.")]
    [Display(Name = "Address (slug)")]
    public string? Slug { get; set; }

    [Display(Name = "Body (Markdown)")]
    public string? Body { get; set; }

    [StringLength(LabelsMaxLength, ErrorMessage = "That is too many labels.")]
    [Display(Name = "Labels")]
    public string? Labels { get; set; }

    /// <summary>The id of the library picture chosen as the cover, or empty for none.</summary>
    [Display(Name = "Cover picture")]
    public string? CoverMediaId { get; set; }

    [Display(Name = "Allow comments")]
    public bool AllowComments { get; set; } = true;

    [Display(Name = "Date")]
    public string? ScheduleDate { get; set; }

    [Display(Name = "Time")]
    public string? ScheduleTime { get; set; }

    /// <summary>The schedule's date as a date input sends it (yyyy-MM-dd); false for anything else.</summary>
    public bool TryReadScheduleDate(out DateOnly date) =>
        DateOnly.TryParseExact(ScheduleDate?.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date);

    /// <summary>The schedule's time as a time input sends it (HH:mm, or HH:mm:ss); false for anything else.</summary>
    public bool TryReadScheduleTime(out TimeOnly time) =>
        TimeOnly.TryParseExact(ScheduleTime?.Trim(), ["HH:mm", "HH:mm:ss"], CultureInfo.InvariantCulture, DateTimeStyles.None, out time);

    /// <summary>Which button was pressed: preview, save, publish, schedule or unpublish.</summary>
    public string? Command { get; set; }

    /// <summary>
    /// The post's version this text was written on (posts.version), carried in a hidden field: a save from an older
    /// one is refused. Text, so that whatever arrives can be read without failing the binding.
    /// </summary>
    public string? Version { get; set; }

    /// <summary>The form holding a revision's text over the post's other fields as they are now, at the post's version.</summary>
    public static PostForm FromRevision(PostRow post, RevisionRow revision) => new()
    {
        Title = revision.Title,
        Subtitle = revision.Subtitle,
        Labels = revision.Labels,
        Body = revision.Body,
        Slug = post.Slug,
        AllowComments = post.AllowComments,
        CoverMediaId = post.CoverMediaId?.ToString(CultureInfo.InvariantCulture),
        Version = post.Version.ToString(CultureInfo.InvariantCulture),
        Command = EditorCommand.Save,
    };

    /// <summary>The version as a number; null when the field is missing or is not one.</summary>
    public long? VersionNumber =>
        long.TryParse(Version, NumberStyles.None, CultureInfo.InvariantCulture, out var version) ? version : null;
}

/// <summary>Posts and pages share the editor; the section in the address says which.</summary>
public sealed record ContentKind(string Kind, string Section, string Singular, string Plural)
{
    public static readonly ContentKind Post = new(PostKind.Post, "posts", "post", "posts");
    public static readonly ContentKind Page = new(PostKind.Page, "pages", "page", "pages");

    public static ContentKind? FromSection(string? section) => section switch
    {
        "posts" => Post,
        "pages" => Page,
        _ => null,
    };
}

/// <summary>
/// Where a post or page stands as its author sees it: its stored <see cref="PostStatus"/>, except that a published
/// one whose time is still to come is scheduled. The values name the list's status filters and the badges' styles.
/// </summary>
public static class PostState
{
    /// <summary>In the editor before the first save.</summary>
    public const string New = "new";
    public const string Draft = PostStatus.Draft;
    public const string Scheduled = "scheduled";
    public const string Published = PostStatus.Published;

    public static string Of(string status, DateTime? publishedAt, DateTime now) =>
        status == PostStatus.Draft ? Draft : publishedAt > now ? Scheduled : Published;
}

/// <summary>The stored state of a post, as the editor needs it.</summary>
public sealed record PostRow
{
    public long Id { get; init; }
    /// <summary>A <see cref="PostKind"/>.</summary>
    public string Kind { get; init; } = "";
    public string? AuthorId { get; init; }
    public string Title { get; init; } = "";
    public string Subtitle { get; init; } = "";
    public string Slug { get; init; } = "";
    public string BodyMarkdown { get; init; } = "";
    /// <summary>A <see cref="Authoring.BodyFormat"/>: what <see cref="BodyMarkdown"/> is written in.</summary>
    public string BodyFormat { get; init; } = Authoring.BodyFormat.Markdown;
    /// <summary>A <see cref="PostStatus"/>.</summary>
    public string Status { get; init; } = "";
    public DateTime? PublishedAt { get; init; }
    public bool AllowComments { get; init; }
    public string Labels { get; init; } = "";
    /// <summary>The library picture shown as the cover, if any.</summary>
    public long? CoverMediaId { get; init; }
    /// <summary>How many saves the post has had (posts.version); its newest revision has this version.</summary>
    public long Version { get; init; }
    public DateTime UpdatedAt { get; init; }
}

/// <summary>Everything written for one post in one transaction.</summary>
public sealed record PostWrite
{
    /// <summary>A <see cref="PostKind"/>.</summary>
    public required string Kind { get; init; }
    public required string AuthorId { get; init; }
    public required string Title { get; init; }
    public required string Subtitle { get; init; }
    public required string Slug { get; init; }
    public required string BodyMarkdown { get; init; }
    public required string BodyHtml { get; init; }
    public required string BodyText { get; init; }
    public required string Excerpt { get; init; }
    /// <summary>A <see cref="PostStatus"/>.</summary>
    public required string Status { get; init; }
    public required DateTime? PublishedAt { get; init; }
    public required bool AllowComments { get; init; }
    public required IReadOnlyList<string> Labels { get; init; }
    public required DateTime Now { get; init; }
    /// <summary>When the post was first written, if not <see cref="Now"/> (an imported post keeps its own).</summary>
    public DateTime? CreatedAt { get; init; }
    /// <summary>A <see cref="BodyFormat"/>: what <see cref="BodyMarkdown"/> holds. Set when a post is created only.</summary>
    public string BodyFormat { get; init; } = Authoring.BodyFormat.Markdown;
    /// <summary>Who saves, recorded in the revision; null: the author.</summary>
    public string? EditorId { get; init; }
    /// <summary>A <see cref="RevisionOrigin"/>: how the text came, recorded in the revision.</summary>
    public string Origin { get; init; } = RevisionOrigin.Editor;
}

/// <summary>How a revision's text came (post_revisions.origin).</summary>
public static class RevisionOrigin
{
    public const string Editor = "editor";
    public const string Restore = "restore";
    public const string Micropub = "micropub";
    public const string Import = "import";
}

/// <summary>
/// What a post's source text (<c>posts.body_markdown</c>) is written in: Markdown, or HTML for a post imported from
/// another blog, which keeps the HTML it was written in and is edited as HTML.
/// </summary>
public static class BodyFormat
{
    public const string Markdown = "markdown";
    public const string Html = "html";
}

public sealed record EditorPage
{
    public required ContentKind Kind { get; init; }
    public long? Id { get; init; }
    public required PostForm Form { get; init; }
    /// <summary>A <see cref="PostState"/>.</summary>
    public string State { get; init; } = PostState.New;
    public string? StateText { get; init; }
    public string? PublicUrl { get; init; }
    public string? PreviewHtml { get; init; }
    public required string TimeZoneId { get; init; }
    public int MaxBodyLength { get; init; }
    /// <summary>A <see cref="Authoring.BodyFormat"/>: an imported post's body is HTML, and is edited as HTML.</summary>
    public string BodyFormat { get; init; } = Authoring.BodyFormat.Markdown;
    public bool BodyIsHtml => BodyFormat == Authoring.BodyFormat.Html;
    /// <summary>The library pictures offered as the cover (the newest, and the current cover).</summary>
    public IReadOnlyList<MediaChoice> CoverChoices { get; init; } = [];

    /// <summary>The cover as chosen in the form, when it is one of the choices.</summary>
    public MediaChoice? Cover => CoverChoices.FirstOrDefault(choice => choice.Id.ToString(CultureInfo.InvariantCulture) == Form.CoverMediaId?.Trim());

    /// <summary>
    /// The schedule's date as the date input may carry it: HTML allows only a valid date there (a browser never
    /// sends anything else), so text typed without one is left out and quoted in the error message instead.
    /// </summary>
    public string? ScheduleDateValue => Form.TryReadScheduleDate(out _) ? Form.ScheduleDate!.Trim() : null;

    /// <summary>The schedule's time as the time input may carry it; see <see cref="ScheduleDateValue"/>.</summary>
    public string? ScheduleTimeValue => Form.TryReadScheduleTime(out _) ? Form.ScheduleTime!.Trim() : null;

    /// <summary>The post's version as stored now; null for a new one.</summary>
    public long? CurrentVersion { get; init; }
    /// <summary>The newest few revisions, newest first.</summary>
    public IReadOnlyList<RevisionListRow> RecentRevisions { get; init; } = [];
    public RevisionClock? Clock { get; init; }
    /// <summary>Set when this save was refused because someone saved since.</summary>
    public ConflictPanel? Conflict { get; init; }
    /// <summary>Autosaved text newer than the post, offered to restore or discard.</summary>
    public AutosaveOffer? AutosaveOffer { get; init; }
    /// <summary>Set when the form holds the autosaved text rather than the saved one.</summary>
    public AutosaveOffer? AutosaveRestored { get; init; }
}

public sealed record PostListRow
{
    public long Id { get; init; }
    public string Title { get; init; } = "";
    public string Slug { get; init; } = "";
    /// <summary>A <see cref="PostStatus"/>.</summary>
    public string Status { get; init; } = "";
    public DateTime? PublishedAt { get; init; }
    public DateTime UpdatedAt { get; init; }
    public string? AuthorName { get; init; }
}

public sealed record StatusCounts
{
    public int All { get; init; }
    public int Drafts { get; init; }
    public int Scheduled { get; init; }
    public int Published { get; init; }
}

public sealed record AuthoringListPage
{
    /// <summary>The list's filter when the address names none (or one it does not know).</summary>
    public const string AllFilter = "all";

    public static readonly IReadOnlyList<string> Filters = [AllFilter, PostState.Draft, PostState.Scheduled, PostState.Published];

    public required ContentKind Kind { get; init; }
    public required IReadOnlyList<PostListRow> Items { get; init; }
    public required StatusCounts Counts { get; init; }
    /// <summary>A <see cref="PostState"/> other than new, or <see cref="AllFilter"/>.</summary>
    public required string Filter { get; init; }
    public required int PageNumber { get; init; }
    public required int TotalPages { get; init; }
    public required bool ShowAuthors { get; init; }
    public required DateTime Now { get; init; }
    public required TimeZoneInfo TimeZone { get; init; }
    public required string DateFormat { get; init; }
}

public sealed record DeletePage
{
    public required ContentKind Kind { get; init; }
    public required long Id { get; init; }
    public required string Title { get; init; }
}
