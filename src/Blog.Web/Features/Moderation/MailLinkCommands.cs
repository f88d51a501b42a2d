using Blog.Web.Features.IndieAuth;
using Blog.Web.Features.Posts;
using Blog.Web.Features.Settings;

namespace Blog.Web.Features.Moderation;

/// <summary>
/// What an approve or reject link from a held comment's mail may do. The link is its own authority, for its one
/// comment and no more: it signs nobody in. Opening it only shows the question; the decision goes through
/// <see cref="ModerationCommands"/>, the queue's own path, so the reader cache and reply notices follow as they do there.
/// </summary>
public sealed class MailLinkCommands(
    MailLinkStore store,
    ModerationCommands moderation,
    SiteSettingsStore settingsStore,
    TimeProvider clock)
{
    private const string QueuePath = "/admin/moderation";

    private const string QueueText = "Open the moderation queue";

    private DateTime Now => clock.GetUtcNow().UtcDateTime;

    /// <summary>The confirm page, or why the link no longer works. Changes nothing, not even the link.</summary>
    public async Task<MailLinkOutcome> ReadAsync(string decision, string? token, CancellationToken ct)
    {
        var (link, refusal) = await UsableAsync(decision, token, ct);
        if (refusal is not null)
        {
            return refusal;
        }
        var site = await settingsStore.GetAsync(ct);
        return new MailLinkOutcome(StatusCodes.Status200OK, new MailLinkPage
        {
            Decision = decision,
            Token = token!,
            PostTitle = link!.PostTitle,
            Writer = link.Writer,
            BodyHtml = link.BodyHtml,
            HeldReason = link.HeldReason,
            WrittenAt = link.CommentCreatedAt,
            ExpiresAt = link.ExpiresAt,
            TimeZone = PostUrls.TimeZone(site.TimeZone),
        }, null);
    }

    /// <summary>Uses the link: approves or removes its comment, once, and spends every other link to it.</summary>
    public async Task<MailLinkOutcome> DecideAsync(string decision, string? token, CancellationToken ct)
    {
        var (link, refusal) = await UsableAsync(decision, token, ct);
        if (link is null)
        {
            return refusal!;
        }
        // Between the read above and this write someone may have used another link or the queue: the claim settles it.
        if (!await store.ClaimAsync(link, Now, ct))
        {
            return await RefusalAsync(decision, token, ct);
        }
        if (decision == MailLinkDecision.Approve)
        {
            await moderation.ApproveAsync([link.CommentId], ct);
            return Done("Comment approved", $"The comment on “{link.PostTitle}” now appears under the post for everyone.",
                "See it under the post", $"/comments/{link.CommentId}");
        }
        await moderation.RemoveAsync([link.CommentId], ct);
        return Done("Comment rejected", $"The comment on “{link.PostTitle}” was removed. Readers never saw it; its writer sees it was removed by the blog.",
            QueueText, QueuePath);
    }

    /// <summary>The link when it may act now; otherwise the page that says why not.</summary>
    private async Task<(MailLinkRow? Link, MailLinkOutcome? Refusal)> UsableAsync(string decision, string? token, CancellationToken ct)
    {
        // A token minted for one decision is not a token for the other: on the wrong path it is unknown.
        var link = MailLinkDecision.IsKnown(decision) && MailLinks.IsWellFormed(token)
            ? await store.FindAsync(AccessTokenStore.Hash(token!), ct)
            : null;
        if (link is null || link.Action != decision)
        {
            return (null, Refused(StatusCodes.Status404NotFound, "This moderation link doesn't work",
                "It is not a link this blog sent, or it was cut short when it was copied. Open it again from the email, whole, or decide in the queue."));
        }
        if (link.CommentRemovedAt is not null)
        {
            return (null, Gone("This comment was already removed", "Nothing is left to decide: it was removed before this link was used."));
        }
        if (link.CommentStatus != Comments.CommentStatus.Held)
        {
            return (null, Gone("This comment was already approved", "Nothing is left to decide: it already appears under the post. If it should not, remove it from the post's page."));
        }
        if (link.CommentChangedSince)
        {
            return (null, Gone("This comment changed after the email was sent",
                "Its writer edited it, so this link would decide on words you have not read. A newer email has links for the text as it is now."));
        }
        if (link.UsedAt is not null)
        {
            return (null, Gone("This link was already used", "Each link in the email works once."));
        }
        if (link.ExpiresAt <= Now)
        {
            return (null, Gone("This link has expired", "The links in the email work for a limited time. The comment is still waiting in the queue."));
        }
        if (!link.RecipientMayModerate)
        {
            return (null, Refused(StatusCodes.Status403Forbidden, "This link no longer works for you",
                "It was sent to someone who may no longer moderate comments on this post."));
        }
        return (link, null);
    }

    private async Task<MailLinkOutcome> RefusalAsync(string decision, string? token, CancellationToken ct) =>
        (await UsableAsync(decision, token, ct)).Refusal
            ?? Gone("This link was already used", "Each link in the email works once.");

    private static MailLinkOutcome Gone(string heading, string text) => Refused(StatusCodes.Status410Gone, heading, text);

    private static MailLinkOutcome Refused(int status, string heading, string text) =>
        new(status, null, new MessagePage(heading, text, QueueText, QueuePath));

    private static MailLinkOutcome Done(string heading, string text, string linkText, string linkUrl) =>
        new(StatusCodes.Status200OK, null, new MessagePage(heading, text, linkText, linkUrl));
}
