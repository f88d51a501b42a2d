using System.Globalization;
using Blog.Web.Identity;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Blog.Web.Features.Stats;

/// <summary>The owner's reading statistics. Only the owner: authors write, the owner looks after the blog.</summary>
[Authorize(Policy = Policies.Owner)]
public sealed class StatsController(StatsQueries queries) : Controller
{
    [HttpGet("/admin/stats")]
    public async Task<IActionResult> Index(string? days, CancellationToken ct)
    {
        var range = StatsPage.Ranges[0];
        if (!string.IsNullOrEmpty(days)
            && (!int.TryParse(days, NumberStyles.None, CultureInfo.InvariantCulture, out range) || !StatsPage.Ranges.Contains(range)))
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return View("Message", new MessagePage(
                "No such range", "Statistics cover the last 30, 90 or 365 days.", "Last 30 days", "/admin/stats"));
        }
        return View("Index", await queries.PageAsync(range, ct));
    }
}
