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

    public async Task NewCommentAsync(
        CommentablePost post, long commentId, string writerId, string writerName, string markdown, string? holdReason, long? repliedTo,
        CancellationToken ct)
    {
        await TellPostWatchersAsync(post, commentId, writerId, $"{writerName} commented on “{post.Title}”:", markdown, holdReason, ct);
        if (holdReason is null && repliedTo is { } parentId)
        {
            await ReplyAsync(post, commentId, parentId, writerId, writerName, markdown, ct);
        }
    }

    /// <summary>An edit put a published comment back in the queue: the same people hear of it as of a held comment.</summary>
    public async Task HeldAfterEditAsync(
        CommentablePost post, long commentId, string writerId, string writerName, string markdown, string holdReason, CancellationToken ct) =>
        await TellPostWatchersAsync(post, commentId, writerId, $"{writerName} edited a comment on “{post.Title}”:", markdown, holdReason, ct);

    private async Task TellPostWatchersAsync(
        CommentablePost post, long commentId, string writerId, string intro, string markdown, string? holdReason, CancellationToken ct)
    {
        var site = await settingsStore.GetAsync(ct);
        var baseUrl = address.Base;
        var postUrl = baseUrl + PostUrls.PostPath(post.PublishedAt, post.Slug, PostUrls.TimeZone(site.TimeZone));
        foreach (var watcher in await store.PostWatchersAsync(post.AuthorId, ct))
        {
            if (watcher.Id == writerId)
            {
                continue;
            }
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
            await QueueAsync(watcher.Email, subject, body.ToString(), headers: null, ct);
        }
    }

    /// <summary>Tells the writer of <paramref name="parentId"/> about a reply, when they asked for that and it is visible.</summary>
    public async Task ReplyAsync(CommentablePost post, long commentId, long parentId, string? writerId, string writerName, string markdown, CancellationToken ct)
    {
        var watcher = await store.ReplyWatcherAsync(parentId, ct);
        if (watcher is null || watcher.Id == writerId)
        {
            return;
        }
        var baseUrl = address.Base;
        var token = protection.CreateProtector(UnsubscribePurpose).Protect(watcher.Id);
        var unsubscribeUrl = $"{baseUrl}/comments/unsubscribe?token={Uri.EscapeDataString(token)}";
        var body = new StringBuilder()
            .AppendLine(CultureInfo.InvariantCulture, $"{writerName} replied to your comment on “{post.Title}”:")
            .AppendLine()
            .AppendLine(markdown)
            .AppendLine()
            .AppendLine(CultureInfo.InvariantCulture, $"Read it in place: {baseUrl}/comments/{commentId}")
            .AppendLine()
            .AppendLine("You get these emails because you asked to hear about replies to your comments. To stop them:")
            .AppendLine(unsubscribeUrl)
            .ToString();
        // RFC 2369 and RFC 8058: mail programs show their own "Unsubscribe" button and POST
        // "List-Unsubscribe=One-Click" to this address; the signed token in it is the whole authorization.
        var headers = new Dictionary<string, string>
        {
            ["List-Unsubscribe"] = $"<{unsubscribeUrl}>",
            ["List-Unsubscribe-Post"] = UnsubscribeController.OneClickBody,
        };
        await QueueAsync(watcher.Email, $"New reply to your comment on “{post.Title}”", body, headers, ct);
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

    // Queued, not sent: the writer's request ends without waiting for the mail folder or an SMTP server, and a
    // mail server that is down cannot turn a saved comment into an error page (the queue logs failures).
    private async Task QueueAsync(
        string to, string subject, string body, IReadOnlyDictionary<string, string>? headers, CancellationToken ct) =>
        await mail.EnqueueAsync(new OutgoingMail(to, subject, body, headers), ct);
}
