using Blog.Web.Features.Archive;
using Blog.Web.Features.Posts;
using Blog.Web.Features.Seo;
using Blog.Web.Features.Settings;
using Blog.Web.Hosting;
using Microsoft.AspNetCore.Mvc;

namespace Blog.Web.Features.Labels;

[ReaderPage]
public sealed class LabelsController(LabelQueries queries, SiteSettingsStore settings, TimeProvider clock) : Controller
{
    /// <summary>Blogger's address for a label's posts, so links from an imported blog keep working.</summary>
    [HttpGet("/search/label/{label}")]
    public async Task<IActionResult> Show(string label, string? page, CancellationToken ct)
    {
        if (!Paging.TryParse(page, out var number))
        {
            return BadRequest();
        }
        var found = await queries.FindAsync(label, ct);
        if (found is null)
        {
            return NotFound();
        }
        var site = await settings.GetAsync(ct);
        var now = clock.GetUtcNow().UtcDateTime;
        var fetched = await queries.PostsAsync(found.Id, now, (number - 1) * site.PostsPerPage, site.PostsPerPage + 1, ct);
        // A label used only by drafts or scheduled posts is not public yet.
        if (fetched.Count == 0)
        {
            return NotFound();
        }
        HttpContext.TagReaderPage(ReaderCache.PostListsTag);
        var path = PostUrls.LabelPath(found.Name);
        ViewData[PageMeta.Key] = Describe(new PageMeta
        {
            Title = $"Posts labelled {found.Name}",
            Description = $"Posts labelled {found.Name} on {site.Title}.",
            CanonicalUrl = SiteAddress.Absolute(Request, Paging.Url(path, number)),
        });
        ViewData["Title"] = $"Posts labelled {found.Name}";
        ViewData["FeedPath"] = "/feeds/posts/default/-/" + Uri.EscapeDataString(found.Name);
        return View("~/Features/Posts/List.cshtml", Paging.Page($"Posts labelled “{found.Name}”", path, number, site.PostsPerPage, fetched, site));
    }

    /// <summary>The meta description agrees with the preview text.</summary>
    private PageMeta Describe(PageMeta meta)
    {
        ViewData["Description"] = meta.Description;
        return meta;
    }
}

/// <summary>The sidebar's "Labels" box: every label with visible posts and how many.</summary>
public sealed class LabelsViewComponent(SidebarCounts counts, SiteSettingsStore settings) : ViewComponent
{
    public async Task<IViewComponentResult> InvokeAsync()
    {
        var site = await settings.GetAsync(HttpContext.RequestAborted);
        var snapshot = await counts.GetAsync(site.TimeZone, HttpContext.RequestAborted);
        return View("~/Features/Labels/LabelsWidget.cshtml", snapshot.Labels);
    }
}
