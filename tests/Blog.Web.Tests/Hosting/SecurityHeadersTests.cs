using Blog.Web.Tests.Infrastructure;

namespace Blog.Web.Tests.Hosting;

public sealed class SecurityHeadersTests(BlogAppFactory app) : IClassFixture<BlogAppFactory>
{
    [Theory]
    [InlineData("/")]
    [InlineData("/no-such-page")]
    [InlineData("/favicon.svg")]
    [InlineData("/account/sign-in")]
    public async Task EveryResponseCarriesTheSecurityHeaders(string path)
    {
        using var client = app.CreateClient();

        using var response = await client.GetAsync(path);

        var csp = string.Join(";", response.Headers.GetValues("Content-Security-Policy"));
        var directives = csp.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains("default-src 'self'", directives);
        Assert.Contains("script-src 'self'", directives);
        Assert.Contains("object-src 'none'", directives);
        Assert.Contains("base-uri 'self'", directives);
        Assert.Contains("form-action 'self'", directives);
        Assert.Contains("frame-ancestors 'none'", directives);
        Assert.DoesNotContain("unsafe-inline", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-eval", csp, StringComparison.Ordinal);
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        Assert.Equal("strict-origin-when-cross-origin", Assert.Single(response.Headers.GetValues("Referrer-Policy")));
        Assert.Contains("camera=()", Assert.Single(response.Headers.GetValues("Permissions-Policy")), StringComparison.Ordinal);
    }
}
