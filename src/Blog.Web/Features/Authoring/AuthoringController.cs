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

    [HttpGet("{id:long}/edit")]
    public async Task<IActionResult> Edit(string section, long id, CancellationToken cancellationToken)
    {
        var kind = ContentKind.FromSection(section)!;
        var (post, denied) = await LoadAsync(kind, id, cancellationToken);
        return post is null ? denied! : View("Editor", await queries.EditorAsync(kind, post, cancellationToken));
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
        }, cancellationToken);
        if (outcome.SavedId is { } id)
        {
            TempData["Notice"] = outcome.Notice;
            return Redirect($"/admin/{kind.Section}/{id.ToString(CultureInfo.InvariantCulture)}/edit");
        }
        foreach (var error in outcome.Errors)
        {
            ModelState.AddModelError(error.Field, error.Message);
        }
        return View("Editor", await queries.EditorAsync(kind, existing, form, outcome.PreviewHtml, cancellationToken));
    }
}
