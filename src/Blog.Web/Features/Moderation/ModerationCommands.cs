using Blog.Web.Features.Comments;
using Blog.Web.Hosting;

namespace Blog.Web.Features.Moderation;

/// <summary>
/// The owner's decisions on the queue, with what must follow each: an approved or removed comment changes what
/// readers see, so its posts' cached pages go; an approved reply tells the writer it answers, as a reply published
/// at once does; a decided comment's mail links are spent. The Owner policy on the queue's controller is the
/// authorization; a mail link's own checks are in <see cref="MailLinkCommands"/>.
/// </summary>
public sealed class ModerationCommands(
    CommentStore comments,
    ModerationStore store,
    MailLinkStore mailLinks,
    CommentNotifier notifier,
    ReaderCache readerCache,
    TimeProvider clock)
{
    private DateTime Now => clock.GetUtcNow().UtcDateTime;

    public async Task ApproveAsync(IReadOnlyCollection<long> ids, CancellationToken ct)
    {
        var now = Now;
        var approved = await comments.ApproveAsync(ids, now, ct);
        await mailLinks.SpendAsync(ids, now, ct);
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
        var now = Now;
        await comments.RemoveAsync(ids, RemovedBy.Admin, now, ct);
        await mailLinks.SpendAsync(ids, now, ct);
        await readerCache.CommentsChangedAsync(await comments.PostIdsOfAsync(ids, ct));
    }

    /// <summary>
    /// Bans the writer and removes their comments still in the queue; false when nobody was banned. Readers' pages
    /// stay: the comments removed were held, which readers never saw.
    /// </summary>
    public Task<bool> BanAsync(string memberId, CancellationToken ct) => store.BanAsync(memberId, Now, ct);
}
