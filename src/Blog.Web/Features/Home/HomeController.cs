using Blog.Web.Features.Settings;
using Microsoft.AspNetCore.Mvc;

namespace Blog.Web.Features.Home;

public sealed class HomeController(SiteSettingsStore settings) : Controller
{
    [HttpGet("/")]
    public async Task<IActionResult> Index(CancellationToken cancellationToken)
    {
        var site = await settings.GetAsync(cancellationToken);
        return View(new HomePage { BlogTitle = site.Title });
    }
}

public sealed record HomePage
{
    public required string BlogTitle { get; init; }
}
