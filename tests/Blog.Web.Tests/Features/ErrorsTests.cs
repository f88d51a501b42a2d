using System.Net;
using Blog.Web.Tests.Infrastructure;
using System.Reflection;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ApplicationParts;
using Microsoft.AspNetCore.Mvc.Controllers;
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

    /// <summary>The real app (environment "Testing", not Development) plus one action that always throws.</summary>
    public sealed class FailingAppFactory : BlogAppFactory
    {
        public const string FailingPath = "/test-only/always-fails";

        public const string ExceptionMessage = "Deliberate failure with a secret-looking detail 7f3a9c";

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            // Only this controller joins the app: the test assembly has no other.
            builder.ConfigureServices(services => services.AddControllers()
                .ConfigureApplicationPartManager(parts => parts.FeatureProviders.Add(new OnlyTheFailingController())));
        }

        private sealed class OnlyTheFailingController : IApplicationFeatureProvider<ControllerFeature>
        {
            public void PopulateFeature(IEnumerable<ApplicationPart> parts, ControllerFeature feature) =>
                feature.Controllers.Add(typeof(AlwaysFailingController).GetTypeInfo());
        }
    }
}

/// <summary>Throws the way a bug in any action would.</summary>
public sealed class AlwaysFailingController : Controller
{
    [HttpGet(ErrorsTests.FailingAppFactory.FailingPath)]
    public IActionResult Fail() =>
        throw new InvalidOperationException($"{ErrorsTests.FailingAppFactory.ExceptionMessage} ({Request.Method} {Request.Path})");
}
