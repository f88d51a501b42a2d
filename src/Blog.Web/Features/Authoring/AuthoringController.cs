using System.Globalization;
using Blog.Web.Content;
using Blog.Web.Identity;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Blog.Web.Features.Authoring;

/// <summary>
/// Writing posts and static pages: the list, the editor (preview, save, publish, schedule, unpublish) and
/// deleting. Authors work on their own posts; the owner on everyone's.
/// </summary>
[Authorize(Policy = Policies.Author)]
[Route("admin/{section:regex(^(posts|pages)$)}")]
public sealed class AuthoringController(
    PostCommands posts,
    AuthoringQueries queries,
    RevisionQueries revisions,
    PostRenderer renderer) : Controller
{
    [HttpGet("")]
    public async Task<IActionResult> Index(string section, string? status, int page = 1, CancellationToken cancellationToken = default)
    {
        var kind = ContentKind.FromSection(section)!;
        var filter = AuthoringListPage.Filters.Contains(status) ? status! : AuthoringListPage.AllFilter;
        var authorId = User.IsOwner() ? null : User.Id();
        return View(await queries.ListPageAsync(kind, authorId, filter, page, cancellationToken));
    }

    [HttpGet("new")]
    public async Task<IActionResult> New(string section, CancellationToken cancellationToken)
    {
        var kind = ContentKind.FromSection(section)!;
        return View("Editor", await queries.EditorAsync(kind, null, new PostForm(), null, cancellationToken));
    }

    [HttpPost("new")]
    public Task<IActionResult> New(string section, PostForm form, CancellationToken cancellationToken) =>
        SaveAsync(ContentKind.FromSection(section)!, null, form, cancellationToken);

    /// <summary>The editor; <c>?autosave=use</c> fills it with the text autosaved for this person instead.</summary>
    [HttpGet("{id:long}/edit")]
    public async Task<IActionResult> Edit(string section, long id, string? autosave, CancellationToken cancellationToken)
    {
        var kind = ContentKind.FromSection(section)!;
        var (post, denied) = await LoadAsync(kind, id, cancellationToken);
        return post is null ? denied!
            : View("Editor", await queries.EditorAsync(kind, post, User.Id()!, autosave == "use", cancellationToken));
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
        TempData["Notice"] = $"Deleted “{post.Title}”.";
        return Redirect($"/admin/{kind.Section}");
    }

    /// <summary>The post's revisions, newest first; <c>?older-than=N</c> pages on to those before version N.</summary>
    [HttpGet("{id:long}/revisions")]
    public async Task<IActionResult> Revisions(string section, long id, [FromQuery(Name = "older-than")] string? olderThan, CancellationToken cancellationToken)
    {
        var kind = ContentKind.FromSection(section)!;
        var (post, denied) = await LoadAsync(kind, id, cancellationToken);
        if (post is null)
        {
            return denied!;
        }
        long? keyset = null;
        if (olderThan is not null)
        {
            if (ParseVersion(olderThan) is not { } version)
            {
                return BadRequest("“older-than” must be a version number.");
            }
            keyset = version;
        }
        return View(await revisions.ListPageAsync(kind, post, keyset, cancellationToken));
    }

    [HttpGet("{id:long}/revisions/{version:long}")]
    public async Task<IActionResult> Revision(string section, long id, long version, CancellationToken cancellationToken)
    {
        var kind = ContentKind.FromSection(section)!;
        var (post, denied) = await LoadAsync(kind, id, cancellationToken);
        if (post is null)
        {
            return denied!;
        }
        var revision = await revisions.FindAsync(id, version, cancellationToken);
        return revision is null ? NotFound() : View(new RevisionPage
        {
            Kind = kind,
            PostId = id,
            CurrentVersion = post.Version,
            Revision = revision,
            Clock = await revisions.ClockAsync(cancellationToken),
        });
    }

    /// <summary>Two revisions compared, the older first whatever the order asked (a GET form: it works without script).</summary>
    [HttpGet("{id:long}/revisions/compare")]
    public async Task<IActionResult> Compare(string section, long id, string? from, string? to, CancellationToken cancellationToken)
    {
        var kind = ContentKind.FromSection(section)!;
        var (post, denied) = await LoadAsync(kind, id, cancellationToken);
        if (post is null)
        {
            return denied!;
        }
        if (ParseVersion(from) is not { } first || ParseVersion(to) is not { } second)
        {
            return BadRequest("Choose two versions to compare, by their numbers.");
        }
        var older = await revisions.FindAsync(id, Math.Min(first, second), cancellationToken);
        var newer = await revisions.FindAsync(id, Math.Max(first, second), cancellationToken);
        if (older is null || newer is null)
        {
            return NotFound();
        }
        return View(new ComparePage
        {
            Kind = kind,
            PostId = id,
            PostTitle = post.Title,
            CurrentVersion = post.Version,
            From = older,
            To = newer,
            Comparison = TextComparison.Of(older.Text, newer.Text),
            Clock = await revisions.ClockAsync(cancellationToken),
        });
    }

    /// <summary>
    /// Saves a revision's text as the next version. <c>CurrentVersion</c> is the version the person looked at: when
    /// someone saved since, nothing is restored and they are told so.
    /// </summary>
    [HttpPost("{id:long}/revisions/{version:long}/restore")]
    public async Task<IActionResult> Restore(string section, long id, long version, [FromForm] string? currentVersion, CancellationToken cancellationToken)
    {
        var kind = ContentKind.FromSection(section)!;
        var (post, denied) = await LoadAsync(kind, id, cancellationToken);
        if (post is null)
        {
            return denied!;
        }
        var revision = await revisions.FindAsync(id, version, cancellationToken);
        if (revision is null)
        {
            return NotFound();
        }
        var outcome = await posts.RestoreAsync(kind, post, revision, User.Id()!, ParseVersion(currentVersion) ?? 0, cancellationToken);
        if (outcome.SavedId is not null)
        {
            TempData["Notice"] = $"Restored the text of version {version.ToString(CultureInfo.InvariantCulture)} as a new version.";
            return Redirect(EditorPath(kind, id));
        }
        if (outcome.Conflict)
        {
            TempData["Notice"] = "Nothing was restored: the post was saved again since you opened that page. Compare the versions again and choose.";
            return Redirect($"/admin/{kind.Section}/{id.ToString(CultureInfo.InvariantCulture)}/revisions");
        }
        // The old text no longer passes today's rules (a lower length limit, say): show it in the editor to mend.
        var form = PostForm.FromRevision(post, revision);
        foreach (var error in outcome.Errors)
        {
            ModelState.AddModelError(error.Field, error.Message);
        }
        return View("Editor", await queries.EditorAsync(kind, post, form, null, cancellationToken));
    }

    /// <summary>Keeps the editor's text while it is typed (editor.js posts here). Never changes the post.</summary>
    [HttpPost("{id:long}/autosave")]
    public async Task<IActionResult> Autosave(string section, long id, PostForm form, CancellationToken cancellationToken)
    {
        var kind = ContentKind.FromSection(section)!;
        var (post, denied) = await LoadAsync(kind, id, cancellationToken);
        if (post is null)
        {
            return denied!;
        }
        var error = await posts.AutosaveAsync(post, User.Id()!, form, cancellationToken);
        return error is null ? NoContent() : BadRequest(error);
    }

    [HttpPost("{id:long}/autosave/discard")]
    public async Task<IActionResult> DiscardAutosave(string section, long id, CancellationToken cancellationToken)
    {
        var kind = ContentKind.FromSection(section)!;
        var (post, denied) = await LoadAsync(kind, id, cancellationToken);
        if (post is null)
        {
            return denied!;
        }
        await posts.DiscardAutosaveAsync(id, User.Id()!, cancellationToken);
        TempData["Notice"] = "The autosaved text was discarded.";
        return Redirect(EditorPath(kind, id));
    }

    /// <summary>The live preview editor.js asks for: the body rendered exactly as saving would store it.</summary>
    [HttpPost("/admin/preview")]
    public async Task<IActionResult> Preview([FromForm] string? body, [FromQuery] string? format, CancellationToken cancellationToken)
    {
        var result = format == BodyFormat.Html
            ? await renderer.RenderHtmlAsync(body, hasCover: false, cancellationToken)
            : await renderer.RenderAsync(body, cancellationToken);
        return result.Body is { } rendered
            ? Content(rendered.Html, "text/html; charset=utf-8")
            : BadRequest(result.Error);
    }

    /// <summary>The post, when it is of this kind and the signed-in person may work on it.</summary>
    private async Task<(PostRow? Post, IActionResult? Denied)> LoadAsync(ContentKind kind, long id, CancellationToken cancellationToken)
    {
        var post = await queries.FindAsync(id, cancellationToken);
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

    private async Task<IActionResult> SaveAsync(ContentKind kind, PostRow? existing, PostForm form, CancellationToken cancellationToken)
    {
        var outcome = await posts.SaveAsync(new PostSave
        {
            Kind = kind,
            Existing = existing,
            Form = form,
            EditorId = User.Id()!,
            FormIsValid = ModelState.IsValid,
            // A missing or garbled version is no version at all (versions start at 1): the save meets the conflict check.
            ExpectedVersion = existing is null ? null : form.VersionNumber ?? 0,
        }, cancellationToken);
        if (outcome.SavedId is { } id)
        {
            TempData["Notice"] = outcome.Notice;
            TempData["Created"] = existing is null;
            return Redirect(EditorPath(kind, id));
        }
        if (outcome.Conflict)
        {
            return await ConflictAsync(kind, existing!.Id, form, cancellationToken);
        }
        foreach (var error in outcome.Errors)
        {
            ModelState.AddModelError(error.Field, error.Message);
        }
        return View("Editor", await queries.EditorAsync(kind, existing, form, outcome.PreviewHtml, cancellationToken));
    }

    /// <summary>
    /// The editor again after a refused save: the person's text kept in the form, now based on the version saved
    /// meanwhile (so saving again keeps theirs), with that version's text, who saved it and when, and a diff.
    /// </summary>
    private async Task<IActionResult> ConflictAsync(ContentKind kind, long id, PostForm form, CancellationToken cancellationToken)
    {
        var current = await queries.FindAsync(id, cancellationToken);
        if (current is null)
        {
            return NotFound();
        }
        var saved = await revisions.FindAsync(id, current.Version, cancellationToken);
        var savedText = new PostText { Title = current.Title, Subtitle = current.Subtitle, Labels = current.Labels, Body = current.BodyMarkdown };
        form.Version = current.Version.ToString(CultureInfo.InvariantCulture);
        var page = await queries.EditorAsync(kind, current, form, null, cancellationToken);
        Response.StatusCode = StatusCodes.Status409Conflict;
        return View("Editor", page with
        {
            Conflict = new ConflictPanel
            {
                SavedVersion = current.Version,
                SavedBy = saved is null ? "someone" : RevisionClock.Who(saved.EditorName),
                SavedAt = page.Clock!.Show(saved?.CreatedAt ?? current.UpdatedAt),
                Saved = savedText,
                Comparison = TextComparison.Of(savedText, PostText.Of(form)),
            },
        });
    }

    private static long? ParseVersion(string? text) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var version) && version > 0 ? version : null;

    private static string EditorPath(ContentKind kind, long id) =>
        $"/admin/{kind.Section}/{id.ToString(CultureInfo.InvariantCulture)}/edit";
}
