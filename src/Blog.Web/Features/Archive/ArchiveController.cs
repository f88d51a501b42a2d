using System.Globalization;
using Blog.Web.Features.Posts;
using Blog.Web.Features.Seo;
using Blog.Web.Features.Settings;
using Blog.Web.Hosting;
using Microsoft.AspNetCore.Mvc;

namespace Blog.Web.Features.Archive;

/// <summary>Posts by year and by month, at Blogger's addresses (/2026/ and /2026/11/).</summary>
[ReaderPage]
public sealed class ArchiveController(ArchiveQueries queries, SiteSettingsStore settings, TimeProvider clock) : Controller
{
    [HttpGet("/{year:regex(^\\d{{4}}$)}")]
    public Task<IActionResult> Year(string year, string? page, CancellationToken ct) =>
        ShowAsync(int.Parse(year, CultureInfo.InvariantCulture), null, page, ct);

    [HttpGet("/{year:regex(^\\d{{4}}$)}/{month:regex(^\\d{{2}}$)}")]
    public Task<IActionResult> Month(string year, string month, string? page, CancellationToken ct) =>
        ShowAsync(int.Parse(year, CultureInfo.InvariantCulture), int.Parse(month, CultureInfo.InvariantCulture), page, ct);

    private async Task<IActionResult> ShowAsync(int year, int? month, string? page, CancellationToken ct)
    {
        if (!Paging.TryParse(page, out var number))
        {
            return BadRequest();
        }
        if (year is < 1 or > 9998 || month is < 1 or > 12)
        {
            return NotFound();
        }
        var site = await settings.GetAsync(ct);
        var zone = PostUrls.TimeZone(site.TimeZone);
        var start = new DateTime(year, month ?? 1, 1, 0, 0, 0, DateTimeKind.Unspecified);
        var end = month is null ? start.AddYears(1) : start.AddMonths(1);
        var fetched = await queries.BetweenAsync(
            ArchivePaths.ToUtc(start, zone), ArchivePaths.ToUtc(end, zone), clock.GetUtcNow().UtcDateTime,
            (number - 1) * site.PostsPerPage, site.PostsPerPage + 1, ct);
        if (fetched.Count == 0)
        {
            return NotFound();
        }
        HttpContext.TagReaderPage(ReaderCache.PostListsTag);
        var period = month is null
            ? year.ToString("0000", CultureInfo.InvariantCulture)
            : start.ToString("MMMM yyyy", CultureInfo.InvariantCulture);
        var path = month is null ? ArchivePaths.Year(year) : ArchivePaths.Month(year, month.Value);
        ViewData["Title"] = $"Posts from {period}";
        ViewData[PageMeta.Key] = Describe(new PageMeta
        {
            Title = $"Posts from {period}",
            Description = $"Everything published on {site.Title} in {period}.",
            CanonicalUrl = SiteAddress.Absolute(Request, Paging.Url(path, number)),
        });
        return View("~/Features/Posts/List.cshtml", Paging.Page($"Posts from {period}", path, number, site.PostsPerPage, fetched, site));
    }

    /// <summary>The meta description agrees with the preview text.</summary>
    private PageMeta Describe(PageMeta meta)
    {
        ViewData["Description"] = meta.Description;
        return meta;
    }
}

/// <summary>The sidebar's "Blog archive" box, like Blogger's: years that open to show their months.</summary>
public sealed class ArchiveViewComponent(SidebarCounts counts, SiteSettingsStore settings) : ViewComponent
{
    public async Task<IViewComponentResult> InvokeAsync()
    {
        var site = await settings.GetAsync(HttpContext.RequestAborted);
        var snapshot = await counts.GetAsync(site.TimeZone, HttpContext.RequestAborted);
        return View("~/Features/Archive/ArchiveWidget.cshtml", snapshot.Archive);
    }
}
