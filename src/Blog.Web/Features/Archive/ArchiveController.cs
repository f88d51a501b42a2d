using System.Globalization;
using Blog.Web.Features.Posts;
using Blog.Web.Features.Seo;
using Blog.Web.Features.Settings;
using Blog.Web.Hosting;
using Microsoft.AspNetCore.Mvc;

namespace Blog.Web.Features.Archive;

/// <summary>Posts by year and by month, at Blogger's addresses (/2026/ and /2026/11/).</summary>
[ReaderPage(ListPaging.UpdatedMaxKey, ListPaging.MaxResultsKey, ListPaging.PageKey)]
public sealed class ArchiveController(PostLists lists, SiteSettingsStore settings) : Controller
{
    [HttpGet("/{year:regex(^\\d{{4}}$)}")]
    public Task<IActionResult> Year(
        string year, [FromQuery(Name = ListPaging.UpdatedMaxKey)] string? updatedMax,
        [FromQuery(Name = ListPaging.MaxResultsKey)] string? maxResults, string? page, CancellationToken ct) =>
        ShowAsync(int.Parse(year, CultureInfo.InvariantCulture), null, updatedMax, maxResults, page, ct);

    [HttpGet("/{year:regex(^\\d{{4}}$)}/{month:regex(^\\d{{2}}$)}")]
    public Task<IActionResult> Month(
        string year, string month, [FromQuery(Name = ListPaging.UpdatedMaxKey)] string? updatedMax,
        [FromQuery(Name = ListPaging.MaxResultsKey)] string? maxResults, string? page, CancellationToken ct) =>
        ShowAsync(int.Parse(year, CultureInfo.InvariantCulture), int.Parse(month, CultureInfo.InvariantCulture), updatedMax, maxResults, page, ct);

    private async Task<IActionResult> ShowAsync(int year, int? month, string? updatedMax, string? maxResults, string? page, CancellationToken ct)
    {
        var site = await settings.GetAsync(ct);
        if (!ListPaging.TryRead(updatedMax, maxResults, page, site.PostsPerPage, out var request))
        {
            return BadRequest();
        }
        if (year is < 1 or > 9998 || month is < 1 or > 12)
        {
            return NotFound();
        }
        var address = ListAddress.Of(month is null ? ArchivePaths.Year(year) : ArchivePaths.Month(year, month.Value));
        if (request.LegacyPage is { } number)
        {
            var target = await lists.LegacyPageAsync(number, snapshot => PostsIn(snapshot, year, month), address, site, ct);
            return target is null ? NotFound() : RedirectPermanent(target);
        }
        var zone = PostUrls.TimeZone(site.TimeZone);
        var start = new DateTime(year, month ?? 1, 1, 0, 0, 0, DateTimeKind.Unspecified);
        var end = month is null ? start.AddYears(1) : start.AddMonths(1);
        var period = month is null
            ? year.ToString("0000", CultureInfo.InvariantCulture)
            : start.ToString("MMMM yyyy", CultureInfo.InvariantCulture);
        var set = PostSet.Between(ArchivePaths.ToUtc(start, zone), ArchivePaths.ToUtc(end, zone));
        var list = await lists.PageAsync($"Posts from {period}", set, address, request, site, ct);
        if (list is null)
        {
            return NotFound();
        }
        HttpContext.TagReaderPage(ReaderCache.PostListsTag);
        ViewData.SetPageMeta(new PageMeta
        {
            Title = $"Posts from {period}",
            Description = $"Everything published on {site.Title} in {period}.",
            CanonicalUrl = SiteAddress.Absolute(Request, ListPaging.Canonical(address, request)),
        });
        return View("PostList", list);
    }

    /// <summary>The visible posts of a year or a month, as the sidebar counts them (over the same ranges).</summary>
    private static int PostsIn(SidebarSnapshot snapshot, int year, int? month)
    {
        var counted = snapshot.Archive.FirstOrDefault(y => y.Year == year);
        return month is null ? counted?.PostCount ?? 0 : counted?.Months.FirstOrDefault(m => m.Month == month)?.PostCount ?? 0;
    }
}

/// <summary>The sidebar's "Blog archive" box, like Blogger's: years that open to show their months.</summary>
public sealed class ArchiveViewComponent(SidebarCounts counts, SiteSettingsStore settings) : ViewComponent
{
    public async Task<IViewComponentResult> InvokeAsync()
    {
        var site = await settings.GetAsync(HttpContext.RequestAborted);
        var snapshot = await counts.GetAsync(site.TimeZone, HttpContext.RequestAborted);
        return View("ArchiveWidget", snapshot.Archive);
    }
}
