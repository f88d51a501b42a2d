using System.Globalization;
using Blog.Web.Features.Posts;
using Blog.Web.Features.Seo;
using Blog.Web.Features.Settings;
using Blog.Web.Hosting;
using Microsoft.AspNetCore.Mvc;

namespace Blog.Web.Features.Search;

/// <summary>
/// Full-text search, newest matches first, a page at a time; and, when there are no words to look for but an
/// <c>updated-max</c>, Blogger's address for the home page's older posts (<see cref="HomeList"/>).
/// </summary>
[ReaderPage(QueryKey, BeforeKey, ListPaging.MaxResultsKey, ListPaging.UpdatedMaxKey, ListPaging.PageKey)]
public sealed class SearchController(SearchQueries queries, PostLists lists, SiteSettingsStore settings, TimeProvider clock) : Controller
{
    public const string QueryKey = "q";

    /// <summary>"More results": the matches among posts written before this one (its id).</summary>
    public const string BeforeKey = "before";

    [HttpGet("/search")]
    public async Task<IActionResult> Index(
        string? q, string? before, [FromQuery(Name = ListPaging.MaxResultsKey)] string? maxResults,
        [FromQuery(Name = ListPaging.UpdatedMaxKey)] string? updatedMax, string? page, CancellationToken ct)
    {
        var site = await settings.GetAsync(ct);
        var text = q?.Trim() ?? "";
        if (text.Length == 0 && !string.IsNullOrEmpty(updatedMax))
        {
            return ListPaging.TryRead(updatedMax, maxResults, null, site.PostsPerPage, out var older)
                ? await HomeList.ShowAsync(this, lists, older, site, ct)
                : BadRequest();
        }
        if (!ListPaging.TryRead(null, maxResults, page, site.PostsPerPage, out var request) || !TryReadId(before, out var beforeId))
        {
            return BadRequest();
        }
        var path = text.Length == 0 ? "/search" : "/search?q=" + Uri.EscapeDataString(text);
        if (request.LegacyPage is not null)
        {
            // Results are no longer numbered: an old numbered page leads to the first.
            return RedirectPermanent(path);
        }
        var now = clock.GetUtcNow().UtcDateTime;
        var terms = FtsQuery.Terms(text);
        var hits = terms.Count == 0 ? [] : await queries.SearchAsync(terms, now, beforeId ?? long.MaxValue, request.Size + 1, ct);
        if (beforeId is not null && hits.Count == 0)
        {
            return NotFound();
        }
        IReadOnlyList<long> newer = beforeId is null || terms.Count == 0 ? [] : await queries.NewerAsync(terms, now, hits[0].Id, request.Size + 1, ct);
        HttpContext.TagReaderPage(ReaderCache.PostListsTag);
        var zone = PostUrls.TimeZone(site.TimeZone);
        ViewData.SetPageMeta(new PageMeta
        {
            Title = text.Length == 0 ? "Search" : $"Search: {text}",
            Description = $"Search {site.Title}.",
            CanonicalUrl = SiteAddress.Absolute(Request, beforeId is { } start ? More(path, start, request.Size) : path),
        });
        return View(new SearchPage
        {
            Query = text,
            HasTerms = terms.Count > 0,
            Results = [.. hits.Take(request.Size).Select(hit => new SearchResult
            {
                Title = hit.Title,
                Url = PostUrls.PostPath(hit.PublishedAt, hit.Slug, zone),
                Published = PostListing.Date(hit.PublishedAt, site),
                SnippetHtml = SnippetHighlighter.ToHtml(hit.Snippet),
            })],
            PreviousUrl = newer.Count == 0 ? null : newer.Count <= request.Size ? path : More(path, newer[request.Size], request.Size),
            NextUrl = hits.Count > request.Size ? More(path, hits[request.Size - 1].Id, request.Size) : null,
        });
    }

    private static string More(string path, long beforeId, int size) => string.Create(CultureInfo.InvariantCulture,
        $"{path}&{BeforeKey}={beforeId}&{ListPaging.MaxResultsKey}={size}");

    private static bool TryReadId(string? text, out long? id)
    {
        id = null;
        if (string.IsNullOrEmpty(text))
        {
            return true;
        }
        var parsed = long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0;
        id = parsed ? value : null;
        return parsed;
    }
}

public sealed record SearchPage
{
    public required string Query { get; init; }

    /// <summary>False when the input held no word to look for (empty, or only punctuation).</summary>
    public required bool HasTerms { get; init; }

    public required IReadOnlyList<SearchResult> Results { get; init; }

    public string? PreviousUrl { get; init; }

    public string? NextUrl { get; init; }
}

public sealed record SearchResult
{
    public required string Title { get; init; }

    public required string Url { get; init; }

    public required BlogDate Published { get; init; }

    /// <summary>HTML-encoded snippet whose only markup is the &lt;mark&gt; around matched terms.</summary>
    public required string SnippetHtml { get; init; }
}
