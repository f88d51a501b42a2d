using System.Net;
using Blog.Web.Features.Setup;
using Blog.Web.Hosting;
using Blog.Web.Identity;
using Blog.Web.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Blog.Web.Tests.Security;

/// <summary>
/// A blog that does not know its address yet (no Blog:BaseUrl, nothing recorded): it answers any host, so nothing may
/// be built from the Host. Links use the address the server listens on, and the https redirect, which would name the
/// request's Host, waits until the address is known. An https port is configured so that redirect would happen.
/// </summary>
public sealed class UnknownAddressTests : IDisposable
{
    private const string Forged = "evil.example";

    private readonly BlogAppFactory _app = new()
    {
        Settings = { ["Blog:BaseUrl"] = "", ["HTTPS_PORT"] = "443" },
    };

    public void Dispose() => _app.Dispose();

    private string ListeningAddress => _app.Services.GetRequiredService<CanonicalAddress>().Base;

    private static HttpRequestMessage Forge(HttpMethod method, string path)
    {
        var request = new HttpRequestMessage(method, path);
        request.Headers.Host = Forged;
        return request;
    }

    [Fact]
    public async Task LinksInMailUseTheListeningAddressNeverTheRequestsHost()
    {
        var member = await BlogClient.CreateAccountAsync(_app, MemberRole.Member);
        using var visitor = new BlogClient(_app);
        visitor.Http.DefaultRequestHeaders.Host = Forged;

        using var response = await visitor.SubmitFormAsync("/account/forgot-password", new Dictionary<string, string> { ["Email"] = member.Email! });
        var text = Mailbox.LastMessageTo(_app, member.Email!).TextBody;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("http://localhost:5000", ListeningAddress);
        Assert.Contains(ListeningAddress + "/account/reset-password?", text, StringComparison.Ordinal);
        Assert.DoesNotContain(Forged, text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/feeds/posts/default")]
    [InlineData("/feeds/comments/default")]
    [InlineData("/sitemap.xml")]
    [InlineData("/robots.txt")]
    public async Task PagesAndFeedsAreServedWithoutNamingTheRequestsHost(string path)
    {
        using var client = _app.CreateClient(new() { AllowAutoRedirect = false });

        using var response = await client.SendAsync(Forge(HttpMethod.Get, path));
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.DoesNotContain(Forged, body, StringComparison.Ordinal);
        Assert.Null(response.Headers.Location);
    }

    [Fact]
    public async Task TheRedirectToSignInNamesNoHost()
    {
        using var client = _app.CreateClient(new() { AllowAutoRedirect = false });

        using var response = await client.SendAsync(Forge(HttpMethod.Get, "/account"));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/account/sign-in?ReturnUrl=%2Faccount", response.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task OnceSetupRecordsTheAddressOtherHostsAreRefusedAndHttpsRedirectsThere()
    {
        var token = (await _app.Services.GetRequiredService<SetupToken>().IssueAsync(TimeSpan.Zero, CancellationToken.None)).Token;
        using var owner = new BlogClient(_app, new Uri("http://blog.example.test/"));
        using var created = await owner.SubmitFormAsync($"/setup?token={token}", new Dictionary<string, string>
        {
            ["DisplayName"] = "Ada Owner",
            ["Email"] = "owner@example.test",
            ["Password"] = BlogClient.Password,
            ["ConfirmPassword"] = BlogClient.Password,
        });
        using var client = _app.CreateClient(new() { AllowAutoRedirect = false });

        using var forged = await client.SendAsync(Forge(HttpMethod.Get, "/"));
        using var own = await owner.GetAsync("/feeds/posts/default?alt=rss");

        Assert.Equal(HttpStatusCode.OK, created.StatusCode);
        Assert.Equal("http://blog.example.test", _app.Services.GetRequiredService<CanonicalAddress>().Known);
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.DoesNotContain(Forged, await forged.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.TemporaryRedirect, own.StatusCode);
        Assert.Equal("https://blog.example.test/feeds/posts/default?alt=rss", own.Headers.Location!.ToString());
    }
}
