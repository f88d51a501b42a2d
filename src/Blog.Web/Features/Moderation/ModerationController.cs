using Blog.Web.Features.Settings;
using Blog.Web.Identity;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Blog.Web.Features.Moderation;

/// <summary>The owner's moderation queue and comment rules.</summary>
[Authorize(Policy = Policies.Owner)]
public sealed class ModerationController(
    ModerationQueries queue,
    ModerationCommands commands,
    SettingsCommands settingsCommands) : Controller
{
    [HttpGet("/admin/moderation")]
    public async Task<IActionResult> Index(int page = 1, CancellationToken ct = default) =>
        View("Index", await queue.PageAsync(page, rules: null, TempData["Moderation"] as string, ct));

    [HttpPost("/admin/moderation/approve")]
    public async Task<IActionResult> Approve(long? id, long[] ids, int page = 1, CancellationToken ct = default)
    {
        var chosen = Chosen(id, ids);
        if (chosen.Count == 0)
        {
            return NothingChosen(page);
        }
        await commands.ApproveAsync(chosen, ct);
        TempData["Moderation"] = chosen.Count == 1 ? "1 comment approved." : $"{chosen.Count} comments approved.";
        return RedirectToAction(nameof(Index), new { page });
    }

    [HttpPost("/admin/moderation/remove")]
    public async Task<IActionResult> Remove(long? id, long[] ids, int page = 1, CancellationToken ct = default)
    {
        var chosen = Chosen(id, ids);
        if (chosen.Count == 0)
        {
            return NothingChosen(page);
        }
        await commands.RemoveAsync(chosen, ct);
        TempData["Moderation"] = chosen.Count == 1 ? "1 comment removed." : $"{chosen.Count} comments removed.";
        return RedirectToAction(nameof(Index), new { page });
    }

    [HttpPost("/admin/moderation/ban")]
    public async Task<IActionResult> Ban(string? memberId, int page = 1, CancellationToken ct = default)
    {
        if (string.IsNullOrEmpty(memberId) || !await commands.BanAsync(memberId, ct))
        {
            TempData["Moderation"] = "Nobody was banned: that writer is already banned, is the owner, or no longer exists.";
            return RedirectToAction(nameof(Index), new { page });
        }
        TempData["Moderation"] = "The writer is banned and their waiting comments were removed.";
        return RedirectToAction(nameof(Index), new { page });
    }

    [HttpPost("/admin/moderation/settings")]
    public async Task<IActionResult> Settings(ModerationSettingsForm form, CancellationToken ct)
    {
        if (!ModelState.IsValid)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return View("Index", await queue.PageAsync(1, form, TempData["Moderation"] as string, ct));
        }
        await settingsCommands.SaveCommentRulesAsync(form.ToSettings(), ct);
        TempData["Moderation"] = "Comment settings saved.";
        return RedirectToAction(nameof(Index));
    }

    private static List<long> Chosen(long? id, long[] ids) => id is { } one ? [one] : ids.Distinct().ToList();

    private RedirectToActionResult NothingChosen(int page)
    {
        TempData["Moderation"] = "Tick at least one comment first.";
        return RedirectToAction(nameof(Index), new { page });
    }
}
