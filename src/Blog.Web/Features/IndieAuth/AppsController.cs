using Blog.Web.Identity;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Blog.Web.Features.IndieAuth;

/// <summary>/account/apps: the apps a person has let in, each with a button that shuts it out at once.</summary>
[Route("account/apps")]
[Authorize]
public sealed class AppsController(AccessTokenStore tokens) : Controller
{
    [HttpGet("")]
    public async Task<IActionResult> Index(CancellationToken ct) =>
        View("Apps", new AppsPage(await tokens.ListActiveAsync(User.Id()!, ct), User.IsAuthor() && !User.IsBanned()));

    [HttpPost("{id:long}/revoke")]
    public async Task<IActionResult> Revoke(long id, CancellationToken ct)
    {
        // Someone else's app, or one already disconnected, is not found: ids say nothing about other people's apps.
        if (!await tokens.RevokeAsync(id, User.Id()!, ct))
        {
            return NotFound();
        }
        TempData["Notice"] = "The app is disconnected: it can no longer act as you.";
        return RedirectToAction(nameof(Index));
    }
}
