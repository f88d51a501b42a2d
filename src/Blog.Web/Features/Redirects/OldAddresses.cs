using System.Globalization;
using System.Text.RegularExpressions;
using Blog.Web.Features.Archive;
using Blog.Web.Features.Import;
using Blog.Web.Features.Posts;
using Blog.Web.Features.Settings;

namespace Blog.Web.Features.Redirects;

/// <summary>
/// Where a reader following a link to the old blog (Blogger or WordPress, imported here) should go now. Asked only
/// when an address found nothing (a reader page's 404) or carries a key only old links have, so the pages that exist
/// pay nothing for it. Every answer is a path on this blog, never another host: no open redirect.
/// </summary>
public sealed partial class OldAddresses(OldAddressStore store, SiteSettingsStore settings, TimeProvider clock)
{
    private const string PostsFeed = "/feeds/posts/default";
    private const string RssQuery = "?alt=rss";

    /// <summary>The local address for an old one that found nothing here, or null when there is none.</summary>
    public async Task<string?> FindAsync(string path, string? query, CancellationToken ct)
    {
        if (!IsSafeLocalPath(path))
        {
            return null;
        }
        var address = LegacyAddress.ForRequest(path, query);
        if (address is not null && await FromTableAsync(address, ct) is { } stored)
        {
            return stored;
        }
        // A WordPress id asked for at another path of the old site (/index.php?p=12) names the same post as /?p=12.
        if (address is not null && address.Contains('?', StringComparison.Ordinal) && !address.StartsWith("/?", StringComparison.Ordinal)
            && await FromTableAsync("/" + address[address.IndexOf('?', StringComparison.Ordinal)..], ct) is { } byId)
        {
            return byId;
        }
        return FromPattern(path, query);
    }

    /// <summary>The post a WordPress <c>/?p=N</c> or <c>/?page_id=N</c> home-page address names, or null.</summary>
    public Task<string?> FindPostNumberAsync(string query, CancellationToken ct) =>
        LegacyAddress.ForRequest("/", query) is { } address ? FromTableAsync(address, ct) : Task.FromResult<string?>(null);

    /// <summary>
    /// A path a Location header may name as a path on this blog: "//host" or "/\host" would be read by browsers as
    /// another host, and control characters have no place in one.
    /// </summary>
    public static bool IsSafeLocalPath(string? path) =>
        path is { Length: > 0 } && path[0] == '/'
        && !(path.Length > 1 && path[1] is '/' or '\\')
        && !path.Any(char.IsControl);

    private async Task<string?> FromTableAsync(string address, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var found = await store.FindAsync(address, now, ct);
        if (found is null)
        {
            return null;
        }
        if (found.Target is { } target)
        {
            return IsSafeLocalPath(target) ? target : null;
        }
        if (found.PostKind == PostKind.Page)
        {
            return PostUrls.PagePath(found.PostSlug!);
        }
        var site = await settings.GetAsync(ct);
        return PostUrls.PostPath(found.PostPublishedAt, found.PostSlug!, PostUrls.TimeZone(site.TimeZone));
    }

    /// <summary>The old blogs' addresses that need no table: their archives and feeds have ours.</summary>
    internal static string? FromPattern(string path, string? query)
    {
        var lower = path.ToLowerInvariant().TrimEnd('/');
        if (BloggerArchive().Match(lower) is { Success: true } archive)
        {
            return MonthPath(archive.Groups["y"].Value, archive.Groups["m"].Value, archive.Groups["d"].Value);
        }
        if (DayArchive().Match(lower) is { Success: true } day)
        {
            return MonthPath(day.Groups["y"].Value, day.Groups["m"].Value, day.Groups["d"].Value);
        }
        if (BloggerSummaryFeed().Match(path.TrimEnd('/')) is { Success: true } summary)
        {
            var feed = summary.Groups["kind"].Value.Equals("comments", StringComparison.OrdinalIgnoreCase)
                ? "/feeds/comments/default"
                : PostsFeed + (summary.Groups["label"].Success ? "/-/" + Uri.EscapeDataString(summary.Groups["label"].Value) : "");
            return feed + (WantsRss(query) && !feed.StartsWith("/feeds/comments", StringComparison.Ordinal) ? RssQuery : "");
        }
        return lower switch
        {
            "/atom.xml" or "/feed/atom" => PostsFeed,
            "/rss.xml" or "/feed" or "/feed/rss" or "/feed/rss2" or "/rss" => PostsFeed + RssQuery,
            "/comments/feed" or "/comments/feed/atom" or "/comments/feed/rss2" => "/feeds/comments/default",
            _ => null,
        };
    }

    private static bool WantsRss(string? query) =>
        query is not null && query.TrimStart('?').Split('&').Any(pair => pair.Equals("alt=rss", StringComparison.OrdinalIgnoreCase));

    private static string? MonthPath(string year, string month, string day)
    {
        var y = int.Parse(year, CultureInfo.InvariantCulture);
        var m = int.Parse(month, CultureInfo.InvariantCulture);
        var d = int.Parse(day, CultureInfo.InvariantCulture);
        // Only a real day of a real month: anything else stays a 404.
        return y >= 1 && m is >= 1 and <= 12 && d >= 1 && d <= DateTime.DaysInMonth(y, m) ? ArchivePaths.Month(y, m) : null;
    }

    /// <summary>Blogger's archive pages: /2015_03_01_archive.html (a month, or a week starting that day).</summary>
    [GeneratedRegex(@"^/(?<y>\d{4})_(?<m>\d{2})_(?<d>\d{2})_archive\.html$", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 100)]
    private static partial Regex BloggerArchive();

    /// <summary>WordPress's day archive: /2015/03/14/.</summary>
    [GeneratedRegex(@"^/(?<y>\d{4})/(?<m>\d{2})/(?<d>\d{2})$", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 100)]
    private static partial Regex DayArchive();

    /// <summary>Blogger's summary feeds (/feeds/posts/summary, …/-/label, /feeds/comments/summary): ours carry full posts.</summary>
    [GeneratedRegex(@"^/feeds/(?<kind>posts|comments)/summary(/-/(?<label>[^/]+))?$", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase, matchTimeoutMilliseconds: 100)]
    private static partial Regex BloggerSummaryFeed();
}
