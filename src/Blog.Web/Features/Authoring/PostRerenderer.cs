using Blog.Web.Content;
using Blog.Web.Hosting;

namespace Blog.Web.Features.Authoring;

/// <summary>
/// Renders posts again from what their authors wrote, when something rendering reads changed outside the editor:
/// a library picture re-described (a body that leaves the alt text to the library shows the new words) or deleted
/// (a body must not keep an image of a file that is gone). Then their cached pages, feeds and lists are evicted, as
/// after a save.
/// </summary>
/// <remarks>
/// This is not an author's save: what they wrote, the version, the "updated" date and the revisions stay as they
/// are; only what rendering makes (HTML, excerpt, search text, the pictures shown) is replaced. It runs right after
/// the library change is committed, not inside its transaction: the posts are rendered outside the write lock and
/// stored <see cref="BatchSize"/> per write, so a picture shown by thousands of imported posts never holds up other
/// writers for long. Should the process stop half-way, the posts not reached keep their old HTML until next saved.
/// </remarks>
public sealed partial class PostRerenderer(PostStore store, PostRenderer renderer, ReaderCache readerCache, ILogger<PostRerenderer> logger)
{
    /// <summary>Posts stored per write transaction.</summary>
    public const int BatchSize = 50;

    /// <summary>Renders these posts (and pages) again; returns how many were stored.</summary>
    public async Task<int> RerenderAsync(IReadOnlyCollection<long> postIds, CancellationToken ct)
    {
        var pending = new Queue<long>(postIds.Distinct());
        // A post saved while it was being rendered is read again once: that save may have read the library just
        // before it changed.
        var readAgain = new HashSet<long>();
        var stored = 0;
        while (pending.Count > 0)
        {
            var batch = new List<long>(BatchSize);
            while (batch.Count < BatchSize && pending.TryDequeue(out var id))
            {
                batch.Add(id);
            }
            var rendered = new List<RerenderedPost>(batch.Count);
            foreach (var source in await store.RenderSourcesAsync(batch, ct))
            {
                if (await RenderAsync(source, ct) is { } post)
                {
                    rendered.Add(post);
                }
            }
            var savedSince = rendered.Count == 0 ? [] : await store.StoreRerenderedAsync(rendered, ct);
            foreach (var id in savedSince.Where(readAgain.Add))
            {
                pending.Enqueue(id);
            }
            if (rendered.Count > savedSince.Count)
            {
                stored += rendered.Count - savedSince.Count;
                await readerCache.PostsChangedAsync();
            }
        }
        return stored;
    }

    private async Task<RerenderedPost?> RenderAsync(PostRenderSource source, CancellationToken ct)
    {
        var hasCover = source.CoverMediaId is not null;
        var result = source.BodyFormat == BodyFormat.Html
            ? await renderer.RenderHtmlAsync(source.Body, hasCover, ct)
            : await renderer.RenderAsync(source.Body, hasCover, ct);
        if (result.Body is not { } body)
        {
            // A body the limits now refuse (they were lowered since it was saved): it keeps what it had.
            NotRendered(logger, source.Id, result.Error ?? "");
            return null;
        }
        return new RerenderedPost { Id = source.Id, Version = source.Version, CoverMediaId = source.CoverMediaId, Body = body };
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Warning, Message = "Post {PostId} keeps its old HTML after a library picture changed, until it is next saved: {Reason}")]
    private static partial void NotRendered(ILogger logger, long postId, string reason);
}
