using System.Net;
using Blog.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.Extensions.DependencyInjection;

namespace Blog.Web.Tests.Features;

/// <summary>An unexpected exception outside Development: a friendly page, and nothing of the exception for the reader.</summary>
public sealed class ErrorsTests(ErrorsTests.FailingAppFactory app) : IClassFixture<ErrorsTests.FailingAppFactory>
{
    [Fact]
    public async Task AnUnhandledExceptionGetsTheFriendlyErrorPageWithoutItsDetails()
    {
        using var client = app.CreateClient();

        using var response = await client.GetAsync(FailingAppFactory.FailingPath);
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("Something went wrong on our side", html, StringComparison.Ordinal);
        Assert.Contains("Powered by Quire", html, StringComparison.Ordinal);
        Assert.DoesNotContain(FailingAppFactory.ExceptionMessage, html, StringComparison.Ordinal);
        Assert.DoesNotContain(nameof(InvalidOperationException), html, StringComparison.Ordinal);
        Assert.DoesNotContain(nameof(FailingAppFactory), html, StringComparison.Ordinal);
        Assert.DoesNotMatch(@"\bat [A-Z][\w.]+\.\w+\(", html);
    }

    /// <summary>
    /// The real app (environment "Testing", not Development) whose sign-in page throws, the way a bug in any action
    /// would: a filter on every action fails for that one address.
    /// </summary>
    public sealed class FailingAppFactory : BlogAppFactory
    {
        public const string FailingPath = "/account/sign-in";

        public const string ExceptionMessage = "Deliberate failure with a secret-looking detail 7f3a9c";

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureServices(services => services.Configure<MvcOptions>(mvc => mvc.Filters.Add(new FailAtFailingPath())));
        }

        private sealed class FailAtFailingPath : IActionFilter
        {
            // Only the failing address: the error page the app then shows runs through this filter too.
            public void OnActionExecuting(ActionExecutingContext context)
            {
                var request = context.HttpContext.Request;
                if (request.Path == FailingPath)
                {
                    throw new InvalidOperationException($"{ExceptionMessage} ({request.Method} {request.Path})");
                }
            }

            public void OnActionExecuted(ActionExecutedContext context)
            {
            }
        }
    }
}
