using System.Text.Json;
using Blog.Web.Content;
using Blog.Web.Features.IndieAuth;
using Blog.Web.Features.Media;
using Blog.Web.Hosting;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace Blog.Web.Features.Micropub;

/// <summary>
/// The Micropub endpoint (/micropub) and its media endpoint (/micropub/media), for writing from other apps. Requests
/// are authenticated by an app's access token only, never by the sign-in cookie: a page elsewhere can make a
/// signed-in browser send a cross-site request with cookies, but not with a token, which is why antiforgery tokens
/// are not asked for here.
/// </summary>
[AllowAnonymous]
[IgnoreAntiforgeryToken]
[ResponseCache(NoStore = true, Location = ResponseCacheLocation.None)]
public sealed class MicropubController(
    MicropubCommands commands,
    MicropubQueries queries,
    AccessTokenStore tokens,
    CanonicalAddress address,
    IOptions<ContentOptions> content,
    IOptions<MediaOptions> mediaOptions) : Controller
{
    /// <summary>Files a create may carry (Micropub 3.3.2: photos sent with the post).</summary>
    public const int MaxFiles = 4;

    /// <summary>Fields a form may have: far more than any post needs, few enough that reading them costs nothing.</summary>
    public const int MaxFormFields = 500;

    /// <summary>How deep JSON may nest: an h-entry needs four levels; a deeper body is refused before it is walked.</summary>
    public const int MaxJsonDepth = 16;

    private const long Overhead = 64 * 1024;

    private static readonly string[] Queries = ["config", "source", "syndicate-to"];

    /// <summary>A JSON or form body: the whole post body at its longest (up to six bytes a character, escaped), and a megabyte at least.</summary>
    private long BodyLimit => Math.Max(1024 * 1024, content.Value.MaxBodyLength * 6L + Overhead);

    [HttpGet("/micropub")]
    public async Task<IActionResult> Query(string? q, string? url, CancellationToken ct)
    {
        var (token, refusal) = await AuthenticateAsync(null, ct);
        if (token is null)
        {
            return refusal!;
        }
        switch (q)
        {
            case "config":
                return Json(new Dictionary<string, object>
                {
                    ["media-endpoint"] = address.Absolute("/micropub/media"),
                    ["syndicate-to"] = Array.Empty<object>(),
                    ["q"] = Queries,
                    ["post-types"] = new[]
                    {
                        new Dictionary<string, string> { ["type"] = "note", ["name"] = "Note" },
                        new Dictionary<string, string> { ["type"] = "article", ["name"] = "Article" },
                        new Dictionary<string, string> { ["type"] = "photo", ["name"] = "Photo" },
                    },
                });
            case "syndicate-to":
                return Json(new Dictionary<string, object> { ["syndicate-to"] = Array.Empty<object>() });
            case "source":
                var (post, denied) = await commands.LoadAsync(url, token, ct);
                if (post is null)
                {
                    return Refuse(denied!);
                }
                string[] wanted = [.. Request.Query["properties[]"].Concat(Request.Query["properties"]).OfType<string>()];
                return Json(await queries.SourceAsync(post, wanted, ct));
            default:
                return Refuse(MicropubError.Invalid("Ask q=config, q=source&url=… or q=syndicate-to."));
        }
    }

    [HttpPost("/micropub")]
    public async Task<IActionResult> Post(CancellationToken ct)
    {
        var isJson = Request.ContentType?.StartsWith("application/json", StringComparison.OrdinalIgnoreCase) == true;
        if (!isJson && !Request.HasFormContentType)
        {
            return Refuse(MicropubError.Invalid("Send the request form-encoded, as multipart/form-data or as JSON (Micropub 3.1)."));
        }
        if (Request.HasFormContentType)
        {
            return await PostFormAsync(ct);
        }
        // JSON carries the token in the Authorization header only (Micropub 3.8), so nothing is read without one.
        var (token, refusal) = await AuthenticateAsync(null, ct);
        if (token is null)
        {
            return refusal!;
        }
        var (json, tooLarge) = await ReadJsonAsync(ct);
        if (json is null)
        {
            return tooLarge
                ? Refuse(MicropubError.Invalid("The request is too large."), StatusCodes.Status413PayloadTooLarge)
                : Refuse(MicropubError.Invalid("The body is not valid JSON (one UTF-8 object, each key once, nested no deeper than " + MaxJsonDepth + " levels)."));
        }
        using (json)
        {
            var (request, error) = MicropubRequestReader.FromJson(json.RootElement);
            return request is null ? Refuse(error!) : await DispatchAsync(request, token, ct);
        }
    }

    [HttpPost("/micropub/media")]
    public async Task<IActionResult> Media(CancellationToken ct)
    {
        var (form, refused) = await ReadFormAsync(mediaOptions.Value.MaxFileBytes + Overhead, ct);
        if (form is null)
        {
            return refused!;
        }
        var (token, refusal) = await AuthenticateAsync(form, ct);
        if (token is null)
        {
            return refusal!;
        }
        if (!token.Allows(TokenScopes.Media))
        {
            return InsufficientScope(TokenScopes.Media);
        }
        if (form.Files.Count != 1 || form.Files.GetFile("file") is not { Length: > 0 } file)
        {
            return Refuse(MicropubError.Invalid("Send one picture in the multipart field \"file\" (Micropub 3.6)."));
        }
        var (url, error) = await UploadAsync(file, form["alt"].FirstOrDefault(), token, ct);
        if (url is null)
        {
            return Refuse(error!);
        }
        Response.Headers.Location = url;
        return StatusCode(StatusCodes.Status201Created);
    }

    private async Task<IActionResult> PostFormAsync(CancellationToken ct)
    {
        var (form, refused) = await ReadFormAsync(mediaOptions.Value.MaxFileBytes * MaxFiles + BodyLimit, ct);
        if (form is null)
        {
            return refused!;
        }
        var (token, refusal) = await AuthenticateAsync(form, ct);
        if (token is null)
        {
            return refusal!;
        }
        var (request, error) = MicropubRequestReader.FromForm(form);
        if (request is null)
        {
            return Refuse(error!);
        }
        if (form.Files.Count == 0)
        {
            return await DispatchAsync(request, token, ct);
        }
        if (request.Action != MicropubAction.Create || !token.Allows(TokenScopes.Create))
        {
            return request.Action == MicropubAction.Create
                ? InsufficientScope(TokenScopes.Create)
                : Refuse(MicropubError.Invalid("Files come with a new post only."));
        }
        if (form.Files.Count > MaxFiles || form.Files.Any(file => file.Name is not (MicropubProperty.Photo or "photo[]")))
        {
            return Refuse(MicropubError.Invalid($"Send up to {MaxFiles} pictures, each as \"photo\" or \"photo[]\"."));
        }
        var photos = request.Properties[MicropubProperty.Photo].ToList();
        foreach (var file in form.Files)
        {
            var (url, uploadError) = await UploadAsync(file, null, token, ct);
            if (url is null)
            {
                return Refuse(uploadError!);
            }
            photos.Add(MicropubValue.Of(url));
        }
        var properties = new Dictionary<string, IReadOnlyList<MicropubValue>>(request.Properties.Values, StringComparer.Ordinal)
        {
            [MicropubProperty.Photo] = photos,
        };
        return await DispatchAsync(request with { Properties = new MicropubProperties(properties) }, token, ct);
    }

    private async Task<IActionResult> DispatchAsync(MicropubRequest request, AccessToken token, CancellationToken ct)
    {
        var (scope, run) = request.Action switch
        {
            MicropubAction.Create => (TokenScopes.Create, commands.CreateAsync),
            MicropubAction.Update => (TokenScopes.Update, commands.UpdateAsync),
            MicropubAction.Delete => (TokenScopes.Delete, commands.DeleteAsync),
            MicropubAction.Undelete => (TokenScopes.Delete, commands.UndeleteAsync),
            _ => ("", (Func<MicropubRequest, AccessToken, CancellationToken, Task<MicropubOutcome>>?)null),
        };
        if (run is null)
        {
            return Refuse(MicropubError.Invalid("The action must be update, delete or undelete (or none, to create)."));
        }
        if (!token.Allows(scope))
        {
            return InsufficientScope(scope);
        }
        var outcome = await run(request, token, ct);
        if (outcome.Error is { } error)
        {
            return Refuse(error);
        }
        if (outcome.Location is { } location)
        {
            Response.Headers.Location = location;
            return StatusCode(StatusCodes.Status201Created);
        }
        return NoContent();
    }

    /// <summary>
    /// The token of the request: in the Authorization header, or the form's access_token field, never both (Micropub
    /// 3.8). Cookies are not looked at.
    /// </summary>
    private async Task<(AccessToken? Token, IActionResult? Refusal)> AuthenticateAsync(IFormCollection? form, CancellationToken ct)
    {
        var headers = Request.Headers.Authorization;
        var fields = form?[MicropubRequestReader.AccessTokenField] ?? default;
        if (headers.Count > 1 || fields.Count > 1 || headers.Count == 1 && fields.Count == 1)
        {
            return (null, Refuse(MicropubError.Invalid("Send the access token once: in the Authorization header or the access_token field, not both.")));
        }
        var header = headers.FirstOrDefault();
        var token = header is not null
            ? header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header[7..].Trim() : null
            : fields.FirstOrDefault();
        if (await tokens.FindActiveAsync(token, ct) is { } found)
        {
            return (found, null);
        }
        Response.Headers.WWWAuthenticate = "Bearer";
        return (null, Refuse(new MicropubError(MicropubErrorCode.Unauthorized,
            token is null ? "Send an access token: Authorization: Bearer …" : "That access token is not valid (unknown, revoked or expired).")));
    }

    /// <summary>The form, read within <paramref name="limit"/> bytes; null and the answer when it is too large or broken.</summary>
    private async Task<(IFormCollection? Form, IActionResult? Refusal)> ReadFormAsync(long limit, CancellationToken ct)
    {
        if (!Request.HasFormContentType)
        {
            return (null, Refuse(MicropubError.Invalid("Send the file as multipart/form-data.")));
        }
        if (LimitBody(limit))
        {
            return (null, Refuse(MicropubError.Invalid("The request is too large."), StatusCodes.Status413PayloadTooLarge));
        }
        try
        {
            return (await Request.ReadFormAsync(new FormOptions
            {
                MultipartBodyLengthLimit = limit,
                BufferBodyLengthLimit = limit,
                ValueCountLimit = MaxFormFields,
                ValueLengthLimit = (int)Math.Min(int.MaxValue, BodyLimit),
            }, ct), null);
        }
        catch (Exception ex) when (ex is BadHttpRequestException or InvalidDataException or IOException or System.Text.DecoderFallbackException)
        {
            return ex is BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge }
                ? (null, Refuse(MicropubError.Invalid("The request is too large."), StatusCodes.Status413PayloadTooLarge))
                : (null, Refuse(MicropubError.Invalid("The form could not be read: " + ex.Message)));
        }
    }

    /// <summary>The JSON body, parsed within the size and depth limits; null when it is not JSON or too large (the flag).</summary>
    private async Task<(JsonDocument? Json, bool TooLarge)> ReadJsonAsync(CancellationToken ct)
    {
        var limit = BodyLimit;
        if (LimitBody(limit))
        {
            return (null, true);
        }
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        try
        {
            for (var read = await Request.Body.ReadAsync(chunk, ct); read > 0; read = await Request.Body.ReadAsync(chunk, ct))
            {
                if (buffer.Length + read > limit)
                {
                    return (null, true);
                }
                buffer.Write(chunk, 0, read);
            }
            var bytes = buffer.GetBuffer().AsMemory(0, (int)buffer.Length);
            // JSON is UTF-8 (RFC 8259); the parser only notices broken bytes when a string is read, too late for a 400.
            if (!System.Text.Unicode.Utf8.IsValid(bytes.Span))
            {
                return (null, false);
            }
            return (JsonDocument.Parse(bytes,
                new JsonDocumentOptions { MaxDepth = MaxJsonDepth, AllowDuplicateProperties = false }), false);
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return (null, true);
        }
        catch (JsonException)
        {
            return (null, false);
        }
    }

    /// <summary>Tells the server the most this request may send; true when it already says it sends more.</summary>
    private bool LimitBody(long limit)
    {
        if (HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } bodySize)
        {
            bodySize.MaxRequestBodySize = limit;
        }
        return Request.ContentLength > limit;
    }

    private async Task<(string? Url, MicropubError? Error)> UploadAsync(IFormFile file, string? altText, AccessToken token, CancellationToken ct)
    {
        await using var stream = file.OpenReadStream();
        return await commands.UploadAsync(stream, file.FileName, altText is null ? null : CleanTextModelBinder.Clean(altText), token.MemberId, ct);
    }

    private static ObjectResult InsufficientScope(string scope) =>
        Refuse(new MicropubError(MicropubErrorCode.InsufficientScope, $"This needs an access token with the \"{scope}\" scope.") { Scope = scope });

    /// <summary>The error as Micropub 3.7 writes it: a JSON object with error and error_description, and the status the code means.</summary>
    private static ObjectResult Refuse(MicropubError error, int? status = null)
    {
        var body = new Dictionary<string, string>
        {
            ["error"] = error.Code,
            ["error_description"] = error.Description,
        };
        if (error.Scope is { } scope)
        {
            body["scope"] = scope;
        }
        return new ObjectResult(body)
        {
            StatusCode = status ?? error.Code switch
            {
                MicropubErrorCode.Unauthorized => StatusCodes.Status401Unauthorized,
                MicropubErrorCode.Forbidden or MicropubErrorCode.InsufficientScope => StatusCodes.Status403Forbidden,
                _ => StatusCodes.Status400BadRequest,
            },
            ContentTypes = { "application/json" },
        };
    }
}
