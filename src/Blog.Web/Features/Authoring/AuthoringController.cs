using System.Globalization;
using Blog.Web.Content;
using Blog.Web.Features.Posts;
using Blog.Web.Features.Settings;
using Blog.Web.Hosting;
using Blog.Web.Identity;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Data.Sqlite;

namespace Blog.Web.Features.Authoring;

/// <summary>
/// Writing posts and static pages: the list, the editor (preview, save, publish, schedule, unpublish) and
/// deleting. Authors work on their own posts; the owner on everyone's.
/// </summary>
[Authorize(Policy = Policies.Author)]
[Route("admin/{section:regex(^(posts|pages)$)}")]
public sealed class AuthoringController(
    PostCommands posts,
    PostRenderer renderer,
    SiteSettingsStore settings,
    ReaderCache readerCache,
    TimeProvider clock) : Controller
{
    private const int MaxLabels = 20;
    private const int LabelMaxLength = 50;
    private static readonly string[] Filters = ["all", "draft", "scheduled", "published"];

    [HttpGet("")]
    public async Task<IActionResult> Index(string section, string? status, int page = 1, CancellationToken cancellationToken = default)
    {
        var kind = ContentKind.FromSection(section)!;
        var filter = Filters.Contains(status) ? status! : "all";
        var site = await settings.GetAsync(cancellationToken);
        var now = Now;
        var authorId = User.IsOwner() ? null : User.Id();
        var counts = await posts.CountAsync(kind.Kind, authorId, now, cancellationToken);
        var total = filter switch { "draft" => counts.Drafts, "scheduled" => counts.Scheduled, "published" => counts.Published, _ => counts.All };
        var totalPages = Math.Max(1, (total + PostCommands.PageSize - 1) / PostCommands.PageSize);
        page = Math.Clamp(page, 1, totalPages);
        return View(new PostListPage
        {
            Kind = kind,
            Items = await posts.ListAsync(kind.Kind, authorId, filter, now, page, cancellationToken),
            Counts = counts,
            Filter = filter,
            PageNumber = page,
            TotalPages = totalPages,
            ShowAuthors = User.IsOwner(),
            Now = now,
            TimeZone = PostUrls.TimeZone(site.TimeZone),
            DateFormat = site.DateFormat,
        });
    }

    [HttpGet("new")]
    public async Task<IActionResult> New(string section, CancellationToken cancellationToken)
    {
        var kind = ContentKind.FromSection(section)!;
        return View("Editor", await EditorAsync(kind, null, new PostForm(), null, cancellationToken));
    }

    [HttpPost("new")]
    public Task<IActionResult> New(string section, PostForm form, CancellationToken cancellationToken) =>
        SaveAsync(ContentKind.FromSection(section)!, null, form, cancellationToken);

    [HttpGet("{id:long}/edit")]
    public async Task<IActionResult> Edit(string section, long id, CancellationToken cancellationToken)
    {
        var kind = ContentKind.FromSection(section)!;
        var (post, denied) = await LoadAsync(kind, id, cancellationToken);
        if (post is null)
        {
            return denied!;
        }
        var site = await settings.GetAsync(cancellationToken);
        var zone = PostUrls.TimeZone(site.TimeZone);
        var local = post.PublishedAt is { } at ? TimeZoneInfo.ConvertTimeFromUtc(at, zone) : (DateTime?)null;
        var form = new PostForm
        {
            Title = post.Title,
            Subtitle = post.Subtitle,
            Slug = post.Slug,
            Body = post.BodyMarkdown,
            Labels = post.Labels,
            AllowComments = post.AllowComments,
            ScheduleDate = local?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ScheduleTime = local?.ToString("HH:mm", CultureInfo.InvariantCulture),
        };
        return View("Editor", await EditorAsync(kind, post, form, null, cancellationToken));
    }

    [HttpPost("{id:long}/edit")]
    public async Task<IActionResult> Edit(string section, long id, PostForm form, CancellationToken cancellationToken)
    {
        var kind = ContentKind.FromSection(section)!;
        var (post, denied) = await LoadAsync(kind, id, cancellationToken);
        return post is null ? denied! : await SaveAsync(kind, post, form, cancellationToken);
    }

    [HttpGet("{id:long}/delete")]
    public async Task<IActionResult> Delete(string section, long id, CancellationToken cancellationToken)
    {
        var kind = ContentKind.FromSection(section)!;
        var (post, denied) = await LoadAsync(kind, id, cancellationToken);
        return post is null ? denied! : View(new DeletePage { Kind = kind, Id = id, Title = post.Title });
    }

    [HttpPost("{id:long}/delete")]
    [ActionName("Delete")]
    public async Task<IActionResult> DeleteConfirmed(string section, long id, CancellationToken cancellationToken)
    {
        var kind = ContentKind.FromSection(section)!;
        var (post, denied) = await LoadAsync(kind, id, cancellationToken);
        if (post is null)
        {
            return denied!;
        }
        await posts.DeleteAsync(id, cancellationToken);
        await readerCache.PostsChangedAsync();
        TempData["Notice"] = $"Deleted “{post.Title}”.";
        return Redirect($"/admin/{kind.Section}");
    }

    /// <summary>The live preview editor.js asks for: the body rendered exactly as saving would store it.</summary>
    [HttpPost("/admin/preview")]
    public async Task<IActionResult> Preview([FromForm] string? body, CancellationToken cancellationToken)
    {
        var result = await renderer.RenderAsync(body, cancellationToken);
        return result.Body is { } rendered
            ? Content(rendered.Html, "text/html; charset=utf-8")
            : BadRequest(result.Error);
    }

    private DateTime Now => clock.GetUtcNow().UtcDateTime;

    private async Task<(StoredPost? Post, IActionResult? Denied)> LoadAsync(ContentKind kind, long id, CancellationToken cancellationToken)
    {
        var post = await posts.FindAsync(id, cancellationToken);
        if (post is null || post.Kind != kind.Kind)
        {
            return (null, NotFound());
        }
        if (!User.IsOwner() && post.AuthorId != User.Id())
        {
            return (null, Forbid());
        }
        return (post, null);
    }

    private async Task<IActionResult> SaveAsync(ContentKind kind, StoredPost? existing, PostForm form, CancellationToken cancellationToken)
    {
        var site = await settings.GetAsync(cancellationToken);
        var zone = PostUrls.TimeZone(site.TimeZone);
        var command = form.Command ?? "save";
        var rendered = await renderer.RenderAsync(form.Body, cancellationToken);
        if (rendered.Error is { } bodyError)
        {
            ModelState.AddModelError(nameof(PostForm.Body), bodyError);
        }
        var labels = ParseLabels(form.Labels);
        DateTime? scheduledAt = command == "schedule" ? ParseSchedule(form, zone) : null;

        if (command == "preview" || !ModelState.IsValid || rendered.Body is null)
        {
            return View("Editor", await EditorAsync(kind, existing, form, command == "preview" ? rendered.Body?.Html : null, cancellationToken));
        }

        var slug = await ChooseSlugAsync(kind, existing?.Id, form, cancellationToken);
        if (slug is null)
        {
            return View("Editor", await EditorAsync(kind, existing, form, null, cancellationToken));
        }

        var now = Now;
        var wasPublished = existing?.Status == "published";
        var (status, publishedAt, notice) = command switch
        {
            "publish" => ("published", wasPublished && existing!.PublishedAt <= now ? existing.PublishedAt : now, "Published."),
            "schedule" => ("published", scheduledAt, "Scheduled."),
            "unpublish" => ("draft", (DateTime?)null, "Unpublished: it is a draft again."),
            _ => (existing?.Status ?? "draft", existing?.PublishedAt, existing?.Status == "published" ? "Saved." : "Draft saved."),
        };
        var write = new PostWrite
        {
            Kind = kind.Kind,
            AuthorId = existing?.AuthorId ?? User.Id()!,
            Title = form.Title.Trim(),
            Subtitle = form.Subtitle?.Trim() ?? "",
            Slug = slug,
            BodyMarkdown = form.Body ?? "",
            BodyHtml = rendered.Body.Html,
            BodyText = rendered.Body.Text,
            Excerpt = rendered.Body.Excerpt,
            Status = status,
            PublishedAt = publishedAt,
            AllowComments = form.AllowComments,
            Labels = labels,
            Now = now,
        };
        try
        {
            long id;
            if (existing is null)
            {
                id = await posts.CreateAsync(write, cancellationToken);
            }
            else
            {
                id = existing.Id;
                await posts.UpdateAsync(id, existing.Slug, wasPublished, write, cancellationToken);
            }
            await readerCache.PostsChangedAsync();
            TempData["Notice"] = notice;
            return Redirect($"/admin/{kind.Section}/{id.ToString(CultureInfo.InvariantCulture)}/edit");
        }
        catch (SqliteException ex) when (ex.SqliteErrorCode == 19)
        {
            // Someone took the slug between our check and the insert.
            ModelState.AddModelError(nameof(PostForm.Slug), $"Another {kind.Singular} already uses the address “{slug}”. Choose a different one.");
            return View("Editor", await EditorAsync(kind, existing, form, null, cancellationToken));
        }
    }

    /// <summary>
    /// A typed slug is normalised and must be free; an empty one is made from the title, with -2, -3, ... added
    /// when that is taken (only generated slugs get a suffix: a chosen address is never changed silently).
    /// </summary>
    private async Task<string?> ChooseSlugAsync(ContentKind kind, long? id, PostForm form, CancellationToken cancellationToken)
    {
        if (!string.IsNullOrWhiteSpace(form.Slug))
        {
            var typed = Slugs.From(form.Slug);
            if (typed.Length == 0)
            {
                ModelState.AddModelError(nameof(PostForm.Slug), "Use letters or digits in the address, or leave it empty to make one from the title.");
                return null;
            }
            if ((await posts.SlugsLikeAsync(kind.Kind, typed, id, cancellationToken)).Contains(typed))
            {
                ModelState.AddModelError(nameof(PostForm.Slug), $"Another {kind.Singular} already uses the address “{typed}”. Choose a different one.");
                return null;
            }
            return typed;
        }
        var generated = Slugs.FromTitle(form.Title);
        // A suffix can cut the end off a long slug (WithSuffix stays within MaxLength), so "-2" of an 80-character slug
        // does not start with it: look up everything sharing the part no suffix of up to eight characters ever cuts.
        var stem = generated[..Math.Min(generated.Length, Slugs.MaxLength - 8)].TrimEnd('-');
        var taken = await posts.SlugsLikeAsync(kind.Kind, stem, id, cancellationToken);
        var candidate = generated;
        for (var n = 2; taken.Contains(candidate); n++)
        {
            candidate = Slugs.WithSuffix(generated, n);
        }
        return candidate;
    }

    private List<string> ParseLabels(string? text)
    {
        var labels = new List<string>();
        foreach (var raw in (text ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var label = string.Join(' ', raw.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
            if (label.Length > LabelMaxLength)
            {
                ModelState.AddModelError(nameof(PostForm.Labels), $"Keep each label to {LabelMaxLength} characters or fewer (“{label[..20]}…” is longer).");
                return labels;
            }
            if (!labels.Contains(label, StringComparer.OrdinalIgnoreCase))
            {
                labels.Add(label);
            }
        }
        if (labels.Count > MaxLabels)
        {
            ModelState.AddModelError(nameof(PostForm.Labels), $"Use at most {MaxLabels} labels.");
        }
        return labels;
    }

    /// <summary>The schedule's date and time, read in the blog's time zone and returned in UTC; errors go to ModelState.</summary>
    private DateTime? ParseSchedule(PostForm form, TimeZoneInfo zone)
    {
        if (!form.TryReadScheduleDate(out var date))
        {
            ModelState.AddModelError(nameof(PostForm.ScheduleDate), "Enter the date to publish on, like 2030-01-31." + NotA("date", form.ScheduleDate));
            return null;
        }
        if (!form.TryReadScheduleTime(out var time))
        {
            ModelState.AddModelError(nameof(PostForm.ScheduleTime), "Enter the time to publish at, like 09:30." + NotA("time", form.ScheduleTime));
            return null;
        }
        var local = date.ToDateTime(time, DateTimeKind.Unspecified);
        if (zone.IsInvalidTime(local))
        {
            ModelState.AddModelError(nameof(PostForm.ScheduleTime), "That time does not exist in the blog's time zone (the clocks skip it). Pick another.");
            return null;
        }
        var utc = TimeZoneInfo.ConvertTimeToUtc(local, zone);
        if (utc <= Now)
        {
            ModelState.AddModelError(nameof(PostForm.ScheduleDate), "Choose a time in the future, or use “Publish now”.");
            return null;
        }
        return utc;
    }

    /// <summary>
    /// Names what was typed, because a date or time input can only show back a valid value (see
    /// <see cref="EditorPage.ScheduleDateValue"/>): the message keeps the text the form cannot.
    /// </summary>
    private static string NotA(string what, string? typed) =>
        string.IsNullOrWhiteSpace(typed) ? "" : $" “{typed.Trim()}” is not a {what}.";

    private async Task<EditorPage> EditorAsync(ContentKind kind, StoredPost? post, PostForm form, string? previewHtml, CancellationToken cancellationToken)
    {
        var site = await settings.GetAsync(cancellationToken);
        var zone = PostUrls.TimeZone(site.TimeZone);
        var now = Now;
        var state = post switch
        {
            null => "new",
            { Status: "draft" } => "draft",
            { PublishedAt: { } at } when at > now => "scheduled",
            _ => "published",
        };
        var stateText = post?.PublishedAt is { } publishedAt
            ? TimeZoneInfo.ConvertTimeFromUtc(publishedAt, zone).ToString(SafeFormat(site.DateFormat) + " HH:mm", CultureInfo.InvariantCulture)
            : null;
        var publicUrl = post is null || state != "published" ? null
            : kind == ContentKind.Page ? PostUrls.PagePath(post.Slug) : PostUrls.PostPath(post.PublishedAt!.Value, post.Slug, zone);
        return new EditorPage
        {
            Kind = kind,
            Id = post?.Id,
            Form = form,
            State = state,
            StateText = stateText,
            PublicUrl = publicUrl,
            PreviewHtml = previewHtml,
            TimeZoneId = zone.Id,
            MaxBodyLength = renderer.MaxBodyLength,
        };
    }

    private static string SafeFormat(string format)
    {
        try
        {
            _ = DateTime.UnixEpoch.ToString(format, CultureInfo.InvariantCulture);
            return format;
        }
        catch (FormatException)
        {
            return "yyyy-MM-dd";
        }
    }
}
