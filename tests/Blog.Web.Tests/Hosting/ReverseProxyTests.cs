using System.Net;
using Blog.Web.Tests.Infrastructure;

namespace Blog.Web.Tests.Hosting;

/// <summary>
/// With Blog:ReverseProxy:Enabled, X-Forwarded-Proto counts only from a known proxy (loopback, or one listed), and
/// X-Forwarded-Host from nobody. HSTS shows which scheme the blog believed: it is sent on https responses only.
/// </summary>
public sealed class ReverseProxyTests
{
    private static async Task<HttpResponseMessage> ForwardedAsync(ProxiedBlogAppFactory app)
    {
        using var client = app.CreateClient(new() { BaseAddress = new Uri("http://blog.example.test/"), AllowAutoRedirect = false });
        using var request = new HttpRequestMessage(HttpMethod.Get, "/");
        request.Headers.Add("X-Forwarded-Proto", "https");
        request.Headers.Add("X-Forwarded-Host", "evil.example");
        return await client.SendAsync(request);
    }

    [Fact]
    public async Task AKnownProxySaysTheRequestWasHttpsButNotWhichHostItWasFor()
    {
        using var app = new ProxiedBlogAppFactory();

        using var response = await ForwardedAsync(app);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(response.Headers.Contains("Strict-Transport-Security"));
        Assert.DoesNotContain("evil.example", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnyOtherClientsForwardedHeadersAreIgnored()
    {
        using var app = new ProxiedBlogAppFactory { ClientAddress = IPAddress.Parse("203.0.113.7") };

        using var response = await ForwardedAsync(app);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(response.Headers.Contains("Strict-Transport-Security"));
    }
}
