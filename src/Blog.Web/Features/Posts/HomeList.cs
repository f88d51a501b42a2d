using Blog.Web.Features.Seo;
using Blog.Web.Features.Settings;
using Blog.Web.Hosting;
using Microsoft.AspNetCore.Mvc;

namespace Blog.Web.Features.Posts;

/// <summary>
/// The home page's list of posts. Its first page is "/", its older pages are Blogger's /search?updated-max=…
/// (answered by the search page when it has no words to look for), so both controllers show it.
/// </summary>
public static class HomeList
{
    public static readonly ListAddress Address = new("/", "/search");

    /// <summary>A page of the list; 404 past its end. The first page of a blog without posts says so.</summary>
    public static async Task<IActionResult> ShowAsync(Controller page, PostLists lists, ListRequest request, SiteSettings site, CancellationToken ct)
    {
        var list = await lists.PageAsync(site.Title, PostSet.All, Address, request, site, ct);
        if (list is null && request.Before is not null)
        {
            return page.NotFound();
        }
        page.HttpContext.TagReaderPage(ReaderCache.PostListsTag);
        page.ViewData.SetPageMeta(new PageMeta
        {
            Title = site.Title,
            Description = site.Description,
            CanonicalUrl = SiteAddress.Absolute(page.Request, ListPaging.Canonical(Address, request)),
        });
        return page.View("Home", (list ?? new PostListPage { Heading = site.Title, Posts = [] }) with { IsHome = true });
    }
}
