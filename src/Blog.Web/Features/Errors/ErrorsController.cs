using Blog.Web.Data;
using Blog.Web.Hosting;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace Blog.Web.Features.Errors;

/// <summary>
/// Friendly pages for failed requests. They answer any method because the status-code and exception
/// middleware re-execute the original request (a POST stays a POST) against these routes.
/// </summary>
[IgnoreAntiforgeryToken]
public sealed class ErrorsController(ILogger<ErrorsController> logger) : Controller
{
    [Route("/error")]
    public async Task<IActionResult> Error()
    {
        var failure = HttpContext.Features.Get<IExceptionHandlerPathFeature>();
        if (failure is not null)
        {
            logger.LogError(failure.Error, "Unhandled error on {Path}", RequestLogging.Redact(failure.Path));
        }
        var database = DatabaseFailure.Classify(failure?.Error);
        if (database is not DatabaseFailure.Kind.None)
        {
            // The disk, not the code: say so, say reading still works, and hand back what the person typed.
            Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            Response.Headers.RetryAfter = database is DatabaseFailure.Kind.Busy ? "5" : "300";
            return View("Error", ErrorPage.ForDatabase(database) with { TypedText = await TypedTextAsync() });
        }
        Response.StatusCode = StatusCodes.Status500InternalServerError;
        return View("Error", ErrorPage.For(StatusCodes.Status500InternalServerError));
    }

    /// <summary>
    /// The free text of the failed form (the re-executed request still carries it), so a comment or a post is not
    /// lost with the request. Secrets, the antiforgery token, ids and check boxes are left out.
    /// </summary>
    private async Task<IReadOnlyList<TypedField>> TypedTextAsync()
    {
        if (!HttpMethods.IsPost(Request.Method) || !Request.HasFormContentType)
        {
            return [];
        }
        try
        {
            var form = await Request.ReadFormAsync(HttpContext.RequestAborted);
            return [.. form
                .Where(field => !IsSecretOrPlumbing(field.Key))
                .Select(field => new TypedField(field.Key, field.Value.ToString()))
                .Where(field => field.Value.Trim().Length > 0 && field.Value is not ("true" or "false"))];
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException or BadHttpRequestException)
        {
            return [];
        }
    }

    private static bool IsSecretOrPlumbing(string name) =>
        name.StartsWith("__", StringComparison.Ordinal)
        || name.EndsWith("Id", StringComparison.Ordinal)
        || name.Contains("password", StringComparison.OrdinalIgnoreCase)
        || name.Contains("token", StringComparison.OrdinalIgnoreCase)
        || name.Contains("code", StringComparison.OrdinalIgnoreCase)
        || name.Contains("secret", StringComparison.OrdinalIgnoreCase);

    [Route("/error/{statusCode:int}")]
    public IActionResult Status()
    {
        // Read the code without model binding: a re-executed POST still carries the original (possibly
        // unreadable) form, and binding would try to read it again.
        var statusCode = HttpContext.Features.Get<IStatusCodeReExecuteFeature>()?.OriginalStatusCode
            ?? (int.TryParse(RouteData.Values["statusCode"] as string, out var fromRoute) ? fromRoute : StatusCodes.Status404NotFound);
        var page = ErrorPage.For(statusCode);
        Response.StatusCode = page.StatusCode;
        return View("Error", page);
    }
}

public sealed record ErrorPage
{
    public required int StatusCode { get; init; }

    public required string Heading { get; init; }

    public required string Explanation { get; init; }

    /// <summary>What the person had typed into the form that could not be saved, to copy before leaving.</summary>
    public IReadOnlyList<TypedField> TypedText { get; init; } = [];

    public static ErrorPage ForDatabase(DatabaseFailure.Kind kind) => kind is DatabaseFailure.Kind.Busy
        ? new()
        {
            StatusCode = StatusCodes.Status503ServiceUnavailable,
            Heading = "The blog is busy",
            Explanation = "Too many changes arrived at once and yours could not be saved in time. Please try again in a moment.",
        }
        : new()
        {
            StatusCode = StatusCodes.Status503ServiceUnavailable,
            Heading = "The blog can't save changes right now",
            Explanation = "Its storage is not accepting changes (it may be full or read-only), so nothing was saved. " +
                "Reading still works. The blog's owner has been told in the logs; please try again later.",
        };

    public static ErrorPage For(int statusCode) => statusCode switch
    {
        StatusCodes.Status400BadRequest => new()
        {
            StatusCode = statusCode,
            Heading = "That request didn't make sense",
            Explanation = "Something in the address or the form wasn't in a shape we could use. Go back and try again.",
        },
        StatusCodes.Status403Forbidden => new()
        {
            StatusCode = statusCode,
            Heading = "You can't do that here",
            Explanation = "Your account doesn't have permission for this page or action.",
        },
        StatusCodes.Status404NotFound => new()
        {
            StatusCode = statusCode,
            Heading = "Page not found",
            Explanation = "There's nothing at this address. It may have moved, or the link may be mistyped.",
        },
        StatusCodes.Status429TooManyRequests => new()
        {
            StatusCode = statusCode,
            Heading = "Too many attempts",
            Explanation = "You've tried that too often in a short time. Wait a minute, then try again.",
        },
        >= 400 and < 500 => new()
        {
            StatusCode = statusCode,
            Heading = "That didn't work",
            Explanation = "The request couldn't be completed.",
        },
        _ => new()
        {
            StatusCode = StatusCodes.Status500InternalServerError,
            Heading = "Something went wrong on our side",
            Explanation = "The blog hit an unexpected problem. Nothing you did caused it; please try again in a moment.",
        },
    };
}

public sealed record TypedField(string Name, string Value);
