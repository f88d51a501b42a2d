namespace Blog.Web.Features.Settings;

/// <summary>The blog-wide settings as they stand now: stored values over appsettings.json defaults.</summary>
public sealed record SiteSettings
{
    public required string Title { get; init; }

    public required string Description { get; init; }

    public required int PostsPerPage { get; init; }

    public required string TimeZone { get; init; }

    public required string DateFormat { get; init; }

    public required MembershipMode MembershipMode { get; init; }

    /// <summary>Moderation and closing rules for comments.</summary>
    public CommentSettings Comments { get; init; } = new();
}

/// <summary>How a registered person becomes a member (someone who may comment).</summary>
public enum MembershipMode
{
    /// <summary>Only by following an invitation link from the owner.</summary>
    InviteOnly = 0,

    /// <summary>By asking; the owner approves or declines.</summary>
    Request = 1,

    /// <summary>Everyone with a confirmed email is a member.</summary>
    Open = 2,
}
