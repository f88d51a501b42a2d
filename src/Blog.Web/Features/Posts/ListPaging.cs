using System.Globalization;
using Blog.Web.Features.Settings;

namespace Blog.Web.Features.Posts;

/// <summary>
/// How readers page through a newest-first list of posts (home, label, archive), the way Blogger does: the first
/// page has the list's own address, and "Older posts" asks for the posts published before the last one shown
/// (<c>?updated-max=…&amp;max-results=…</c>). Every page is then found by a seek in an index, the last one as fast
/// as the first, and an address past the end costs one seek that finds nothing. Links from a Blogger blog, which
/// carry the same keys, keep working.
/// </summary>
public static class ListPaging
{
    public const string UpdatedMaxKey = "updated-max";
    public const string MaxResultsKey = "max-results";

    /// <summary>Quire's earlier page numbers (<c>?page=N</c>): answered with a redirect to the list, or 404 past its end.</summary>
    public const string PageKey = "page";

    /// <summary>The most posts one page shows, whatever max-results asks for (the settings allow up to 100 a page).</summary>
    public const int MaxPageSize = 100;

    /// <summary>The largest page number taken seriously: far beyond any real blog, small enough never to overflow.</summary>
    public const int MaxPage = 100_000;

    /// <summary>
    /// Reads a list address's keys; false (a 400) when one is not in a shape that makes sense. Each page passes only
    /// the keys it declares in its <see cref="Hosting.ReaderPageAttribute"/>: its cached entry varies by those alone.
    /// </summary>
    public static bool TryRead(string? updatedMax, string? maxResults, string? page, int defaultSize, out ListRequest request)
    {
        request = new ListRequest { Size = defaultSize };
        if (!string.IsNullOrEmpty(page))
        {
            if (!int.TryParse(page, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number is < 1 or > MaxPage)
            {
                return false;
            }
            request = request with { LegacyPage = number };
        }
        if (!string.IsNullOrEmpty(maxResults))
        {
            if (!int.TryParse(maxResults, NumberStyles.None, CultureInfo.InvariantCulture, out var size))
            {
                return false;
            }
            request = request with { Size = Math.Clamp(size, 1, MaxPageSize) };
        }
        if (!string.IsNullOrEmpty(updatedMax))
        {
            if (!TryParseTime(updatedMax, out var before))
            {
                return false;
            }
            request = request with { Before = before };
        }
        return true;
    }

    /// <summary>
    /// Blogger writes these times with the blog's offset (2024-05-10T12:00:00-07:00, or +01:00 that a link may not
    /// have escaped, which then arrives as a space); Quire writes UTC with all its digits.
    /// </summary>
    private static bool TryParseTime(string text, out DateTime utc)
    {
        var parsed = DateTimeOffset.TryParse(text.Trim().Replace(' ', '+'), CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal, out var moment);
        utc = parsed ? moment.UtcDateTime : default;
        return parsed;
    }

    /// <summary>The address of the page of <paramref name="size"/> posts published before <paramref name="before"/>.</summary>
    public static string OlderThan(string path, DateTime before, int size) => string.Create(CultureInfo.InvariantCulture,
        $"{path}{(path.Contains('?', StringComparison.Ordinal) ? '&' : '?')}{UpdatedMaxKey}={before:yyyy-MM-ddTHH:mm:ss.FFFFFFF}Z&{MaxResultsKey}={size}");

    /// <summary>
    /// A page of posts from a query that fetched one more than the page shows (so it knows an older page exists),
    /// and, for a page after the first, the publication times of up to one more than a page of newer posts, oldest
    /// first (so it knows where the newer page starts, or that the newer page is the first).
    /// </summary>
    public static PostListPage Page(
        string heading, ListAddress address, ListRequest request, IReadOnlyList<PostSummary> fetched, IReadOnlyList<DateTime> newer, SiteSettings site) => new()
    {
        Heading = heading,
        Posts = [.. fetched.Take(request.Size).Select(p => PostListing.ToItem(p, site))],
        NewerUrl = request.Before is null || newer.Count == 0 ? null
            : newer.Count <= request.Size ? address.FirstPage
            : OlderThan(address.OlderPages, newer[request.Size], request.Size),
        OlderUrl = fetched.Count > request.Size ? OlderThan(address.OlderPages, fetched[request.Size - 1].PublishedAt, request.Size) : null,
    };

    /// <summary>The page's own address, for its canonical link.</summary>
    public static string Canonical(ListAddress address, ListRequest request) =>
        request.Before is { } before ? OlderThan(address.OlderPages, before, request.Size) : address.FirstPage;
}

/// <summary>What a list's address asks for.</summary>
public sealed record ListRequest
{
    /// <summary>Posts published strictly before this moment (UTC); null for the list's first page.</summary>
    public DateTime? Before { get; init; }

    public required int Size { get; init; }

    /// <summary>The page number of an address from Quire's earlier paging, if it is one.</summary>
    public int? LegacyPage { get; init; }
}

/// <summary>
/// Where a list lives: its first page, and the address its older pages add their keys to (the same, except for the
/// home page, whose older pages are Blogger's <c>/search?updated-max=…</c>).
/// </summary>
public sealed record ListAddress(string FirstPage, string OlderPages)
{
    public static ListAddress Of(string path) => new(path, path);
}
