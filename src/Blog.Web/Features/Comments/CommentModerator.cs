using Blog.Web.Content;
using Blog.Web.Features.Settings;

namespace Blog.Web.Features.Comments;

/// <summary>Decides whether a new comment is published at once or held for the owner, and says why.</summary>
public static class CommentModerator
{
    /// <summary>Null means approved; otherwise the reason shown in the moderation queue.</summary>
    public static string? HoldReason(
        CommentSettings settings, string markdown, RenderedComment rendered, DateTime postPublishedAt, DateTime now, int writersApprovedComments)
    {
        // Blocked words and links are checked for everyone: they are about the text, not about trust.
        if (BlockedWords.FindIn(settings.BlockedWordList, markdown, rendered) is { } blocked)
        {
            return $"Contains the blocked word “{blocked}”";
        }
        if (settings.HoldLinksAtLeast > 0 && rendered.LinkCount >= settings.HoldLinksAtLeast)
        {
            return $"Contains {rendered.LinkCount} links";
        }
        var trusted = settings.TrustedAfterApproved > 0 && writersApprovedComments >= settings.TrustedAfterApproved;
        return settings.Moderation switch
        {
            _ when trusted => null,
            CommentModeration.Always => "All comments are moderated",
            CommentModeration.OlderThanDays when postPublishedAt < now.AddDays(-settings.ModerateAfterDays)
                => $"The post is older than {settings.ModerateAfterDays} days",
            _ => null,
        };
    }

    /// <summary>Whether a visible post still takes new comments.</summary>
    public static bool IsOpen(CommentablePost post, CommentSettings settings, DateTime now) =>
        post.AllowComments && (settings.CloseAfterDays <= 0 || post.PublishedAt >= now.AddDays(-settings.CloseAfterDays));
}
