namespace Blog.Web.Features.Import;

/// <summary>The export formats an import reads, told apart by what the file holds, never by its name.</summary>
public enum ExportFormat
{
    /// <summary>Blogger's classic Atom export (entries typed by a <c>kind#…</c> category).</summary>
    BloggerClassic,

    /// <summary>Blogger's current format, the <c>feed.atom</c> of a Google Takeout archive (<c>blogger:type</c>).</summary>
    BloggerTakeout,

    /// <summary>WordPress eXtended RSS, versions 1.0 to 1.2.</summary>
    WordPress,
}

/// <summary>
/// One exported file opened for reading: an XML export, or an archive (a Takeout zip, a zip holding a WordPress
/// export and its uploads folder) with the pictures it carries. Reading streams: items come in file order, one at a
/// time, and <see cref="ReadItems"/> may be called again for a second pass over the same file.
/// </summary>
public interface IImportSource : IDisposable
{
    ExportFormat Format { get; }

    /// <summary>The name the file was given, for the report only.</summary>
    string FileName { get; }

    /// <summary>
    /// Reads the export from its start: first an <see cref="ImportedBlog"/>, then posts, pages, comments, labels and
    /// attachments as they come. Entries that cannot be used (settings, templates, a broken entry) are not returned
    /// but counted in <paramref name="report"/> with their line and reason. A file that is not well-formed XML throws
    /// <see cref="ImportRefusedException"/> naming the line and the reason.
    /// </summary>
    IEnumerable<ImportedItem> ReadItems(ImportReport report);

    /// <summary>Bytes of the export's feed; with <see cref="FeedPosition"/>, how far the current pass has read.</summary>
    long FeedLength { get; }

    long FeedPosition { get; }

    /// <summary>
    /// The picture the archive holds for an address used in a post (Takeout's <c>Albums/</c>, a WordPress uploads
    /// folder), or null when it holds none. The caller disposes the stream.
    /// </summary>
    Stream? OpenImage(string address);
}

/// <summary>Runs an import; the background job and the <c>import</c> command both go through it.</summary>
public interface IImportRunner
{
    /// <summary>
    /// Imports the file (or only reports what it would do, for a dry run). Throws <see cref="ImportRefusedException"/>
    /// for a file that cannot be imported; then nothing was written.
    /// </summary>
    Task<ImportReport> RunAsync(ImportRequest request, IProgress<ImportProgress>? progress, CancellationToken ct);
}

public sealed record ImportRequest
{
    /// <summary>The export: an XML file or a zip.</summary>
    public required string FilePath { get; init; }

    /// <summary>The name to report (an uploaded file's own name); the file path's name when null.</summary>
    public string? FileName { get; init; }

    /// <summary>A WordPress uploads folder given alongside the export (the <c>import</c> command's <c>--uploads</c>).</summary>
    public string? UploadsFolder { get; init; }

    /// <summary>Reports what would be imported and writes nothing.</summary>
    public bool DryRun { get; init; }

    /// <summary>
    /// Fetches pictures still on the old blog's hosts (https only, public addresses only) instead of only listing them.
    /// </summary>
    public bool FetchRemoteImages { get; init; }

    /// <summary>The member who imports: imported posts and pictures are theirs.</summary>
    public required string ImporterId { get; init; }
}

/// <summary>How far an import is: <see cref="Done"/> of <see cref="Total"/> (bytes of the feed, or pictures).</summary>
public sealed record ImportProgress(string Phase, long Done, long Total);

/// <summary>An export that cannot be imported at all; the message says why, and where in the file when it knows.</summary>
public sealed class ImportRefusedException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>Something an export holds. <see cref="Line"/> is where it starts in the feed (1-based; 0 when unknown).</summary>
public abstract record ImportedItem
{
    /// <summary>The item's id in the export: an Atom entry id, a WordPress post, comment or term id.</summary>
    public required string SourceId { get; init; }

    public int Line { get; init; }
}

/// <summary>The exported blog itself. Always the first item of a pass.</summary>
public sealed record ImportedBlog : ImportedItem
{
    /// <summary>
    /// What identifies the blog across exports of it, for <c>imported_items.source</c>: <c>blogger:{blog id}</c>,
    /// <c>wordpress:{site address}</c>, or <c>file:{hash}</c> when the file names none.
    /// </summary>
    public required string SourceKey { get; init; }

    public string Title { get; init; } = "";

    /// <summary>The old blog's address (e.g. <c>https://example.blogspot.com/</c>), when the export gives it.</summary>
    public string? Address { get; init; }

    /// <summary>Other hosts the old blog answered at (a custom domain); old links on them are the blog's too.</summary>
    public IReadOnlyList<string> OtherHosts { get; init; } = [];
}

/// <summary>How a post stood in the old blog. Only <see cref="Published"/> and <see cref="Scheduled"/> are shown here.</summary>
public enum ImportedPostStatus
{
    Published,
    Scheduled,
    Draft,
    Pending,

    /// <summary>Private or password-protected: imported as a draft and listed in the report, never made public.</summary>
    Private,

    /// <summary>In the old blog's trash: counted, not imported.</summary>
    Trashed,
}

/// <summary>A post or a page.</summary>
public sealed record ImportedPost : ImportedItem
{
    /// <summary><see cref="Posts.PostKind.Post"/> or <see cref="Posts.PostKind.Page"/>.</summary>
    public required string Kind { get; init; }

    public string Title { get; init; } = "";

    /// <summary>The slug the old address used (Blogger's file name, <c>wp:post_name</c>), or empty.</summary>
    public string Slug { get; init; } = "";

    /// <summary>
    /// The body as HTML, ready for the post sanitizer: WordPress's paragraphs made explicit, shortcodes left as
    /// readable text, the <c>&lt;!--more--&gt;</c> marker removed (see <see cref="HtmlBeforeMore"/>).
    /// </summary>
    public string Html { get; init; } = "";

    /// <summary>The part of the body before a <c>&lt;!--more--&gt;</c> marker, when the post has one.</summary>
    public string? HtmlBeforeMore { get; init; }

    /// <summary>A summary the author wrote for search engines (Takeout's <c>metaDescription</c>, a WordPress excerpt).</summary>
    public string? Description { get; init; }

    public ImportedPostStatus Status { get; init; }

    /// <summary>True when the old blog protected the post with a password (then <see cref="Status"/> is Private).</summary>
    public bool PasswordProtected { get; init; }

    public DateTimeOffset? PublishedAt { get; init; }

    public DateTimeOffset? UpdatedAt { get; init; }

    public IReadOnlyList<string> Labels { get; init; } = [];

    /// <summary>
    /// Every address the old blog answered with this post at: absolute URLs or paths as the export gives them
    /// (Blogger's alternate link and file name, WordPress's link and its <c>/?p=ID</c> or <c>/?page_id=ID</c>).
    /// </summary>
    public IReadOnlyList<string> OldAddresses { get; init; } = [];

    public string? AuthorName { get; init; }

    public bool AllowComments { get; init; } = true;
}

public enum ImportedCommentStatus
{
    Approved,

    /// <summary>Waiting for approval in the old blog: goes to the moderation queue.</summary>
    Held,

    /// <summary>Marked as spam: counted, not imported.</summary>
    Spam,

    /// <summary>In the trash: counted, not imported.</summary>
    Trashed,
}

public enum ImportedCommentKind
{
    Comment,
    Pingback,
    Trackback,
}

public sealed record ImportedComment : ImportedItem
{
    /// <summary>The <see cref="ImportedItem.SourceId"/> of the post it is on.</summary>
    public required string PostSourceId { get; init; }

    /// <summary>The comment it replies to, or null for a top-level comment.</summary>
    public string? ParentSourceId { get; init; }

    public string AuthorName { get; init; } = "";

    public string? AuthorUrl { get; init; }

    public string? AuthorEmail { get; init; }

    /// <summary>Written without an account in the old blog (Blogger's ANONYMOUS).</summary>
    public bool Anonymous { get; init; }

    public string Html { get; init; } = "";

    public DateTimeOffset? PublishedAt { get; init; }

    public ImportedCommentStatus Status { get; init; }

    public ImportedCommentKind CommentKind { get; init; }
}

/// <summary>A WordPress category or tag as the export declares it (its slug is in the old label addresses).</summary>
public sealed record ImportedLabel : ImportedItem
{
    public required string Name { get; init; }

    /// <summary>The <c>category_nicename</c> or <c>tag_slug</c> used in <c>/category/{slug}/</c> and <c>/tag/{slug}/</c>.</summary>
    public required string Slug { get; init; }

    public bool IsTag { get; init; }
}

/// <summary>A WordPress attachment: a file the old blog stored, possibly shown in posts at <see cref="Url"/>.</summary>
public sealed record ImportedAttachment : ImportedItem
{
    public required string Url { get; init; }

    /// <summary>The post it was uploaded to, if any.</summary>
    public string? ParentSourceId { get; init; }

    public string Title { get; init; } = "";

    public string AltText { get; init; } = "";
}
