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
    public IActionResult Error()
    {
        var failure = HttpContext.Features.Get<IExceptionHandlerPathFeature>();
        if (failure is not null)
        {
            logger.LogError(failure.Error, "Unhandled error on {Path}", failure.Path);
        }
        Response.StatusCode = StatusCodes.Status500InternalServerError;
        return View("Error", ErrorPage.For(StatusCodes.Status500InternalServerError));
    }

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
