using System.Security.Claims;
using Blog.Web.Content;
using Blog.Web.Features.Settings;
using Blog.Web.Hosting;
using Blog.Web.Identity;
using Microsoft.Extensions.Options;

namespace Blog.Web.Features.Comments;

/// <summary>
/// Every change a member makes to comments, with its rules and what must follow it. The controller has already
/// checked membership (the Member policy); these methods check what depends on the comment and the post:
/// ownership, the edit window, open/closed, limits. A change readers can see evicts the post's cached pages
/// right after it is saved, and the mail it causes is queued with it.
/// </summary>
public sealed class CommentCommands(
    CommentStore store,
    CommentRenderer renderer,
    SiteSettingsStore settingsStore,
    CommentNotifier notifier,
    ReaderCache readerCache,
    IOptions<CommentOptions> options,
    TimeProvider clock)
{
    private DateTime Now => clock.GetUtcNow().UtcDateTime;

    public async Task<CommentOutcome> CreateAsync(CommentForm form, ClaimsPrincipal user, CancellationToken ct)
    {
        var limits = options.Value;
        var now = Now;
        var post = await store.FindVisiblePostAsync(form.PostId, now, ct);
        if (post is null)
        {
            return CommentOutcome.NotFound;
        }
        var settings = (await settingsStore.GetAsync(ct)).Comments;
        if (!CommentModerator.IsOpen(post, settings, now))
        {
            return CommentOutcome.Closed(post);
        }
        CommentRow? parent = null;
        if (form.ParentId is { } parentId)
        {
            parent = await store.FindAsync(parentId, ct);
            // A reply must stay in its post's thread; a held parent is only answerable by whoever can see it.
            if (parent is null || parent.PostId != post.Id || (parent.IsHeld && !CanSeeHeld(user, parent)))
            {
                return CommentOutcome.NotFound;
            }
        }
        var body = WithoutNulls(form.Body);
        if (ValidateBody(body, limits) is { } error)
        {
            return CommentOutcome.Invalid(post, error) with { ReplyTo = parent };
        }
        var authorId = user.Id()!;
        // A database count rather than the ASP.NET Core rate limiter: the limiter answers with a bare 429 and the
        // typed comment is lost, while this lets the form come back with the text and a clear message.
        if (await store.CountRecentByAuthorAsync(authorId, now.AddMinutes(-1), limits.PerMinute, ct) >= limits.PerMinute)
        {
            return CommentOutcome.Invalid(post,
                $"You can post up to {limits.PerMinute} comments a minute. Wait a moment, then send this one again.") with { ReplyTo = parent };
        }

        var markdown = body!.Trim();
        var (rendered, renderError) = await RenderAsync(markdown, ct);
        if (rendered is null)
        {
            return CommentOutcome.Invalid(post, renderError!) with { ReplyTo = parent };
        }
        var holdReason = await HoldReasonAsync(post, settings, markdown, rendered, user, now, ct);
        var depth = parent is null ? 0 : Math.Min(parent.Depth + 1, limits.MaxDepth);
        // Past the deepest level a reply becomes a sibling of the comment it answers.
        var attachTo = parent is null ? null : depth > parent.Depth ? parent : await ParentAtDepthAsync(parent, ct);
        var comment = new NewComment
        {
            PostId = post.Id,
            ParentId = attachTo?.Id,
            RootId = attachTo?.ThreadRootId,
            Depth = depth,
            AuthorId = authorId,
            BodyMarkdown = markdown,
            BodyHtml = rendered.Html,
            Status = holdReason is null ? CommentStatus.Approved : CommentStatus.Held,
            HeldReason = holdReason,
            CreatedAt = now,
        };
        var notifications = await notifier.NewCommentMailAsync(post, authorId, user.DisplayName(), markdown, holdReason, parent?.Id, ct);
        var id = await store.InsertAsync(comment, form.EmailReplies, notifications, ct);
        return (await ChangedAsync(post, id)) with { ThreadRootId = attachTo?.ThreadRootId ?? id };
    }

    public async Task<CommentOutcome> EditAsync(long id, string? text, ClaimsPrincipal user, CancellationToken ct)
    {
        var body = WithoutNulls(text);
        var (comment, post, refusal) = await OwnEditableAsync(id, user, ct);
        if (refusal is not null)
        {
            return refusal;
        }
        if (ValidateBody(body, options.Value) is { } error)
        {
            return CommentOutcome.Invalid(post!, error);
        }
        var markdown = body!.Trim();
        var (rendered, renderError) = await RenderAsync(markdown, ct);
        if (rendered is null)
        {
            return CommentOutcome.Invalid(post!, renderError!);
        }
        var now = Now;
        var settings = (await settingsStore.GetAsync(ct)).Comments;
        // Edited text meets the same rules as new text, or a writer could post something harmless, have it
        // approved, then edit the links or blocked words in.
        var holdReason = await HoldReasonAsync(post!, settings, markdown, rendered, user, now, ct);
        await store.UpdateBodyAsync(comment!.Id, markdown, rendered.Html, holdReason, now, ct);
        // Held after the edit, newly or still: the mail about the old text carried links that would decide on words
        // nobody read, so a new mail with new links replaces it.
        if ((holdReason ?? (comment.IsHeld ? comment.HeldReason : null)) is { } stillHeldFor)
        {
            await notifier.HeldAfterEditAsync(post!, comment.Id, user.Id()!, user.DisplayName(), markdown, stillHeldFor, ct);
        }
        return await ChangedAsync(post!, comment.Id);
    }

    /// <summary>
    /// The comment's HTML, or the message that sends the form back with the text kept: Markdown nested past the
    /// limit (or too slow to format), or nothing left to read once unsafe markup is gone.
    /// </summary>
    private async Task<(RenderedComment? Rendered, string? Error)> RenderAsync(string markdown, CancellationToken ct)
    {
        var result = await renderer.RenderAsync(markdown, ct);
        return result.Body switch
        {
            null => (null, result.Error),
            { HasText: false } => (null, NoTextLeft),
            { } rendered => (rendered, null),
        };
    }

    /// <summary>
    /// Why this text would be held, or null. The owner and the post's author moderate the post themselves, so their
    /// comments on it are never held.
    /// </summary>
    private async Task<string?> HoldReasonAsync(
        CommentablePost post, CommentSettings settings, string markdown, RenderedComment rendered, ClaimsPrincipal user, DateTime now,
        CancellationToken ct)
    {
        var writerId = user.Id()!;
        if (user.IsOwner() || post.AuthorId == writerId)
        {
            return null;
        }
        return CommentModerator.HoldReason(settings, markdown, rendered, post.PublishedAt, now,
            await store.CountApprovedByAuthorAsync(writerId, TrustCountNeeded(settings), ct));
    }

    private const string OwnCommentReport =
        "You can't report your own comment. You can edit it for a short while after posting, or delete it.";

    private const string NoTextLeft =
        "Your comment has no text left once unsafe markup is removed (HTML tags such as scripts and images are not allowed). Write it as plain text and send it again.";

    /// <summary>The comment, its post and null when the user may edit it now; otherwise the refusal.</summary>
    public async Task<(CommentRow? Comment, CommentablePost? Post, CommentOutcome? Refusal)> OwnEditableAsync(
        long id, ClaimsPrincipal user, CancellationToken ct)
    {
        if (await store.FindWithVisiblePostAsync(id, Now, ct) is not (var comment, var post))
        {
            return (null, null, CommentOutcome.NotFound);
        }
        if (comment.AuthorId != user.Id() || comment.IsRemoved)
        {
            return (comment, post, CommentOutcome.Forbidden(post, "Only the writer of a comment can edit it."));
        }
        if (Now > comment.CreatedAt.AddMinutes(options.Value.EditWindowMinutes))
        {
            return (comment, post, CommentOutcome.Forbidden(post,
                $"A comment can be edited for {options.Value.EditWindowMinutes} minutes after it is posted; this one can no longer be changed."));
        }
        return (comment, post, null);
    }

    public async Task<CommentOutcome> DeleteOwnAsync(long id, ClaimsPrincipal user, CancellationToken ct)
    {
        if (await store.FindWithVisiblePostAsync(id, Now, ct) is not (var comment, var post))
        {
            return CommentOutcome.NotFound;
        }
        if (comment.AuthorId != user.Id() || comment.IsRemoved)
        {
            return CommentOutcome.Forbidden(post, "Only the writer of a comment can delete it.");
        }
        await store.RemoveAsync([comment.Id], RemovedBy.Author, Now, ct);
        return await ChangedAsync(post, comment.Id);
    }

    /// <summary>The owner, or the author of the post, removes a comment on it.</summary>
    public async Task<CommentOutcome> RemoveAsync(long id, ClaimsPrincipal user, CancellationToken ct)
    {
        if (await store.FindWithVisiblePostAsync(id, Now, ct) is not (var comment, var post))
        {
            return CommentOutcome.NotFound;
        }
        if (!CanModerate(user, post))
        {
            return CommentOutcome.Forbidden(post, "Only the blog's owner or the post's author can remove comments on it.");
        }
        await store.RemoveAsync([comment.Id], RemovedBy.Admin, Now, ct);
        return await ChangedAsync(post, comment.Id);
    }

    /// <summary>The comment, its post and null when the user may report it; otherwise the refusal.</summary>
    public async Task<(CommentRow? Comment, CommentablePost? Post, CommentOutcome? Refusal)> ReportableAsync(
        long id, ClaimsPrincipal user, CancellationToken ct)
    {
        if (await store.FindWithVisiblePostAsync(id, Now, ct) is not (var comment, var post)
            || comment.IsRemoved || (comment.IsHeld && !CanSeeHeld(user, comment)))
        {
            return (null, null, CommentOutcome.NotFound);
        }
        if (IsOwnComment(user, comment))
        {
            return (comment, post, CommentOutcome.Refused(post, OwnCommentReport));
        }
        return (comment, post, null);
    }

    /// <summary>
    /// Puts a comment in the owner's queue with the member's reason. Readers' pages stay as they are: a report
    /// changes nothing they see.
    /// </summary>
    public async Task<CommentOutcome> ReportAsync(long id, string? reason, ClaimsPrincipal user, CancellationToken ct)
    {
        var (comment, post, refusal) = await ReportableAsync(id, user, ct);
        if (refusal is not null)
        {
            return refusal;
        }
        var trimmed = WithoutNulls(reason)?.Trim() ?? "";
        if (trimmed.Length == 0)
        {
            return CommentOutcome.Invalid(post!, "Say briefly what is wrong with this comment.") with { Comment = comment };
        }
        if (trimmed.Length > 1000)
        {
            return CommentOutcome.Invalid(post!, "Keep the reason under 1,000 characters.") with { Comment = comment };
        }
        var stored = await store.AddReportAsync(comment!.Id, user.Id()!, trimmed, Now, ct);
        return stored
            ? CommentOutcome.Done(post!, comment.Id)
            : CommentOutcome.Invalid(post!, "You have already reported this comment; the owner will look at it.") with { Comment = comment };
    }

    /// <summary>
    /// Turns off reply mail for the member an unsubscribe link was made for; false when the link's token is not one
    /// this blog made (altered, or cut short when copied).
    /// </summary>
    public async Task<bool> StopReplyNoticesAsync(string? token, CancellationToken ct)
    {
        if (notifier.ReadUnsubscribeToken(token) is not { } memberId)
        {
            return false;
        }
        await store.SetReplyNoticesAsync(memberId, wanted: false, Now, ct);
        return true;
    }

    /// <summary>A saved change readers can see: the cached pages that show the post's comments go, then the outcome.</summary>
    private async Task<CommentOutcome> ChangedAsync(CommentablePost post, long commentId)
    {
        await readerCache.CommentsChangedAsync([post.Id]);
        return CommentOutcome.Done(post, commentId);
    }

    /// <summary>
    /// How many of the writer's approved comments the moderation rule can need to see: none when nothing would
    /// be held anyway or the trusted-writer rule is off, otherwise the threshold itself.
    /// </summary>
    private static int TrustCountNeeded(CommentSettings settings) =>
        settings.Moderation == CommentModeration.Never ? 0 : Math.Max(0, settings.TrustedAfterApproved);

    public static bool CanModerate(ClaimsPrincipal user, CommentablePost post) =>
        user.IsOwner() || (user.IsAuthor() && post.AuthorId is not null && post.AuthorId == user.Id());

    /// <summary>A held comment is seen by its writer and the owner only (the owner runs the queue).</summary>
    public static bool CanSeeHeld(ClaimsPrincipal user, CommentRow comment) => user.IsOwner() || IsOwnComment(user, comment);

    /// <summary>Whether <paramref name="user"/> wrote the comment (a deleted writer's comment is nobody's).</summary>
    public static bool IsOwnComment(ClaimsPrincipal user, CommentRow comment) =>
        comment.AuthorId is not null && comment.AuthorId == user.Id();

    private async Task<CommentRow?> ParentAtDepthAsync(CommentRow parent, CancellationToken ct) =>
        parent.ParentId is { } grandParent ? await store.FindAsync(grandParent, ct) : null;

    // NUL characters have no business in text (browsers drop them too) and upset mail and storage further on.
    private static string? WithoutNulls(string? text) => text?.Replace("\0", "", StringComparison.Ordinal);

    private static string? ValidateBody(string? body, CommentOptions limits)
    {
        if (string.IsNullOrWhiteSpace(body))
        {
            return "Write something before sending: the comment is empty.";
        }
        var length = body.Trim().Length;
        return length > limits.MaxLength
            ? $"A comment can be at most {limits.MaxLength:N0} characters; this one has {length:N0}. Shorten it and send it again."
            : null;
    }
}

/// <summary>The result of a comment command: done, or why not (the controller turns it into a status and a page).</summary>
public sealed record CommentOutcome
{
    public required CommentOutcomeKind Kind { get; init; }

    public CommentablePost? Post { get; init; }

    public long CommentId { get; init; }

    /// <summary>The top-level comment of the thread, when the command knows it (a new comment): where it lands.</summary>
    public long? ThreadRootId { get; init; }

    public string? Message { get; init; }

    /// <summary>The comment a refused report is about, to show it again beside the form.</summary>
    public CommentRow? Comment { get; init; }

    /// <summary>The comment a refused reply answers, to name it again above the form.</summary>
    public CommentRow? ReplyTo { get; init; }

    public static CommentOutcome NotFound { get; } = new() { Kind = CommentOutcomeKind.NotFound };

    public static CommentOutcome Done(CommentablePost post, long id) => new() { Kind = CommentOutcomeKind.Done, Post = post, CommentId = id };

    public static CommentOutcome Invalid(CommentablePost post, string message) => new() { Kind = CommentOutcomeKind.Invalid, Post = post, Message = message };

    /// <summary>A request that cannot succeed however it is filled in (a 400 with a message, not the form again).</summary>
    public static CommentOutcome Refused(CommentablePost post, string message) => new() { Kind = CommentOutcomeKind.Refused, Post = post, Message = message };

    public static CommentOutcome Forbidden(CommentablePost post, string message) => new() { Kind = CommentOutcomeKind.Forbidden, Post = post, Message = message };

    public static CommentOutcome Closed(CommentablePost post) => new()
    {
        Kind = CommentOutcomeKind.Forbidden,
        Post = post,
        Message = "Comments are closed on this post, so your comment was not posted.",
    };
}

public enum CommentOutcomeKind
{
    Done,
    Invalid,
    Refused,
    Forbidden,
    NotFound,
}
