using System.Globalization;
using System.Text;
using Blog.Web.Features.Posts;
using Blog.Web.Features.Settings;
using Blog.Web.Hosting;
using Blog.Web.Mail;
using Microsoft.AspNetCore.DataProtection;

namespace Blog.Web.Features.Comments;

/// <summary>
/// The emails comments cause: the post's author and the owner hear of every new comment (held ones with a
/// link to the queue); a member who opted in hears of replies to their comments, with a one-click unsubscribe.
/// The mail is queued in the outbox, not sent: the request ends without waiting for the mail folder or an SMTP
/// server, and a mail server that is down cannot turn a saved comment into an error page.
/// </summary>
public sealed class CommentNotifier(
    CommentStore store,
    MailOutbox mail,
    SiteSettingsStore settingsStore,
    IDataProtectionProvider protection,
    CanonicalAddress address)
{
    /// <summary>The purpose string ties unsubscribe tokens to this use; they cannot be replayed elsewhere.</summary>
    private const string UnsubscribePurpose = "Quire.Comments.ReplyNotices.Unsubscribe.v1";

    /// <summary>
    /// The mail a new comment causes, made once its id is known: the recipients are read now, before the comment's
    /// write, so that the mail can be queued in the same transaction as the comment (see <see cref="CommentStore.InsertAsync"/>).
    /// </summary>
    public async Task<Func<long, IReadOnlyList<OutgoingMail>>> NewCommentMailAsync(
        CommentablePost post, string writerId, string writerName, string markdown, string? holdReason, long? repliedTo, CancellationToken ct)
    {
        var mails = await PostWatcherMailAsync(post, writerId, $"{writerName} commented on “{post.Title}”:", markdown, holdReason, ct);
        if (holdReason is null && repliedTo is { } parentId && await ReplyMailAsync(post, parentId, writerId, writerName, markdown, ct) is { } reply)
        {
            mails = [.. mails, reply];
        }
        return commentId => [.. mails.Select(mail => mail(commentId))];
    }

    /// <summary>An edit put a published comment back in the queue: the same people hear of it as of a held comment.</summary>
    public async Task HeldAfterEditAsync(
        CommentablePost post, long commentId, string writerId, string writerName, string markdown, string holdReason, CancellationToken ct)
    {
        var mails = await PostWatcherMailAsync(post, writerId, $"{writerName} edited a comment on “{post.Title}”:", markdown, holdReason, ct);
        await mail.EnqueueAsync([.. mails.Select(draft => draft(commentId))], ct);
    }

    /// <summary>Tells the writer of <paramref name="parentId"/> about a reply, when they asked for that and it is visible.</summary>
    public async Task ReplyAsync(CommentablePost post, long commentId, long parentId, string? writerId, string writerName, string markdown, CancellationToken ct)
    {
        if (await ReplyMailAsync(post, parentId, writerId, writerName, markdown, ct) is { } draft)
        {
            await mail.EnqueueAsync(draft(commentId), ct);
        }
    }

    /// <summary>The mail to the post's author and the owner about a comment, given the comment's id.</summary>
    private async Task<IReadOnlyList<Func<long, OutgoingMail>>> PostWatcherMailAsync(
        CommentablePost post, string writerId, string intro, string markdown, string? holdReason, CancellationToken ct)
    {
        var site = await settingsStore.GetAsync(ct);
        var baseUrl = address.Base;
        var postUrl = baseUrl + PostUrls.PostPath(post.PublishedAt, post.Slug, PostUrls.TimeZone(site.TimeZone));
        var mails = new List<Func<long, OutgoingMail>>();
        foreach (var watcher in await store.PostWatchersAsync(post.AuthorId, ct))
        {
            if (watcher.Id == writerId)
            {
                continue;
            }
            mails.Add(commentId =>
            {
                var body = new StringBuilder()
                    .AppendLine(intro)
                    .AppendLine()
                    .AppendLine(markdown)
                    .AppendLine();
                if (holdReason is null)
                {
                    body.AppendLine(CultureInfo.InvariantCulture, $"Read it in place: {baseUrl}/comments/{commentId}");
                }
                else if (watcher.IsOwner)
                {
                    body.AppendLine(CultureInfo.InvariantCulture, $"It is waiting for approval ({holdReason}). Approve or remove it in the moderation queue:")
                        .AppendLine(CultureInfo.InvariantCulture, $"{baseUrl}/admin/moderation");
                }
                else
                {
                    // The queue is the owner's alone, and a held comment is hidden from everyone but its writer and the
                    // owner, so the post's author is told what happens next rather than sent to a page that refuses them.
                    body.AppendLine(CultureInfo.InvariantCulture, $"It is waiting for the blog owner's approval ({holdReason}). Once approved, it appears under your post:")
                        .AppendLine(CultureInfo.InvariantCulture, $"{postUrl}#comments");
                }
                body.AppendLine().AppendLine(CultureInfo.InvariantCulture, $"The post: {postUrl}");
                var subject = holdReason is null ? $"New comment on “{post.Title}”" : $"Comment awaiting moderation on “{post.Title}”";
                return new OutgoingMail(watcher.Email, subject, body.ToString());
            });
        }
        return mails;
    }

    /// <summary>The mail to the writer of <paramref name="parentId"/> about a reply, or null when they are not to hear of it.</summary>
    private async Task<Func<long, OutgoingMail>?> ReplyMailAsync(
        CommentablePost post, long parentId, string? writerId, string writerName, string markdown, CancellationToken ct)
    {
        var watcher = await store.ReplyWatcherAsync(parentId, ct);
        if (watcher is null || watcher.Id == writerId)
        {
            return null;
        }
        var baseUrl = address.Base;
        var token = protection.CreateProtector(UnsubscribePurpose).Protect(watcher.Id);
        var unsubscribeUrl = $"{baseUrl}/comments/unsubscribe?token={Uri.EscapeDataString(token)}";
        // RFC 2369 and RFC 8058: mail programs show their own "Unsubscribe" button and POST
        // "List-Unsubscribe=One-Click" to this address; the signed token in it is the whole authorization.
        var headers = new Dictionary<string, string>
        {
            ["List-Unsubscribe"] = $"<{unsubscribeUrl}>",
            ["List-Unsubscribe-Post"] = UnsubscribeController.OneClickBody,
        };
        return commentId => new OutgoingMail(watcher.Email, $"New reply to your comment on “{post.Title}”", new StringBuilder()
            .AppendLine(CultureInfo.InvariantCulture, $"{writerName} replied to your comment on “{post.Title}”:")
            .AppendLine()
            .AppendLine(markdown)
            .AppendLine()
            .AppendLine(CultureInfo.InvariantCulture, $"Read it in place: {baseUrl}/comments/{commentId}")
            .AppendLine()
            .AppendLine("You get these emails because you asked to hear about replies to your comments. To stop them:")
            .AppendLine(unsubscribeUrl)
            .ToString(), headers);
    }

    /// <summary>The member an unsubscribe token was made for, or null when it was altered or made by another blog.</summary>
    public string? ReadUnsubscribeToken(string? token)
    {
        if (string.IsNullOrEmpty(token))
        {
            return null;
        }
        try
        {
            return protection.CreateProtector(UnsubscribePurpose).Unprotect(token);
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            return null;
        }
    }

}
