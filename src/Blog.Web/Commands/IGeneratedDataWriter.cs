namespace Blog.Web.Commands;

/// <summary>
/// Where <see cref="GenerateDataCommand"/> writes the blog it makes up: each engine's fastest way to load many rows in
/// one transaction. The command decides every value (ids included, so the printed addresses are known before the
/// rows are written); a writer only stores them, in this order: <see cref="BeginAsync"/>, labels, posts, comments,
/// <see cref="FinishAsync"/>. Disposed without <see cref="FinishAsync"/>, nothing is kept.
/// </summary>
public interface IGeneratedDataWriter : IAsyncDisposable
{
    /// <summary>The database, as a message names it ("The database at …").</summary>
    string Description { get; }

    Task<long> CountPostsAsync(CancellationToken ct);

    /// <summary>Opens the load: the transaction, and the indexes and triggers set aside until the rows are in.</summary>
    Task BeginAsync(CancellationToken ct);

    /// <summary>The labels' ids, in the order of <paramref name="names"/>; a label that exists keeps its id.</summary>
    Task<long[]> WriteLabelsAsync(IReadOnlyList<string> names, CancellationToken ct);

    /// <summary>The first id after every post and comment already stored.</summary>
    Task<(long Post, long Comment)> NextIdsAsync(CancellationToken ct);

    /// <summary>Each post with its labels and its search row. Rows are made as they are read, so they are never all in memory.</summary>
    Task WritePostsAsync(IEnumerable<GeneratedPostRow> posts, CancellationToken ct);

    Task WriteCommentsAsync(IEnumerable<GeneratedCommentRow> comments, CancellationToken ct);

    /// <summary>Indexes and triggers back, the sidebar's counts marked stale, the transaction committed, statistics gathered.</summary>
    Task FinishAsync(CancellationToken ct);
}

/// <summary>A published post as stored, with what its label and search rows need.</summary>
public sealed record GeneratedPostRow(
    long Id,
    string AuthorId,
    string Title,
    string Subtitle,
    string Slug,
    string Markdown,
    string Html,
    string Excerpt,
    DateTime PublishedAt,
    IReadOnlyList<long> LabelIds,
    string LabelNames,
    string SearchText);

/// <summary>An approved comment as stored: a thread's first comment, or a reply one level under it.</summary>
public sealed record GeneratedCommentRow(
    long Id,
    long PostId,
    long? ThreadRootId,
    string AuthorId,
    string Markdown,
    string Html,
    DateTime CreatedAt)
{
    public int Depth => ThreadRootId is null ? 0 : 1;
}
