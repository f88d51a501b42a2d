using System.Globalization;

namespace Blog.Web.Features.Posts;

/// <summary>
/// The addresses of posts and pages, in one place so every link, feed and redirect agrees. A post lives at
/// /{yyyy}/{MM}/{slug}, the year and month of its publication in the blog's time zone (as on Blogger).
/// </summary>
public static class PostUrls
{
    public static string PostPath(DateTime publishedAtUtc, string slug, TimeZoneInfo blogTimeZone)
    {
        var local = TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(publishedAtUtc, DateTimeKind.Utc), blogTimeZone);
        return string.Create(CultureInfo.InvariantCulture, $"/{local:yyyy}/{local:MM}/{Uri.EscapeDataString(slug)}");
    }

    public static string PagePath(string slug) => "/p/" + Uri.EscapeDataString(slug);

    public static string LabelPath(string label) => "/search/label/" + Uri.EscapeDataString(label);

    /// <summary>The blog's time zone from its settings; an unknown id falls back to UTC rather than failing a page.</summary>
    public static TimeZoneInfo TimeZone(string timeZoneId) =>
        TimeZoneInfo.TryFindSystemTimeZoneById(timeZoneId, out var zone) ? zone : TimeZoneInfo.Utc;
}
