using Blog.Web.Features.Comments;
using Blog.Web.Hosting;

namespace Blog.Web.Features.Moderation;

/// <summary>
/// The owner's decisions on the queue, with what must follow each: an approved or removed comment changes what
/// readers see, so its posts' cached pages go; an approved reply tells the writer it answers, as a reply published
/// at once does. The Owner policy on the controller is the authorization.
/// </summary>
public sealed class ModerationCommands(
    CommentStore comments,
    ModerationStore store,
    CommentNotifier notifier,
    ReaderCache readerCache,
    TimeProvider clock)
{
    private DateTime Now => clock.GetUtcNow().UtcDateTime;

    public async Task ApproveAsync(IReadOnlyCollection<long> ids, CancellationToken ct)
    {
        var now = Now;
        var approved = await comments.ApproveAsync(ids, now, ct);
        await readerCache.CommentsChangedAsync(await comments.PostIdsOfAsync(approved, ct));
        foreach (var id in approved)
        {
            if (await comments.FindWithVisiblePostAsync(id, now, ct) is (var comment, var post) && comment.ParentId is { } parentId)
            {
                await notifier.ReplyAsync(post, comment.Id, parentId, comment.AuthorId, comment.WriterName, comment.BodyMarkdown, ct);
            }
        }
    }

    public async Task RemoveAsync(IReadOnlyCollection<long> ids, CancellationToken ct)
    {
        await comments.RemoveAsync(ids, RemovedBy.Admin, Now, ct);
        await readerCache.CommentsChangedAsync(await comments.PostIdsOfAsync(ids, ct));
    }

    /// <summary>
    /// Bans the writer and removes their comments still in the queue; false when nobody was banned. Readers' pages
    /// stay: the comments removed were held, which readers never saw.
    /// </summary>
    public Task<bool> BanAsync(string memberId, CancellationToken ct) => store.BanAsync(memberId, Now, ct);
}
