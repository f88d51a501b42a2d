using Blog.Web.Identity;
using Microsoft.AspNetCore.Mvc;

namespace Blog.Web.Features.Moderation;

/// <summary>The pending count beside "Moderation" in the navigation; only the owner's pages pay for the count.</summary>
public sealed class ModerationBadgeViewComponent(ModerationQueries queue) : ViewComponent
{
    public async Task<IViewComponentResult> InvokeAsync()
    {
        if (!UserClaimsPrincipal.IsOwner())
        {
            return Content("");
        }
        var pending = await queue.PendingCountAsync(HttpContext.RequestAborted);
        return View("_Badge", pending);
    }
}
