using System.Globalization;
using System.Text;
using Blog.Web.Data;
using Blog.Web.Features.Moderation;
using Blog.Web.Features.Posts;
using Blog.Web.Features.Settings;
using Blog.Web.Hosting;
using Blog.Web.Identity;
using Blog.Web.Mail;
using Microsoft.AspNetCore.DataProtection;

namespace Blog.Web.Features.Comments;

/// <summary>Writes the mail a new comment causes (and the links in it) inside the comment's own transaction.</summary>
public delegate Task CommentMail(DatabaseWrite write, long commentId, CancellationToken ct);

/// <summary>
/// The emails comments cause: the post's author and the owner hear of every new comment (held ones with approve
/// and reject links, and the owner with a link to the queue); a member who opted in hears of replies to their
/// comments, with a one-click unsubscribe.
/// The mail is queued in the outbox, not sent: the request ends without waiting for the mail folder or an SMTP
/// server, and a mail server that is down cannot turn a saved comment into an error page.
/// </summary>
public sealed class CommentNotifier(
    CommentStore store,
    MailOutbox mail,
    SiteSettingsStore settingsStore,
    IDataProtectionProvider protection,
    CanonicalAddress address,
    MailLinks mailLinks,
    MailLinkStore mailLinkStore,
    BlogDatabase db,
    TimeProvider clock)
{
    /// <summary>The purpose string ties unsubscribe tokens to this use; they cannot be replayed elsewhere.</summary>
    private const string UnsubscribePurpose = "Quire.Comments.ReplyNotices.Unsubscribe.v1";

    /// <summary>
    /// The mail a new comment causes, made once its id is known: the recipients are read now, before the comment's
    /// write, so that the mail can be queued in the same transaction as the comment (see <see cref="CommentStore.InsertAsync"/>).
    /// </summary>
    public async Task<CommentMail> NewCommentMailAsync(
        CommentablePost post, string writerId, string writerName, string markdown, string? holdReason, long? repliedTo, CancellationToken ct)
    {
        var drafts = await PostWatcherMailAsync(post, writerId, $"{writerName} commented on “{post.Title}”:", markdown, holdReason, ct);
        if (holdReason is null && repliedTo is { } parentId && await ReplyMailAsync(post, parentId, writerId, writerName, markdown, ct) is { } reply)
        {
            drafts = [.. drafts, commentId => new MailDraft(reply(commentId), [])];
        }
        return (write, commentId, ct) => QueueAsync(write, commentId, drafts, ct);
    }

    /// <summary>
    /// An edit left a comment in the queue (or put it back there): the same people hear of it as of a held comment,
    /// with new links, and the links mailed about the earlier text are spent in the same write: they must not
    /// approve words their recipient never read.
    /// </summary>
    public async Task HeldAfterEditAsync(
        CommentablePost post, long commentId, string writerId, string writerName, string markdown, string holdReason, CancellationToken ct)
    {
        var drafts = await PostWatcherMailAsync(post, writerId, $"{writerName} edited a comment on “{post.Title}”:", markdown, holdReason, ct);
        await using var write = await db.BeginWriteAsync(ct);
        await mailLinkStore.SpendAsync(write, [commentId], clock.GetUtcNow().UtcDateTime, ct);
        await QueueAsync(write, commentId, drafts, ct);
        await write.CommitAsync(ct);
    }

    private async Task QueueAsync(DatabaseWrite write, long commentId, IReadOnlyList<Func<long, MailDraft>> drafts, CancellationToken ct)
    {
        var made = drafts.Select(draft => draft(commentId)).ToList();
        await mailLinkStore.AddAsync(write, [.. made.SelectMany(draft => draft.Links)], clock.GetUtcNow().UtcDateTime, ct);
        await mail.AddAsync(write, made.Select(draft => draft.Mail), ct);
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
    private async Task<IReadOnlyList<Func<long, MailDraft>>> PostWatcherMailAsync(
        CommentablePost post, string writerId, string intro, string markdown, string? holdReason, CancellationToken ct)
    {
        var site = await settingsStore.GetAsync(ct);
        var timeZone = PostUrls.TimeZone(site.TimeZone);
        var baseUrl = address.Base;
        var postUrl = baseUrl + PostUrls.PostPath(post.PublishedAt, post.Slug, timeZone);
        var drafts = new List<Func<long, MailDraft>>();
        foreach (var watcher in await store.PostWatchersAsync(post.AuthorId, ct))
        {
            if (watcher.Id == writerId)
            {
                continue;
            }
            drafts.Add(commentId =>
            {
                var body = new StringBuilder()
                    .AppendLine(intro)
                    .AppendLine()
                    .AppendLine(markdown)
                    .AppendLine();
                IReadOnlyList<NewMailLink> links = [];
                if (holdReason is null)
                {
                    body.AppendLine(CultureInfo.InvariantCulture, $"Read it in place: {baseUrl}/comments/{commentId}");
                }
                else if (MayModerate(watcher, post))
                {
                    var issued = mailLinks.Issue(commentId, watcher.Id);
                    links = issued.Rows;
                    var expires = TimeZoneInfo.ConvertTimeFromUtc(issued.ExpiresAt, timeZone);
                    body.AppendLine(CultureInfo.InvariantCulture, $"It is waiting for approval ({holdReason}). You can decide from this email: each link opens a page that asks you to confirm.")
                        .AppendLine()
                        .AppendLine("Approve it (it appears under the post for everyone):")
                        .AppendLine(issued.ApproveUrl)
                        .AppendLine()
                        .AppendLine("Reject it (it is removed; readers never see it):")
                        .AppendLine(issued.RejectUrl)
                        .AppendLine()
                        .AppendLine(CultureInfo.InvariantCulture, $"Each link works once, for this comment only, until {expires:d MMM yyyy, HH:mm} ({timeZone.Id}).");
                    if (watcher.IsOwner)
                    {
                        body.AppendLine("Or decide in the moderation queue:")
                            .AppendLine(CultureInfo.InvariantCulture, $"{baseUrl}/admin/moderation");
                    }
                }
                else
                {
                    // The queue is the owner's alone, and a held comment is hidden from everyone but its writer and the
                    // owner, so a post's author who no longer writes here is told what happens next rather than sent
                    // to a page that refuses them.
                    body.AppendLine(CultureInfo.InvariantCulture, $"It is waiting for the blog owner's approval ({holdReason}). Once approved, it appears under your post:")
                        .AppendLine(CultureInfo.InvariantCulture, $"{postUrl}#comments");
                }
                body.AppendLine().AppendLine(CultureInfo.InvariantCulture, $"The post: {postUrl}");
                var subject = holdReason is null ? $"New comment on “{post.Title}”" : $"Comment awaiting moderation on “{post.Title}”";
                return new MailDraft(new OutgoingMail(watcher.Email, subject, body.ToString()), links);
            });
        }
        return drafts;
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

    /// <summary>Who gets approve and reject links: the owner, and the post's author while they still write here.</summary>
    private static bool MayModerate(Recipient watcher, CommentablePost post) =>
        watcher.IsOwner || (watcher.Id == post.AuthorId && MemberRoles.TryParse(watcher.Role, out var role) && role.IsAuthor());

    /// <summary>One message, with the moderation links it carries (saved in the same write as the message).</summary>
    private sealed record MailDraft(OutgoingMail Mail, IReadOnlyList<NewMailLink> Links);
}
