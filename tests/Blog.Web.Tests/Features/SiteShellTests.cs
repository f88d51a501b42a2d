using System.Net;
using Blog.Web.Tests.Infrastructure;

namespace Blog.Web.Tests.Features;

public sealed class SiteShellTests(BlogAppFactory app) : IClassFixture<BlogAppFactory>
{
    [Fact]
    public async Task FreshBlogHomePageShowsTitleEmptyStateAndFooter()
    {
        using var client = app.CreateClient();

        var html = await client.GetStringAsync("/");

        Assert.Contains("<title>My Quire blog</title>", html, StringComparison.Ordinal);
        Assert.Contains("Nothing published yet", html, StringComparison.Ordinal);
        Assert.Contains("Powered by Quire", html, StringComparison.Ordinal);
        Assert.Contains("<main id=\"main\"", html, StringComparison.Ordinal);
        Assert.Contains("href=\"#main\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StylesheetIsServedLocallyAtAFingerprintedAddress()
    {
        using var client = app.CreateClient();
        var html = await client.GetStringAsync("/");

        // MapStaticAssets' manifest names the file by a hash of its content, so a changed stylesheet gets a new address.
        var href = System.Text.RegularExpressions.Regex.Match(html, "href=\"(/css/site\\.[a-z0-9]{6,}\\.css)\"").Groups[1].Value;
        using var css = await client.GetAsync(href);
        // Browsers ask for it compressed, which MapStaticAssets answers from the .gz/.br files the build made.
        using var request = new HttpRequestMessage(HttpMethod.Get, href);
        request.Headers.TryAddWithoutValidation("Accept-Encoding", "gzip, br");
        using var compressed = await client.SendAsync(request);

        Assert.NotEmpty(href);
        Assert.Equal(HttpStatusCode.OK, css.StatusCode);
        Assert.Equal("text/css", css.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.OK, compressed.StatusCode);
        Assert.Equal("text/css", compressed.Content.Headers.ContentType?.MediaType);
        Assert.NotEmpty(compressed.Content.Headers.ContentEncoding);
        Assert.DoesNotContain("https://", html.Replace("https://www.w3.org", "", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Fact]
    public async Task HealthEndpointChecksTheDatabase()
    {
        using var client = app.CreateClient();

        using var response = await client.GetAsync("/healthz");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("/no-such-page")]
    [InlineData("/2099/01/not-a-post")]
    public async Task UnknownAddressGetsAFriendlyNotFoundPage(string path)
    {
        using var client = app.CreateClient();

        using var response = await client.GetAsync(path);
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("Page not found", html, StringComparison.Ordinal);
        Assert.Contains("Powered by Quire", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PostToAnUnknownAddressIsStillAFriendlyNotFound()
    {
        using var client = app.CreateClient();

        using var response = await client.PostAsync("/no-such-form", new FormUrlEncodedContent([]));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("Page not found", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
