using Blog.Web.Features.Archive;
using Blog.Web.Features.Posts;
using Blog.Web.Features.Seo;
using Blog.Web.Features.Settings;
using Blog.Web.Hosting;
using Microsoft.AspNetCore.Mvc;

namespace Blog.Web.Features.Labels;

[ReaderPage(ListPaging.UpdatedMaxKey, ListPaging.MaxResultsKey, ListPaging.PageKey)]
public sealed class LabelsController(LabelQueries queries, PostLists lists, SiteSettingsStore settings) : Controller
{
    /// <summary>Blogger's address for a label's posts, so links from an imported blog keep working.</summary>
    [HttpGet("/search/label/{label}")]
    public async Task<IActionResult> Show(
        string label, [FromQuery(Name = ListPaging.UpdatedMaxKey)] string? updatedMax,
        [FromQuery(Name = ListPaging.MaxResultsKey)] string? maxResults, string? page, CancellationToken ct)
    {
        var site = await settings.GetAsync(ct);
        if (!ListPaging.TryRead(updatedMax, maxResults, page, site.PostsPerPage, out var request))
        {
            return BadRequest();
        }
        var found = await queries.FindAsync(label, ct);
        if (found is null)
        {
            return NotFound();
        }
        var address = ListAddress.Of(PostUrls.LabelPath(found.Name));
        if (request.LegacyPage is { } number)
        {
            var target = await lists.LegacyPageAsync(number, snapshot => PostsWith(snapshot, found.Name), address, site, ct);
            return target is null ? NotFound() : RedirectPermanent(target);
        }
        // A label used only by drafts or scheduled posts is not public yet.
        var list = await lists.PageAsync($"Posts labelled “{found.Name}”", PostSet.WithLabel(found.Id), address, request, site, ct);
        if (list is null)
        {
            return NotFound();
        }
        HttpContext.TagReaderPage(ReaderCache.PostListsTag);
        ViewData.SetPageMeta(new PageMeta
        {
            Title = $"Posts labelled {found.Name}",
            Description = $"Posts labelled {found.Name} on {site.Title}.",
            CanonicalUrl = SiteAddress.Absolute(Request, ListPaging.Canonical(address, request)),
            FeedPath = "/feeds/posts/default/-/" + Uri.EscapeDataString(found.Name),
        });
        return View("PostList", list);
    }

    private static int PostsWith(SidebarSnapshot snapshot, string label) =>
        snapshot.Labels.FirstOrDefault(l => string.Equals(l.Name, label, StringComparison.OrdinalIgnoreCase))?.PostCount ?? 0;
}

/// <summary>The sidebar's "Labels" box: every label with visible posts and how many.</summary>
public sealed class LabelsViewComponent(SidebarCounts counts, SiteSettingsStore settings) : ViewComponent
{
    public async Task<IViewComponentResult> InvokeAsync()
    {
        var site = await settings.GetAsync(HttpContext.RequestAborted);
        var snapshot = await counts.GetAsync(site.TimeZone, HttpContext.RequestAborted);
        return View("LabelsWidget", snapshot.Labels);
    }
}
