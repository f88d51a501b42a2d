using System.ComponentModel.DataAnnotations;
using Blog.Web.Features.Settings;

namespace Blog.Web.Features.Moderation;

public sealed record ModerationPage
{
    public required IReadOnlyList<QueueItem> Items { get; init; }

    public required int Pending { get; init; }

    public required int Page { get; init; }

    public required int PageCount { get; init; }

    public required ModerationSettingsForm Settings { get; init; }

    public required TimeZoneInfo TimeZone { get; init; }

    public string? Message { get; init; }
}

/// <summary>The comment rules form on the moderation page.</summary>
public sealed record ModerationSettingsForm
{
    public CommentModeration Moderation { get; set; }

    [Range(0, 3650, ErrorMessage = "Enter a number of days from 0 to 3650.")]
    [Display(Name = "Moderate posts older than (days)")]
    public int ModerateAfterDays { get; set; }

    [Range(0, 100_000, ErrorMessage = "Enter 0 or a positive number.")]
    [Display(Name = "Skip moderation after this many approved comments (0 = never)")]
    public int TrustedAfterApproved { get; set; }

    [Range(0, 1000, ErrorMessage = "Enter 0 or a positive number.")]
    [Display(Name = "Hold comments with this many links or more (0 = never)")]
    public int HoldLinksAtLeast { get; set; }

    [StringLength(10_000, ErrorMessage = "Keep the list under 10,000 characters.")]
    [Display(Name = "Blocked words (one a line)")]
    public string? BlockedWords { get; set; }

    [Range(0, 36500, ErrorMessage = "Enter 0 or a number of days.")]
    [Display(Name = "Close comments on posts older than (days, 0 = never)")]
    public int CloseAfterDays { get; set; }

    public static ModerationSettingsForm From(CommentSettings settings) => new()
    {
        Moderation = settings.Moderation,
        ModerateAfterDays = settings.ModerateAfterDays,
        TrustedAfterApproved = settings.TrustedAfterApproved,
        HoldLinksAtLeast = settings.HoldLinksAtLeast,
        BlockedWords = settings.BlockedWords,
        CloseAfterDays = settings.CloseAfterDays,
    };

    public CommentSettings ToSettings() => new()
    {
        Moderation = Moderation,
        ModerateAfterDays = ModerateAfterDays,
        TrustedAfterApproved = TrustedAfterApproved,
        HoldLinksAtLeast = HoldLinksAtLeast,
        BlockedWords = string.Join('\n', (BlockedWords ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)),
        CloseAfterDays = CloseAfterDays,
    };
}
