using Blog.Web.Features.Settings;

namespace Blog.Web.Features.Comments;

/// <summary>Decides whether a new comment is published at once or held for the owner, and says why.</summary>
public static class CommentModerator
{
    /// <summary>Null means approved; otherwise the reason shown in the moderation queue.</summary>
    public static string? HoldReason(
        CommentSettings settings, string markdown, int linkCount, DateTime postPublishedAt, DateTime now, int writersApprovedComments)
    {
        // Blocked words and links are checked for everyone: they are about the text, not about trust.
        var blocked = settings.BlockedWordList.FirstOrDefault(word => markdown.Contains(word, StringComparison.OrdinalIgnoreCase));
        if (blocked is not null)
        {
            return $"Contains the blocked word “{blocked}”";
        }
        if (settings.HoldLinksAtLeast > 0 && linkCount >= settings.HoldLinksAtLeast)
        {
            return $"Contains {linkCount} links";
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
