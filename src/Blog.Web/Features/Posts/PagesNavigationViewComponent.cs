using Microsoft.AspNetCore.Mvc;

namespace Blog.Web.Features.Posts;

/// <summary>Links to the blog's static pages (About, Contact…) as items of the site navigation.</summary>
public sealed class PagesNavigationViewComponent(PostQueries queries, TimeProvider clock) : ViewComponent
{
    public async Task<IViewComponentResult> InvokeAsync()
    {
        var pages = await queries.PagesAsync(clock.GetUtcNow().UtcDateTime, HttpContext.RequestAborted);
        return View("PagesNavigation", pages);
    }
}
