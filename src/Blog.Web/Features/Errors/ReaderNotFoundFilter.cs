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
/// </summary>
public sealed class ReaderNotFoundFilter(IModelMetadataProvider metadata) : IResultFilter
{
    public void OnResultExecuting(ResultExecutingContext context)
    {
        if (context.Result is not StatusCodeResult { StatusCode: StatusCodes.Status404NotFound }
            || context.HttpContext.GetEndpoint()?.Metadata.GetMetadata<ReaderPageAttribute>() is null)
        {
            return;
        }
        context.Result = new ViewResult
        {
            ViewName = "Error",
            ViewData = new ViewDataDictionary<ErrorPage>(metadata, context.ModelState) { Model = ErrorPage.For(StatusCodes.Status404NotFound) },
            StatusCode = StatusCodes.Status404NotFound,
        };
    }

    public void OnResultExecuted(ResultExecutedContext context)
    {
    }
}
