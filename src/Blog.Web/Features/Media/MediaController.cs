using System.Globalization;
using Blog.Web.Hosting;
using Blog.Web.Identity;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace Blog.Web.Features.Media;

/// <summary>
/// The picture library at /admin/media: every picture with its sizes and uses, uploading (a plain form, or the
/// editor's script asking for JSON), re-describing and deleting. One library shared by the owner and the authors.
/// </summary>
[Authorize(Policy = Policies.Author)]
public sealed class MediaController(
    MediaCommands commands,
    MediaLibraryQueries queries,
    IAntiforgery antiforgery,
    IOptions<MediaOptions> options) : Controller
{
    /// <summary>Room for the form's other fields and the multipart headers around the file.</summary>
    public const long FormOverheadBytes = 64 * 1024;

    [HttpGet("/admin/media")]
    public async Task<IActionResult> Index(string? before, CancellationToken ct) =>
        View("Index", await queries.PageAsync(MediaCursor.Parse(before), Actor, null, ct));

    /// <summary>
    /// Adds a picture. The body is read here rather than by model binding, so its size is limited before a byte of
    /// it is read, and a file that is too large gets a message instead of a broken connection; the antiforgery
    /// token is checked as soon as the form is read, before anything else happens. No parameters: see
    /// <see cref="RequestBodyLimit"/>.
    /// </summary>
    [HttpPost("/admin/media")]
    [IgnoreAntiforgeryToken]
    public async Task<IActionResult> Upload()
    {
        var ct = HttpContext.RequestAborted;
        var limit = options.Value.MaxFileBytes + FormOverheadBytes;
        if (!RequestBodyLimit.Apply(HttpContext, limit))
        {
            return await RefusedAsync(StatusCodes.Status413PayloadTooLarge, MediaUploadField.File, TooLarge, null, ct);
        }
        if (!Request.HasFormContentType)
        {
            return await RefusedAsync(StatusCodes.Status400BadRequest, MediaUploadField.File, "Send the picture with the upload form.", null, ct);
        }
        IFormCollection form;
        try
        {
            // The same limit again for the form reader, for servers that cannot limit a body themselves.
            form = await Request.ReadFormAsync(new FormOptions { MultipartBodyLengthLimit = limit }, ct);
        }
        catch (Exception ex) when (ex is BadHttpRequestException or InvalidDataException or IOException)
        {
            var tooLarge = ex is BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge };
            return await RefusedAsync(tooLarge ? StatusCodes.Status413PayloadTooLarge : StatusCodes.Status400BadRequest,
                MediaUploadField.File, tooLarge ? TooLarge : "The upload did not arrive whole. Try again.", null, ct);
        }
        if (!await antiforgery.IsRequestValidAsync(HttpContext))
        {
            return BadRequest();
        }

        var altText = CleanTextModelBinder.Clean(form["altText"].ToString());
        var decorative = form["decorative"].Contains("true");
        var typed = new MediaUploadForm { AltText = altText, Decorative = decorative };
        if (form.Files.GetFile("file") is not { Length: > 0 } file)
        {
            return await RefusedAsync(StatusCodes.Status400BadRequest, MediaUploadField.File, "Choose a picture to upload.", typed, ct);
        }
        MediaUploadOutcome outcome;
        await using (var content = file.OpenReadStream())
        {
            outcome = await commands.UploadAsync(new MediaUpload
            {
                Content = content,
                FileName = CleanTextModelBinder.Clean(file.FileName),
                AltText = altText,
                Decorative = decorative,
                UploaderId = User.Id(),
            }, ct);
        }
        if (outcome.Media is not { } media)
        {
            return await RefusedAsync(StatusCodes.Status400BadRequest, outcome.ErrorField, outcome.Error!, typed, ct);
        }
        if (WantsJson)
        {
            return Json(new
            {
                markdown = outcome.Markdown,
                id = media.Id,
                media.Hash,
                media.FileName,
                media.Width,
                media.Height,
                media.AltText,
                media.Decorative,
                media.Animated,
                files = outcome.Files.Select(f => new { f.Format, f.Width, f.Height, f.ByteSize, url = MediaAddresses.PathOf(media.Hash, f.Width, f.Format) }),
            });
        }
        var item = await queries.ItemAsync(media.Id, Actor, ct);
        return item is null
            ? await RefusedAsync(StatusCodes.Status409Conflict, MediaUploadField.File, "The picture was deleted from the library just then.", typed, ct)
            : View("Uploaded", new MediaUploadedPage { Item = item, Markdown = outcome.Markdown!, AlreadyInLibrary = !outcome.Created });
    }

    [HttpPost("/admin/media/{id:long}/alt")]
    public async Task<IActionResult> Describe(long id, string? altText, bool decorative, CancellationToken ct)
    {
        var outcome = await commands.DescribeAsync(id, altText, decorative, Actor, ct);
        switch (outcome.Status)
        {
            case MediaChangeStatus.Done:
                TempData["Notice"] = "The description is saved.";
                return Redirect(LibraryAnchor(id));
            case MediaChangeStatus.Refused:
                var item = await queries.ItemAsync(id, Actor, ct);
                Response.StatusCode = StatusCodes.Status400BadRequest;
                return item is null ? NotFound() : View("Describe", new MediaItemPage { Item = item, Error = outcome.Error, AltText = altText, Decorative = decorative });
            default:
                return Denied(outcome);
        }
    }

    [HttpGet("/admin/media/{id:long}/delete")]
    public async Task<IActionResult> Delete(long id, CancellationToken ct)
    {
        var item = await queries.ItemAsync(id, Actor, ct);
        return item is null ? NotFound() : !item.MayChange ? Forbid() : View("Delete", new MediaItemPage { Item = item });
    }

    [HttpPost("/admin/media/{id:long}/delete")]
    [ActionName("Delete")]
    public async Task<IActionResult> DeleteConfirmed(long id, bool confirm, CancellationToken ct)
    {
        var outcome = await commands.DeleteAsync(id, confirm, Actor, ct);
        if (outcome.Status == MediaChangeStatus.Refused && await queries.ItemAsync(id, Actor, ct) is { } item)
        {
            Response.StatusCode = StatusCodes.Status409Conflict;
            return View("Delete", new MediaItemPage { Item = item, Error = outcome.Error });
        }
        if (outcome.Status != MediaChangeStatus.Done)
        {
            return Denied(outcome);
        }
        TempData["Notice"] = "The picture is deleted.";
        return Redirect("/admin/media");
    }

    private string TooLarge => string.Create(CultureInfo.InvariantCulture,
        $"That file is larger than {MediaLibraryItem.Size(options.Value.MaxFileBytes)}, the largest picture the blog takes.");

    private MediaActor Actor => new(User.Id(), User.IsOwner());

    private bool WantsJson => Request.GetTypedHeaders().Accept.Any(accept => accept.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase));

    private static string LibraryAnchor(long id) => string.Create(CultureInfo.InvariantCulture, $"/admin/media#media-{id}");

    private IActionResult Denied(MediaChangeOutcome outcome) => outcome.Status == MediaChangeStatus.Forbidden ? Forbid() : NotFound();

    /// <summary>The refusal as the editor's script reads it (JSON), or the library again with the form as it was sent.</summary>
    private async Task<IActionResult> RefusedAsync(int status, MediaUploadField field, string error, MediaUploadForm? typed, CancellationToken ct)
    {
        Response.StatusCode = status;
        if (WantsJson)
        {
            return Json(new { error, field = field == MediaUploadField.AltText ? "altText" : "file" });
        }
        typed ??= new MediaUploadForm();
        typed = field == MediaUploadField.AltText ? typed with { AltTextError = error } : typed with { FileError = error };
        return View("Index", await queries.PageAsync(null, Actor, typed, ct));
    }
}
