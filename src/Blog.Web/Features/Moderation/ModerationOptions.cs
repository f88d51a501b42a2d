using System.ComponentModel.DataAnnotations;

namespace Blog.Web.Features.Moderation;

/// <summary>The <c>Blog:Moderation</c> section: the approve and reject links in the mail about a held comment.</summary>
public sealed class ModerationOptions
{
    public const string SectionName = "Blog:Moderation";

    /// <summary>How long the links in a held comment's mail keep working.</summary>
    [Range(1, 90)]
    public int MailLinkDays { get; set; } = 7;

    /// <summary>Decisions one client may send through mail links per minute (a guesser is stopped long before a hit).</summary>
    [Range(1, 10_000)]
    public int MailLinkDecisionsPerMinute { get; set; } = 10;
}
