using Blog.Web.Features.Comments;
using Blog.Web.Features.Settings;
using Blog.Web.Hosting;
using Blog.Web.Identity;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Blog.Web.Features.Moderation;

/// <summary>The owner's moderation queue and comment rules.</summary>
[Authorize(Policy = Policies.Owner)]
public sealed class ModerationController(
    ModerationStore queue,
    CommentStore comments,
    CommentNotifier notifier,
    SiteSettingsStore settingsStore,
    ReaderCache readerCache,
    TimeProvider clock) : Controller
{
    private const int PageSize = 25;

    [HttpGet("/admin/moderation")]
    public async Task<IActionResult> Index(int page = 1, CancellationToken ct = default)
    {
        var site = await settingsStore.GetAsync(ct);
        return View("Index", await PageAsync(page, ModerationSettingsForm.From(site.Comments), ct));
    }

    [HttpPost("/admin/moderation/approve")]
    public async Task<IActionResult> Approve(long? id, long[] ids, int page = 1, CancellationToken ct = default)
    {
        var chosen = Chosen(id, ids);
        if (chosen.Count == 0)
        {
            return NothingChosen(page);
        }
        var approved = await comments.ApproveAsync(chosen, clock.GetUtcNow().UtcDateTime, ct);
        await readerCache.CommentsChangedAsync(await comments.PostIdsOfAsync(approved, ct));
        await NotifyRepliesAsync(approved, ct);
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
        await comments.RemoveAsync(chosen, RemovedBy.Admin, clock.GetUtcNow().UtcDateTime, ct);
        await readerCache.CommentsChangedAsync(await comments.PostIdsOfAsync(chosen, ct));
        TempData["Moderation"] = chosen.Count == 1 ? "1 comment removed." : $"{chosen.Count} comments removed.";
        return RedirectToAction(nameof(Index), new { page });
    }

    [HttpPost("/admin/moderation/ban")]
    public async Task<IActionResult> Ban(string? memberId, int page = 1, CancellationToken ct = default)
    {
        if (string.IsNullOrEmpty(memberId) || !await queue.BanAsync(memberId, clock.GetUtcNow().UtcDateTime, ct))
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
            return View("Index", await PageAsync(1, form, ct));
        }
        var site = await settingsStore.GetAsync(ct);
        await settingsStore.SaveAsync(site with { Comments = form.ToSettings() }, ct);
        // Closing rules change what every post page says under its comments.
        await readerCache.EverythingChangedAsync();
        TempData["Moderation"] = "Comment settings saved.";
        return RedirectToAction(nameof(Index));
    }

    private async Task<ModerationPage> PageAsync(int page, ModerationSettingsForm settings, CancellationToken ct)
    {
        var pending = await queue.PendingCountAsync(ct);
        var pageCount = Math.Max(1, (pending + PageSize - 1) / PageSize);
        page = Math.Clamp(page, 1, pageCount);
        var site = await settingsStore.GetAsync(ct);
        return new ModerationPage
        {
            Items = await queue.QueueAsync((page - 1) * PageSize, PageSize, ct),
            Pending = pending,
            Page = page,
            PageCount = pageCount,
            Settings = settings,
            TimeZone = Posts.PostUrls.TimeZone(site.TimeZone),
            Message = TempData["Moderation"] as string,
        };
    }

    private async Task NotifyRepliesAsync(IReadOnlyList<long> approved, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        foreach (var id in approved)
        {
            var comment = await comments.FindAsync(id, ct);
            if (comment?.ParentId is not { } parentId || await comments.FindVisiblePostAsync(comment.PostId, now, ct) is not { } post)
            {
                continue;
            }
            await notifier.ReplyAsync(post, comment.Id, parentId, comment.AuthorId, comment.AuthorName ?? "a deleted member", comment.BodyMarkdown, ct);
        }
    }

    private static List<long> Chosen(long? id, long[] ids) => id is { } one ? [one] : ids.Distinct().ToList();

    private RedirectToActionResult NothingChosen(int page)
    {
        TempData["Moderation"] = "Tick at least one comment first.";
        return RedirectToAction(nameof(Index), new { page });
    }
}
