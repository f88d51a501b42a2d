using Blog.Web.Features.Posts;
using Blog.Web.Features.Seo;
using Blog.Web.Features.Settings;
using Blog.Web.Hosting;
using Microsoft.AspNetCore.Mvc;

namespace Blog.Web.Features.Search;

[ReaderPage]
public sealed class SearchController(SearchQueries queries, SiteSettingsStore settings, TimeProvider clock) : Controller
{
    [HttpGet("/search")]
    public async Task<IActionResult> Index(string? q, string? page, CancellationToken ct)
    {
        if (!Paging.TryParse(page, out var number))
        {
            return BadRequest();
        }
        var site = await settings.GetAsync(ct);
        var text = q?.Trim() ?? "";
        var query = FtsQuery.Build(text);
        var hits = query is null
            ? []
            : await queries.SearchAsync(query, clock.GetUtcNow().UtcDateTime, (number - 1) * site.PostsPerPage, site.PostsPerPage + 1, ct);
        HttpContext.TagReaderPage(ReaderCache.PostListsTag);
        var path = "/search?q=" + Uri.EscapeDataString(text);
        var zone = PostUrls.TimeZone(site.TimeZone);
        ViewData[PageMeta.Key] = new PageMeta
        {
            Title = text.Length == 0 ? "Search" : $"Search: {text}",
            Description = $"Search {site.Title}.",
            CanonicalUrl = SiteAddress.Absolute(Request, Paging.Url(path, number)),
        };
        return View(new SearchPage
        {
            Query = text,
            HasTerms = query is not null,
            Results = [.. hits.Take(site.PostsPerPage).Select(hit => new SearchResult
            {
                Title = hit.Title,
                Url = PostUrls.PostPath(hit.PublishedAt, hit.Slug, zone),
                Published = PostListing.Date(hit.PublishedAt, site),
                SnippetHtml = SnippetHighlighter.ToHtml(hit.Snippet),
            })],
            PageNumber = number,
            PreviousUrl = number > 1 ? Paging.Url(path, number - 1) : null,
            NextUrl = hits.Count > site.PostsPerPage ? Paging.Url(path, number + 1) : null,
        });
    }
}

public sealed record SearchPage
{
    public required string Query { get; init; }

    /// <summary>False when the input held no word to look for (empty, or only punctuation).</summary>
    public required bool HasTerms { get; init; }

    public required IReadOnlyList<SearchResult> Results { get; init; }

    public required int PageNumber { get; init; }

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
