using System.Buffers;
using System.Globalization;
using Blog.Web.Hosting;
using Blog.Web.Identity;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;

namespace Blog.Web.Features.Import.Runs;

/// <summary>
/// The owner's import page at /admin/import: uploads an export, queues its run and shows it running, then its report.
/// </summary>
[Authorize(Policy = Policies.Owner)]
[Route("admin/import")]
public sealed class ImportController(
    ImportRunStore store,
    ImportJobs jobs,
    IAntiforgery antiforgery,
    IOptions<ImportUploadOptions> options) : Controller
{
    /// <summary>Room for the form's other fields and the multipart headers around the file.</summary>
    public const long FormOverheadBytes = 64 * 1024;

    /// <summary>The longest value a field other than the file may have, and how many such fields a form may send.</summary>
    private const int MaxFieldChars = 1024;

    private const int MaxFields = 16;

    private const int MaxFileNameLength = 200;

    [HttpGet("")]
    public async Task<IActionResult> Index(CancellationToken ct) => View("Runs/Index", await IndexPageAsync(null, ct));

    /// <summary>
    /// Receives the export and queues it. The body is streamed to the data folder rather than bound as a form, so a
    /// file of a gigabyte is never held in memory and its size is limited before it is read. The antiforgery token
    /// (sent before the file: the form puts it first) is checked as soon as the file begins, before it is stored.
    /// The action takes no parameters: any would make MVC read the whole form first, to bind them from it.
    /// </summary>
    [HttpPost("")]
    [IgnoreAntiforgeryToken]
    public async Task<IActionResult> Start()
    {
        var ct = HttpContext.RequestAborted;
        var limit = options.Value.MaxUploadBytes + FormOverheadBytes;
        if (!RequestBodyLimit.Apply(HttpContext, limit))
        {
            return await RefusedAsync(StatusCodes.Status413PayloadTooLarge, TooLarge, null, ct);
        }
        if (await store.ActiveAsync(ct) is not null)
        {
            return await RefusedAsync(StatusCodes.Status409Conflict, "An import is already running. Wait for it to finish, then start this one.", null, ct);
        }
        if (Boundary() is not { } boundary)
        {
            return await WithoutFileAsync(ct);
        }
        var upload = await ReceiveAsync(boundary, ct);
        if (upload.Refusal is { } refusal)
        {
            return refusal.Message is null ? BadRequest() : await RefusedAsync(refusal.Status, refusal.Message, upload.Fields, ct);
        }
        if (upload.Path is null || upload.Bytes == 0)
        {
            if (upload.Path is not null)
            {
                ImportJobs.DeleteQuietly(upload.Path);
            }
            return await RefusedAsync(StatusCodes.Status400BadRequest, "Choose the export file to import.", upload.Fields, ct);
        }
        var (id, _) = await jobs.QueueAsync(upload.Path, upload.FileName, Checked(upload.Fields, "dryRun"), Checked(upload.Fields, "fetchRemoteImages"), User.Id()!, ct);
        return id is { } runId
            ? Redirect("/admin/import/" + runId.ToString(CultureInfo.InvariantCulture))
            : await RefusedAsync(StatusCodes.Status409Conflict, "Another import started just before this one. Wait for it to finish, then start this one.", upload.Fields, ct);
    }

    [HttpGet("{id:long}")]
    public async Task<IActionResult> Show(long id, CancellationToken ct)
    {
        if (await store.FindAsync(id, ct) is not { } run)
        {
            return NotFound();
        }
        var report = run.ReportJson is { } json ? ImportReport.FromJson(json) : null;
        return View("Runs/Run", new ImportRunPage { Run = run, Report = report });
    }

    /// <summary>How far the run is, for the page's script; never cached, as it changes every moment.</summary>
    [HttpGet("{id:long}/progress")]
    [ResponseCache(NoStore = true, Location = ResponseCacheLocation.None)]
    public async Task<IActionResult> Progress(long id, CancellationToken ct)
    {
        if (await store.FindAsync(id, ct) is not { } run)
        {
            return NotFound();
        }
        return Json(new { state = run.State, status = run.Status, done = run.Done, total = run.Total, percent = run.Percent, over = run.IsOver });
    }

    private string TooLarge => string.Create(CultureInfo.InvariantCulture,
        $"That file is larger than {Size(options.Value.MaxUploadBytes)}, the largest export this page takes. Import it with the import command instead (see the note below), or raise Blog:Import:MaxUploadBytes.");

    public static string Size(long bytes) => bytes >= 1L << 30
        ? string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1L << 30):0.#} GB")
        : string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1L << 20):0.#} MB");

    private string? Boundary()
    {
        if (!MediaTypeHeaderValue.TryParse(Request.ContentType, out var type) || !type.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }
        var boundary = HeaderUtilities.RemoveQuotes(type.Boundary).Value;
        // RFC 2046 caps a boundary at 70 characters.
        return string.IsNullOrEmpty(boundary) || boundary.Length > 70 ? null : boundary;
    }

    /// <summary>A form sent without a file (or not as a form at all): refused with a message once its token is checked.</summary>
    private async Task<IActionResult> WithoutFileAsync(CancellationToken ct)
    {
        if (!Request.HasFormContentType)
        {
            return await RefusedAsync(StatusCodes.Status400BadRequest, "Send the export with the upload form.", null, ct);
        }
        IFormCollection form;
        try
        {
            form = await Request.ReadFormAsync(new FormOptions { ValueLengthLimit = MaxFieldChars, ValueCountLimit = MaxFields }, ct);
        }
        catch (Exception ex) when (ex is BadHttpRequestException or InvalidDataException or IOException)
        {
            return BadRequest();
        }
        if (!await antiforgery.IsRequestValidAsync(HttpContext))
        {
            return BadRequest();
        }
        var fields = form.ToDictionary(pair => pair.Key, pair => pair.Value, StringComparer.Ordinal);
        return await RefusedAsync(StatusCodes.Status400BadRequest, "Choose the export file to import.", fields, ct);
    }

    private sealed record Refusal(int Status, string? Message);

    private sealed record Upload(Dictionary<string, StringValues> Fields, string? Path = null, string FileName = "", long Bytes = 0, Refusal? Refusal = null);

    private async Task<Upload> ReceiveAsync(string boundary, CancellationToken ct)
    {
        var fields = new Dictionary<string, StringValues>(StringComparer.Ordinal);
        var reader = new MultipartReader(boundary, Request.Body) { BodyLengthLimit = options.Value.MaxUploadBytes + 1 };
        string? path = null;
        try
        {
            while (await reader.ReadNextSectionAsync(ct) is { } section)
            {
                if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition) || disposition.Name.Value is not { } name)
                {
                    return new Upload(fields, Refusal: new Refusal(StatusCodes.Status400BadRequest, "The upload did not arrive whole. Try again."));
                }
                name = HeaderUtilities.RemoveQuotes(name).Value ?? "";
                if (!disposition.IsFileDisposition())
                {
                    if (fields.Count >= MaxFields || await ReadFieldAsync(section.Body, ct) is not { } value)
                    {
                        return new Upload(fields, Refusal: new Refusal(StatusCodes.Status400BadRequest, "The form holds more than an import form sends."));
                    }
                    fields[name] = StringValues.Concat(fields.GetValueOrDefault(name), value);
                    continue;
                }
                if (name != "file" || path is not null)
                {
                    return new Upload(fields, Refusal: new Refusal(StatusCodes.Status400BadRequest, "Send one export file at a time."));
                }
                // The token must come before the file: nothing is stored for a request another site made.
                HttpContext.Features.Set<IFormFeature>(new FormFeature(new FormCollection(fields)));
                if (!await antiforgery.IsRequestValidAsync(HttpContext))
                {
                    return new Upload(fields, Refusal: new Refusal(StatusCodes.Status400BadRequest, null));
                }
                path = jobs.NewUploadPath();
                var bytes = await SaveAsync(section.Body, path, ct);
                if (bytes > options.Value.MaxUploadBytes)
                {
                    ImportJobs.DeleteQuietly(path);
                    return new Upload(fields, Refusal: new Refusal(StatusCodes.Status413PayloadTooLarge, TooLarge));
                }
                var fileName = FileNameOf(disposition);
                // Any fields after the file are read too (a script may send them in another order).
                while (await reader.ReadNextSectionAsync(ct) is { } after)
                {
                    await after.Body.DrainAsync(ct);
                }
                return new Upload(fields, path, fileName, bytes);
            }
        }
        catch (Exception ex) when (ex is BadHttpRequestException or InvalidDataException or IOException)
        {
            if (path is not null)
            {
                ImportJobs.DeleteQuietly(path);
            }
            var tooLarge = ex is BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge }
                || (ex is InvalidDataException && ex.Message.Contains("length limit", StringComparison.OrdinalIgnoreCase));
            return new Upload(fields, Refusal: tooLarge
                ? new Refusal(StatusCodes.Status413PayloadTooLarge, TooLarge)
                : new Refusal(StatusCodes.Status400BadRequest, "The upload did not arrive whole. Try again."));
        }
        if (!await antiforgery.IsRequestValidAsync(HttpContext))
        {
            return new Upload(fields, Refusal: new Refusal(StatusCodes.Status400BadRequest, null));
        }
        return new Upload(fields);
    }

    /// <summary>Copies the file to <paramref name="path"/>, stopping one buffer past the limit; returns the bytes read.</summary>
    private async Task<long> SaveAsync(Stream body, string path, CancellationToken ct)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(81920);
        try
        {
            await using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, FileOptions.Asynchronous);
            long total = 0;
            int read;
            while ((read = await body.ReadAsync(buffer, ct)) > 0)
            {
                total += read;
                if (total > options.Value.MaxUploadBytes)
                {
                    break;
                }
                await file.WriteAsync(buffer.AsMemory(0, read), ct);
            }
            return total;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>A field's value, or null when it is longer than any field of the form.</summary>
    private static async Task<string?> ReadFieldAsync(Stream body, CancellationToken ct)
    {
        using var reader = new StreamReader(body, leaveOpen: true);
        var buffer = new char[MaxFieldChars + 1];
        var length = 0;
        int read;
        while (length < buffer.Length && (read = await reader.ReadAsync(buffer.AsMemory(length), ct)) > 0)
        {
            length += read;
        }
        return length > MaxFieldChars ? null : new string(buffer, 0, length);
    }

    /// <summary>The name the file had on the owner's computer, for the report: its last segment, cleaned and shortened.</summary>
    private static string FileNameOf(ContentDispositionHeaderValue disposition)
    {
        var raw = HeaderUtilities.RemoveQuotes(disposition.FileNameStar.HasValue ? disposition.FileNameStar : disposition.FileName).Value ?? "";
        var name = CleanTextModelBinder.Clean(raw.Replace('\\', '/')).Trim();
        name = name[(name.LastIndexOf('/') + 1)..];
        name = name.Length > MaxFileNameLength ? name[..MaxFileNameLength] : name;
        return name.Length > 0 ? name : "export";
    }

    private static bool Checked(IReadOnlyDictionary<string, StringValues>? fields, string name) =>
        fields is not null && fields.TryGetValue(name, out var values) && values.Contains("true");

    private async Task<ImportIndexPage> IndexPageAsync(IReadOnlyDictionary<string, StringValues>? fields, CancellationToken ct) => new()
    {
        Recent = await store.RecentAsync(ct),
        Active = await store.ActiveAsync(ct),
        MaxUploadBytes = options.Value.MaxUploadBytes,
        DryRun = Checked(fields, "dryRun"),
        FetchRemoteImages = Checked(fields, "fetchRemoteImages"),
    };

    /// <summary>The import page again with the message next to the file field and the boxes as they were ticked.</summary>
    private async Task<IActionResult> RefusedAsync(int status, string error, IReadOnlyDictionary<string, StringValues>? fields, CancellationToken ct)
    {
        Response.StatusCode = status;
        var page = await IndexPageAsync(fields, ct);
        return View("Runs/Index", page with { FileError = error });
    }
}
