namespace Blog.Web.Features.Settings;

/// <summary>The blog-wide settings as they stand now: stored values over appsettings.json defaults.</summary>
public sealed record SiteSettings
{
    public required string Title { get; init; }

    public required string Description { get; init; }

    public required int PostsPerPage { get; init; }

    public required string TimeZone { get; init; }

    public required string DateFormat { get; init; }
}
