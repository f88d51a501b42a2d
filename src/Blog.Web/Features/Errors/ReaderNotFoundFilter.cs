using Blog.Web.Features.Redirects;
using Blog.Web.Hosting;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.Mvc.ViewFeatures;

namespace Blog.Web.Features.Errors;

/// <summary>
/// Renders a reader page's "not found" as part of the request, where the reader cache sees it, instead of leaving
/// an empty 404 to the status-code page (which renders it afterwards, outside the cache, on every request). An
/// address past the end of a list, an unknown post or a made-up path then costs one render, like any reader page.
/// Before that, an address an imported blog used to answer at is sent where it lives now (301): only here, on the
/// way to a 404, so the pages that exist pay nothing for the old blog's addresses.
/// </summary>
public sealed class ReaderNotFoundFilter(IModelMetadataProvider metadata, OldAddresses oldAddresses) : IAsyncResultFilter
{
    public async Task OnResultExecutionAsync(ResultExecutingContext context, ResultExecutionDelegate next)
    {
        if (context.Result is StatusCodeResult { StatusCode: StatusCodes.Status404NotFound }
            && context.HttpContext.GetEndpoint()?.Metadata.GetMetadata<ReaderPageAttribute>() is not null)
        {
            context.Result = await OldAddressAsync(context.HttpContext.Request) is { } moved
                ? new RedirectResult(moved, permanent: true)
                : new ViewResult
                {
                    ViewName = "Error",
                    ViewData = new ViewDataDictionary<ErrorPage>(metadata, context.ModelState) { Model = ErrorPage.For(StatusCodes.Status404NotFound) },
                    StatusCode = StatusCodes.Status404NotFound,
                };
        }
        await next();
    }

    private Task<string?> OldAddressAsync(HttpRequest request) =>
        HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method)
            ? oldAddresses.FindAsync(request.Path.Value ?? "/", request.QueryString.Value, request.HttpContext.RequestAborted)
            : Task.FromResult<string?>(null);
}
